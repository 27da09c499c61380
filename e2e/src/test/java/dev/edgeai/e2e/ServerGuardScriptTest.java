package dev.edgeai.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The servers' access options as attendees pass them to the scripts: a bad value fails at once in one line (before any
 * model loads), and the environment variables reach the guard of the running serve.java.
 */
class ServerGuardScriptTest {
    static final String LLAMA = "tiny-random-LlamaForCausalLM-fp16";

    @TempDir
    Path tmp;

    @Test
    void aBadOriginOrHostNameFailsAtOnceInOneLine() throws Exception {
        var serve = ScriptRunner.jbang(
                Map.of(),
                "scripts/serve.java",
                "--port",
                "0",
                "--cors",
                "localhost:3000",
                "--model",
                "test-org/not-cached");
        assertEquals(1, serve.exitCode(), serve::toString);
        assertTrue(serve.stderr().contains("error: --cors takes origins like http://localhost:3000"), serve::toString);
        assertFalse(serve.stderr().contains("not-cached"), "fails before looking for any model: " + serve);
        var rag = ScriptRunner.jbang(
                Map.of("EDGEAI_ALLOWED_HOSTS", "http://my-laptop.local"), "scripts/rag_chat.java", "--port", "0");
        assertEquals(1, rag.exitCode(), rag::toString);
        assertTrue(rag.stderr().contains("error: --allowed-hosts takes host names, not URLs"), rag::toString);
    }

    @Test
    void theEnvironmentReachesTheRunningServersGuard() throws Exception {
        try (ServeProcess p = ServeProcess.start(
                tmp,
                Map.of("EDGEAI_ALLOWED_HOSTS", "my-laptop.local", "EDGEAI_CORS", "http://localhost:3000"),
                List.of(
                        "scripts/serve.java",
                        "--port",
                        "0",
                        "--model",
                        ScriptRunner.fixture(LLAMA).toString()))) {
            int port = URI.create(p.awaitUrl()).getPort();
            assertTrue(head(port, "GET /v1/models HTTP/1.1\r\nHost: my-laptop.local:" + port)
                    .startsWith("HTTP/1.1 200"));
            String refused = head(port, "GET /v1/models HTTP/1.1\r\nHost: attacker.example");
            assertTrue(refused.startsWith("HTTP/1.1 403"), refused);
            String body = "{\"model\":\"" + LLAMA
                    + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":2}";
            String allowed = head(
                    port,
                    "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + port
                            + "\r\nOrigin: http://localhost:3000\r\nContent-Type: application/json\r\nContent-Length: "
                            + body.length(),
                    body);
            assertTrue(allowed.startsWith("HTTP/1.1 200"), allowed);
            assertTrue(allowed.toLowerCase().contains("access-control-allow-origin: http://localhost:3000"), allowed);
            String foreign = head(
                    port,
                    "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + port
                            + "\r\nOrigin: http://localhost:3001\r\nContent-Type: application/json\r\nContent-Length: "
                            + body.length(),
                    body);
            assertTrue(foreign.startsWith("HTTP/1.1 403"), foreign);
            Thread.sleep(200);
            String err = p.err();
            assertEquals(
                    2,
                    err.lines().filter(l -> l.startsWith("request refused: ")).count(),
                    err);
            assertTrue(err.contains("Host 'attacker.example' is not allowed"), err);
        }
    }

    /** Status line and headers of one request on its own connection. */
    static String head(int port, String head, String... body) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(
                    (head + "\r\nConnection: close\r\n\r\n" + String.join("", body)).getBytes(StandardCharsets.UTF_8));
            out.flush();
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = all.indexOf("\r\n\r\n");
            return end < 0 ? all : all.substring(0, end);
        }
    }
}
