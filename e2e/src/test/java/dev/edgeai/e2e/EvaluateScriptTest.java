package dev.edgeai.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunResult;
import dev.edgeai.results.Sample;
import dev.edgeai.results.SystemReport;
import dev.edgeai.testkit.Script;
import dev.edgeai.testkit.ScriptedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/evaluate.java through ./jbang against a scripted server whose answers depend on the question. */
class EvaluateScriptTest {
    static final String SLM = "Phi-4-mini-instruct-generic-cpu:4";
    static final String LLM = "gpt-oss-20b-generic-cpu:1";
    static final String QA = """
            {"id":"port","kind":"number","question":"On which port does Ollama listen by default?","reference":"11434","keywords":["11434"],"source":"foundry-local-and-ollama.md"}
            {"id":"bm25","kind":"number","question":"What are the usual BM25 parameter values for k1 and b?","reference":"k1 = 1.2 and b = 0.75.","keywords":["1.2","0.75"],"source":"rag.md"}
            {"id":"trap","kind":"trap","question":"How much does one hour of an NVIDIA H100 GPU cost in the cloud?","reference":"I don't know based on the provided documents.","keywords":[]}
            """;
    static ScriptedServer server;

    @TempDir
    Path out;

    @BeforeAll
    static void start() {
        server = ScriptedServer.builder()
                .model(
                        SLM,
                        Script.builder()
                                .ttftMs(20)
                                .itlMs(1)
                                .reply("Ollama listen", "11434")
                                .reply("k1 and b", "I don't know.")
                                .reply("H100", "I don't know based on the provided documents.")
                                .build())
                .model(
                        LLM,
                        Script.builder()
                                .ttftMs(50)
                                .itlMs(2)
                                .reply("Ollama listen", "Ollama listens on port 11434.")
                                .reply("k1 and b", "k1 = 1.2 and b = 0.75.")
                                .reply("H100", "About 2 dollars per hour.")
                                .build())
                .model(
                        "judge-model",
                        Script.builder()
                                .tokens("{\"coherence\": 4, \"factuality\": 3, \"brevity\": 5}")
                                .build())
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    ScriptRunner.Result evaluate(Map<String, String> env, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("scripts/evaluate.java", "--out", out.toString()));
        args.addAll(List.of(extra));
        return ScriptRunner.jbang(env, args.toArray(String[]::new));
    }

    static SystemReport report(RunResult r, String system) {
        return r.reports().stream()
                .filter(x -> x.system().equals(system))
                .findFirst()
                .orElseThrow();
    }

    static List<Double> scores(RunResult r, String system) {
        return r.samples().stream()
                .filter(s -> !s.warmup() && s.model().equals(system))
                .map(s -> s.scores().get("score"))
                .toList();
    }

