package dev.edgeai.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeai.engine.EmbeddedBackend;
import dev.edgeai.retrieval.Embedder;
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
    static final List<String> TEXTS = List.of("The NPU runs small models locally.", "Edge AI workshop");

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
            var r = ScriptRunner.run(
                    Map.of(
                            "OPENAI_BASE_URL",
                            server.baseUrl(),
                            "OPENAI_API_KEY",
                            "sk-local",
                            "MODEL",
                            "phi-4-mini",
                            "EMBED_MODEL",
                            server.embeddingModel()),
                    120,
                    List.of(
                            "node",
                            OpenAiJsSdkTest.JS
                                    .resolve("responses-embeddings-test.mjs")
                                    .toString()));
            assertEquals(0, r.exitCode(), r::toString);
            r.stdout().lines().filter(l -> l.startsWith("ok ")).forEach(System.out::println);
            for (String check : List.of(
                    "ok responses.create",
                    "ok responses stream",
                    "ok responses.stream helper",
                    "ok previous_response_id",
                    "ok image -> 400",
                    "ok embeddings")) {
                assertTrue(r.stdout().contains(check), () -> check + " missing\n" + r);
            }
            List<float[]> expected = Embedder.miniLm().embedAll(TEXTS);
            var json = new ObjectMapper();
            for (int i = 0; i < TEXTS.size(); i++) {
                String prefix = "vector " + i + " ";
                String line = r.stdout()
                        .lines()
                        .filter(l -> l.startsWith(prefix))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(prefix + "missing\n" + r));
                assertArrayEquals(
                        expected.get(i), json.readValue(line.substring(prefix.length()), float[].class), "vector " + i);
            }
        }
    }
}
