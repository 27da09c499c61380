package dev.edgeai.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.discovery.Discovery;
import dev.edgeai.openai.ServePort;
import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunResult;
import dev.edgeai.results.Summary;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `./jbang scripts/serve.java` with two fixture models, then model_compare.java and benchmark.java through ./jbang
 * against it, as an attendee does in a second terminal: found by discovery on port 5273 when that port is free
 * here, else given with --endpoint.
 */
class ServeScriptTest {
    static final String LLAMA = "tiny-random-LlamaForCausalLM-fp16";
    static final String GQA = "tiny-graph-capture-gqa";

    @TempDir
    Path tmp;

    @Test
    void modelCompareAndBenchmarkUseServeJava() throws Exception {
        boolean defaultPort = free(5273);
        List<String> args = new ArrayList<>(List.of(
                "scripts/serve.java",
                "--model",
                ScriptRunner.fixture(LLAMA).toString(),
                "--model",
                ScriptRunner.fixture(GQA).toString(),
                "--alias",
                "phi-4-mini=" + LLAMA,
                "--alias",
                "gpt-oss-20b=" + GQA,
                "--max-tokens-cap",
                "900"));
        if (!defaultPort) args.addAll(List.of("--port", "0"));
        try (ServeProcess p = ServeProcess.start(tmp, args)) {
            String url = p.awaitUrl();
            assertTrue(url.startsWith("http://127.0.0.1:") && url.endsWith("/v1"), url);
            // the banner says what a request that leaves sampling knobs and max_tokens out gets
            String banner = "  defaults " + LLAMA + ": no sampling defaults (engine defaults (greedy)); max_tokens 900";
            for (int i = 0; i < 100 && !p.err().contains(banner); i++) Thread.sleep(50);
            assertTrue(p.err().contains(banner), p::err);
            // Discovery (EDGEAI_SERVE_PORT empty = its default 5273) or --endpoint when 5273 was taken by someone else.
            Map<String, String> env = defaultPort ? Map.of("EDGEAI_SERVE_PORT", "") : Map.of();
            List<String> where = defaultPort ? List.of("--verbose") : List.of("--endpoint", url);

            List<String> compare = new ArrayList<>(List.of(
                    "scripts/model_compare.java",
                    "--rounds",
                    "2",
                    "--warmup",
                    "1",
                    "--max-tokens",
                    "12",
                    "--out",
                    tmp.resolve("compare").toString()));
            compare.addAll(where);
            var c = ScriptRunner.jbang(env, compare.toArray(String[]::new));
            assertEquals(0, c.exitCode(), c::toString);
            assertTrue(c.stderr().contains("backend: serve at " + url), c::toString);
            if (defaultPort) assertTrue(c.stderr().contains("discovery: serve.java at " + url), c::toString);
            RunResult cr = ResultsFile.read(
                    ScriptRunner.jsonFiles(tmp.resolve("compare")).getFirst());
            assertEquals(url, cr.meta().backend().url());
            assertEquals("serve", cr.meta().backend().kind());
            for (Summary s : cr.summaries()) {
                assertEquals(2, s.ok(), s::toString);
                assertEquals(0, s.errors(), s::toString);
            }
            assertTrue(
                    cr.samples().stream().filter(s -> s.ok()).allMatch(s -> !s.tokensEstimated()),
                    "usage from the server");

            List<String> bench = new ArrayList<>(List.of(
                    "scripts/benchmark.java",
                    "--models",
                    "phi-4-mini,gpt-oss-20b",
                    "--prompt",
                    "Say hi",
                    "--requests",
                    "8",
                    "--concurrency",
                    "1,4",
                    "--max-tokens",
                    "16",
                    "--no-progress",
                    "--out",
                    tmp.resolve("bench").toString()));
            bench.addAll(where);
            var b = ScriptRunner.jbang(env, bench.toArray(String[]::new));
            assertEquals(0, b.exitCode(), b::toString);
            RunResult br = ResultsFile.read(
                    ScriptRunner.jsonFiles(tmp.resolve("bench")).getFirst());
            assertEquals(4, br.summaries().size());
            for (Summary s : br.summaries()) {
                assertEquals(8, s.ok(), s::toString);
                assertEquals(0, s.errors(), s::toString);
            }
        }
    }

    @Test
    void badAliasFailsWithOneLine() throws Exception {
        var r = ScriptRunner.jbang(
                Map.of(),
                "scripts/serve.java",
                "--port",
                "0",
                "--model",
                ScriptRunner.fixture(LLAMA).toString(),
                "--alias",
                "phi-4-mini=llama-70b");
        assertNotEquals(0, r.exitCode(), r::toString);
        assertTrue(
                r.stderr().contains("--alias target 'llama-70b' is not served; served models: " + LLAMA), r::toString);
        assertTrue(!r.stderr().contains("\tat "), r::toString);
    }

    /** serve.java and discovery read the same variable: serve.java listens where the other scripts look. */
    @Test
    void servePortComesFromTheEnvironmentWhereDiscoveryLooks() throws Exception {
        int port = ScriptRunner.deadPort();
        Map<String, String> env = Map.of(ServePort.ENV, String.valueOf(port));
        try (ServeProcess p = ServeProcess.start(
                tmp,
                env,
                List.of(
                        "scripts/serve.java",
                        "--model",
                        ScriptRunner.fixture(LLAMA).toString()))) {
            assertEquals("http://127.0.0.1:" + port + "/v1", p.awaitUrl(), p::err);
            Map<String, String> discoveryEnv = new java.util.HashMap<>(env);
            discoveryEnv.put("PATH", tmp.toString()); // no Foundry CLI
            discoveryEnv.put("OLLAMA_HOST", "127.0.0.1:" + ScriptRunner.deadPort());
            Discovery.Found found =
                    Discovery.discover(Discovery.Options.of(null).withEnv(discoveryEnv));
            assertEquals("serve", found.backend().kind(), found.trace()::toString);
            assertEquals(
                    List.of(LLAMA), found.models().stream().map(m -> m.id()).toList());
        }
        var off = ScriptRunner.jbang(
                Map.of(ServePort.ENV, "off"),
                "scripts/serve.java",
                "--model",
                ScriptRunner.fixture(LLAMA).toString());
        assertNotEquals(0, off.exitCode(), off::toString);
        assertTrue(
                off.stderr().contains("EDGEAI_SERVE_PORT=off") && off.stderr().contains("--port"), off::toString);
        assertTrue(!off.stderr().contains("\tat "), off::toString);
    }

    static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
