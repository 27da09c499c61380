package dev.edgeai.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.chat.FinishReason;
import dev.edgeai.chat.StreamListener;
import dev.edgeai.testkit.Script;
import dev.edgeai.testkit.ScriptedServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class OpenAiClientTest {
    private ScriptedServer server;
    private OpenAiClient client;

    private OpenAiClient start(String model, Script script) {
        server = ScriptedServer.builder().model(model, script).start();
        // Fast backoff keeps retry tests short; Retry-After still rules when the server sends one.
        client = OpenAiClient.builder()
                .baseUrl(server.baseUrl())
                .backoffBase(Duration.ofMillis(10))
                .build();
        return client;
    }

    @AfterEach
    void stop() {
        if (client != null) client.close();
        if (server != null) server.close();
    }

    @Test
    void measures_ttft_e2e_and_gaps_no_lower_than_the_injected_delays() {
        start("m", Script.builder().ttftMs(150).itlMs(20).tokenCount(10).build());
        ChatResult r = client.stream(ChatRequest.of("m", "How fast are you?"), StreamListener.NONE);

        double ttft = r.timings().ttftMs();
        assertTrue(ttft >= 150 && ttft <= 250, "ttft " + ttft);
        double lastToken = 150 + 9 * 20;
        assertTrue(
                r.timings().e2eMs() >= lastToken && r.timings().e2eMs() <= lastToken + 150,
                "e2e " + r.timings().e2eMs());
        List<Double> gaps = r.timings().chunkGapsMs();
        assertEquals(9, gaps.size());
        double span = gaps.stream().mapToDouble(Double::doubleValue).sum();
        // A late first chunk shortens the span; the invariant "never earlier than injected" is on E2E above.
        assertTrue(span >= 9 * 20 - 15 && span <= 9 * 20 + 100, "first to last token " + span);
        // Individual gaps are not checked: on a loaded machine a late chunk is followed by a quick one (both
        // buffered), so single gaps scatter around 20 ms while their sum stays exact.
        assertEquals(FinishReason.STOP, r.finishReason());
        assertEquals(10, r.usage().completionTokens());
        assertFalse(r.usage().estimated());
        assertTrue(r.tpotMs() >= 18 && r.tpotMs() <= 32, "tpot " + r.tpotMs());
    }

    @Test
    void ttft_error_over_twenty_requests_is_small() {
        start("m", Script.builder().ttftMs(50).itlMs(2).tokenCount(3).build());
        client.stream(ChatRequest.of("m", "warm up the connection"), StreamListener.NONE);
        List<Double> errors = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            errors.add(client.stream(ChatRequest.of("m", "question " + i), StreamListener.NONE)
                            .timings()
                            .ttftMs()
                    - 50);
        }
        Collections.sort(errors);
        double median = median(errors);
        double max = errors.getLast();
        System.out.printf(
                "TTFT error over 20 requests (injected 50 ms): median %.2f ms, min %.2f ms, max %.2f ms%n",
                median, errors.getFirst(), max);
        assertTrue(errors.getFirst() >= 0, "TTFT below the injected delay: " + errors.getFirst());
        assertTrue(median < 15, "median TTFT error " + median);
    }

    @Test
    void streams_the_default_answer_and_reads_model_from_chunks() {
        start("phi-mini", Script.defaults());
        List<String> tokens = new ArrayList<>();
        ChatResult r = client.stream(ChatRequest.of("phi-mini", "What is an SLM exactly?"), new StreamListener() {
            @Override
            public void onToken(String text) {
                tokens.add(text);
            }
        });
        assertEquals("You asked: What is an SLM exactly?. This is phi-mini.", r.text());
        assertEquals(r.text(), String.join("", tokens));
        assertEquals("phi-mini", r.model());
    }

    @Test
    void sends_stream_options_and_only_the_knobs_that_were_set() {
        start("m", Script.defaults());
        client.stream(
                ChatRequest.builder("m")
                        .system("be brief")
                        .user("hi")
                        .maxTokens(64)
                        .temperature(0.0)
                        .seed(7L)
                        .stop(List.of("\n\n"))
                        .build(),
                StreamListener.NONE);
        var body = server.requests().getLast().json();
        assertTrue(body.path("stream").asBoolean());
        assertTrue(body.path("stream_options").path("include_usage").asBoolean());
        assertEquals(64, body.path("max_tokens").asInt());
        assertEquals(7, body.path("seed").asInt());
        assertEquals("\n\n", body.path("stop").get(0).asText());
        assertEquals(0.0, body.path("temperature").asDouble());
        assertFalse(body.has("top_p"));
        assertFalse(body.has("top_k"));
        assertEquals(2, body.path("messages").size());
    }

    @Test
    void uses_server_usage_when_sent() {
        start("m", Script.builder().tokens("a", "b", "c").build());
        ChatResult r = client.stream(ChatRequest.of("m", "12345678"), StreamListener.NONE);
        assertEquals(2, r.usage().promptTokens());
        assertEquals(3, r.usage().completionTokens());
        assertFalse(r.usage().estimated());
    }

    @Test
    void estimates_usage_when_absent_and_says_so() {
        start(
                "m",
                Script.builder()
                        .tokens("one", " two", " three", " four")
                        .sendUsage(false)
                        .build());
        ChatResult r = client.stream(ChatRequest.of("m", "123456789"), StreamListener.NONE);
        assertTrue(r.usage().estimated());
        assertEquals(4, r.usage().completionTokens()); // one per token-bearing chunk
        assertEquals(3, r.usage().promptTokens()); // ceil(9 / 4)
    }

    @Test
    void max_tokens_cut_reports_length() {
        start("m", Script.builder().tokenCount(20).build());
        ChatResult r =
                client.stream(ChatRequest.builder("m").user("hi").maxTokens(5).build(), StreamListener.NONE);
        assertEquals(FinishReason.LENGTH, r.finishReason());
        assertEquals(5, r.usage().completionTokens());
    }

    @Test
    void routes_reasoning_to_on_reasoning_and_keeps_it_out_of_the_text() {
        start(
                "gpt-oss",
                Script.builder()
                        .reasoning("Let me", " think.")
                        .tokens("Four", ".")
                        .ttftMs(30)
                        .itlMs(5)
                        .build());
        StringBuilder reasoning = new StringBuilder();
        StringBuilder answer = new StringBuilder();
        ChatResult r = client.stream(ChatRequest.of("gpt-oss", "2+2?"), new StreamListener() {
            @Override
            public void onToken(String t) {
                answer.append(t);
            }

            @Override
            public void onReasoning(String t) {
                reasoning.append(t);
            }
        });
        assertEquals("Let me think.", reasoning.toString());
        assertEquals("Four.", answer.toString());
        assertEquals("Four.", r.text());
        assertTrue(
                r.timings().ttftMs() >= 30 && r.timings().ttftMs() < 30 + 40, "ttft counts the first reasoning chunk");
        assertEquals(3, r.timings().chunkGapsMs().size());
    }

    @Test
    void retries_429_after_the_retry_after_delay() {
        start("m", Script.builder().failFirst(429).retryAfter("1").build());
        long t0 = System.nanoTime();
        ChatResult r = client.stream(ChatRequest.of("m", "hi"), StreamListener.NONE);
        double elapsedMs = (System.nanoTime() - t0) / 1e6;
        assertTrue(elapsedMs >= 1000, "waited only " + elapsedMs + " ms");
        assertEquals(FinishReason.STOP, r.finishReason());
        assertEquals(2, server.requestCount());
    }

    @Test
    void retries_500_then_succeeds() {
        start("m", Script.builder().failFirst(500, 503).build());
        ChatResult r = client.stream(ChatRequest.of("m", "hi"), StreamListener.NONE);
        assertFalse(r.text().isEmpty());
        assertEquals(3, server.requestCount());
    }

    @Test
    void gives_up_on_5xx_after_max_retries_with_the_servers_message() {
        start("m", Script.builder().failFirst(500, 500, 500, 500, 500).build());
        ChatException e =
                assertThrows(ChatException.class, () -> client.stream(ChatRequest.of("m", "hi"), StreamListener.NONE));
        assertEquals(ChatException.Kind.SERVER, e.kind());
        assertTrue(
                e.getMessage().contains("HTTP 500") && e.getMessage().contains("scripted failure 500"), e.getMessage());
        assertEquals(3, server.requestCount(), "1 try + 2 retries, the OpenAI SDKs' default");
    }

    @Test
    void gives_up_on_429_as_rate_limited() {
        start(
                "m",
                Script.builder().failFirst(429, 429, 429, 429).retryAfter("0").build());
        ChatException e =
                assertThrows(ChatException.class, () -> client.stream(ChatRequest.of("m", "hi"), StreamListener.NONE));
        assertEquals(ChatException.Kind.RATE_LIMITED, e.kind());
    }

    @Test
    void rejected_key_tells_to_set_openai_api_key() {
        start("m", Script.builder().apiKey("sk-right").build());
        ChatException e =
                assertThrows(ChatException.class, () -> client.stream(ChatRequest.of("m", "hi"), StreamListener.NONE));
        assertEquals(ChatException.Kind.AUTH, e.kind());
        assertTrue(e.getMessage().contains("OPENAI_API_KEY") && e.getMessage().contains("HTTP 401"), e.getMessage());
        try (OpenAiClient keyed = OpenAiClient.builder()
                .baseUrl(server.baseUrl())
                .apiKey("sk-right")
                .build()) {
            assertEquals(
                    FinishReason.STOP,
                    keyed.stream(ChatRequest.of("m", "hi"), StreamListener.NONE).finishReason());
        }
        assertEquals("Bearer sk-right", server.requests().getLast().authorization());
    }

    @Test
    void unknown_model_is_named() {
        start("m", Script.defaults());
        ChatException e = assertThrows(
                ChatException.class, () -> client.stream(ChatRequest.of("llama-9000", "hi"), StreamListener.NONE));
        assertEquals(ChatException.Kind.UNKNOWN_MODEL, e.kind());
        assertTrue(e.getMessage().contains("'llama-9000'"), e.getMessage());
        assertEquals(1, server.requestCount(), "a 404 is not retried");
    }

    @Test
    void closed_port_is_unreachable_with_a_hint() throws IOException {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        try (OpenAiClient c = OpenAiClient.builder()
                .baseUrl("http://127.0.0.1:" + dead)
                .maxRetries(1)
                .backoffBase(Duration.ofMillis(5))
                .build()) {
            ChatException e =
                    assertThrows(ChatException.class, () -> c.stream(ChatRequest.of("m", "hi"), StreamListener.NONE));
            assertEquals(ChatException.Kind.UNREACHABLE, e.kind());
            assertTrue(
                    e.getMessage().startsWith("cannot reach http://127.0.0.1:" + dead + "/v1 (connection refused)"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("foundry model run phi-4-mini"), e.getMessage());
        }
    }

    @Test
    void html_instead_of_json_is_a_bad_response() {
        start("m", Script.builder().fault(Script.Fault.HTML).build());
        ChatException e =
                assertThrows(ChatException.class, () -> client.stream(ChatRequest.of("m", "hi"), StreamListener.NONE));
        assertEquals(ChatException.Kind.BAD_RESPONSE, e.kind());
        assertTrue(e.getMessage().contains("not JSON") && e.getMessage().contains("<html>"), e.getMessage());
        ChatException e2 = assertThrows(ChatException.class, () -> client.complete(ChatRequest.of("m", "hi")));
        assertTrue(e2.getMessage().contains("not JSON"), e2.getMessage());
    }

    @Test
    void malformed_event_is_quoted() {
        start("m", Script.builder().fault(Script.Fault.MALFORMED_SSE, 2).build());
        List<String> tokens = new ArrayList<>();
        ChatException e = assertThrows(
                ChatException.class,
                () -> client.stream(ChatRequest.of("m", "hi"), new StreamListener() {
                    @Override
                    public void onToken(String t) {
                        tokens.add(t);
                    }
                }));
        assertEquals(ChatException.Kind.BAD_RESPONSE, e.kind());
        assertTrue(
                e.getMessage().contains("malformed") && e.getMessage().contains("\"content\":\"oops"), e.getMessage());
        assertEquals(2, tokens.size());
    }

    @Test
    void an_error_event_mid_stream_is_a_server_error_with_its_message() {
        start("m", Script.builder().fault(Script.Fault.ERROR_EVENT, 2).build());
        ChatException e =
                assertThrows(ChatException.class, () -> client.stream(ChatRequest.of("m", "hi"), StreamListener.NONE));
        assertEquals(ChatException.Kind.SERVER, e.kind());
        assertTrue(e.getMessage().contains("scripted generation failure"), e.getMessage());
    }

    @Test
    void a_server_that_ignores_stream_true_still_gives_an_answer() {
        start(
                "m",
                Script.builder()
                        .tokens("whole", " answer")
                        .fault(Script.Fault.IGNORE_STREAM)
                        .build());
        StringBuilder seen = new StringBuilder();
        ChatResult r = client.stream(ChatRequest.of("m", "hi"), new StreamListener() {
            @Override
            public void onToken(String t) {
                seen.append(t);
            }
        });
        assertEquals("whole answer", r.text());
        assertEquals("whole answer", seen.toString());
        assertTrue(Double.isNaN(r.timings().ttftMs()), "no honest TTFT without a stream");
        assertEquals(2, r.usage().completionTokens());
    }

    @Test
    void truncated_stream_says_how_far_it_got() {
        start("m", Script.builder().fault(Script.Fault.TRUNCATE, 3).build());
        ChatException e =
                assertThrows(ChatException.class, () -> client.stream(ChatRequest.of("m", "hi"), StreamListener.NONE));
        assertEquals(ChatException.Kind.BAD_RESPONSE, e.kind());
        // the role chunk plus three token chunks
        assertTrue(e.getMessage().contains("stream ended early after 4 chunks"), e.getMessage());
    }

    @Test
    void silence_longer_than_the_read_timeout_is_a_timeout() {
        start("m", Script.builder().ttftMs(3000).build());
        try (OpenAiClient impatient = OpenAiClient.builder()
                .baseUrl(server.baseUrl())
                .readTimeout(Duration.ofMillis(200))
                .build()) {
            long t0 = System.nanoTime();
            ChatException e = assertThrows(
                    ChatException.class, () -> impatient.stream(ChatRequest.of("m", "hi"), StreamListener.NONE));
            assertEquals(ChatException.Kind.TIMEOUT, e.kind(), e.getMessage());
            assertTrue((System.nanoTime() - t0) / 1e6 < 1500);
        }
    }

    @Test
    void cancelling_mid_stream_keeps_the_partial_text() {
        start(
                "m",
                Script.builder()
                        .tokens("a", "b", "c", "d", "e", "f", "g", "h")
                        .itlMs(50)
                        .build());
        List<String> seen = new ArrayList<>();
        ChatResult r = client.stream(ChatRequest.of("m", "hi"), new StreamListener() {
            @Override
            public void onToken(String t) {
                seen.add(t);
            }

            @Override
            public boolean isCancelled() {
                return seen.size() >= 3;
            }
        });
        assertEquals(FinishReason.CANCELLED, r.finishReason());
        assertEquals("abc", r.text());
        assertTrue(r.timings().e2eMs() < 7 * 50, "stopped early: " + r.timings().e2eMs());
        // the client is still usable
        assertEquals(
                FinishReason.STOP,
                client.stream(ChatRequest.of("m", "again"), StreamListener.NONE).finishReason());
    }

    @Test
    void interrupting_the_caller_stops_a_stalled_stream_at_once() throws Exception {
        start("m", Script.builder().tokens("first", " second").itlMs(3000).build());
        CountDownLatch firstToken = new CountDownLatch(1);
        AtomicReference<ChatResult> result = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread worker = Thread.ofPlatform().start(() -> {
            result.set(client.stream(ChatRequest.of("m", "hi"), new StreamListener() {
                @Override
                public void onToken(String t) {
                    firstToken.countDown();
                }
            }));
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        assertTrue(firstToken.await(5, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        worker.interrupt();
        worker.join(5000);
        assertTrue((System.nanoTime() - t0) / 1e6 < 1000, "interrupt took effect while blocked in a read");
        assertEquals(FinishReason.CANCELLED, result.get().finishReason());
        assertEquals("first", result.get().text());
        assertTrue(stillInterrupted.get(), "the interrupt flag is kept for the caller");
    }

    @Test
    void a_throwing_listener_propagates_and_leaves_the_client_usable() {
        start("m", Script.builder().tokenCount(6).itlMs(5).build());
        IllegalStateException boom = new IllegalStateException("listener bug");
        IllegalStateException thrown = assertThrows(
                IllegalStateException.class,
                () -> client.stream(ChatRequest.of("m", "hi"), new StreamListener() {
                    @Override
                    public void onToken(String t) {
                        throw boom;
                    }
                }));
        assertSame(boom, thrown);
        assertEquals(
                6,
                client.stream(ChatRequest.of("m", "hi"), StreamListener.NONE)
                        .usage()
                        .completionTokens());
    }

    @Test
    void complete_times_e2e_without_ttft() {
        start("m", Script.builder().ttftMs(40).itlMs(5).tokens("x", "y").build());
        ChatResult r = client.complete(ChatRequest.of("m", "hi"));
        assertEquals("xy", r.text());
        assertTrue(Double.isNaN(r.timings().ttftMs()));
        assertTrue(r.timings().e2eMs() >= 45, "e2e " + r.timings().e2eMs());
        assertEquals(2, r.usage().completionTokens());
        assertFalse(server.requests().getLast().json().path("stream").asBoolean());
    }

    @Test
    void complete_estimates_usage_when_absent() {
        start("m", Script.builder().tokens("abcdefgh").sendUsage(false).build());
        ChatResult r = client.complete(ChatRequest.of("m", "hi"));
        assertTrue(r.usage().estimated());
        assertEquals(2, r.usage().completionTokens());
    }

    @Test
    void lists_models_and_reports_backend_info() {
        start("b-model", Script.defaults());
        server.script("a-model", Script.defaults());
        assertEquals(
                List.of("a-model", "b-model"),
                client.models().stream().map(m -> m.id()).toList());
        assertEquals("scripted", client.models().getFirst().ownedBy());
        assertEquals(server.baseUrl(), client.info().url());
        assertEquals("openai", client.info().kind());
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
