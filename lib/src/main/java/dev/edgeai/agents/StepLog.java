package dev.edgeai.agents;

import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.chat.StreamListener;
import dev.edgeai.results.Recorder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs the model calls of a flow and records each as a {@link Step}, telling a listener as soon as a step ends.
 * Every call made through {@link #recorder()} becomes a step (stage = the role's name); a failed call is recorded
 * (with its error) before the {@link StepFailedException} leaves, so a flow that stops still shows which step
 * failed and what came before.
 */
public final class StepLog {
    /** Recorder attribute: the step's note, a String or a {@code Function<ChatResult, String>} of the answer. */
    public static final String NOTE = "step.note";

    private final Recorder recorder;
    private final Consumer<Step> listener;
    private final List<Step> steps = new ArrayList<>();

    public StepLog(ChatBackend backend, Consumer<Step> listener) {
        this.listener = listener == null ? s -> {} : listener;
        this.recorder = new Recorder(backend).listen(new Recorder.Listener() {
            @Override
            public void onResponse(Recorder.Context c) {
                add(c, note(c));
            }

            @Override
            public void onError(Recorder.Context c) {
                add(c, null);
            }
        });
    }

    /** Calls through this recorder are steps of this log. */
    public Recorder recorder() {
        return recorder;
    }

    /** One streamed request (so TTFT exists) as {@code role} with its system prompt; returns the answer. */
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
                .seed(role.seed())
                .build();
        Recorder.Call call =
                Recorder.Call.of(role.name()).round(round).prompt(user).attribute(NOTE, note);
        try {
            return recorder.stream(call, req, StreamListener.NONE);
        } catch (ChatException e) {
            throw failure(e);
        }
    }

    /** The failure of the step just recorded, for a call made through {@link #recorder()} that threw. */
    public StepFailedException failure(ChatException cause) {
        return new StepFailedException(steps.getLast(), cause);
    }

    @SuppressWarnings("unchecked")
    private static String note(Recorder.Context c) {
        Object n = c.attributes().get(NOTE);
        if (n instanceof Function<?, ?> f) return ((Function<ChatResult, String>) f).apply(c.result());
        return n instanceof String s ? s : null;
    }

    private void add(Recorder.Context c, String note) {
        Step s = new Step(steps.size() + 1, c.call().stage(), c.call().round(), c.sample(), note);
        steps.add(s);
        listener.accept(s);
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
