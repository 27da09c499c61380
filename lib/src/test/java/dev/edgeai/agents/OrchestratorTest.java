package dev.edgeai.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.client.OpenAiClient;
import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunResult;
import dev.edgeai.retrieval.Retriever;
import dev.edgeai.testkit.Script;
import dev.edgeai.testkit.ScriptedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The orchestrated flow against a real HTTP server whose answers depend on the prompt (ScriptedServer replies). */
class OrchestratorTest {
    static final String SLM = "phi-4-mini";
    static final String LLM = "gpt-oss-20b";
    static final String TASK = "Explain TTFT to attendees.";

    @TempDir
    Path tmp;

    static ScriptedServer.Builder server() {
        return ScriptedServer.builder()
                .model(SLM, Script.builder().ttftMs(20).itlMs(1).build())
                .model(LLM, Script.builder().ttftMs(40).itlMs(2).build());
    }

    /** Replies for one full flow; the reviewer's answer to the first draft is given by the test. */
    static ScriptedServer.Builder flow(ScriptedServer.Builder b, String firstReview) {
        return b.reply("Reviewer feedback", "Draft two: TTFT is the time to the first token [1].")
                .reply("Draft two", "APPROVED")
                .reply("Review the draft", firstReview)
                .reply("Research notes", "Draft one: TTFT is fast.")
                .reply("Sub-question", "TTFT is measured from request sent to first token [1].")
                .reply("Task:", "1. What is TTFT?\n2. How is TTFT measured?\n3. Why does it matter?\n4. A fourth one");
    }

    static OpenAiClient client(ScriptedServer s) {
        return OpenAiClient.builder()
                .baseUrl(s.baseUrl())
                .backoffBase(Duration.ofMillis(5))
                .build();
    }

    @Test
    void aRejectedDraftIsRevisedOnceThenAcceptedAndEveryStepIsLogged() throws Exception {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(
                docs.resolve("latency.md"),
                "# Latency\n\nTime to first token (TTFT) is measured from the moment the "
                        + "request is sent until the first generated token arrives.\n");
        Files.writeString(
                docs.resolve("cooking.md"), "# Pasta\n\nBoil water, add salt, cook the pasta for nine minutes.\n");
        Retriever retriever = Retriever.open(docs, Retriever.Options.defaults().withoutCache());
        try (var server = flow(server(), "REVISE: cite the source of the definition")
                        .start();
                var client = client(server)) {
            List<Step> live = new ArrayList<>();
            var orch = new Orchestrator(
                    client, Team.of(SLM, LLM, 3, 128, 0.0), retriever, new Orchestrator.Options(3, 3, 2, 0));
            AgentRun run = orch.run(TASK, live::add);

            assertNull(run.error());
            assertTrue(run.accepted());
            assertEquals(2, run.rounds(), "one rejection, one revision");
            assertEquals(
                    List.of("What is TTFT?", "How is TTFT measured?", "Why does it matter?"),
                    run.subtasks(),
                    "capped at 3");
            assertEquals(
                    List.of(
                            "planner",
                            "researcher",
                            "researcher",
                            "researcher",
                            "writer",
                            "reviewer",
                            "writer",
                            "reviewer"),
                    run.steps().stream().map(Step::role).toList());
            assertEquals(run.steps(), live, "the listener saw every step as it ended");
            assertEquals(
                    List.of(LLM, SLM, SLM, SLM, SLM, LLM, SLM, LLM),
                    run.steps().stream().map(Step::model).toList());
            assertEquals(
                    List.of(LLM, SLM, SLM, SLM, SLM, LLM, SLM, LLM),
                    server.requests().stream()
                            .filter(r -> r.path().endsWith("/chat/completions"))
                            .map(r -> r.json().path("model").asText())
                            .toList(),
                    "each role ran on its own model");
            assertTrue(run.answer().startsWith("Draft two"), run.answer());
            for (Step s : run.steps()) {
                assertTrue(s.ok());
                assertTrue(s.ttftMs() >= (s.model().equals(LLM) ? 40 : 20), s + " TTFT includes the scripted delay");
                assertTrue(s.e2eMs() >= s.ttftMs());
                assertTrue(s.promptTokens() > 0 && s.completionTokens() > 0, s::toString);
            }
            // the researcher got retrieved passages, from the relevant file first
            String researchPrompt = run.steps().get(1).sample().prompt();
            assertTrue(researchPrompt.contains("[1] latency.md"), researchPrompt);
            assertTrue(
                    run.steps().get(1).note().startsWith("retrieval: "),
                    run.steps().get(1).note());
            // the writer's revision saw the reviewer's feedback and its previous draft
            String revision = run.steps().get(6).sample().prompt();
            assertTrue(
                    revision.contains("Reviewer feedback: cite the source of the definition")
                            && revision.contains("Draft one"),
                    revision);
            assertEquals("verdict: accepted", run.steps().get(7).note());
            assertTrue(run.steps().get(5).note().startsWith("verdict: revise"));
            // each role's system prompt was sent
            var first = server.requests().stream()
                    .filter(r -> r.path().endsWith("/chat/completions"))
                    .findFirst()
                    .orElseThrow()
                    .json();
            assertTrue(first.path("messages").get(0).path("content").asText().contains("planner"));

            String table = AgentReport.table(run.steps());
            System.out.print(table);
            assertTrue(table.contains("TOTAL") && table.contains("8 steps"), table);

            RunResult res = AgentReport.toResult("agents", run, client.info(), Map.of(), null);
            Path file = ResultsFile.write(tmp.resolve("agents.json"), res);
            RunResult back = ResultsFile.read(file);
            assertTrue(back.complete());
            assertEquals(8, back.samples().size());
            assertEquals(true, back.meta().options().get("accepted"));
            assertEquals(
                    AgentReport.steps(res).stream().map(Step::note).toList(),
                    AgentReport.steps(back).stream().map(Step::note).toList());
            assertEquals(
                    run.totals().completionTokens(),
                    AgentRun.Totals.of(AgentReport.steps(back)).completionTokens());
        }
    }

