package dev.edgeai.eval;

import dev.edgeai.chat.ChatMessage;
import dev.edgeai.rag.RagFlow;
import dev.edgeai.retrieval.ContextBuilder;
import dev.edgeai.retrieval.Hit;
import dev.edgeai.retrieval.SearchResult;
import java.util.ArrayList;
import java.util.List;

/**
 * A way of answering a question: one model alone, or a small and a large model combined. Each call is timed as a
 * {@link Stage}; the pipeline's latency and tokens are the sum of its stages.
 */
public sealed interface Pipeline {
    String PLAIN_SYSTEM =
            "Answer the question briefly and factually. If you do not know the answer, say \"I don't know\".";

    String REFINE_SYSTEM = """
            You improve a draft answer written by a smaller model. Check it against the question (and the context, when
            given), correct anything wrong or missing, remove padding, and reply with the final answer only. If the
            context is given and does not contain the answer, reply exactly: "I don't know based on the provided documents." """;

    /** The label in tables and results ("model" rows use the model id). */
    String name();

    /** "model" or "pipeline". */
    String kind();

    Answer answer(Question q, ModelCaller caller, Judge judge);

    /** A question and, when retrieval ran, what it found. */
    record Question(QaItem item, SearchResult retrieval) {
        public List<String> chunkTexts() {
            return retrieval == null
                    ? List.of()
                    : retrieval.hits().stream()
                            .map(Hit::chunk)
                            .map(c -> c.text())
                            .toList();
        }

        public double retrievalMs() {
            return retrieval == null ? 0 : retrieval.tookMs();
        }
    }

    /** One model answers alone, with or without the retrieved context. */
    record Single(String model, boolean rag) implements Pipeline {
        public String name() {
            return model;
        }

        public String kind() {
            return "model";
        }

        public Answer answer(Question q, ModelCaller caller, Judge judge) {
            long t0 = System.nanoTime();
            List<ChatMessage> m = messages(q, rag);
            ModelCaller.Call c = caller.call("answer", model, m, prepMs(t0, q, rag));
            return new Answer(c.text(), List.of(c.stage()), false, null);
        }
    }

    /**
     * Hybrid draft → refine: the small model drafts; the rule decides whether the large model refines the draft
     * (the refined answer is shown) or the draft stands.
     */
    record Hybrid(String slm, String llm, EscalationRule rule, boolean rag) implements Pipeline {
        public String name() {
            return "hybrid";
        }

        public String kind() {
            return "pipeline";
        }

        public Answer answer(Question q, ModelCaller caller, Judge judge) {
            long t0 = System.nanoTime();
            ModelCaller.Call draft = caller.call("draft", slm, messages(q, rag), prepMs(t0, q, rag));
            List<Stage> stages = new ArrayList<>(List.of(draft.stage()));
            String reason = decide(rule, q, draft.text(), rag, judge, stages);
            if (reason == null) return new Answer(draft.text(), stages, false, null);
            long t1 = System.nanoTime();
            String user = (rag ? "Context:\n" + ContextBuilder.context(q.retrieval()) + "\n\n" : "")
                    + "Question: " + q.item().question()
                    + "\n\nDraft answer from a smaller model (it may be wrong, incomplete or a refusal):\n\"\"\"\n"
                    + draft.text().strip() + "\n\"\"\"\n\nWrite the final answer.";
            List<ChatMessage> m = List.of(ChatMessage.system(REFINE_SYSTEM), ChatMessage.user(user));
            ModelCaller.Call refine = caller.call("refine", llm, m, (System.nanoTime() - t1) / 1e6);
            stages.add(refine.stage());
            return new Answer(refine.text(), stages, true, reason);
        }
    }

    /**
     * RAG with LLM escalation: the small model answers from the retrieved context; when it refuses, is too short or
     * is poorly grounded in that context, the large model answers the same grounded prompt instead.
     */
    record RagEscalation(String slm, String llm, EscalationRule rule) implements Pipeline {
        public String name() {
            return "rag-escalation";
        }

        public String kind() {
            return "pipeline";
        }

        public Answer answer(Question q, ModelCaller caller, Judge judge) {
            if (q.retrieval() == null) throw new IllegalStateException("rag-escalation needs retrieval (--rag)");
            List<Stage> judged = new ArrayList<>();
            RagFlow flow = new RagFlow(caller.recorder(), null, FLOW)
                    .escalateTo(llm, (question, text, found) -> decide(rule, q, text, true, judge, judged));
            RagFlow.Answer a = flow.answer(
                    RagFlow.Ask.of(q.item().question(), slm)
                            .found(q.retrieval())
                            .generation(caller.maxTokens(), caller.temperature(), caller.seed()),
                    RagFlow.Events.NONE);
            // The first answer, the judge's calls when the rule asked for a verdict, then the larger model's answer.
            List<Stage> stages = new ArrayList<>(List.of(caller.stage(a.calls().getFirst())));
            stages.addAll(judged);
            if (a.escalated()) stages.add(caller.stage(a.calls().getLast()));
            return new Answer(a.text(), stages, a.escalated(), a.escalationReason());
        }

        /** The grounded prompt of every --rag system; a question without relevant context is still asked. */
        static final RagFlow.Options FLOW = RagFlow.Options.defaults()
                .withNoContext(RagFlow.NoContext.ASK_ANYWAY, null)
                .withStages("answer", "fallback");
    }

    /** The prompt: the workshop's grounded RAG prompt with context, or a plain brief-answer prompt. */
    static List<ChatMessage> messages(Question q, boolean rag) {
        if (rag) {
            if (q.retrieval() == null) throw new IllegalStateException("--rag needs retrieval");
            return List.of(
                    ChatMessage.system(ContextBuilder.SYSTEM_PROMPT),
                    ChatMessage.user(ContextBuilder.userMessage(q.item().question(), q.retrieval())));
        }
        return List.of(
                ChatMessage.system(PLAIN_SYSTEM), ChatMessage.user(q.item().question()));
    }

    /** Prompt building since t0, plus the retrieval time when the context is used. */
    private static double prepMs(long t0, Question q, boolean rag) {
        return (System.nanoTime() - t0) / 1e6 + (rag ? q.retrievalMs() : 0);
    }

    /** Applies the rule; a judge verdict is asked for (and its calls added to the stages) only when the rule needs one. */
    private static String decide(
            EscalationRule rule, Question q, String answer, boolean rag, Judge judge, List<Stage> stages) {
        double grounding = rag ? Scoring.grounding(answer, q.chunkTexts()) : Double.NaN;
        double judgeScore = Double.NaN;
        if (rule.needsJudge() && judge != null) {
            Judge.Verdict v = judge.judge(q.item(), answer);
            stages.addAll(v.stages());
            if (v.scored()) judgeScore = v.rubric().factuality();
        }
        return rule.decide(q.item().question(), answer, grounding, judgeScore);
    }
}
