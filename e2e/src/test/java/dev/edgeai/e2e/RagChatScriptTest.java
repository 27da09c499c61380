package dev.edgeai.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeai.testkit.Script;
import dev.edgeai.testkit.ScriptedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `./jbang scripts/rag_chat.java` starts, prints its loopback URL, and serves the app. */
class RagChatScriptTest {
    @TempDir
    Path tmp;

    @Test
    void startsOnLoopbackAndAnswersAChat() throws Exception {
        try (ScriptedServer server = ScriptedServer.builder()
                .model(
                        "phi-4-mini",
                        Script.builder().tokens("Keys", " and", " values [1].").build())
                .start()) {
            String body = chat("phi-4-mini", "--endpoint", server.baseUrl());
            assertTrue(body.contains("event: done") && body.contains("class=\\\"cite\\\""), body);
        }
    }

    @Test
    void escalatesARefusalToTheLargerModel() throws Exception {
        try (ScriptedServer server = ScriptedServer.builder()
                .model(
                        "phi-4-mini",
                        Script.builder().tokens("I", " don't", " know.").build())
                .model(
                        "gpt-oss-20b",
                        Script.builder()
                                .tokens("Keys", " and", " values", " of", " past", " tokens [1].")
                                .build())
                .start()) {
            String body = chat("phi-4-mini", "--endpoint", server.baseUrl(), "--escalate-to", "gpt-oss-20b");
            assertTrue(body.contains("[escalated to gpt-oss-20b: refusal]"), body);
            assertTrue(
                    body.contains("\"escalated\":\"refusal\"") && body.contains("Escalated to gpt-oss-20b (refusal)"),
                    body);
            assertTrue(body.contains("\"model\":\"gpt-oss-20b\""), "the answer shown is the larger model's: " + body);
            assertEquals(
                    2,
                    server.requests().stream()
                            .filter(r -> r.path().endsWith("/chat/completions"))
                            .count());
        }
    }

    @Test
    void answersWithTheEmbeddedEngine() throws Exception {
        String model = ScriptRunner.fixture("tiny-random-LlamaForCausalLM-fp16").toString();
        String body = chat("tiny-random-LlamaForCausalLM-fp16", "--model", model);
        assertTrue(body.contains("event: done") && body.contains("\"tokensEstimated\":false"), body);
    }

    @Test
    void withTheBackendGoneItAnswersJsonLogsOneLinePerFailureAndCtrlCEndsItWithinTwoSeconds() throws Exception {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(
                docs.resolve("kv.md"),
                "# KV cache\n\nThe KV cache stores keys and values of past tokens so decoding is fast.\n");
        ScriptedServer server = ScriptedServer.builder()
                .model("phi-4-mini", Script.builder().tokenCount(3).build())
                .start();
        // env --default-signal: a JVM started from a background job inherits SIGINT ignored.
        ProcessBuilder pb = new ProcessBuilder(
                        "env",
                        "--default-signal=INT",
                        ScriptRunner.ROOT.resolve("jbang").toString(),
                        "scripts/rag_chat.java",
                        "--port",
                        "0",
                        "--docs",
                        docs.toString(),
                        "--data",
                        tmp.resolve("data").toString(),
                        "--endpoint",
                        server.baseUrl())
                .directory(ScriptRunner.ROOT.toFile())
                .redirectError(tmp.resolve("stderr.txt").toFile());
        pb.environment().put("EDGEAI_QUIET", "1");
        Process p = pb.start();
        try {
            String line = ScriptRunner.firstLine(p, 120);
            assertNotNull(line, () -> "no output; stderr: " + read(tmp.resolve("stderr.txt")));
            String url =
                    line.substring(line.indexOf("http://"), line.indexOf("  (")).trim();
            server.close(); // the backend goes away
            HttpClient http = HttpClient.newHttpClient();
            var cfg = http.send(
                    HttpRequest.newBuilder(URI.create(url + "api/config")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, cfg.statusCode(), cfg.body());
            assertTrue(
                    new ObjectMapper()
                            .readTree(cfg.body())
                            .path("error")
                            .asText()
                            .contains("cannot reach"),
                    cfg.body());
            var chat = http.send(
                    HttpRequest.newBuilder(URI.create(url + "api/chat"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"session\":\"test-session-1\",\"message\":\"What does the KV cache store?\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, chat.statusCode(), chat.body());
            assertTrue(chat.body().contains("error"), chat.body());

            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
            long t0 = System.nanoTime();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "still running 10 s after Ctrl+C");
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("rag_chat exited %.2f s after SIGINT%n", s);
            assertTrue(s < 2.5, "Ctrl+C took " + s + " s");
            String err = read(tmp.resolve("stderr.txt"));
            assertFalse(
                    err.contains("\tat ") || err.contains("Exception in"), "no stack traces on the console:\n" + err);
            assertTrue(err.lines().filter(l -> l.startsWith("request failed:")).count() >= 2, err);
        } finally {
            p.destroyForcibly();
            server.close();
        }
    }

    /** Starts the script with extra args, checks config and one chat turn over SSE, returns the SSE body. */
    String chat(String expectedModel, String... extra) throws Exception {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(
                docs.resolve("kv.md"),
                "# KV cache\n\nThe KV cache stores keys and values of past tokens so decoding is fast.\n");
        {
            var cmd = new java.util.ArrayList<>(java.util.List.of(
                    ScriptRunner.ROOT.resolve("jbang").toString(),
                    "scripts/rag_chat.java",
                    "--port",
                    "0",
                    "--docs",
                    docs.toString(),
                    "--data",
                    tmp.resolve("data").toString()));
            cmd.addAll(java.util.List.of(extra));
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .directory(ScriptRunner.ROOT.toFile())
                    .redirectError(tmp.resolve("stderr.txt").toFile());
            pb.environment().put("EDGEAI_QUIET", "1");
            Process p = pb.start();
            try {
                String line = ScriptRunner.firstLine(p, 120);
                assertNotNull(line, () -> "no output; stderr: " + read(tmp.resolve("stderr.txt")));
                assertTrue(line.startsWith("RAG chat running at http://127.0.0.1:"), line);
                String url = line.substring(line.indexOf("http://"), line.indexOf("  ("))
                        .trim();

                HttpClient http = HttpClient.newHttpClient();
                var cfg = http.send(
                        HttpRequest.newBuilder(URI.create(url + "api/config")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, cfg.statusCode());
                assertTrue(cfg.body().contains("\"defaultModel\":\"" + expectedModel + "\""), cfg.body());
                var chat = http.send(
                        HttpRequest.newBuilder(URI.create(url + "api/chat"))
                                .header("Content-Type", "application/json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"session\":\"test-session-1\",\"message\":\"What does the KV cache store?\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, chat.statusCode());
                assertTrue(
                        chat.body().contains("event: retrieval") && chat.body().contains("kv.md"), chat.body());
                return chat.body();
            } finally {
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
                p.destroyForcibly();
            }
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "";
        }
    }
}
