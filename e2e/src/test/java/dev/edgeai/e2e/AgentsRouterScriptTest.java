package dev.edgeai.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunResult;
import dev.edgeai.testkit.Script;
import dev.edgeai.testkit.ScriptedServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/agents.java and scripts/router.java through ./jbang against a scripted server with prompt-dependent replies. */
class AgentsRouterScriptTest {
    static final String SLM = "Phi-4-mini-instruct-generic-cpu:4";
    static final String LLM = "gpt-oss-20b-generic-cpu:1";
    static final String BROKEN = "qwen2.5-7b-broken";
    static ScriptedServer server;

    @TempDir
    Path out;

    @BeforeAll
    static void start() {
        server = ScriptedServer.builder()
                .model(SLM, Script.builder().ttftMs(30).itlMs(2).build())
                .model(LLM, Script.builder().ttftMs(80).itlMs(4).build())
                .model(
                        BROKEN,
                        Script.builder().fault(Script.Fault.ERROR_EVENT, 1).build())
                .reply(
                        "Reviewer feedback",
                        "Revised: TTFT is measured to the first token [1]; int4 speeds up decoding [2].")
                .reply("Revised:", "APPROVED")
                .reply("Review the draft", "REVISE: give the int4 effect")
                .reply("Research notes", "TTFT is measured to the first token [1].")
                .reply("Sub-question", "TTFT runs from request to first token [1].")
                .reply("Task:", "1. How is TTFT measured?\n2. What does int4 quantization change?")
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void agentsRunsTheDefaultTaskPrintsTheStepLogAndWritesResults() throws Exception {
        var r = ScriptRunner.jbang(
                Map.of("SLM_ALIAS", "phi-4-mini", "LLM_ALIAS", "gpt-oss-20b"),
                "scripts/agents.java",
                "--endpoint",
                server.baseUrl(),
                "--out",
                out.toString(),
                "--rounds",
                "3");
        assertEquals(0, r.exitCode(), r::toString);
        for (String s : List.of(
                "planner",
                "researcher",
                "writer",
                "reviewer",
                "TOTAL",
                "verdict: revise (give the int4 effect)",
                "verdict: accepted",
                "retrieval: ",
                "accepted by the reviewer after 2 draft(s)",
                "Revised: TTFT")) {
            assertTrue(r.stdout().contains(s), () -> "missing " + s + "\n" + r);
        }
        assertFalse(r.stderr().contains("Exception"), r::toString);
        List<Path> files = ScriptRunner.jsonFiles(out);
        assertEquals(1, files.size(), r::toString);
        RunResult res = ResultsFile.read(files.get(0));
        assertEquals("agents", res.meta().tool());
        assertTrue(res.complete());
        assertEquals(
                List.of("planner", "researcher", "researcher", "writer", "reviewer", "writer", "reviewer"),
                res.samples().stream().map(s -> s.group()).toList());
        assertEquals(
                List.of(LLM, SLM, SLM, SLM, LLM, SLM, LLM),
                res.samples().stream().map(s -> s.model()).toList());
        res.samples()
                .forEach(s -> assertTrue(
                        s.ttftMs() >= (s.model().equals(LLM) ? 80 : 30) && s.completionTokens() > 0, s::toString));
        assertEquals(true, res.meta().options().get("accepted"));
    }

    @Test
    void agentsReportsAFailingStepAndExitsNonZero() throws Exception {
        var r = ScriptRunner.jbang(
                Map.of(),
                "scripts/agents.java",
                "Explain TTFT",
                "--endpoint",
                server.baseUrl(),
                "--slm",
                BROKEN,
                "--llm",
                "gpt-oss-20b",
                "--out",
                out.toString());
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("FAILED"), r::toString);
        assertTrue(r.stderr().contains("error: step 2 (researcher, " + BROKEN + ") failed"), r::toString);
        RunResult res = ResultsFile.read(ScriptRunner.jsonFiles(out).get(0));
        assertFalse(res.complete(), "a broken flow is saved, marked incomplete");
    }

