package dev.edgeai.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.charts.Charts;
import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunResult;
import dev.edgeai.results.Summary;
import dev.edgeai.testkit.Script;
import dev.edgeai.testkit.ScriptedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/benchmark.java and scripts/charts.java through ./jbang against a real scripted server. */
class BenchmarkScriptTest {
    @TempDir
    Path out;

    @Test
    void sweepsConcurrencyWritesJsonCsvAndHtmlAndTheServerSeesOverlap() throws Exception {
        try (ScriptedServer server = ScriptedServer.builder()
                .model(
                        "phi-4-mini",
                        Script.builder().ttftMs(80).itlMs(20).tokenCount(8).build())
                .start()) {
            var r = ScriptRunner.jbang(
                    Map.of("BENCH_MODELS", "phi-4-mini", "BENCH_PROMPT", "Say hi"),
                    "scripts/benchmark.java",
                    "--endpoint",
                    server.baseUrl(),
                    "--concurrency",
                    "1,4",
                    "--requests",
                    "8",
                    "--out",
                    out.toString(),
                    "--no-progress");
            assertEquals(0, r.exitCode(), r::toString);
            assertEquals(4, server.maxInFlight(), "the server must see 4 requests at once");
            assertTrue(r.stdout().contains("phi-4-mini"), r::toString);
            List<Path> json = ScriptRunner.jsonFiles(out);
            assertEquals(1, json.size());
            RunResult res = ResultsFile.read(json.get(0));
            assertEquals(2, res.summaries().size());
            for (Summary s : res.summaries()) {
                assertEquals(8, s.ok());
                double ttft = s.metrics().get("ttft_ms").p50();
                assertTrue(ttft >= 80 && ttft < 200, "TTFT p50 " + ttft);
                // A late first chunk (loaded machine) shortens E2E-TTFT, so TPOT gets a lower margin than E2E.
                double tpot = s.metrics().get("tpot_ms").p50();
                assertTrue(tpot >= 15 && tpot < 60, "TPOT p50 " + tpot);
                double e2e = s.metrics().get("e2e_ms").min();
                assertTrue(e2e >= 80 + 7 * 20, "E2E min " + e2e + " below the injected 220 ms");
            }
            String base = json.get(0).getFileName().toString().replace(".json", "");
            assertTrue(Files.size(out.resolve(base + ".csv")) > 0);
            String html = Files.readString(out.resolve(base + ".html"));
            // offline: plotly from one shared file beside the report (written once per folder), nothing from a host
            assertTrue(html.contains("<script src=\"" + Charts.PLOTLY_FILE + "\"></script>"), "shared plotly");
            assertFalse(html.contains("<script src=\"http"), "nothing loaded from the network");
            assertTrue(Files.size(out.resolve(Charts.PLOTLY_FILE)) > 1_000_000, "plotly itself beside the report");
            assertTrue(Files.size(out.resolve(base + ".html")) < 1_000_000, "the report does not inline its own copy");
            // the scripted server's run is marked as such, not shown as a measurement of a model
            assertEquals("scripted", res.meta().backend().kind());
            assertTrue(html.contains("SCRIPTED SERVER"), "report says the answers were canned");
        }
    }

    @Test
    void endpointDyingMidRunKeepsPartialResultsMarkedIncomplete() throws Exception {
        ScriptedServer server = ScriptedServer.builder()
                .model(
                        "phi-4-mini",
                        Script.builder().ttftMs(20).itlMs(10).tokenCount(10).build())
                .start();
        var killer = new Thread(() -> {
            try {
                while (server.requestCount() < 12) Thread.sleep(20); // let some requests finish, then die
            } catch (InterruptedException e) {
                return;
            }
            server.close();
        });
        killer.start();
        try {
            var r = ScriptRunner.jbang(
                    Map.of("BENCH_MODELS", "phi-4-mini", "BENCH_PROMPT", "Say hi"),
                    "scripts/benchmark.java",
                    "--endpoint",
                    server.baseUrl(),
                    "--requests",
                    "400",
                    "--out",
                    out.toString(),
                    "--no-progress");
            assertNotEquals(0, r.exitCode(), r::toString);
            assertTrue(r.stderr().contains("incomplete"), r::toString);
            RunResult res = ResultsFile.read(ScriptRunner.jsonFiles(out).get(0));
            assertFalse(res.complete(), "marked incomplete");
            assertTrue(
                    res.samples().stream().filter(s -> s.ok() && !s.warmup()).count() >= 5,
                    "finished requests are kept");
            assertTrue(res.samples().stream().anyMatch(s -> !s.ok()), "failed requests are recorded");
        } finally {
            killer.interrupt();
            server.close();
        }
    }

