package dev.edgeai.e2e;

import dev.edgeai.engine.EmbeddedBackend;
import dev.edgeai.serve.OpenAiServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI JS SDK (the version {@link OpenAiJsSdkTest} pins) on the Responses and Embeddings APIs:
 * e2e/openai-js/responses-embeddings-test.mjs checks blocking and streamed responses (raw events and the SDK's
 * stream helper), previous_response_id, an image refused, and embeddings in the SDK's default base64 and as floats.
 * The vectors it received must be the library's MiniLM vectors.
 */
class OpenAiJsResponsesTest {
    @Test
    void officialSdkUsesResponsesAndEmbeddings() throws Exception {
        OpenAiJsSdkTest.installSdk();
        try (EmbeddedBackend backend = EmbeddedBackend.load(ScriptRunner.fixture(OpenAiJsSdkTest.LLAMA));
                OpenAiServer server = OpenAiServer.builder()
                        .port(0)
                        .apiKey("sk-local")
                        .alias("phi-4-mini", OpenAiJsSdkTest.LLAMA)
                        .miniLmEmbeddings()
                        .start(backend)) {
            var r = OpenAiJsSdkTest.JS.node(
                    "responses-embeddings-test.mjs",
                    Map.of(
                            "OPENAI_BASE_URL",
                            server.baseUrl(),
                            "OPENAI_API_KEY",
                            "sk-local",
                            "MODEL",
                            "phi-4-mini",
                            "EMBED_MODEL",
                            server.embeddingModel()),
                    120);
            NodeProject.assertReported(
                    r,
                    List.of(
                            "ok responses.create",
                            "ok responses stream",
                            "ok responses.stream helper",
                            "ok previous_response_id",
                            "ok image -> 400",
                            "ok embeddings"));
            NodeProject.assertMiniLmVectors(r);
        }
    }
}
