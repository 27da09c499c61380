package dev.edgeai.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunResult;
import dev.edgeai.results.Sample;
import dev.edgeai.results.SystemReport;
import dev.edgeai.testkit.Script;
import dev.edgeai.testkit.ScriptedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every script that talks to models starts, without options, against a server that serves neither default alias
 * (the testkit's slm-fake and llm-fake, found through OPENAI_BASE_URL), takes the served models small first and says
 * which in one line; a model the user names that the server lacks is still a one-line error listing what is served.
 */
class ServedModelsScriptTest {
    static final String SLM = "slm-fake";
    static final String LLM = "llm-fake";
    static ScriptedServer server;

    @TempDir
    Path out;

    @BeforeAll
    static void start() {
        // Listed large first: the order the server gives must not decide which model is the small one.
        server = ScriptedServer.builder()
                .model(LLM, Script.builder().ttftMs(20).itlMs(2).build())
                .model(SLM, Script.builder().ttftMs(10).itlMs(1).build())
                .reply("Task:", "1. How is TTFT measured?")
                .reply("Review the draft", "APPROVED")
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** No options: the server comes from the environment, results go to RESULTS_DIR, budgets kept small by env. */
    ScriptRunner.Result run(String script, Map<String, String> env, String... args) throws Exception {
        Map<String, String> e = new HashMap<>(env);
        e.put("OPENAI_BASE_URL", server.baseUrl());
        e.put("RESULTS_DIR", out.toString());
        String[] cmd = new String[args.length + 1];
        cmd[0] = "scripts/" + script + ".java";
        System.arraycopy(args, 0, cmd, 1, args.length);
        return ScriptRunner.jbang(e, cmd);
    }

    static void assertNamesThePickedModelsInOneLine(ScriptRunner.Result r, String... parts) {
        List<String> lines =
                r.stderr().lines().filter(l -> l.startsWith("models: ")).toList();
        assertEquals(1, lines.size(), r::toString);
        String line = lines.getFirst();
        for (String p : parts) assertTrue(line.contains(p), () -> "missing " + p + " in: " + line);
        assertTrue(line.contains("not served") && line.contains(server.baseUrl()), line);
        assertFalse(r.stderr().contains("\tat "), r::toString);
    }

    RunResult onlyResult() throws Exception {
        List<Path> files = ScriptRunner.jsonFiles(out);
        assertEquals(1, files.size(), files::toString);
        return ResultsFile.read(files.getFirst());
    }

    @Test
    void modelCompareTakesTheSmallAndTheLargeServedModel() throws Exception {
        var r = run("model_compare", Map.of("COMPARE_ROUNDS", "1"));
        assertEquals(0, r.exitCode(), r::toString);
        assertNamesThePickedModelsInOneLine(r, "slm = " + SLM, "llm = " + LLM, "--slm, --llm");
        assertEquals(List.of(SLM, LLM), onlyResult().meta().models());
    }

    @Test
    void benchmarkTakesTheServedPair() throws Exception {
        var r = run("benchmark", Map.of("BENCH_ROUNDS", "1", "BENCH_PROMPT", "Say hi"), "--no-progress");
        assertEquals(0, r.exitCode(), r::toString);
        assertNamesThePickedModelsInOneLine(r, "slm = " + SLM, "llm = " + LLM);
        assertEquals(List.of(SLM, LLM), onlyResult().meta().models());
    }

    @Test
    void evaluateScoresBothServedModelsAndTheHybrid() throws Exception {
        var r = run("evaluate", Map.of("EVAL_LIMIT", "2"));
        assertEquals(0, r.exitCode(), r::toString);
        assertNamesThePickedModelsInOneLine(r, "slm = " + SLM, "llm = " + LLM);
        assertEquals(
                List.of(SLM, LLM, "hybrid"),
                onlyResult().reports().stream().map(SystemReport::system).toList());
    }

    @Test
    void agentsPlanOnTheLargeModelAndResearchOnTheSmallOne() throws Exception {
        var r = run("agents", Map.of(), "--rounds", "1");
        assertEquals(0, r.exitCode(), r::toString);
        assertNamesThePickedModelsInOneLine(r, "slm = " + SLM, "llm = " + LLM);
        List<Sample> steps = onlyResult().samples();
        assertEquals("planner", steps.getFirst().group());
        assertEquals(LLM, steps.getFirst().model());
        assertEquals(SLM, steps.get(1).model(), "the researcher");
    }

    @Test
    void routerGivesTheUncataloguedModelsDefaultEntries() throws Exception {
        var r = run("router", Map.of("ROUTER_LIMIT", "4"));
        assertEquals(0, r.exitCode(), r::toString);
        assertNamesThePickedModelsInOneLine(r, "slm = " + SLM, "llm = " + LLM);
        assertTrue(r.stdout().contains("always " + SLM) && r.stdout().contains("unknown"), r::toString);
        assertFalse(r.stdout().contains("NaN"), r::toString);
        assertEquals(
                List.of(LLM, SLM),
                onlyResult().meta().models().stream().sorted().toList());

        var one = run("router", Map.of(), "Write a SQL query that counts users per country");
        assertEquals(0, one.exitCode(), one::toString);
        assertTrue(
                one.stdout().contains("→ " + LLM + " [llm]") && one.stdout().contains("answer from " + LLM),
                one::toString);
    }

    @Test
    void ragChatAnswersWithTheSmallestServedModel() throws Exception {
        Path docs = Files.createDirectories(out.resolve("docs"));
        Files.writeString(docs.resolve("kv.md"), "# KV cache\n\nThe KV cache stores keys and values of past tokens.\n");
        ProcessBuilder pb = new ProcessBuilder(
                        ScriptRunner.ROOT.resolve("jbang").toString(),
                        "scripts/rag_chat.java",
                        "--port",
                        "0",
                        "--docs",
                        docs.toString(),
                        "--data",
                        out.resolve("data").toString())
                .directory(ScriptRunner.ROOT.toFile())
                .redirectError(out.resolve("stderr.txt").toFile());
        pb.environment().put("EDGEAI_QUIET", "1");
        pb.environment().put("OPENAI_BASE_URL", server.baseUrl());
        pb.environment().remove("FOUNDRY_LOCAL_ENDPOINT");
        pb.environment().remove("SLM_ALIAS");
        Process p = pb.start();
        try {
            String line = ScriptRunner.firstLine(p, 120);
            assertNotNull(line, () -> "no output; stderr: " + read(out.resolve("stderr.txt")));
            String url =
                    line.substring(line.indexOf("http://"), line.indexOf("  (")).trim();
            var cfg = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(url + "api/config"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertTrue(cfg.body().contains("\"defaultModel\":\"" + SLM + "\""), cfg.body());
            String err = read(out.resolve("stderr.txt"));
            List<String> lines =
                    err.lines().filter(l -> l.startsWith("models: ")).toList();
            assertEquals(1, lines.size(), err);
            assertTrue(
                    lines.getFirst().contains("model = " + SLM)
                            && lines.getFirst().contains("--model"),
                    err);
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
            p.destroyForcibly();
        }
    }

    @Test
    void aNamedModelTheServerLacksIsOneLineListingWhatIsServed() throws Exception {
        for (String script : List.of("model_compare", "benchmark", "evaluate", "agents", "router")) {
            var r = run(script, Map.of("SLM_ALIAS", "mistral-7b"));
            assertEquals(1, r.exitCode(), r::toString);
            List<String> errors =
                    r.stderr().lines().filter(l -> l.startsWith("error: ")).toList();
            assertEquals(1, errors.size(), r::toString);
            assertTrue(
                    errors.getFirst().contains("unknown model 'mistral-7b' (--slm)")
                            && errors.getFirst().contains("serves " + LLM + ", " + SLM),
                    r::toString);
            assertFalse(r.stderr().contains("\tat "), r::toString);
            assertTrue(ScriptRunner.jsonFiles(out).isEmpty(), script + " wrote nothing");
        }
        var rag = run("rag_chat", Map.of(), "--model", "mistral-7b", "--port", "0");
        assertEquals(1, rag.exitCode(), rag::toString);
        assertTrue(
                rag.stderr().contains("error: unknown --model 'mistral-7b'")
                        && rag.stderr().contains("serves " + LLM + ", " + SLM),
                rag::toString);
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "";
        }
    }
}