    @Test
    void badOptionsFailBeforeAnyServerIsContacted() throws Exception {
        for (String[] bad :
                new String[][] {{"--rounds", "0"}, {"--concurrency", "0"}, {"--prompts", "/nonexistent/prompts.jsonl"}
                }) {
            var r = ScriptRunner.jbang(
                    Map.of(),
                    "scripts/benchmark.java",
                    "--endpoint",
                    "http://127.0.0.1:" + ScriptRunner.deadPort() + "/v1",
                    "--out",
                    out.toString(),
                    bad[0],
                    bad[1]);
            assertNotEquals(0, r.exitCode(), r::toString);
            assertFalse(r.stderr().contains("cannot reach"), () -> "validated before connecting: " + r);
            assertFalse(r.stderr().contains("\tat "), r::toString);
        }
    }

    @Test
    void unknownModelListsWhatExists() throws Exception {
        try (ScriptedServer server =
                ScriptedServer.builder().model("phi-4-mini", Script.defaults()).start()) {
            var r = ScriptRunner.jbang(
                    Map.of("BENCH_MODELS", "phi-4-mini,llama-70b"),
                    "scripts/benchmark.java",
                    "--endpoint",
                    server.baseUrl(),
                    "--out",
                    out.toString(),
                    "--no-progress");
            assertNotEquals(0, r.exitCode());
            assertTrue(
                    r.stderr().contains("unknown model 'llama-70b'")
                            && r.stderr().contains("phi-4-mini"),
                    r::toString);
            assertFalse(r.stderr().contains("\tat "), r::toString);
            assertTrue(ScriptRunner.jsonFiles(out).isEmpty());
        }
    }

    @Test
    void compareAndChartRegenerationSkipCorruptFilesByName() throws Exception {
        Path examples = ScriptRunner.ROOT.resolve("data/results/examples");
        Path dir = Files.createDirectories(out.resolve("results"));
        for (Path p : ScriptRunner.jsonFiles(examples)) Files.copy(p, dir.resolve(p.getFileName()));
        Files.writeString(dir.resolve("broken.json"), "{\"schema\": \"edgeai.results/v1\", \"meta\": ");

        var cmp = ScriptRunner.jbang(
                Map.of(),
                "scripts/benchmark.java",
                "--compare",
                dir.resolve("benchmark-example.json").toString(),
                dir.resolve("benchmark-example.json").toString());
        assertEquals(0, cmp.exitCode(), cmp::toString);
        assertTrue(cmp.stdout().contains("1.00"), cmp::toString);

        var bad = ScriptRunner.jbang(
                Map.of(),
                "scripts/benchmark.java",
                "--compare",
                dir.resolve("broken.json").toString(),
                dir.resolve("benchmark-example.json").toString());
        assertNotEquals(0, bad.exitCode());
        assertTrue(bad.stderr().contains("broken.json"), bad::toString);

        var charts = ScriptRunner.jbang(Map.of(), "scripts/charts.java", dir.toString());
        assertEquals(1, charts.exitCode(), charts::toString); // one file skipped
        assertTrue(charts.stderr().contains("broken.json"), charts::toString);
        assertTrue(Files.exists(dir.resolve("benchmark-example.html")), charts::toString);
        assertTrue(Files.exists(dir.resolve("model_compare-example.html")), charts::toString);
        assertTrue(Files.exists(dir.resolve("index.html")), charts::toString);
    }
}
