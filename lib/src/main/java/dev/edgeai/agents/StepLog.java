package dev.edgeai.agents;

import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.results.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs model calls for a flow and records each as a {@link Step}, telling a listener as soon as a step ends. A
 * failed call is recorded (with its error) before the {@link StepFailedException} leaves, so a flow that stops
 * still shows which step failed and what came before.
 */
public final class StepLog {
    private final ChatBackend backend;
    private final Consumer<Step> listener;
    private final List<Step> steps = new ArrayList<>();

    public StepLog(ChatBackend backend, Consumer<Step> listener) {
        this.backend = backend;
        this.listener = listener == null ? s -> {} : listener;
    }

    /** One streamed request (so TTFT exists) as {@code role} with its system prompt; returns the answer text. */
    public ChatResult call(Role role, int round, String user, String note) {
        return callNoted(role, round, user, r -> note);
    }

    /** Like {@link #call(Role, int, String, String)} with a note made from the answer (e.g. the reviewer's verdict). */
    public ChatResult callNoted(Role role, int round, String user, Function<ChatResult, String> note) {
        ChatRequest req = ChatRequest.builder(role.model())
                .system(role.systemPrompt())
                .user(user)
                .maxTokens(role.maxTokens())
                .temperature(role.temperature())
                .build();
        try {
            ChatResult r = backend.chat(req);
            add(role.name(), round, Sample.of(role.name(), round, false, 1, user, r), note.apply(r));
            return r;
        } catch (ChatException e) {
            Step failed = add(
                    role.name(),
                    round,
                    Sample.failed(role.model(), role.name(), round, false, 1, user, e.getMessage()),
                    null);
            throw new StepFailedException(failed, e);
        }
    }

    private Step add(String role, int round, Sample sample, String note) {
        Step s = new Step(steps.size() + 1, role, round, sample, note);
        steps.add(s);
        listener.accept(s);
        return s;
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    /** A step's model call failed; the step (with its error) is already in the log. */
    public static final class StepFailedException extends RuntimeException {
        private final Step step;

        StepFailedException(Step step, ChatException cause) {
            super(
                    "step " + step.index() + " (" + step.role() + ", " + step.model() + ") failed: "
                            + cause.getMessage(),
                    cause);
            this.step = step;
        }

        public Step step() {
            return step;
        }
    }
}
