package dev.edgeai.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ModelInfo;
import dev.edgeai.client.ClientSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real HTTP servers on 127.0.0.1 and a real `foundry` executable on PATH (a shell script printing like the CLI). */
class DiscoveryTest {
    @TempDir
    Path tmp;

    HttpServer server;
    final AtomicInteger hits = new AtomicInteger();
    final CountDownLatch answered = new CountDownLatch(1);

    @AfterEach
    void stop() {
        answered.countDown();
        if (server != null) server.stop(0);
    }

    int serve(int status, String body) throws IOException {
        return serve(status, body, null);
    }

    int serve(int status, String body, String serverHeader) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            hits.incrementAndGet();
            if (serverHeader != null) ex.getResponseHeaders().set("X-Edgeai-Server", serverHeader);
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        return server.getAddress().getPort();
    }

    static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    Map<String, String> env(String... kv) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", tmp.resolve("bin").toString()); // no foundry unless a test writes one
        env.put("OLLAMA_HOST", "127.0.0.1:" + deadPort()); // never the developer's real Ollama
        env.put("EDGEAI_SERVE_PORT", String.valueOf(deadPort())); // nor a serve.java running on 5273
        for (int i = 0; i < kv.length; i += 2) env.put(kv[i], kv[i + 1]);
        return env;
    }

    void fakeFoundry(String output) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path cli = bin.resolve("foundry");
        Files.writeString(
                cli, "#!/bin/sh\nif [ \"$1\" = service ]; then printf '%s\\n' '" + output + "'; exit 0; fi\nexit 1\n");
        Files.setPosixFilePermissions(cli, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    Discovery.Options opts(String endpoint, Map<String, String> env) {
        return new Discovery.Options(
                endpoint, env, new ClientSettings(Duration.ofSeconds(2), Duration.ofSeconds(2), 2), false);
    }

    @Test
    void explicitEndpointIsConfirmedWithModels() throws IOException {
        int port = serve(200, "{\"object\":\"list\",\"data\":[{\"id\":\"phi-4-mini\",\"owned_by\":\"me\"}]}");
        Discovery.Found f = Discovery.discover(opts("127.0.0.1:" + port, env()));
        assertEquals("http://127.0.0.1:" + port + "/v1", f.backend().url());
        assertEquals(List.of(new ModelInfo("phi-4-mini", "me")), f.models());
    }

    @Test
    void envEndpointUsedWhenNoOption() throws IOException {
        int port = serve(200, "{\"data\":[{\"id\":\"m\"}]}");
        Discovery.Found f = Discovery.discover(opts(null, env("OPENAI_BASE_URL", "http://127.0.0.1:" + port + "/v1/")));
        assertEquals("http://127.0.0.1:" + port + "/v1", f.backend().url());
        assertTrue(f.trace().get(0).contains("OPENAI_BASE_URL"), f.trace().toString());
    }

    @Test
    void explicitEndpointThatIsDownFailsWithoutFallingBack() throws IOException {
        int dead = deadPort();
        ChatException e =
                assertThrows(ChatException.class, () -> Discovery.discover(opts("http://127.0.0.1:" + dead, env())));
        assertEquals(ChatException.Kind.UNREACHABLE, e.kind());
        assertTrue(e.getMessage().contains("127.0.0.1:" + dead), e.getMessage());
    }

    @Test
    void explicitEndpointAnswering401AsksForApiKey() throws IOException {
        int port = serve(401, "{\"error\":{\"message\":\"bad key\"}}");
        ChatException e =
                assertThrows(ChatException.class, () -> Discovery.discover(opts("http://127.0.0.1:" + port, env())));
        assertEquals(ChatException.Kind.AUTH, e.kind());
        assertTrue(e.getMessage().contains("OPENAI_API_KEY"), e.getMessage());
    }

    @Test
    void nonJsonAnswerIsNamed() throws IOException {
        int port = serve(200, "<html>proxy login</html>");
        ChatException e =
                assertThrows(ChatException.class, () -> Discovery.discover(opts("http://127.0.0.1:" + port, env())));
        assertTrue(e.getMessage().contains("not JSON"), e.getMessage());
    }

    @Test
    void foundryCliOutputIsParsedAndConfirmed() throws IOException {
        int port = serve(200, "{\"data\":[{\"id\":\"Phi-4-mini-instruct-generic-cpu:4\"}]}");
        fakeFoundry("🟢 Model management service is running on http://127.0.0.1:" + port + "/openai/status");
        Discovery.Found f = Discovery.discover(opts(null, env()));
        assertEquals("foundry", f.backend().kind());
        assertEquals("http://127.0.0.1:" + port + "/v1", f.backend().url());
    }

    @Test
    void foundryWithoutLoadedModelSaysWhatToRun() throws IOException {
        int port = serve(200, "{\"data\":[],\"object\":\"list\"}");
        fakeFoundry("Service is Started on http://127.0.0.1:" + port + "/, PID 4242!");
        Discovery.Found f = Discovery.discover(opts(null, env()));
        assertTrue(f.models().isEmpty());
        assertTrue(
                String.join("\n", f.trace()).contains("foundry model run phi-4-mini"),
                f.trace().toString());
    }

    @Test
    void ollamaFoundOnItsHost() throws IOException {
        int port = serve(200, "{\"data\":[{\"id\":\"qwen2.5:7b\"}]}");
        Discovery.Found f = Discovery.discover(opts(null, env("OLLAMA_HOST", "127.0.0.1:" + port)));
        assertEquals("ollama", f.backend().kind());
    }

    @Test
    void nothingFoundExplainsEveryStepAndHowToStartAServer() throws IOException {
        fakeFoundry("🔴 Model management service is not running!");
        Discovery.NotFound e = assertThrows(Discovery.NotFound.class, () -> Discovery.discover(opts(null, env())));
        String m = e.getMessage();
        assertTrue(m.contains("FOUNDRY_LOCAL_ENDPOINT"), m);
        assertTrue(m.contains("printed no URL"), m);
        assertTrue(m.contains("Ollama at"), m);
        assertTrue(m.contains("foundry model run phi-4-mini") && m.contains("ollama serve"), m);
    }

    @Test
    void embeddedFallbackWhenAllowed() throws IOException {
        Discovery.Found f = Discovery.discover(opts(null, env()).withEmbeddedFallback(true));
        assertTrue(f.embedded());
    }

    @Test
    void firstUrlParsesBothCliVersions() {
        assertEquals(
                "http://127.0.0.1:54150",
                Discovery.firstUrl("🟢 Model management service is running on http://127.0.0.1:54150/openai/status")
                        .orElseThrow());
        assertEquals(
                "http://localhost:64646",
                Discovery.firstUrl("Service is Started on http://localhost:64646/, PID 11!")
                        .orElseThrow());
        assertTrue(Discovery.firstUrl("🔴 not running").isEmpty());
    }

    @Test
    void serveJavaOnItsPortComesBeforeFoundryAndOllama() throws IOException {
        fakeFoundry("🟢 Model management service is running on http://127.0.0.1:1/openai/status");
        int port = serve(200, "{\"object\":\"list\",\"data\":[{\"id\":\"Qwen2.5-0.5B-Instruct\"}]}", "serve.java");
        Discovery.Found f = Discovery.discover(opts(null, env("EDGEAI_SERVE_PORT", String.valueOf(port))));
        assertEquals("serve", f.backend().kind());
        assertEquals("http://127.0.0.1:" + port + "/v1", f.backend().url());
        assertEquals(
                List.of("Qwen2.5-0.5B-Instruct"),
                f.models().stream().map(ModelInfo::id).toList());
        assertTrue(f.trace().getLast().startsWith("serve.java at http://127.0.0.1:" + port), f.trace()::toString);
    }

    @Test
    void anotherServerOnServeJavasPortIsUsedAndNamedAsSuch() throws IOException {
        int port = serve(200, "{\"data\":[{\"id\":\"Phi-4-mini-instruct-generic-cpu:4\"}]}");
        Discovery.Found f = Discovery.discover(opts(null, env("EDGEAI_SERVE_PORT", String.valueOf(port))));
        assertEquals("openai", f.backend().kind());
        assertTrue(f.trace().getLast().contains("not serve.java"), f.trace()::toString);
    }

    @Test
    void serveJavaProbeSaysWhatToStartOrThatItIsOff() throws IOException {
        Discovery.Found f = Discovery.discover(opts(null, env()).withEmbeddedFallback(true));
        assertTrue(
                f.trace().stream()
                        .anyMatch(t -> t.contains("serve.java at")
                                && t.contains("nothing listening")
                                && t.contains("./jbang scripts/serve.java")),
                f.trace()::toString);
        Discovery.Found off =
                Discovery.discover(opts(null, env("EDGEAI_SERVE_PORT", "off")).withEmbeddedFallback(true));
        assertTrue(off.trace().stream().anyMatch(t -> t.contains("serve.java: not probed")), off.trace()::toString);
    }

    @Test
    void probesRetryAsOftenAsTheScriptWasTold() throws IOException {
        int port = serve(503, "{\"error\":{\"message\":\"loading\"}}");
        Map<String, String> env = env();
        ChatException once = assertThrows(
                ChatException.class,
                () -> Discovery.discover(opts("127.0.0.1:" + port, env)
                        .withClient(new ClientSettings(Duration.ofSeconds(2), Duration.ofSeconds(2), 0))));
        assertEquals(ChatException.Kind.SERVER, once.kind());
        assertEquals(1, hits.get(), "--max-retries 0: one request");
        hits.set(0);
        assertThrows(
                ChatException.class,
                () -> Discovery.discover(opts("127.0.0.1:" + port, env)
                        .withClient(new ClientSettings(Duration.ofSeconds(2), Duration.ofSeconds(2), 1))));
        assertEquals(2, hits.get(), "--max-retries 1: one retry");
    }

    @Test
    void aServerThatSaysNothingTimesOutAfterTheScriptsTimeout() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            try {
                answered.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        server.start();
        long t0 = System.nanoTime();
        ChatException e = assertThrows(
                ChatException.class,
                () -> Discovery.discover(opts("127.0.0.1:" + server.getAddress().getPort(), env())
                        .withClient(new ClientSettings(Duration.ofSeconds(2), Duration.ofMillis(300), 0))));
        assertEquals(ChatException.Kind.TIMEOUT, e.kind(), e::getMessage);
        assertTrue((System.nanoTime() - t0) / 1e9 < 4.5, "gave up at the 300 ms --timeout, not the server's 5 s");
        answered.countDown();
    }

    @Test
    void guessedAddressesWhereNothingListensAreNotRetried() throws IOException {
        // Twenty retries with backoff would take minutes for each of serve.java's port and Ollama's.
        long t0 = System.nanoTime();
        Discovery.Found f = Discovery.discover(opts(null, env())
                .withClient(new ClientSettings(Duration.ofSeconds(2), Duration.ofSeconds(2), 20))
                .withEmbeddedFallback(true));
        assertTrue(f.embedded());
        assertTrue((System.nanoTime() - t0) / 1e9 < 10, f.trace()::toString);
        assertTrue(
                f.trace().stream().anyMatch(t -> t.startsWith("Ollama at") && t.contains("connection refused")),
                f.trace()::toString);
    }
}
