package dev.edgeai.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.chat.FinishReason;
import dev.edgeai.engine.EmbeddedBackend;
import dev.edgeai.serve.OpenAiServer;
import java.nio.file.Files;
import java.nio.file.Path;
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
    static final Path JS = ScriptRunner.ROOT.resolve("e2e/openai-js");
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
            var r = ScriptRunner.run(
                    Map.of(
                            "OPENAI_BASE_URL",
                            server.baseUrl(),
                            "FAILING_BASE_URL",
                            failing.baseUrl(),
                            "OPENAI_API_KEY",
                            "sk-local",
                            "MODEL",
                            "phi-4-mini"),
                    120,
                    List.of("node", JS.resolve("sdk-test.mjs").toString()));
            assertEquals(0, r.exitCode(), r::toString);
            for (String check : List.of(
                    "ok models",
                    "ok blocking",
                    "ok stream",
                    "ok stop",
                    "ok unknown model",
                    "ok n=2",
                    "ok max_tokens 1 -> length",
                    "ok wrong key",
                    "ok abort",
                    "ok error mid-stream")) {
                assertTrue(r.stdout().contains(check), () -> check + " missing\n" + r);
            }
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

    /** `npm ci` from the committed lock file when node_modules lacks the locked version (node_modules is git-ignored). */
    static void installSdk() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        String locked = json.readTree(JS.resolve("package-lock.json").toFile())
                .path("packages")
                .path("node_modules/openai")
                .path("version")
                .asText();
        Path installed = JS.resolve("node_modules/openai/package.json");
        if (Files.isRegularFile(installed)
                && locked.equals(
                        json.readTree(installed.toFile()).path("version").asText())) return;
        var r = ScriptRunner.run(
                Map.of(),
                300,
                List.of("npm", "--prefix", JS.toString(), "ci", "--no-audit", "--no-fund", "--loglevel=error"));
        assertEquals(
                0,
                r.exitCode(),
                () -> "npm ci in e2e/openai-js failed (node + npm and the npm registry are needed):\n" + r);
    }
}
