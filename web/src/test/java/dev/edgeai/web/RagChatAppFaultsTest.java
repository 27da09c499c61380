package dev.edgeai.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeai.client.OpenAiClient;
import dev.edgeai.retrieval.Mode;
import dev.edgeai.retrieval.Retriever;
import dev.edgeai.testkit.Script;
import dev.edgeai.testkit.ScriptedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The RAG app's HTTP API when its backend misbehaves: JSON errors with the backend's reason, Stop that really stops. */
@Timeout(120)
class RagChatAppFaultsTest {
    private static final Pattern TURN = Pattern.compile("\"turn\":\"([0-9a-f-]+)\"");

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();

    private RagChatApp start(ScriptedServer server) throws Exception {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(
                docs.resolve("kv.md"),
                "# KV cache\n\nThe KV cache stores keys and values of past tokens so decoding is fast.\n");
        Retriever retriever = Retriever.open(docs, Retriever.Options.defaults().withMode(Mode.BM25));
        OpenAiClient client = OpenAiClient.builder()
                .baseUrl(server.baseUrl())
                .readTimeout(Duration.ofSeconds(60))
                .backoffBase(Duration.ofMillis(10))
                .build();
        return RagChatApp.start(
                client,
                retriever,
                RagChatApp.Config.defaults(tmp.resolve("data")).withModel("phi-4-mini"));
    }

    @Test
    void withTheBackendGoneTheApiAnswersJsonWithTheReason() throws Exception {
        ScriptedServer server =
                ScriptedServer.builder().model("phi-4-mini", Script.defaults()).start();
        try (RagChatApp app = start(server)) {
            server.close();
            var r = http.send(
                    HttpRequest.newBuilder(URI.create(app.url() + "api/config")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, r.statusCode(), r.body());
            assertTrue(
                    r.headers().firstValue("Content-Type").orElse("").contains("json"),
                    r.headers().toString());
            String error = new ObjectMapper().readTree(r.body()).path("error").asText();
            assertTrue(error.contains("cannot reach"), r.body());
        }
    }

    @Test
    void stopEndsAStalledBackendStreamWithinASecond() throws Exception {
        try (ScriptedServer server = ScriptedServer.builder()
                        .model(
                                "phi-4-mini",
                                Script.builder()
                                        .tokenCount(20)
                                        .fault(Script.Fault.STALL, 2)
                                        .build())
                        .start();
                RagChatApp app = start(server)) {
            StringBuilder seen = new StringBuilder();
            CompletableFuture<String> turn = new CompletableFuture<>();
            CompletableFuture<Long> ended = new CompletableFuture<>();
            HttpRequest chat = HttpRequest.newBuilder(URI.create(app.url() + "api/chat"))
                    .header("Content-Type", "application/json")
                    .header("Accept", "text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"session\":\"test-session-1\",\"message\":\"What does the KV cache store?\"}"))
                    .build();
            http.sendAsync(chat, HttpResponse.BodyHandlers.ofLines()).whenComplete((resp, err) -> {
                if (err != null) {
                    turn.completeExceptionally(err);
                    return;
                }
                try (Stream<String> lines = resp.body()) {
                    lines.forEach(l -> {
                        synchronized (seen) {
                            seen.append(l).append('\n');
                            Matcher m = TURN.matcher(l);
                            if (m.find()) turn.complete(m.group(1));
                        }
                    });
                }
                ended.complete(System.nanoTime());
            });
            String id;
            try {
                id = turn.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                synchronized (seen) {
                    throw new AssertionError("no turn id in: " + seen, e);
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (countTokens(seen) < 2 && System.nanoTime() < deadline) Thread.sleep(10); // stalled after 2 tokens
            long t0 = System.nanoTime();
            var stop = http.send(
                    HttpRequest.newBuilder(URI.create(app.url() + "api/stop"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"turn\":\"" + id + "\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, stop.statusCode(), stop.body());
            double ms = (ended.get(10, TimeUnit.SECONDS) - t0) / 1e6;
            System.out.printf("RAG app: stream ended %.0f ms after Stop with a stalled backend%n", ms);
            assertTrue(ms < 1000, "Stop took " + ms + " ms");
            synchronized (seen) {
                assertTrue(
                        seen.toString().contains("event: done")
                                || seen.toString().contains("event: error"),
                        seen.toString());
            }
        }
    }

    private static int countTokens(StringBuilder seen) {
        synchronized (seen) {
            return seen.toString().split("event: token", -1).length - 1;
        }
    }
}
