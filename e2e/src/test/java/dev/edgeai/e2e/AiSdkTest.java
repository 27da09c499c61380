package dev.edgeai.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.chat.BackendInfo;
import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.chat.FinishReason;
import dev.edgeai.chat.ModelInfo;
import dev.edgeai.chat.StreamListener;
import dev.edgeai.chat.Usage;
import dev.edgeai.engine.EmbeddedBackend;
import dev.edgeai.serve.OpenAiServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Vercel AI SDK (npm "ai" with "@ai-sdk/openai" and "@ai-sdk/openai-compatible", pinned in
 * e2e/ai-sdk/package-lock.json) against the server over the embedded engine with a fixture model:
 * e2e/ai-sdk/sdk-test.mjs drives the default {@code openai(id)} provider through /v1/responses (blocking, streamed,
 * previous_response_id, errors), the openai-compatible provider through chat completions and embeddings, and both
 * through a stream that fails part-way. The vectors it received must be the library's MiniLM vectors.
 */
class AiSdkTest {
    static final NodeProject JS = NodeProject.at("e2e/ai-sdk");
    static final String LLAMA = OpenAiJsSdkTest.LLAMA;

    /** Answers "a", "b", then reports an error: the stream has begun, so the error must go in-band. */
    static final class FailsAfterTwoTokens implements ChatBackend {
        @Override
        public BackendInfo info() {
            return new BackendInfo("failing", null, null);
        }

        @Override
        public List<ModelInfo> models() {
            return List.of(new ModelInfo("m", null));
        }

        @Override
        public ChatResult stream(ChatRequest request, StreamListener listener) {
            listener.onToken("a");
            listener.onToken("b");
            return new ChatResult("m", "ab", FinishReason.ERROR, new Usage(3, 2, false), null);
        }
    }

    @Test
    void aiSdkTalksToTheServer() throws Exception {
        JS.install("ai", "@ai-sdk/openai", "@ai-sdk/openai-compatible");
        try (EmbeddedBackend backend = EmbeddedBackend.load(ScriptRunner.fixture(LLAMA));
                OpenAiServer server = OpenAiServer.builder()
                        .port(0)
                        .apiKey("sk-local")
                        .alias("phi-4-mini", LLAMA)
                        .miniLmEmbeddings()
                        .start(backend);
                OpenAiServer failing = OpenAiServer.builder()
                        .port(0)
                        .apiKey("sk-local")
                        .errorLog(null)
                        .start(new FailsAfterTwoTokens())) {
            var r = JS.node(
                    "sdk-test.mjs",
                    Map.of(
                            "OPENAI_BASE_URL", server.baseUrl(),
                            "OPENAI_API_KEY", "sk-local",
                            "MODEL", "phi-4-mini",
                            "EMBED_MODEL", server.embeddingModel(),
                            "FAILING_BASE_URL", failing.baseUrl()),
                    180);
            NodeProject.assertReported(
                    r,
                    List.of(
                            "ok responses generateText",
                            "ok responses streamText",
                            "ok responses previousResponseId",
                            "ok responses system",
                            "ok responses unknown model",
                            "ok responses tools -> 400",
                            "ok compatible generateText",
                            "ok compatible streamText",
                            "ok embeddings",
                            "ok responses mid-stream error",
                            "ok compatible mid-stream error"));
            NodeProject.assertMiniLmVectors(r);
            assertTrue(
                    server.recent().stream().anyMatch(x -> x.id().startsWith("resp_") && x.stream()),
                    "a streamed /v1/responses request was served: " + server.recent());
        }
    }
}
