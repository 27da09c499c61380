package dev.edgeai.serve;

import static dev.edgeai.serve.OpenAiServerTest.assertError;
import static dev.edgeai.serve.OpenAiServerTest.events;
import static dev.edgeai.serve.OpenAiServerTest.get;
import static dev.edgeai.serve.OpenAiServerTest.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeai.chat.FinishReason;
import dev.edgeai.client.OpenAiClient;
import dev.edgeai.testkit.Script;
import dev.edgeai.testkit.ScriptedServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Queueing, timeouts and hang-ups need generation of a known pace: here the server serves a real
 * {@link OpenAiClient} pointed at a {@link ScriptedServer} (tokens at fixed intervals), i.e. serve.java as a proxy.
 */
class OpenAiServerQueueTest {
    /** Not the common pool: it has one thread on a 2-core machine, which would serialise the clients. */
    static final java.util.concurrent.ExecutorService VT =
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    static String chat(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    static void awaitQueue(OpenAiServer s, String model, int running, int waiting) throws Exception {
        for (int i = 0; i < 500; i++) {
            JsonNode q = get(s, "/health").json().path("queue").path(model);
            if (q.path("running").asInt() == running && q.path("waiting").asInt() == waiting) return;
            Thread.sleep(10);
        }
        throw new AssertionError("queue of " + model + " never reached running=" + running + " waiting=" + waiting);
    }

    @Test
    void aFullQueueAnswers429WithRetryAfterAndTheQueuedRequestsComplete() throws Exception {
        try (ScriptedServer upstream = ScriptedServer.builder()
                        .model(
                                "slow",
                                Script.builder()
                                        .ttftMs(400)
                                        .itlMs(10)
                                        .tokenCount(5)
                                        .build())
                        .start();
                OpenAiClient client = OpenAiClient.of(upstream.baseUrl());
                OpenAiServer s = OpenAiServer.builder().port(0).maxQueue(1).start(client)) {
            var first = CompletableFuture.supplyAsync(() -> call(() -> post(s, chat("slow", false))), VT);
            awaitQueue(s, "slow", 1, 0);
            var second = CompletableFuture.supplyAsync(() -> call(() -> post(s, chat("slow", true))), VT);
            awaitQueue(s, "slow", 1, 1);
            OpenAiServerTest.Resp third = post(s, chat("slow", false));
            assertError(third, 429, null, "queue_full");
            assertEquals(
                    "rate_limit_error", third.json().path("error").path("type").asText());
            assertTrue(Integer.parseInt(third.header("retry-after")) >= 1, third.headers()::toString);
            assertEquals(200, first.get().status(), first.get().body());
            assertEquals("[DONE]", events(second.get().body()).getLast());
            assertEquals(1, upstream.maxInFlight(), "one request per model at a time");
            assertEquals(1, get(s, "/health").json().path("rejected").asInt());
        }
    }

    @Test
    void waitingRequestsAreServedInArrivalOrder() throws Exception {
        try (ScriptedServer upstream = ScriptedServer.builder()
                        .model(
                                "m",
                                Script.builder()
                                        .ttftMs(250)
                                        .itlMs(1)
                                        .tokenCount(2)
                                        .build())
                        .start();
                OpenAiClient client = OpenAiClient.of(upstream.baseUrl());
                OpenAiServer s = OpenAiServer.builder().port(0).start(client)) {
            List<Integer> done = new CopyOnWriteArrayList<>();
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int n = i;
                all.add(CompletableFuture.runAsync(
                        () -> {
                            call(() -> post(s, chat("m", false)));
                            done.add(n);
                        },
                        VT));
                // each one is in (running, waiting or done) before the next arrives
                for (int t = 0; t < 500; t++) {
                    JsonNode q = get(s, "/health").json().path("queue").path("m");
                    if (q.path("running").asInt() + q.path("waiting").asInt() + done.size() == i + 1) break;
                    Thread.sleep(5);
                }
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
            assertEquals(List.of(0, 1, 2, 3, 4, 5), done);
        }
    }

    @Test
    void thePerRequestTimeoutEndsBlockingAndStreamedWork() throws Exception {
        try (ScriptedServer upstream = ScriptedServer.builder()
                        .model(
                                "stuck",
                                Script.builder()
                                        .ttftMs(50)
                                        .itlMs(100)
                                        .tokenCount(100)
                                        .build())
                        .start();
                OpenAiClient client = OpenAiClient.of(upstream.baseUrl());
                OpenAiServer s = OpenAiServer.builder()
                        .port(0)
                        .requestTimeout(Duration.ofMillis(700))
                        .start(client)) {
            long t0 = System.nanoTime();
            assertError(post(s, chat("stuck", false)), 503, null, "timeout");
            double blockingS = (System.nanoTime() - t0) / 1e9;
            assertTrue(blockingS < 3, "ended after " + blockingS + " s, not after the 10 s answer");
            String body = post(s, chat("stuck", true)).body();
            List<String> ev = events(body);
            assertFalse(ev.contains("[DONE]"), ev::toString);
            JsonNode last = OpenAiServerTest.JSON.readTree(ev.getLast());
            assertEquals("timeout", last.path("error").path("code").asText(), last::toString);
            // named too, for clients that only route events called "error" to their error handler (LangChain4j)
            assertTrue(body.endsWith("\n\nevent: error\ndata: " + ev.getLast() + "\n\n"), body);
            assertTrue(ev.size() > 2, "some tokens came before the timeout: " + ev);
        }
    }

    @Test
    void aHangUpStopsGenerationWithinAboutATokenAndOthersContinue() throws Exception {
        try (ScriptedServer upstream = ScriptedServer.builder()
                        .model(
                                "a",
                                Script.builder()
                                        .ttftMs(10)
                                        .itlMs(40)
                                        .tokenCount(100)
                                        .build())
                        .model(
                                "b",
                                Script.builder()
                                        .ttftMs(10)
                                        .itlMs(5)
                                        .tokenCount(40)
                                        .build())
                        .start();
                OpenAiClient client = OpenAiClient.of(upstream.baseUrl());
                OpenAiServer s = OpenAiServer.builder().port(0).start(client)) {
            var other = CompletableFuture.supplyAsync(() -> call(() -> post(s, chat("b", true))), VT);
            String body = chat("a", true);
            String id;
            int seen = 0;
            try (Socket sock = new Socket("127.0.0.1", s.port())) {
                OutputStream out = sock.getOutputStream();
                out.write(
                        ("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                                        + body.length() + "\r\n\r\n" + body)
                                .getBytes(StandardCharsets.UTF_8));
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(sock.getInputStream(), StandardCharsets.UTF_8));
                String line;
                id = null;
                while (seen < 3 && (line = in.readLine()) != null) {
                    if (line.contains("\"delta\":{\"content\"")) {
                        seen++;
                        id = OpenAiServerTest.JSON
                                .readTree(line.substring(line.indexOf('{')))
                                .path("id")
                                .asText();
                    }
                }
            }
            assertNotNull(id);
            var rec = OpenAiServerTest.awaitRecord(s, id);
            assertEquals(FinishReason.CANCELLED, rec.finishReason(), rec::toString);
            // A write to a closed socket may still succeed once (the peer's reset arrives after it): at most 2 more.
            assertTrue(rec.completionTokens() <= seen + 2, rec + " after the client read " + seen);
            assertTrue(rec.e2eMs() < 100 * 40, rec::toString);
            assertEquals("[DONE]", events(other.get().body()).getLast());
        }
    }

    @Test
    void ourOwnClientStreamsWithExactUsageFromTheServer() throws Exception {
        try (ScriptedServer upstream = ScriptedServer.builder()
                        .model(
                                "phi-4-mini-instruct",
                                Script.builder()
                                        .ttftMs(30)
                                        .itlMs(5)
                                        .tokenCount(6)
                                        .build())
                        .start();
                OpenAiClient inner = OpenAiClient.of(upstream.baseUrl());
                OpenAiServer s = OpenAiServer.builder().port(0).start(inner);
                OpenAiClient client = OpenAiClient.of(s.baseUrl())) {
            assertEquals(
                    List.of("phi-4-mini-instruct"),
                    client.models().stream().map(m -> m.id()).toList());
            AtomicInteger pieces = new AtomicInteger();
            var r = client.stream(
                    dev.edgeai.chat.ChatRequest.of("phi-4-mini", "hi"), new dev.edgeai.chat.StreamListener() {
                        @Override
                        public void onToken(String text) {
                            pieces.incrementAndGet();
                        }
                    });
            assertEquals("phi-4-mini-instruct", r.model(), "resolved like Foundry: alias prefix");
            assertEquals(6, r.usage().completionTokens());
            assertFalse(r.usage().estimated(), "usage comes from the server");
            assertEquals(6, pieces.get());
            assertTrue(r.timings().ttftMs() >= 30, r.timings()::toString);
            var e = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.edgeai.chat.ChatException.class,
                    () -> client.chat(dev.edgeai.chat.ChatRequest.of("llama-70b", "hi")));
            assertEquals(dev.edgeai.chat.ChatException.Kind.UNKNOWN_MODEL, e.kind());
        }
    }

    interface Call<T> {
        T run() throws Exception;
    }

    static <T> T call(Call<T> c) {
        try {
            return c.run();
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