    @Test
    void agentsRunInProcessOnTheEmbeddedEngine() throws Exception {
        // Random-weight fixtures: gibberish plans and verdicts, so the task is researched whole and never approved.
        var r = ScriptRunner.jbang(
                Map.of(),
                "scripts/agents.java",
                "--model-slm",
                ScriptRunner.fixture("tiny-graph-capture-gqa").toString(),
                "--model-llm",
                ScriptRunner.fixture("tiny-random-LlamaForCausalLM-fp16").toString(),
                "--rounds",
                "1",
                "--max-tokens",
                "8",
                "--out",
                out.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("NOT accepted: the round limit of 1 was reached"), r::toString);
        RunResult res = ResultsFile.read(ScriptRunner.jsonFiles(out).get(0));
        assertEquals("embedded", res.meta().backend().kind());
        assertEquals(
                List.of(
                        "tiny-random-LlamaForCausalLM-fp16",
                        "tiny-graph-capture-gqa",
                        "tiny-graph-capture-gqa",
                        "tiny-random-LlamaForCausalLM-fp16"),
                res.samples().stream().map(s -> s.model()).toList());
        res.samples()
                .forEach(s -> assertTrue(
                        s.ok() && s.completionTokens() > 0 && s.completionTokens() <= 8 && s.ttftMs() > 0,
                        s::toString));
    }

    @Test
    void routerExplainsOnePromptAndAnswersWithTheChosenModel() throws Exception {
        var r = ScriptRunner.jbang(
                Map.of(),
                "scripts/router.java",
                "--endpoint",
                server.baseUrl(),
                "--slm",
                "phi-4-mini",
                "--llm",
                "gpt-oss-20b",
                "Write a SQL query that counts users per country");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("intent code (rule): rule 'code keyword' matched \"SQL\""), r::toString);
        assertTrue(
                r.stdout().contains("→ gpt-oss-20b [llm]") && r.stdout().contains("answer from " + LLM), r::toString);
    }

    @Test
    void routerRoutesTheLabelledSetAndComparesWithAlwaysSmallAndAlwaysLarge() throws Exception {
        var r = ScriptRunner.jbang(
                Map.of("SLM_ALIAS", "phi-4-mini", "LLM_ALIAS", "gpt-oss-20b", "ROUTER_LIMIT", "10"),
                "scripts/router.java",
                "--endpoint",
                server.baseUrl(),
                "--out",
                out.toString(),
                "--max-tokens",
                "16");
        assertEquals(0, r.exitCode(), r::toString);
        System.out.println(r.stdout()
                .lines()
                .filter(l -> l.startsWith("accuracy") || l.startsWith("routed") || l.startsWith("always"))
                .reduce("", (a, b) -> a + b + "\n"));
        for (String s : List.of(
                "accuracy rules only",
                "accuracy similarity only",
                "accuracy rules then similarity",
                "always " + SLM,
                "always " + LLM,
                "routed (true labels)",
                "routed vs always " + LLM)) {
            assertTrue(r.stdout().contains(s), () -> "missing " + s + "\n" + r);
        }
        RunResult res = ResultsFile.read(ScriptRunner.jsonFiles(out).get(0));
        assertEquals("router", res.meta().tool());
        var costs = dev.edgeai.router.RouterEval.compare(res);
        var routed = costs.stream()
                .filter(c -> c.strategy().equals("routed"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                10,
                routed.perModel().values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(0, routed.failed(), "every routed prompt has its answer in the file");
        assertTrue(routed.costUsd() > 0 && routed.e2eMsTotal() > 0, routed::toString);
        assertEquals(20, res.samples().size(), "10 prompts on both models");
        assertEquals(
                List.of(LLM, SLM).stream().sorted().toList(),
                res.meta().models().stream().sorted().toList());
    }

    @Test
    void routerWithoutRunningNeedsNoServerAndBadInputIsOneLine() throws Exception {
        var r = ScriptRunner.jbang(Map.of(), "scripts/router.java", "--no-run");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("accuracy rules then similarity"), r::toString);
        var bad = ScriptRunner.jbang(Map.of(), "scripts/router.java", "--no-run", "--llm", "llama-9000");
        assertEquals(1, bad.exitCode(), bad::toString);
        assertTrue(bad.stderr().contains("error: model 'llama-9000' is not in the catalog"), bad::toString);
    }
}