    @Test
    void scoresMatchHandComputedValuesAndTheJudgeIsCached() throws Exception {
        Path qa = Files.writeString(out.resolve("qa.jsonl"), QA);
        Path cache = out.resolve("judge-cache");
        var r = evaluate(
                Map.of(),
                "--endpoint",
                server.baseUrl(),
                "--slm",
                "phi-4-mini",
                "--llm",
                "gpt-oss-20b",
                "--qa",
                qa.toString(),
                "--judge",
                "judge-model",
                "--judge-cache",
                cache.toString());
        assertEquals(0, r.exitCode(), r::toString);
        for (String s : List.of(
                SLM,
                LLM,
                "hybrid",
                "Cost of this run",
                "cloud USD, same tokens",
                "\ngpt-4o-mini ",
                "ESTIMATE",
                "Which model for which job",
                "judge coh/fact/brev")) {
            assertTrue(r.stdout().contains(s), () -> "missing " + s + "\n" + r);
        }
        // 9 answers, but the hybrid's three equal answers already judged (its kept draft is the SLM's, its refinements
        // the LLM's): the same judge prompt is one cached call
        assertTrue(r.stderr().contains("judge: 6 calls, 3 cached"), r::toString);
        // the pivoted cost table fits a 120-column terminal
        String costs = r.stdout()
                .substring(r.stdout().indexOf("Cost of this run"), r.stdout().indexOf("Which model"));
        assertTrue(costs.lines().allMatch(l -> l.length() <= 120), costs);
        assertFalse(r.stderr().contains("Exception"), r::toString);

        List<Path> files = ScriptRunner.jsonFiles(out);
        assertEquals(1, files.size(), r::toString);
        assertTrue(
                Files.exists(Path.of(files.get(0).toString().replace(".json", ".html"))),
                "HTML report beside the JSON");
        RunResult res = ResultsFile.read(files.get(0));
        assertEquals("evaluate", res.meta().tool());
        assertEquals(List.of(SLM, LLM), res.meta().models());
        // hand-computed: SLM 11434 ✓, refuses BM25 ✗, refuses the trap ✓; LLM ✓ ✓ answers the trap ✗;
        // hybrid keeps 11434 ✓, the LLM refines both refusals: BM25 ✓, trap ✗
        assertEquals(List.of(1.0, 0.0, 1.0), scores(res, SLM));
        assertEquals(List.of(1.0, 1.0, 0.0), scores(res, LLM));
        assertEquals(List.of(1.0, 1.0, 0.0), scores(res, "hybrid"));
        assertEquals(2 / 3.0, report(res, SLM).value("score"), 1e-9);
        assertEquals(2 / 3.0, report(res, "hybrid").value("escalated_share"), 1e-9);
        assertEquals(1.0, report(res, SLM).value("brevity"), 1e-9);
        assertEquals(3.0, report(res, "hybrid").value("judge_factuality"), 1e-9);
        // "k1 = 1.2 and b = 0.75." is 7 chunks, "About 2 dollars per hour." 5: the hybrid adds them to the SLM's tokens
        assertEquals(
                report(res, SLM).value("completion_tokens_total") + 12,
                report(res, "hybrid").value("completion_tokens_total"),
                1e-9);
        for (Sample s : res.samples()) {
            if (s.warmup()) continue;
            assertTrue(s.ttftMs() >= (s.model().equals(LLM) ? 50 : 20), s::toString);
        }
        // the server is this test's JVM, found by its port: RSS is a real reading
        assertTrue(report(res, SLM).value("rss_mb") > 10, () -> report(res, SLM).toString());

        var again = evaluate(
                Map.of(),
                "--endpoint",
                server.baseUrl(),
                "--slm",
                "phi-4-mini",
                "--llm",
                "gpt-oss-20b",
                "--qa",
                qa.toString(),
                "--judge",
                "judge-model",
                "--judge-cache",
                cache.toString());
        assertEquals(0, again.exitCode(), again::toString);
        assertTrue(again.stderr().contains("judge: 0 calls, 9 cached"), again::toString);
    }

    @Test
    void withNoOptionsItEvaluatesBothModelsAndTheHybridOnTheDefaultSet() throws Exception {
        long qaLines = Files.readAllLines(ScriptRunner.ROOT.resolve("data/qa/workshop.jsonl")).stream()
                .filter(l -> !l.isBlank())
                .count();
        var r = ScriptRunner.jbang(
                Map.of(
                        "OPENAI_BASE_URL",
                        server.baseUrl(),
                        "SLM_ALIAS",
                        "phi-4-mini",
                        "LLM_ALIAS",
                        "gpt-oss-20b",
                        "RESULTS_DIR",
                        out.toString()),
                "scripts/evaluate.java");
        assertEquals(0, r.exitCode(), r::toString);
        RunResult res = ResultsFile.read(ScriptRunner.jsonFiles(out).get(0));
        assertEquals(
                List.of(SLM, LLM, "hybrid"),
                res.reports().stream().map(SystemReport::system).toList());
        assertEquals(2 + 3 * qaLines, res.samples().size());
        assertEquals(0.0, res.meta().options().get("temperature"));
        assertEquals(42, res.meta().options().get("seed"));
        // the hybrid escalates exactly the SLM's refusals (its scripted "I don't know" replies); nothing else fires
        long refusals = res.samples().stream()
                .filter(s -> !s.warmup() && s.model().equals(SLM) && s.scores().get("refusal") == 1.0)
                .count();
        assertEquals(refusals / (double) qaLines, report(res, "hybrid").value("escalated_share"), 1e-9);
        assertTrue(refusals >= 2, "the BM25 and H100 questions are in the default set");
    }

