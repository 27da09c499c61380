package dev.edgeai.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.testkit.Script;
import dev.edgeai.testkit.ScriptedServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How scripts read their options and environment: the spellings the workshop text uses, and one-line errors. */
class ScriptOptionsTest {
    @TempDir
    Path out;

    @Test
    void benchStreamAcceptsTheWorkshopsSpellings() throws Exception {
        try (ScriptedServer server = ScriptedServer.builder()
                .model("phi-4-mini", Script.builder().tokenCount(4).build())
                .start()) {
            for (var c : Map.of("1", true, "no", false).entrySet()) {
                int before = server.requestCount();
                var r = ScriptRunner.jbang(
                        Map.of("BENCH_STREAM", c.getKey(), "BENCH_MODELS", "phi-4-mini", "BENCH_PROMPT", "hi"),
                        "scripts/benchmark.java",
                        "--endpoint",
                        server.baseUrl(),
                        "--requests",
                        "2",
                        "--out",
                        out.toString(),
                        "--no-progress");
                assertEquals(0, r.exitCode(), r::toString);
                var chats = server.requests().subList(before, server.requestCount()).stream()
                        .filter(q -> q.path().endsWith("/chat/completions"))
                        .toList();
                assertEquals(3, chats.size(), "1 warmup + 2 measured");
                chats.forEach(q -> assertEquals(
                        c.getValue(), q.json().path("stream").asBoolean(false), "BENCH_STREAM=" + c.getKey()));
            }
        }
    }

    @Test
    void aBadFlagValueIsOneLineNamingOptionValueSourceAndAcceptedValues() throws Exception {
        var r = ScriptRunner.jbang(Map.of("BENCH_STREAM", "maybe"), "scripts/benchmark.java", "--out", out.toString());
        assertEquals(2, r.exitCode(), r::toString);
        String err = r.stderr().strip();
        assertEquals(1, err.lines().count(), r::toString);
        assertTrue(
                err.contains("--stream")
                        && err.contains("'maybe'")
                        && err.contains("from env BENCH_STREAM")
                        && err.contains("1/0, true/false, yes/no, on/off")
                        && err.endsWith("see --help"),
                r::toString);
        assertFalse(r.stdout().contains("Usage") || err.contains("Usage"), r::toString);
    }

    @Test
    void theOfflineHintNamesTheOptionOfTheScriptThatPrintedIt() throws Exception {
        var bench = ScriptRunner.jbang(
                Map.of(),
                "scripts/benchmark.java",
                "--embedded",
                "--models",
                "test-org/not-cached",
                "--out",
                out.toString(),
                "--no-progress");
        assertEquals(1, bench.exitCode(), bench::toString);
        assertTrue(
                bench.stderr().contains("download its files")
                        && bench.stderr()
                                .contains("./jbang scripts/benchmark.java --embedded --models testdata/models/"),
                bench::toString);
        var rag = ScriptRunner.jbang(
                Map.of(), "scripts/rag_chat.java", "--embedded", "--model", "test-org/not-cached", "--port", "0");
        assertEquals(1, rag.exitCode(), rag::toString);
        assertTrue(
                rag.stderr().contains("download its files")
                        && rag.stderr().contains("./jbang scripts/rag_chat.java --model testdata/models/"),
                rag::toString);
    }
}
