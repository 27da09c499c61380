package dev.edgeai.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunResult;
import dev.edgeai.results.Sample;
import dev.edgeai.testkit.Script;
import dev.edgeai.testkit.ScriptedServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/model_compare.java through ./jbang against a real scripted OpenAI-compatible server. */
class ModelCompareScriptTest {
    static final String SLM = "Phi-4-mini-instruct-generic-cpu:4";
    static final String LLM = "gpt-oss-20b-generic-cpu:1";
    static ScriptedServer server;

    @TempDir
    Path out;

    @BeforeAll
    static void start() {
        server = ScriptedServer.builder()
                .model(
                        SLM,
                        Script.builder()
                                .ttftMs(60)
                                .itlMs(5)
                                .tokens("Small", " models", " run", " on", " laptops.")
                                .build())
                .model(
                        LLM,
                        Script.builder()
                                .ttftMs(150)
                                .itlMs(10)
                                .tokens("Large", " models", " know", " more", " but", " are", " slower.")
                                .build())
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    ScriptRunner.Result compare(Map<String, String> env, String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("scripts/model_compare.java", "--out", out.toString()));
        args.addAll(List.of(extra));
        return ScriptRunner.jbang(env, args.toArray(String[]::new));
    }

    @Test
    void comparesTwoModelsPrintsTableAndWritesResults() throws Exception {
        var r = compare(
                Map.of("SLM_ALIAS", "phi-4-mini", "LLM_ALIAS", "gpt-oss-20b"),
                "--endpoint",
                server.baseUrl(),
                "--rounds",
                "2",
                "--warmup",
                "1");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains(SLM) && r.stdout().contains(LLM), r::toString);
        for (String row : List.of(
                "TTFT mean (ms)",
                "E2E mean (ms)",
                "TPOT mean (ms/token)",
                "completion tokens",
                "decode tok/s",
                "answer")) {
            assertTrue(r.stdout().contains(row), () -> "missing row " + row + "\n" + r);
        }
        assertTrue(r.stdout().contains("Small models run on laptops."), r::toString);
        assertFalse(r.stderr().contains("Exception"), r::toString);