    @Test
    void ragGroundsEverySystemAndAddsTheEscalationPipeline() throws Exception {
        Path qa = Files.writeString(out.resolve("qa.jsonl"), QA);
        var r = evaluate(
                Map.of(),
                "--endpoint",
                server.baseUrl(),
                "--slm",
                "phi-4-mini",
                "--llm",
                "gpt-oss-20b",
                "--qa",
                qa.toString(),
                "--rag");
        assertEquals(0, r.exitCode(), r::toString);
        RunResult res = ResultsFile.read(ScriptRunner.jsonFiles(out).get(0));
        assertEquals(
                List.of(SLM, LLM, "hybrid", "rag-escalation"),
                res.reports().stream().map(SystemReport::system).toList());
        assertTrue(
                server.requests().stream().anyMatch(q -> q.body().contains("Context:\\n[1]")),
                "models got the retrieved context");
        Sample port = res.samples().stream()
                .filter(s -> "rag-escalation".equals(s.model()) && "port".equals(s.item()))
                .findFirst()
                .orElseThrow();
        assertEquals(0.0, port.scores().get("escalated"), "a grounded 11434 is kept");
        assertTrue(port.stagesMs().get("answer.prep_ms") > 0, "input prep includes retrieval");
    }

    @Test
    void embeddedModelsReportLoadTimeMemoryAndCpu() throws Exception {
        Path qa = Files.writeString(out.resolve("qa.jsonl"), QA);
        var r = evaluate(
                Map.of(),
                "--model-slm",
                ScriptRunner.fixture("tiny-graph-capture-gqa").toString(),
                "--model-llm",
                ScriptRunner.fixture("tiny-random-LlamaForCausalLM-fp16").toString(),
                "--qa",
                qa.toString(),
                "--max-tokens",
                "8");
        assertEquals(0, r.exitCode(), r::toString);
        RunResult res = ResultsFile.read(ScriptRunner.jsonFiles(out).get(0));
        assertEquals("embedded", res.meta().backend().kind());
        for (String m : List.of("tiny-graph-capture-gqa", "tiny-random-LlamaForCausalLM-fp16")) {
            SystemReport s = report(res, m);
            assertTrue(s.value("load_ms") > 0, s::toString);
            assertTrue(
                    s.value("rss_after_load_mb") > s.value("rss_before_load_mb"),
                    () -> "loading models grows the JVM's RSS: " + s);
            assertTrue(s.value("rss_mb") > 0 && s.value("heap_mb") > 0, s::toString);
            // Plausible for the work done: something was measured (per-thread counters resolve nanoseconds, so a
            // few milliseconds of tiny-model decoding register), and no more than every core busy the whole time.
            assertTrue(s.value("cpu_resolution_s") > 0 && s.value("cpu_resolution_s") <= 0.01, s::toString);
            assertTrue(s.value("cpu_s_per_token") > 0, "CPU time of this JVM per generated token: " + s);
            double wallS = s.value("e2e_ms") * s.value("n") / 1000;
            assertTrue(
                    s.value("cpu_s") <= wallS * Runtime.getRuntime().availableProcessors() + s.value("n") * 0.01 + 0.1,
                    () -> "CPU time cannot exceed wall time x cores: " + s);
            assertTrue(s.value("cold_ttft_ms") > 0 && s.value("warm_ttft_ms") > 0, s::toString);
        }
    }

    @Test
    void helpAndBadInput() throws Exception {
        var help = ScriptRunner.jbang(Map.of(), "scripts/evaluate.java", "--help");
        assertEquals(0, help.exitCode(), help::toString);
        for (String s : List.of(
                "--slm",
                "SLM_ALIAS",
                "--llm",
                "LLM_ALIAS",
                "--models",
                "--qa",
                "--rag",
                "--judge",
                "--escalate-topics",
                "--prices",
                "--watts",
                "--seed",
                "--endpoint",
                "--model-slm",
                "--out")) {
            assertTrue(help.stdout().contains(s), () -> "help lacks " + s + "\n" + help);
        }
        Path bad = Files.writeString(
                out.resolve("bad.jsonl"), "{\"id\":\"a\",\"question\":\"q?\",\"keywords\":[\"x\"]}\nnot json\n");
        var r = evaluate(Map.of(), "--endpoint", server.baseUrl(), "--qa", bad.toString());
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stderr().contains("bad.jsonl:2 is not a JSON object"), r::toString);
        assertEquals(
                2,
                r.stderr().lines().filter(l -> !l.isBlank()).count(),
                () -> "one error line and the --verbose hint\n" + r);
        assertTrue(ScriptRunner.jsonFiles(out).stream()
                .noneMatch(p -> p.getFileName().toString().startsWith("evaluate-")));
    }
}
