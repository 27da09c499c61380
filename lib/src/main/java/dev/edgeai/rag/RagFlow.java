package dev.edgeai.rag;

import dev.edgeai.chat.ChatMessage;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.chat.StreamListener;
import dev.edgeai.results.Recorder;
import dev.edgeai.retrieval.ContextBuilder;
import dev.edgeai.retrieval.SearchResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Retrieval-augmented answering, one question at a time: retrieve → build the grounded prompt → stream the answer
 * → hand it to a larger model when the escalation check says so. Every model call goes through a {@link Recorder}
 * (the caller's), so it is measured and recorded like any other call of the kit.
 *
 * <pre>{@code
 * RagFlow flow = new RagFlow(new Recorder(backend), q -> retriever.search(q), RagFlow.Options.defaults())
 *         .escalateTo("gpt-oss-20b", (question, answer, found) -> rule.decide(...));
 * RagFlow.Answer a = flow.answer(RagFlow.Ask.of("What does TTFT measure?", "phi-4-mini"), events);
 * }</pre>
 */
public final class RagFlow {
    /** What to do when retrieval finds nothing relevant. */
    public enum NoContext {
        /** answer with {@link Options#refusal()}, no model call: the app's default ("I won't guess") */
        REFUSE,
        /** let the model answer on its own, with {@link Options#withoutContextPrompt()}; never escalated */
        WITHOUT_CONTEXT,
        /** ask the model with whatever was found (the context block then says nothing relevant was found) */
        ASK_ANYWAY
    }

    /** Decides whether an answer goes to the larger model: the reason, or null to keep it. */
    @FunctionalInterface
    public interface Escalation {
        String decide(String question, String answer, SearchResult found);
    }

    /**
     * How the flow builds its prompts and labels its calls.
     *
     * @param systemPrompt         the grounded system prompt
     * @param questionLabel        the user turn is "Context: ... {label}: {question}"
     * @param contextChars         retrieved passages are cut to this many characters (0: uncut)
     * @param stage                recorder stage of the answer ("rag"); "fallback" when answering without context
     * @param escalationStage      recorder stage of the larger model's answer
     */
    public record Options(
            String systemPrompt,
            String questionLabel,
            int contextChars,
            NoContext noContext,
            String refusal,
            String withoutContextPrompt,
            String stage,
            String escalationStage) {
        public Options {
            Objects.requireNonNull(systemPrompt, "systemPrompt");
            Objects.requireNonNull(noContext, "noContext");
            if (contextChars < 0) throw new IllegalArgumentException("contextChars must be >= 0");
        }

        /** The workshop's grounded prompt, "Question:", uncut passages; refuses without context. */
        public static Options defaults() {
            return new Options(
                    ContextBuilder.SYSTEM_PROMPT,
                    "Question",
                    0,
                    NoContext.REFUSE,
                    "I could not find anything about this in the documents, so I won't guess.",
                    "You are a helpful assistant. Answer briefly.",
                    "rag",
                    "escalated");
        }

        public Options withSystemPrompt(String p) {
            return new Options(
                    p, questionLabel, contextChars, noContext, refusal, withoutContextPrompt, stage, escalationStage);
        }

        public Options withQuestionLabel(String l) {
            return new Options(
                    systemPrompt, l, contextChars, noContext, refusal, withoutContextPrompt, stage, escalationStage);
        }

        public Options withContextChars(int n) {
            return new Options(
                    systemPrompt, questionLabel, n, noContext, refusal, withoutContextPrompt, stage, escalationStage);
        }

        public Options withNoContext(NoContext n, String refusalText) {
            return new Options(
                    systemPrompt,
                    questionLabel,
                    contextChars,
                    n,
                    refusalText,
                    withoutContextPrompt,
                    stage,
                    escalationStage);
        }

        public Options withStages(String answer, String escalation) {
            return new Options(
                    systemPrompt,
                    questionLabel,
                    contextChars,
                    noContext,
                    refusal,
                    withoutContextPrompt,
                    answer,
                    escalation);
        }
    }

    /**
     * One question.
     *
     * @param model       the model that answers first (as the backend names it)
     * @param found       what retrieval found, when the caller searched already; null: the flow searches
     * @param history     earlier turns, sent between the system prompt and the question
     * @param maxTokens   null: the backend's default (as are temperature and seed)
     * @param round       recorded in the samples
     * @param attributes  added to the first call's recorder context (e.g. a note for a step log)
     */
    public record Ask(
            String question,
            String model,
            SearchResult found,
            List<ChatMessage> history,
            Integer maxTokens,
            Double temperature,
            Long seed,
            int round,
            Map<String, Object> attributes) {
        public Ask {
            Objects.requireNonNull(question, "question");
            Objects.requireNonNull(model, "model");
            history = history == null ? List.of() : List.copyOf(history);
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        }

        public static Ask of(String question, String model) {
            return new Ask(question, model, null, List.of(), null, null, null, 1, Map.of());
        }

        public Ask found(SearchResult f) {
            return new Ask(question, model, f, history, maxTokens, temperature, seed, round, attributes);
        }

        public Ask history(List<ChatMessage> h) {
            return new Ask(question, model, found, h, maxTokens, temperature, seed, round, attributes);
        }

        public Ask generation(Integer max, Double temp, Long s) {
            return new Ask(question, model, found, history, max, temp, s, round, attributes);
        }

        public Ask round(int r) {
            return new Ask(question, model, found, history, maxTokens, temperature, seed, r, attributes);
        }

        public Ask attribute(String key, Object value) {
            Map<String, Object> a = new LinkedHashMap<>(attributes);
            a.put(key, value);
            return new Ask(question, model, found, history, maxTokens, temperature, seed, round, a);
        }
    }

    /** Streamed tokens and cancellation (as any {@link StreamListener}), plus the flow's own steps. */
    public interface Events extends StreamListener {
        Events NONE = new Events() {};

        /** Retrieval is done; nothing has been asked yet. */
        default void onRetrieval(SearchResult found) {}

        /** The first answer is handed to {@code model} for {@code reason}; its tokens follow. */
        default void onEscalation(String model, String reason) {}
    }

    /**
     * The outcome.
     *
     * @param text             the answer shown (the larger model's when escalated)
     * @param result           the final model call, or null when the flow refused without asking a model
     * @param withoutContext   nothing relevant was found and the model answered on its own
     * @param escalationReason why the answer went to the larger model, or null
     * @param calls            every model call, in order, as the recorder saw it
     */
    public record Answer(
            String text,
            ChatResult result,
            SearchResult found,
            boolean refused,
            boolean withoutContext,
            String escalationReason,
            String escalatedTo,
            List<Recorder.Context> calls) {
        public Answer {
            calls = List.copyOf(calls);
        }

        public boolean escalated() {
            return escalationReason != null;
        }
    }

    /** Attribute of the first call: retrieval time plus prompt building, in ms (0 for the escalation call). */
    public static final String PREP_MS = "prep_ms";

    private final Recorder recorder;
    private final Function<String, SearchResult> search;
    private final Options options;
    private final String escalationModel;
    private final Escalation escalation;

    /** @param search the retrieval step (e.g. {@code q -> retriever.search(q)}); may be null when every Ask carries what was found */
    public RagFlow(Recorder recorder, Function<String, SearchResult> search, Options options) {
        this(recorder, search, options, null, null);
    }

    private RagFlow(
            Recorder recorder,
            Function<String, SearchResult> search,
            Options options,
            String escalationModel,
            Escalation escalation) {
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.search = search;
        this.options = Objects.requireNonNull(options, "options");
        this.escalationModel = escalationModel;
        this.escalation = escalation;
    }

    /** This flow with RAG-with-LLM-escalation: when {@code check} gives a reason, {@code model} answers again. */
    public RagFlow escalateTo(String model, Escalation check) {
        return new RagFlow(recorder, search, options, model, check);
    }

    public Options options() {
        return options;
    }

    /**
     * Answers one question. A failed model call is recorded, then thrown (a {@link dev.edgeai.chat.ChatException}
     * for backend failures).
     */
    public Answer answer(Ask ask, Events events) {
        Events ev = events == null ? Events.NONE : events;
        SearchResult found = ask.found();
        if (found == null) {
            if (search == null) throw new IllegalStateException("no retrieval step: pass what was found in the Ask");
            found = search.apply(ask.question());
        }
        ev.onRetrieval(found);
        long t0 = System.nanoTime();
        boolean nothing = found.noRelevantContext();
        if (nothing && options.noContext() == NoContext.REFUSE) {
            return new Answer(options.refusal(), null, found, true, false, null, null, List.of());
        }
        boolean alone = nothing && options.noContext() == NoContext.WITHOUT_CONTEXT;
        ChatRequest.Builder req = ChatRequest.builder(ask.model())
                .maxTokens(ask.maxTokens())
                .temperature(ask.temperature())
                .seed(ask.seed());
        req.system(alone ? options.withoutContextPrompt() : options.systemPrompt());
        req.messages(ask.history());
        req.user(alone ? ask.question() : userMessage(ask.question(), found));
        // Input preparation: the search (whoever ran it) plus building the prompt.
        double prepMs = found.tookMs() + (System.nanoTime() - t0) / 1e6;

        // The samples' prompt is the user turn as sent (context included): what the model actually saw.
        Recorder.Call call = Recorder.Call.of(alone ? "fallback" : options.stage())
                .round(ask.round())
                .attribute(PREP_MS, prepMs);
        for (var a : ask.attributes().entrySet()) call = call.attribute(a.getKey(), a.getValue());
        List<Recorder.Context> calls = new ArrayList<>();
        Recorder.Context first = recorder.record(call, req.build(), ev);
        calls.add(first);
        if (!first.ok()) throw first.error();
        ChatResult r = first.result();
        String text = first.text();

        if (escalation == null || alone || ev.isCancelled()) {
            return new Answer(text, r, found, false, alone, null, null, calls);
        }
        String reason = escalation.decide(ask.question(), text, found);
        if (reason == null) return new Answer(text, r, found, false, false, null, null, calls);
        ev.onEscalation(escalationModel, reason);
        Recorder.Call again =
                Recorder.Call.of(options.escalationStage()).round(ask.round()).attribute(PREP_MS, 0.0);
        Recorder.Context second =
                recorder.record(again, req.model(escalationModel).build(), ev);
        calls.add(second);
        if (!second.ok()) throw second.error();
        return new Answer(second.text(), second.result(), found, false, false, reason, escalationModel, calls);
    }

    /** "Context:\n[1] …\n\n{label}: {question}", the user turn of a grounded prompt. */
    public String userMessage(String question, SearchResult found) {
        return "Context:\n" + ContextBuilder.context(found.hits(), options.contextChars()) + "\n\n"
                + options.questionLabel() + ": " + question;
    }
}