    @Test
    void theReviewLoopStopsAtMaxRoundsAndSaysTheAnswerWasNotAccepted() {
        // the reviewer never approves: "Draft two" answers REVISE too
        try (var server = server().reply("Review the draft", "REVISE: still wrong")
                        .reply("Research notes", "Draft: TTFT.")
                        .reply("Task:", "- What is TTFT?")
                        .start();
                var client = client(server)) {
            AgentRun run = new Orchestrator(
                            client, Team.of(SLM, LLM, 3, 64, 0.0), null, new Orchestrator.Options(3, 3, 2, 0))
                    .run(TASK, s -> {});
            assertNull(run.error());
            assertFalse(run.accepted());
            assertEquals(3, run.rounds());
            assertEquals(
                    3,
                    run.steps().stream().filter(s -> s.role().equals("writer")).count());
            assertEquals(
                    3,
                    run.steps().stream()
                            .filter(s -> s.role().equals("reviewer"))
                            .count());
            assertEquals(
                    List.of(1, 2, 3),
                    run.steps().stream()
                            .filter(s -> s.role().equals("reviewer"))
                            .map(Step::round)
                            .toList());
            assertEquals("Draft: TTFT.", run.answer());
            assertEquals("no retriever", run.steps().get(1).note());
        }
    }

    @Test
    void aPlannerWithoutAListMeansTheTaskIsResearchedAsAWhole() {
        try (var server = server().reply("Review the draft", "LGTM").start();
                var client = client(server)) {
            AgentRun run = new Orchestrator(
                            client, Team.of(SLM, LLM, 3, 64, 0.0), null, Orchestrator.Options.defaults())
                    .run(TASK, s -> {});
            assertEquals(List.of(TASK), run.subtasks());
            assertTrue(run.accepted());
            assertEquals(4, run.steps().size());
        }
    }

    @Test
    void aFailingStepStopsTheFlowAndIsReportedWithTheStepsBeforeIt() {
        String writer = "writer-model";
        try (var server = flow(server(), "APPROVED")
                        .model(
                                writer,
                                Script.builder()
                                        .fault(Script.Fault.ERROR_EVENT, 0)
                                        .build())
                        .start();
                var client = client(server)) {
            Team team = Team.of(SLM, LLM, 3, 64, 0.0);
            team = new Team(team.planner(), team.researcher(), team.writer().withModel(writer), team.reviewer());
            AgentRun run = new Orchestrator(client, team, null, Orchestrator.Options.defaults()).run(TASK, s -> {});
            assertNotNull(run.error(), "the failure is reported");
            assertTrue(
                    run.error().contains("writer") && run.error().contains("scripted generation failure"), run.error());
            Step last = run.steps().get(run.steps().size() - 1);
            assertEquals("writer", last.role());
            assertFalse(last.ok());
            assertTrue(run.steps().subList(0, run.steps().size() - 1).stream().allMatch(Step::ok));
            assertFalse(run.accepted());
            RunResult res = AgentReport.toResult("agents", run, client.info(), Map.of(), null);
            assertFalse(res.complete());
            assertEquals(run.error(), res.note());
            assertTrue(AgentReport.table(run.steps()).contains("FAILED"));
        }
    }

    @Test
    void anUnknownModelFailsBeforeAnyStep() {
        try (var server = server().start();
                var client = client(server)) {
            var orch = new Orchestrator(
                    client, Team.of("no-such-model", LLM, 3, 64, 0.0), null, Orchestrator.Options.defaults());
            var e = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.edgeai.chat.ChatException.class, () -> orch.run(TASK, s -> {}));
            assertTrue(e.getMessage().contains("no-such-model"), e.getMessage());
            assertEquals(
                    0,
                    server.requests().stream()
                            .filter(r -> r.path().endsWith("/chat/completions"))
                            .count());
        }
    }

    @Test
    void verdictsAndPlansAreReadFromFreeText() {
        assertTrue(Verdict.parse("APPROVED").accepted());
        assertTrue(Verdict.parse("**Approved** — good work").accepted());
        assertFalse(Verdict.parse("Not approved: missing numbers").accepted());
        assertFalse(Verdict.parse("REVISE: add numbers").accepted());
        assertEquals("add numbers", Verdict.parse("REVISE: add numbers").feedback());
        assertFalse(Verdict.parse("hmm random text").accepted(), "unreadable verdicts send the draft back");
        assertFalse(Verdict.parse("").accepted());
        assertEquals(List.of("a", "b"), Orchestrator.parsePlan("Here:\n1. a\n2) b\n", 5));
        assertEquals(List.of("a"), Orchestrator.parsePlan("- a\n* a\n", 5), "duplicates dropped");
        assertEquals(List.of("x"), Orchestrator.parsePlan("1. **x**\n2. y", 1));
        assertEquals(List.of(), Orchestrator.parsePlan("no list here", 3));
    }
}
