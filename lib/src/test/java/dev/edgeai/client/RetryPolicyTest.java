package dev.edgeai.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.StreamListener;
import dev.edgeai.discovery.Discovery;
import dev.edgeai.testkit.Script;
import dev.edgeai.testkit.ScriptedServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The retry policy of the official OpenAI SDKs, checked against the scripted server's request log. */
@Timeout(60)
class RetryPolicyTest {
    private ScriptedServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private OpenAiClient client(Script script) {
        server = ScriptedServer.builder().model("m", script).start();
        return OpenAiClient.builder()
                .baseUrl(server.baseUrl())
                .backoffBase(Duration.ofMillis(10))
                .build();
    }

    private long chats() {
        return server.requests().stream()
                .filter(r -> r.path().endsWith("/chat/completions"))
                .count();
    }

    @ParameterizedTest
    @CsvSource({"408,2", "409,2", "429,2", "500,2", "503,2", "400,1", "404,1", "422,1"})
    void retriesWhatTheSdksRetry(int status, int expectedRequests) {
        try (OpenAiClient c = client(Script.builder().failFirst(status).build())) {
            try {
                c.stream(ChatRequest.of("m", "hi"), StreamListener.NONE);
            } catch (ChatException expectedForNonRetryable) {
                assertEquals(
                        1,
                        expectedRequests,
                        "a retryable status must succeed on retry: " + expectedForNonRetryable.getMessage());
            }
            assertEquals(expectedRequests, chats(), "HTTP " + status);
        }
    }

    @Test
    void twoRetriesByDefaultThenTheServersStatusAndMessage() {
        try (OpenAiClient c = client(Script.builder()
                .failFirst(503, 503, 503, 503)
                .failMessage("model is loading")
                .build())) {
            ChatException e =
                    assertThrows(ChatException.class, () -> c.stream(ChatRequest.of("m", "hi"), StreamListener.NONE));
            assertEquals(3, chats());
            assertTrue(
                    e.getMessage().contains("HTTP 503")
                            && e.getMessage().contains("model is loading")
                            && e.getMessage().contains("after 2 retries"),
                    e.getMessage());
        }
    }

    @Test
    void aClientErrorNamesTheServersReason() {
        try (OpenAiClient c = client(Script.builder()
                .failFirst(400)
                .failMessage("max_tokens is too large: 99999")
                .build())) {
            ChatException e =
                    assertThrows(ChatException.class, () -> c.stream(ChatRequest.of("m", "hi"), StreamListener.NONE));
            assertTrue(
                    e.getMessage().contains("HTTP 400") && e.getMessage().contains("max_tokens is too large"),
                    e.getMessage());
        }
    }

    @Test
    void retryAfterMsIsHonouredOverTheBackoff() {
        try (OpenAiClient c = client(Script.builder()
                .failFirst(429)
                .failHeader("retry-after-ms", "1500")
                .build())) {
            c.stream(ChatRequest.of("m", "hi"), StreamListener.NONE);
            var log = server.requests();
            double waitedMs = (log.get(1).receivedNanos() - log.get(0).receivedNanos()) / 1e6;
            assertTrue(waitedMs >= 1500 && waitedMs < 4000, "waited " + waitedMs + " ms for retry-after-ms 1500");
        }
    }

    @Test
    void xShouldRetryFalseIsObeyed() {
        try (OpenAiClient c = client(Script.builder()
                .failFirst(503)
                .failHeader("x-should-retry", "false")
                .build())) {
            assertThrows(ChatException.class, () -> c.stream(ChatRequest.of("m", "hi"), StreamListener.NONE));
            assertEquals(1, chats());
        }
    }

    @Test
    void retryAfterIsUsedOnlyWithinSixtySeconds() {
        assertEquals(Duration.ofMillis(1500), OpenAiClient.retryAfter("1500", "9"));
        assertEquals(Duration.ofSeconds(2), OpenAiClient.retryAfter(null, "2"));
        assertNull(OpenAiClient.retryAfter(null, "120"), "beyond 60 s: back off instead");
        assertNull(OpenAiClient.retryAfter(null, "0"));
        assertNull(OpenAiClient.retryAfter(null, "soon"));
    }

    @Test
    void aHugeStreamLineFailsFastWithAClearErrorInsteadOfHanging() {
        try (OpenAiClient c = client(
                Script.builder().tokenCount(5).fault(Script.Fault.HUGE_LINE, 2).build())) {
            long t0 = System.nanoTime();
            ChatException e =
                    assertThrows(ChatException.class, () -> c.stream(ChatRequest.of("m", "hi"), StreamListener.NONE));
            double s = (System.nanoTime() - t0) / 1e9;
            assertEquals(ChatException.Kind.BAD_RESPONSE, e.kind());
            assertTrue(e.getMessage().contains("longer than 1 MiB"), e.getMessage());
            assertTrue(s < 30, "failed after " + s + " s, not at the 120 s read timeout");
        }
    }

    @Test
    void discoveryWaitsForAServerStillLoading() {
        server = ScriptedServer.builder()
                .model("m", Script.defaults())
                .modelsFailFirst(503)
                .start();
        var found = Discovery.discover(Discovery.Options.of(server.baseUrl()).withEnv(Map.of()));
        assertEquals(List.of("m"), found.models().stream().map(x -> x.id()).toList());
        assertEquals(2, server.requestCount(), "one 503, one retry");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "ftp://x|scheme 'ftp' is not supported",
                "http://127.0.0.1:abc/v1|port 'abc' is not a number",
                "http://127.0.0.1:70000/v1|port 70000 is out of range",
                "http:///v1|the host is missing",
                "http://bad host:80/v1|characters a host name cannot have",
                "not-a-url.invalid|does not resolve"
            })
    void endpointTyposNameTheWrongPart(String url, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EndpointUrl.check(url));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void goodEndpointsPass() {
        for (String ok : List.of(
                "http://127.0.0.1:5273/v1", "localhost:11434", "https://localhost/v1/", "http://[::1]:8080/v1")) {
            EndpointUrl.check(ok);
        }
    }
}