        List<Path> files = ScriptRunner.jsonFiles(out);
        assertEquals(1, files.size(), r::toString);
        RunResult res = ResultsFile.read(files.get(0));
        assertEquals("model_compare", res.meta().tool());
        assertEquals(List.of(SLM, LLM), res.meta().models());
        assertEquals(6, res.samples().size());
        assertEquals(2, res.samples().stream().filter(Sample::warmup).count());
        for (Sample s : res.samples()) {
            double injected = s.group().equals("slm") ? 60 : 150;
            assertTrue(
                    s.ttftMs() >= injected && s.ttftMs() < injected + 200,
                    () -> "TTFT " + s.ttftMs() + " vs injected " + injected);
        }
        assertEquals(
                5, res.summaries().get(0).metrics().get("completion_tokens").mean());
    }

    @Test
    void runsBothModelsInProcessOnTheEmbeddedEngine() throws Exception {
        var r = compare(
                Map.of(),
                "--model-slm",
                ScriptRunner.fixture("tiny-graph-capture-gqa").toString(),
                "--model-llm",
                ScriptRunner.fixture("tiny-random-LlamaForCausalLM-fp16").toString(),
                "--rounds",
                "2",
                "--max-tokens",
                "24");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(
                r.stdout().contains("tiny-graph-capture-gqa")
                        && r.stdout().contains("tiny-random-LlamaForCausalLM-fp16"),
                r::toString);
        RunResult res = ResultsFile.read(ScriptRunner.jsonFiles(out).get(0));
        assertEquals("embedded", res.meta().backend().kind());
        for (Sample s : res.samples()) {
            assertEquals(24, s.completionTokens(), "max tokens reached (random weights never say EOS early here)");
            assertFalse(s.tokensEstimated(), "the engine counts tokens exactly");
            assertTrue(s.ttftMs() > 0 && s.e2eMs() >= s.ttftMs());
        }
    }

    @Test
    void withNoServerItFallsBackToTheEmbeddedDefaultsAndSaysHowToGetThemOffline() throws Exception {
        var r = compare(Map.of());
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stderr().contains("embedded ONNX Runtime engine"), r::toString);
        assertOneLineError(r, "onnx-community/Qwen2.5-0.5B-Instruct");
        assertTrue(r.stderr().contains("download each model's files"), r::toString);
        assertTrue(
                r.stderr().contains("onnx-community/Qwen2.5-1.5B-Instruct (~1.6 GB"), () -> "names both models: " + r);
        assertTrue(
                r.stderr().contains("./jbang scripts/model_compare.java --model-slm testdata/models/"),
                () -> "names this script's option: " + r);
        assertTrue(ScriptRunner.jsonFiles(out).isEmpty());
    }

    @Test
    void helpListsEveryOptionWithItsEnvVar() throws Exception {
        var r = ScriptRunner.jbang(Map.of(), "scripts/model_compare.java", "--help");
        assertEquals(0, r.exitCode(), r::toString);
        for (String s : List.of(
                "--slm",
                "SLM_ALIAS",
                "--llm",
                "LLM_ALIAS",
                "--prompt",
                "COMPARE_PROMPT",
                "--rounds",
                "--warmup",
                "--max-tokens",
                "--endpoint",
                "--model-slm",
                "SLM_MODEL",
                "--model-llm",
                "--out",
                "--verbose")) {
            assertTrue(r.stdout().contains(s), () -> "help lacks " + s + "\n" + r);
        }
    }

    @Test
    void unknownModelListsAvailableIdsAndWritesNothing() throws Exception {
        var r = compare(Map.of(), "--endpoint", server.baseUrl(), "--slm", "mistral-7b", "--llm", "gpt-oss-20b");
        assertNotEquals(0, r.exitCode());
        assertOneLineError(r, "unknown model 'mistral-7b'");
        assertTrue(r.stderr().contains(SLM), r::toString);
        assertTrue(ScriptRunner.jsonFiles(out).isEmpty());
    }

    @Test
    void zeroRoundsIsRefused() throws Exception {
        var r = compare(Map.of(), "--endpoint", server.baseUrl(), "--rounds", "0");
        assertNotEquals(0, r.exitCode());
        assertOneLineError(r, "--rounds must be at least 1");
    }

    @Test
    void emptyPromptFromEnvIsRefused() throws Exception {
        var r = compare(Map.of("COMPARE_PROMPT", ""), "--endpoint", server.baseUrl());
        assertNotEquals(0, r.exitCode());
        assertOneLineError(r, "COMPARE_PROMPT");
    }

    @Test
    void unreachableEndpointSaysWhatToStart() throws Exception {
        var r = compare(Map.of(), "--endpoint", "http://127.0.0.1:" + ScriptRunner.deadPort() + "/v1");
        assertNotEquals(0, r.exitCode());
        assertOneLineError(r, "cannot reach");
        assertTrue(ScriptRunner.jsonFiles(out).isEmpty());
    }

    @Test
    void verboseShowsTheStackTrace() throws Exception {
        var r = compare(Map.of(), "--endpoint", "http://127.0.0.1:" + ScriptRunner.deadPort() + "/v1", "--verbose");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stderr().contains("discovery: explicit endpoint"), r::toString);
        assertTrue(r.stderr().contains("\tat "), r::toString);
    }

    static void assertOneLineError(ScriptRunner.Result r, String expected) {
        assertTrue(r.stderr().contains("error: "), r::toString);
        assertTrue(r.stderr().contains(expected), () -> "expected '" + expected + "'\n" + r);
        assertFalse(r.stderr().contains("\tat "), () -> "stack trace without --verbose\n" + r);
    }
}
