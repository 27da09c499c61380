package dev.edgeai.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.chat.BackendInfo;
import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.chat.ModelInfo;
import dev.edgeai.chat.StreamListener;
import dev.edgeai.engine.EmbeddedBackend;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * serve.java as LangChain4j's users reach it ({@code langchain4j-open-ai} 1.19, its documented builders): a blocking
 * and a streamed answer equal the engine's own, with finish reason and usage; an error in the middle of a stream
 * reaches {@code onError} (LangChain4j routes only SSE events named "error" there: the server names them).
 */
class LangChain4jClientTest {
    static final String LLAMA = OpenAiServerTest.LLAMA;

    @Test
    void blockingAndStreamedAnswersEqualTheEnginesOwn() throws Exception {
        try (EmbeddedBackend backend = EmbeddedBackend.load(OpenAiServerTest.MODELS.resolve(LLAMA));
                OpenAiServer server = OpenAiServer.builder().port(0).start(backend)) {
            String expected = backend.chat(dev.edgeai.chat.ChatRequest.builder(LLAMA)
                            .user("Hello, my name is")
                            .maxTokens(12)
                            .temperature(0.0)
                            .build())
                    .text();

            OpenAiChatModel model = OpenAiChatModel.builder()
                    .baseUrl(server.baseUrl())
                    .apiKey("not-needed")
                    .modelName(LLAMA)
                    .maxTokens(12)
                    .temperature(0.0)
                    .build();
            ChatResponse blocking = model.chat(dev.langchain4j.model.chat.request.ChatRequest.builder()
                    .messages(dev.langchain4j.data.message.UserMessage.from("Hello, my name is"))
                    .build());
            assertEquals(expected, blocking.aiMessage().text());
            assertEquals(dev.langchain4j.model.output.FinishReason.LENGTH, blocking.finishReason());
            assertEquals(12, blocking.tokenUsage().outputTokenCount());

            OpenAiStreamingChatModel streaming = OpenAiStreamingChatModel.builder()
                    .baseUrl(server.baseUrl())
                    .apiKey("not-needed")
                    .modelName(LLAMA)
                    .maxTokens(12)
                    .temperature(0.0)
                    .build();
            Collected c = stream(streaming);
            assertNull(c.error.getNow(null));
            assertEquals(expected, c.partial.toString());
            ChatResponse done = c.complete.get(30, TimeUnit.SECONDS);
            assertEquals(expected, done.aiMessage().text());
            assertEquals(dev.langchain4j.model.output.FinishReason.LENGTH, done.finishReason());
            assertNotNull(done.tokenUsage(), "usage arrives (stream_options.include_usage)");
        }
    }

    @Test
    void anErrorMidStreamReachesOnError() throws Exception {
        try (OpenAiServer server = OpenAiServer.builder().port(0).errorLog(null).start(new FailsMidway())) {
            OpenAiStreamingChatModel streaming = OpenAiStreamingChatModel.builder()
                    .baseUrl(server.baseUrl())
                    .apiKey("not-needed")
                    .modelName("m")
                    .build();
            Collected c = stream(streaming);
            Throwable error = c.error.get(30, TimeUnit.SECONDS);
            Thread.sleep(200); // a completion that follows the error would be recorded by now
            assertTrue(String.valueOf(error.getMessage()).contains("the engine fell over"), String.valueOf(error));
            assertEquals("ab", c.partial.toString(), "the text before the error was delivered");
            // LangChain4j may still call onCompleteResponse when the connection closes; the error must come first,
            // so a caller that acts on the first callback sees the failure, not a short answer.
            assertEquals("error", c.order.get(0), c.order::toString);
            System.out.println("LangChain4j callbacks after a mid-stream error: " + c.order);
        }
    }

    record Collected(
            StringBuffer partial,
            CompletableFuture<ChatResponse> complete,
            CompletableFuture<Throwable> error,
            List<String> order) {}

    static Collected stream(OpenAiStreamingChatModel model) throws Exception {
        Collected c = new Collected(
                new StringBuffer(),
                new CompletableFuture<>(),
                new CompletableFuture<>(),
                new java.util.concurrent.CopyOnWriteArrayList<>());
        model.chat("Hello, my name is", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String text) {
                c.partial.append(text);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                c.order.add("complete");
                c.complete.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                c.order.add("error");
                c.error.complete(error);
            }
        });
        CompletableFuture.anyOf(c.complete, c.error).get(60, TimeUnit.SECONDS);
        return c;
    }

    /** Streams "a", "b", then fails as a backend can part-way through an answer. */
    static final class FailsMidway implements ChatBackend {
        @Override
        public BackendInfo info() {
            return new BackendInfo("test", null, null);
        }

        @Override
        public List<ModelInfo> models() {
            return List.of(new ModelInfo("m", null));
        }

        @Override
        public ChatResult stream(dev.edgeai.chat.ChatRequest request, StreamListener listener) {
            listener.onToken("a");
            listener.onToken("b");
            throw new ChatException(ChatException.Kind.SERVER, "the engine fell over");
        }
    }
}
