package dev.edgeai.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunResult;
import dev.edgeai.results.Sample;
import dev.edgeai.testkit.Script;
import dev.edgeai.testkit.ScriptedServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scripts under a fault-injecting server: nothing measured lost, honest exit codes, the server's reason shown. */
class FaultsScriptTest {
    @TempDir
    Path out;

    @Test
    void ctrlCDuringABenchmarkSavesWhatWasMeasuredMarkedIncompleteAndExits130() throws Exception {
        try (ScriptedServer server = ScriptedServer.builder()
                .model(
                        "phi-4-mini",
                        Script.builder().ttftMs(20).itlMs(10).tokenCount(10).build())
                .start()) {
            // env --default-signal: a JVM started from a background job inherits SIGINT ignored, as shells do for "&".
            List<String> cmd = List.of(
                    "env",
                    "--default-signal=INT",
                    ScriptRunner.ROOT.resolve("jbang").toString(),
                    "scripts/benchmark.java",
                    "--endpoint",
                    server.baseUrl(),
                    "--models",
                    "phi-4-mini",
                    "--prompt",
                    "hi",
                    "--requests",
                    "5000",
                    "--out",
                    out.toString(),
                    "--no-progress");
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .directory(ScriptRunner.ROOT.toFile())
                    .redirectErrorStream(true);
            pb.environment().put("EDGEAI_QUIET", "1");
            Path log = out.resolveSibling(out.getFileName() + ".log");
            pb.redirectOutput(log.toFile());
            Process p = pb.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(170);
            while (server.requestCount() < 15 && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(50);
            assertTrue(p.isAlive(), () -> "ended before Ctrl-C: " + read(log));
            // Ctrl-C reaches the whole foreground process group; the wrapper execs java, so signal it and its children.
            for (ProcessHandle h : ProcessHandle.of(p.pid()).stream()
                    .flatMap(x -> java.util.stream.Stream.concat(java.util.stream.Stream.of(x), x.descendants()))
                    .toList()) {
                new ProcessBuilder("kill", "-INT", Long.toString(h.pid()))
                        .start()
                        .waitFor();
            }
            long t0 = System.nanoTime();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), () -> "still running 20 s after Ctrl-C: " + read(log));
            double exitS = (System.nanoTime() - t0) / 1e9;
            assertEquals(130, p.exitValue(), () -> read(log));
            List<Path> json = ScriptRunner.jsonFiles(out);
            assertEquals(1, json.size(), () -> "results written: " + read(log));
            RunResult r = ResultsFile.read(json.get(0));
            assertFalse(r.complete());
            assertTrue(r.note().contains("interrupted"), r.note());
            assertTrue(
                    r.samples().stream().filter(s -> s.ok() && !s.warmup()).count() >= 5, "measured requests are kept");
            assertTrue(read(log).contains("partial results"), () -> read(log));
            System.out.printf("benchmark exited %.1f s after SIGINT%n", exitS);
        }
    }

    @Test
    void modelCompareKeepsTheSlmWhenTheLlmFailsAndNamesTheServersReason() throws Exception {
        try (ScriptedServer server = ScriptedServer.builder()
                .model("phi-4-mini", Script.builder().tokenCount(5).build())
                .model(
                        "gpt-oss-20b",
                        Script.builder()
                                .failFirst(500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500)
                                .failMessage("CUDA out of memory")
                                .build())
                .start()) {
            var r = ScriptRunner.jbang(
                    Map.of(),
                    "scripts/model_compare.java",
                    "--endpoint",
                    server.baseUrl(),
                    "--rounds",
                    "2",
                    "--out",
                    out.toString());
            assertEquals(1, r.exitCode(), r::toString);
            assertTrue(r.stderr().contains("HTTP 500") && r.stderr().contains("CUDA out of memory"), r::toString);
            assertFalse(r.stderr().contains("\tat "), r::toString);
            RunResult res = ResultsFile.read(ScriptRunner.jsonFiles(out).get(0));
            assertFalse(res.complete(), "marked incomplete");
            assertTrue(res.note().contains("gpt-oss-20b"), res.note());
            assertEquals(
                    2,
                    res.samples().stream()
                            .filter(s -> "slm".equals(s.group()) && s.ok() && !s.warmup())
                            .count());
        }
    }

    @Test
    void aRunWhoseEveryRequestFailsExitsNonZeroShowingTheFirstErrorOfEachKind() throws Exception {
        Integer[] fails = new Integer[50];
        java.util.Arrays.fill(fails, 400);
        try (ScriptedServer server = ScriptedServer.builder()
                .model(
                        "phi-4-mini",
                        Script.builder()
                                .failFirst(fails)
                                .failMessage("max_tokens is too large: 128 > 64")
                                .build())
                .start()) {
            var r = ScriptRunner.jbang(
                    Map.of(),
                    "scripts/benchmark.java",
                    "--endpoint",
                    server.baseUrl(),
                    "--models",
                    "phi-4-mini",
                    "--prompt",
                    "hi",
                    "--requests",
                    "4",
                    "--out",
                    out.toString(),
                    "--no-progress");
            assertEquals(1, r.exitCode(), r::toString);
            assertTrue(r.stderr().contains("every request failed"), r::toString);
            assertTrue(r.stderr().contains("HTTP 400") && r.stderr().contains("max_tokens is too large"), r::toString);
            long reasonLines = r.stderr()
                    .lines()
                    .filter(l -> l.contains("max_tokens is too large"))
                    .count();
            assertTrue(reasonLines <= 2, "the first of each kind, not every one: " + r);
        }
    }

    @Test
    void modelIdsWithTerminalEscapesNeverReachTheTerminalRaw() throws Exception {
        String evil = "phi\u001b]0;pwned\u0007\u001b[31m-red";
        try (ScriptedServer server = ScriptedServer.builder()
                .model(evil, Script.builder().tokenCount(3).build())
                .start()) {
            var r = ScriptRunner.jbang(
                    Map.of("BENCH_MODELS", evil),
                    "scripts/benchmark.java",
                    "--endpoint",
                    server.baseUrl(),
                    "--prompt",
                    "hi",
                    "--requests",
                    "2",
                    "--out",
                    out.toString(),
                    "--no-progress",
                    "--verbose");
            assertEquals(0, r.exitCode(), r::toString);
            String all = r.stdout() + r.stderr();
            assertTrue(all.contains("phi"), r::toString);
            assertFalse(all.contains("\u001b") || all.contains("\u0007"), "escape or BEL reached the terminal");
        }
    }

    @Test
    void badEndpointsAndUnwritableOutputFailBeforeAnyRequestNamingTheProblem() throws Exception {
        var ftp = ScriptRunner.jbang(
                Map.of(), "scripts/benchmark.java", "--endpoint", "ftp://x", "--out", out.toString());
        assertEquals(1, ftp.exitCode(), ftp::toString);
        assertTrue(ftp.stderr().contains("scheme 'ftp' is not supported"), ftp::toString);
        assertFalse(ftp.stderr().contains("connection refused"), ftp::toString);

        Path file = Files.writeString(out.resolve("a-file"), "x");
        try (ScriptedServer server =
                ScriptedServer.builder().model("phi-4-mini", Script.defaults()).start()) {
            var r = ScriptRunner.jbang(
                    Map.of(),
                    "scripts/model_compare.java",
                    "--endpoint",
                    server.baseUrl(),
                    "--slm",
                    "phi-4-mini",
                    "--llm",
                    "phi-4-mini",
                    "--out",
                    file.resolve("results").toString());
            assertEquals(1, r.exitCode(), r::toString);
            assertTrue(r.stderr().contains("results folder") && r.stderr().contains("--out"), r::toString);
            assertEquals(0, server.requestCount(), "checked before any request");
        }
    }

    @Test
    void ragChatStartUpErrorsAreOneLineEach() throws Exception {
        Path docs = Files.createDirectories(out.resolve("docs"));
        Files.writeString(docs.resolve("a.md"), "# A\n\nText.\n");
        var noDocs = ScriptRunner.jbang(
                Map.of(),
                "scripts/rag_chat.java",
                "--docs",
                out.resolve("missing").toString(),
                "--port",
                "0");
        assertEquals(1, noDocs.exitCode(), noDocs::toString);
        assertTrue(noDocs.stderr().contains("--docs") && noDocs.stderr().contains("is not a folder"), noDocs::toString);
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                ScriptedServer server = ScriptedServer.builder()
                        .model("phi-4-mini", Script.defaults())
                        .model("qwen2.5-7b", Script.defaults())
                        .start()) {
            var busy = ScriptRunner.jbang(
                    Map.of(),
                    "scripts/rag_chat.java",
                    "--docs",
                    docs.toString(),
                    "--port",
                    Integer.toString(taken.getLocalPort()),
                    "--endpoint",
                    server.baseUrl());
            assertEquals(1, busy.exitCode(), busy::toString);
            assertTrue(
                    busy.stderr().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort())
                            && busy.stderr().contains("--port 0"),
                    busy::toString);
            var unknown = ScriptRunner.jbang(
                    Map.of(),
                    "scripts/rag_chat.java",
                    "--docs",
                    docs.toString(),
                    "--port",
                    "0",
                    "--endpoint",
                    server.baseUrl(),
                    "--model",
                    "llama-70b");
            assertEquals(1, unknown.exitCode(), unknown::toString);
            assertTrue(
                    unknown.stderr().contains("unknown --model 'llama-70b'")
                            && unknown.stderr().contains("phi-4-mini, qwen2.5-7b"),
                    unknown::toString);
            var mode = ScriptRunner.jbang(Map.of(), "scripts/rag_chat.java", "--mode", "foo");
            assertEquals(2, mode.exitCode(), mode::toString);
            assertTrue(mode.stderr().contains("BM25, DENSE, HYBRID"), mode::toString);
            for (var r : List.of(noDocs, busy, unknown, mode))
                assertFalse(r.stderr().contains("\tat "), r::toString);
        }
    }

    @Test
    void staleTempFilesOfAKilledWriteAreRemovedOnTheNextRun() throws Exception {
        Path stale = Files.writeString(out.resolve(".benchmark-20261201-000000.json12345.tmp"), "{\"half\":");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minusSeconds(3600)));
        try (ScriptedServer server = ScriptedServer.builder()
                .model("phi-4-mini", Script.builder().tokenCount(3).build())
                .start()) {
            var r = ScriptRunner.jbang(
                    Map.of(),
                    "scripts/benchmark.java",
                    "--endpoint",
                    server.baseUrl(),
                    "--models",
                    "phi-4-mini",
                    "--prompt",
                    "hi",
                    "--requests",
                    "2",
                    "--out",
                    out.toString(),
                    "--no-progress");
            assertEquals(0, r.exitCode(), r::toString);
        }
        assertFalse(Files.exists(stale), "stale temp file removed");
        List<Path> left = new ArrayList<>();
        try (var s = Files.list(out)) {
            s.filter(f -> f.getFileName().toString().endsWith(".tmp")).forEach(left::add);
        }
        assertEquals(List.of(), left);
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "<no log: " + e + ">";
        }
    }

    @SuppressWarnings("unused")
    private static long ok(RunResult r) {
        return r.samples().stream().filter(Sample::ok).count();
    }
}
