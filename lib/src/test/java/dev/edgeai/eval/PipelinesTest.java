package dev.edgeai.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.client.OpenAiClient;
import dev.edgeai.retrieval.Retriever;
import dev.edgeai.testkit.Script;
import dev.edgeai.testkit.ScriptedServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipelines end to end over HTTP against the scripted server, whose replies depend on the question. */
class PipelinesTest {
    static final Path DOCS = Path.of(System.getProperty("basedir", "."))
            .toAbsolutePath()
            .resolve("../data/docs")
            .normalize();
    static final QaItem PORT = ScoringTest.PORT;
    static final QaItem BM25 = ScoringTest.BM25;
    static ScriptedServer server;
    static OpenAiClient client;
    static ModelCaller caller;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        server = ScriptedServer.builder()
                .model(
                        "slm",
                        Script.builder()
                                .ttftMs(15)
                                .itlMs(2)
                                .reply("Draft answer", "should never be asked to refine")
                                .reply("(Paris)", "Paris is the capital of France.")
                                .reply("port", "11434")
                                .reply("BM25", "I don't know.")
                                .build())
                .model(
                        "llm",
                        Script.builder()
                                .ttftMs(40)
                                .itlMs(3)
                                .reply("port", "Ollama listens on port 11434.")
                                .reply("k1 and b", "k1 = 1.2 and b = 0.75.")
                                .build())
                .model(
                        "judge",
                        Script.builder()
                                .tokens("{\"coherence\": 4, \"factuality\": 2, \"brevity\": 5}")
                                .build())
                .start();
        client = OpenAiClient.of(server.baseUrl());
        caller = new ModelCaller(client, 64, 0, 42, ServingProcess.forUrl(server.baseUrl()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Pipeline.Question q(QaItem item) {
        return new Pipeline.Question(item, null);
    }

    @Test
    void hybridKeepsAGoodDraftAndRefinesARefusal() {
        var hybrid = new Pipeline.Hybrid("slm", "llm", EscalationRule.defaults(), false);
        Answer kept = hybrid.answer(q(PORT), caller, null);
        assertEquals("11434", kept.text());
        assertFalse(kept.escalated());
        assertNull(kept.escalationReason());
        assertEquals(1, kept.stages().size());
        assertEquals("draft", kept.stages().get(0).name());

        Answer refined = hybrid.answer(q(BM25), caller, null);
        assertTrue(refined.escalated());
        assertEquals("refusal", refined.escalationReason());
        assertEquals("k1 = 1.2 and b = 0.75.", refined.text());
        Stage draft = refined.stages().get(0), refine = refined.stages().get(1);
        assertEquals(List.of("slm", "llm"), List.of(draft.model(), refine.model()));
        // the blended numbers are the sums of the stages
        assertEquals(draft.totalMs() + refine.totalMs(), refined.e2eMs(), 1e-9);
        assertEquals(draft.totalMs() + refine.prepMs() + refine.sendMs() + refine.ttftMs(), refined.ttftMs(), 1e-9);
        assertEquals(draft.promptTokens() + refine.promptTokens(), refined.promptTokens());
        assertEquals(3 + 7, refined.completionTokens(), "\"I don't know.\" is 3 chunks, the refined answer 7");
        assertTrue(draft.ttftMs() >= 15 && refine.ttftMs() >= 40, "scripted delays show in the stages");
        assertTrue(refined.ttftMs() >= 15 + 40, "the user waits for the draft, then the refinement's first token");
        // the refine request carried the question and the draft
        String refineBody = server.requests()
                .get(server.requestCount() - 1)
                .json()
                .path("messages")
                .get(1)
                .path("content")
                .asText();
        assertTrue(refineBody.contains(BM25.question()) && refineBody.contains("I don't know."), refineBody);
    }

    @Test
    void flaggedTopicsAndLengthEscalate() {
        var topics = new Pipeline.Hybrid("slm", "llm", EscalationRule.defaults().withTopics(List.of("PORT")), false);
        Answer a = topics.answer(q(PORT), caller, null);
        assertTrue(a.escalated());
        assertEquals("flagged topic 'port'", a.escalationReason());
        assertEquals("Ollama listens on port 11434.", a.text());

        var tooShort = new EscalationRule(false, 6, 0, List.of(), Double.NaN, Double.NaN);
        assertEquals("shorter than 6 characters", tooShort.decide("q", "11434", Double.NaN, Double.NaN));
        var tooLong = new EscalationRule(false, 0, 3, List.of(), Double.NaN, Double.NaN);
        assertEquals("longer than 3 words", tooLong.decide("q", "one two three four", Double.NaN, Double.NaN));
        assertNull(tooLong.decide("q", "one two three", Double.NaN, Double.NaN));
        var judged = EscalationRule.defaults().withJudge(3);
        assertEquals("judge factuality 2 < 3", judged.decide("q", "fine answer", Double.NaN, 2));
        assertNull(judged.decide("q", "fine answer", Double.NaN, Double.NaN), "unscored never escalates by itself");
    }

    @Test
    void aLowJudgeGradeEscalatesAndTheJudgeCallIsAStage() {
        var hybrid = new Pipeline.Hybrid("slm", "llm", EscalationRule.defaults().withJudge(3), false);
        Answer a = hybrid.answer(q(PORT), caller, new Judge(caller, "judge", null));
        assertTrue(a.escalated());
        assertEquals("judge factuality 2 < 3", a.escalationReason());
        assertEquals(
                List.of("draft", "judge", "refine"),
                a.stages().stream().map(Stage::name).toList());
        assertEquals(
                a.stages().stream().mapToDouble(Stage::totalMs).sum(),
                a.e2eMs(),
                1e-9,
                "the judge's time is part of the pipeline's");
    }

    @Test
    void ragEscalationHandsPoorlyGroundedAnswersToTheLargeModel() throws Exception {
        Retriever retriever = Retriever.open(DOCS, Retriever.Options.defaults().withCacheDir(tmp.resolve("index")));
        var rag = new Pipeline.RagEscalation("slm", "llm", EscalationRule.defaults());

        // SLM answers "11434" from context: one sentence, supported → kept
        var port = new Pipeline.Question(PORT, retriever.search(PORT.question()));
        assertFalse(port.retrieval().hits().isEmpty());
        Answer kept = rag.answer(port, caller, null);
        assertFalse(kept.escalated(), () -> "grounding " + Scoring.grounding(kept.text(), port.chunkTexts()));
        assertTrue(kept.stages().get(0).prepMs() >= port.retrievalMs(), "input prep includes retrieval");
        String sent = server.requests()
                .get(server.requestCount() - 1)
                .json()
                .path("messages")
                .get(1)
                .path("content")
                .asText();
        assertTrue(sent.startsWith("Context:\n[1]") && sent.contains("11434"), "the SLM got the retrieved context");

        // an answer the context does not support → grounding 0 → the LLM answers the same grounded prompt
        QaItem paris =
                new QaItem("x", "fact", "On which port does Ollama listen? (Paris)", "11434", List.of("11434"), null);
        var pq = new Pipeline.Question(paris, retriever.search(paris.question()));
        Answer escalated = rag.answer(pq, caller, null);
        assertTrue(escalated.escalated());
        assertEquals("grounding 0.00 < 0.50", escalated.escalationReason());
        assertEquals("fallback", escalated.stages().get(1).name());
        assertEquals("Ollama listens on port 11434.", escalated.text());
        assertEquals(
                escalated.stages().get(0).promptTokens(),
                escalated.stages().get(1).promptTokens(),
                "same prompt to both");
    }
}
