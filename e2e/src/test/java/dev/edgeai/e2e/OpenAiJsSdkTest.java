package dev.edgeai.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.chat.FinishReason;
import dev.edgeai.engine.EmbeddedBackend;
import dev.edgeai.serve.OpenAiServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI JS SDK (npm "openai", pinned in e2e/openai-js/package-lock.json) against the server over the
 * embedded engine with a fixture model: e2e/openai-js/sdk-test.mjs checks models, blocking and streamed chat with
 * usage, stop strings, errors as the SDK's own exception classes, an aborted stream, and an error in the middle of
 * a stream (a second server whose backend fails after three tokens).
 */
class OpenAiJsSdkTest {
    static final NodeProject JS = NodeProject.at("e2e/openai-js");
    static final String LLAMA = "tiny-random-LlamaForCausalLM-fp16";

    @Test
    void officialSdkTalksToTheServer() throws Exception {
        installSdk();
        try (EmbeddedBackend backend = EmbeddedBackend.load(ScriptRunner.fixture(LLAMA));
                OpenAiServer server = OpenAiServer.builder()
                        .port(0)
                        .apiKey("sk-local")
                        .alias("phi-4-mini", LLAMA)
                        .start(backend);
                OpenAiServer failing = OpenAiServer.builder()
                        .port(0)
                        .apiKey("sk-local")
                        .alias("phi-4-mini", LLAMA)
                        .errorLog(null)
                        .start(new FailsAfterThreeTokens(backend))) {
            var r = JS.node(
                    "sdk-test.mjs",
                    Map.of(
                            "OPENAI_BASE_URL",
                            server.baseUrl(),
                            "FAILING_BASE_URL",
                            failing.baseUrl(),
                            "OPENAI_API_KEY",
                            "sk-local",
                            "MODEL",
                            "phi-4-mini"),
                    120);
            NodeProject.assertReported(
                    r,
                    List.of(
                            "ok models",
                            "ok blocking",
                            "ok stream",
                            "ok stop",
                            "ok unknown model",
                            "ok n=2",
                            "ok max_tokens 1 -> length",
                            "ok wrong key",
                            "ok abort",
                            "ok error mid-stream"));
            String aborted = r.stdout()
                    .lines()
                    .filter(l -> l.startsWith("aborted "))
                    .findFirst()
                    .orElseThrow()
                    .substring(8);
            OpenAiServer.RequestRecord rec = null;
            for (int i = 0; i < 300 && rec == null; i++) {
                rec = server.recent().stream()
                        .filter(x -> aborted.equals(x.id()))
                        .findFirst()
                        .orElse(null);
                if (rec == null) Thread.sleep(10);
            }
            assertTrue(
                    rec != null && rec.finishReason() == FinishReason.CANCELLED && rec.completionTokens() < 1500,
                    String.valueOf(rec));
        }
    }

    /** The engine's answer, cut after three pieces and ended with a backend failure, as a remote backend can fail. */
    record FailsAfterThreeTokens(EmbeddedBackend inner) implements dev.edgeai.chat.ChatBackend {
        @Override
        public dev.edgeai.chat.BackendInfo info() {
            return inner.info();
        }

        @Override
        public List<dev.edgeai.chat.ModelInfo> models() {
            return inner.models();
        }

        @Override
        public dev.edgeai.chat.ChatResult stream(
                dev.edgeai.chat.ChatRequest request, dev.edgeai.chat.StreamListener listener) {
            int[] pieces = {0};
            inner.stream(request, new dev.edgeai.chat.StreamListener() {
                @Override
                public void onToken(String text) {
                    pieces[0]++;
                    listener.onToken(text);
                }

                @Override
                public boolean isCancelled() {
                    return pieces[0] >= 3 || listener.isCancelled();
                }
            });
            throw new dev.edgeai.chat.ChatException(
                    dev.edgeai.chat.ChatException.Kind.SERVER, "the backend failed part-way through the answer");
        }
    }

    static void installSdk() throws Exception {
        JS.install("openai");
    }
}
