package dev.edgeai.serve;

import static dev.edgeai.serve.OpenAiServerTest.assertError;
import static dev.edgeai.serve.OpenAiServerTest.events;
import static dev.edgeai.serve.OpenAiServerTest.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeai.chat.BackendInfo;
import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.chat.FinishReason;
import dev.edgeai.chat.ModelInfo;
import dev.edgeai.chat.StreamListener;
import dev.edgeai.chat.Timings;
import dev.edgeai.chat.Usage;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the server sends for each way a backend can end an answer, and what it hands the backend, over real HTTP.
 * The backend here answers "a", "b" and ends with the reason the test picks, like a remote server would.
 */
class OpenAiServerFinishTest {
    static final class Ending implements ChatBackend {
        volatile FinishReason reason = FinishReason.STOP;
        final AtomicReference<ChatRequest> last = new AtomicReference<>();

        @Override
        public BackendInfo info() {
            return new BackendInfo("test", null, null);
        }

        @Override
        public List<ModelInfo> models() {
            return List.of(new ModelInfo("m", null));
        }

        @Override
        public ChatResult stream(ChatRequest request, StreamListener listener) {
            last.set(request);
            listener.onToken("a");
            listener.onToken("b");
            return new ChatResult("m", "ab", reason, new Usage(3, 2, false), new Timings(1, 2, List.of(1.0), 0));
        }
    }

    static String body(boolean stream, String extra) {
        return "{\"model\":\"m\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"
                + extra + "}";
    }

    @ParameterizedTest
    @CsvSource({
        "STOP, stop",
        "LENGTH, length",
        "OTHER, stop",
        "TOOL_CALLS, tool_calls",
        "CONTENT_FILTER, content_filter"
    })
    void aFinishedAnswerIsSentWithTheReasonOpenAiClientsKnow(FinishReason reason, String wire) throws Exception {
        Ending backend = new Ending();
        backend.reason = reason;
        try (OpenAiServer s = OpenAiServer.builder().port(0).start(backend)) {
            JsonNode blocking = post(s, body(false, "")).json();
            assertEquals(
                    wire, blocking.path("choices").get(0).path("finish_reason").asText(), blocking::toString);
            List<String> ev = events(post(s, body(true, "")).body());
            assertEquals("[DONE]", ev.getLast());
            JsonNode last = OpenAiServerTest.JSON.readTree(ev.get(ev.size() - 2));
            assertEquals(wire, last.path("choices").get(0).path("finish_reason").asText(), last::toString);
            assertEquals(reason, s.recent().getLast().finishReason());
        }
    }

    @Test
    void anAnswerTheBackendEndedWithAnErrorIsAnError() throws Exception {
        Ending backend = new Ending();
        backend.reason = FinishReason.ERROR;
        try (OpenAiServer s = OpenAiServer.builder().port(0).start(backend)) {
            assertError(post(s, body(false, "")), 500, null, "backend_error");
            String streamed = post(s, body(true, "")).body();
            List<String> ev = events(streamed);
            assertFalse(ev.contains("[DONE]"), streamed);
            assertTrue(streamed.endsWith("event: error\ndata: " + ev.getLast() + "\n\n"), streamed);
            assertEquals(
                    "backend_error",
                    OpenAiServerTest.JSON
                            .readTree(ev.getLast())
                            .path("error")
                            .path("code")
                            .asText());
        }
    }

    @Test
    void theBackendGetsWhatTheClientAskedFor() throws Exception {
        Ending backend = new Ending();
        try (OpenAiServer s = OpenAiServer.builder().port(0).start(backend)) {
            post(
                    s,
                    body(
                            false,
                            ",\"max_tokens\":5,\"max_completion_tokens\":7,\"top_k\":20,\"top_p\":0.5,\"seed\":3,"
                                    + "\"stop\":\"x\",\"temperature\":0.2"));
            assertEquals(
                    ChatRequest.builder("m")
                            .user("hi")
                            .maxTokens(7)
                            .topK(20)
                            .topP(0.5)
                            .seed(3L)
                            .stop(List.of("x"))
                            .temperature(0.2)
                            .build(),
                    backend.last.get());
        }
    }
}
