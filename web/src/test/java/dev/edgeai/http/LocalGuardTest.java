package dev.edgeai.http;

import static dev.edgeai.http.RawHttp.get;
import static dev.edgeai.http.RawHttp.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The guard on a small Javalin app spoken to over raw sockets: which Hosts and Origins pass, what a refused request
 * gets (status, JSON, one log line), and that the app's handler never ran for it.
 */
class LocalGuardTest {
    static final ObjectMapper JSON = new ObjectMapper();

    final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    final AtomicInteger ran = new AtomicInteger();
    Javalin app;
    int port;

    @AfterEach
    void stop() {
        if (app != null) app.stop();
    }

    void start(LocalGuard.Access access) {
        LocalGuard guard = LocalGuard.builder("test-app")
                .access(access)
                .upload("/upload")
                .open("/health")
                .routes("GET /thing, POST /act, POST /upload")
                .errorBody((status, code, message) -> Map.of("error", message, "code", code))
                .log(new RequestLog(new PrintStream(logged, true, StandardCharsets.UTF_8), false))
                .build();
        app = Javalin.create(cfg -> {
                    cfg.startup.showJavalinBanner = false;
                    guard.install(cfg);
                    cfg.routes.get("/thing", ctx -> ctx.result("thing"));
                    cfg.routes.get("/thing/{id}", ctx -> ctx.result("thing " + ctx.pathParam("id")));
                    cfg.routes.get("/health", ctx -> ctx.result(LocalGuard.hostAllowed(ctx) ? "full" : "up"));
                    cfg.routes.post("/act", ctx -> {
                        ran.incrementAndGet();
                        ctx.result("acted");
                    });
                    cfg.routes.post("/upload", ctx -> {
                        ran.incrementAndGet();
                        ctx.result("uploaded");
                    });
                    cfg.routes.get("/boom", ctx -> {
                        throw new IllegalStateException("secret detail /home/user/.ssh");
                    });
                })
                .start("127.0.0.1", 0);
        port = app.port();
    }

    String own() {
        return "127.0.0.1:" + port;
    }

    List<String> lines() {
        return logged.toString(StandardCharsets.UTF_8).lines().toList();
    }

    static JsonNode json(RawHttp.Response r) throws Exception {
        assertTrue(r.header("content-type").startsWith("application/json"), r::toString);
        return JSON.readTree(r.body());
    }

    @Test
    void hostsOtherThanLocalOnesAndTheAllowedAreRefusedOnEveryRoute() throws Exception {
        start(LocalGuard.Access.LOCAL);
        for (String host : List.of(
                own(),
                "localhost:" + port,
                "LOCALHOST",
                "app.localhost:1",
                "[::1]:" + port,
                "10.1.2.3:80",
                "127.0.0.1")) assertEquals(200, get(port, host, "/thing").status(), host);
        for (String host : List.of(
                "attacker.example",
                "attacker.example:" + port,
                "127.0.0.1.attacker.example",
                "localhost.attacker.example",
                "1.2.3.4.nip.io",
                "host.docker.internal:" + port)) {
            RawHttp.Response r = get(port, host, "/thing");
            assertEquals(403, r.status(), host);
            JsonNode e = json(r);
            assertEquals("host_not_allowed", e.path("code").asText());
            assertTrue(e.path("error").asText().contains("--allowed-hosts"), r::toString);
            RawHttp.Response p = post(port, host, "/act", "{}", "Content-Type: application/json");
            assertEquals(403, p.status(), host);
        }
        assertEquals(0, ran.get(), "no refused request reached the handler");
        assertEquals(12, lines().size(), () -> "one line per refused request: " + lines());
        assertTrue(
                lines().getFirst().startsWith("request refused: GET /thing -> 403 (from 127.0.0.1): Host"),
                lines().getFirst());
        // the open path answers every Host, telling the handler
        assertEquals("up", get(port, "attacker.example", "/health").body());
        assertEquals("full", get(port, own(), "/health").body());
    }

    @Test
    void allowedHostsAddNamesDomainsOrAnything() throws Exception {
        start(new LocalGuard.Access(List.of("Host.Docker.Internal:5273", ".corp.example"), List.of()));
        assertEquals(200, get(port, "host.docker.internal:" + port, "/thing").status());
        assertEquals(200, get(port, "a.b.corp.example", "/thing").status());
        assertEquals(200, get(port, "corp.example", "/thing").status());
        assertEquals(403, get(port, "evilcorp.example", "/thing").status());
        stop();
        start(new LocalGuard.Access(List.of("*"), List.of()));
        assertEquals(200, get(port, "anything.example", "/thing").status());
    }

    @Test
    void statePostsFromForeignPagesAreRefusedAndOwnPagesAndNonBrowsersPass() throws Exception {
        start(LocalGuard.Access.LOCAL);
        String json = "Content-Type: application/json";
        // own page (browsers send Origin on every POST), and clients that are not browsers (no Origin)
        assertEquals(
                200,
                post(port, own(), "/act", "{}", json, "Origin: http://" + own()).status());
        assertEquals(200, post(port, own(), "/act", "{}", json).status());
        assertEquals(200, post(port, own(), "/act", "{}").status(), "no Content-Type, no Origin: curl-like");
        assertEquals(2 + 1, ran.get());
        ran.set(0);
        // a foreign page: JSON (after a preflight it would fail anyway), a text/plain form, a no-cors Blob (no type)
        for (String[] headers : List.of(
                new String[] {json, "Origin: http://evil.example"},
                new String[] {"Content-Type: text/plain", "Origin: http://evil.example"},
                new String[] {"Origin: http://evil.example"},
                new String[] {"Content-Type: application/x-www-form-urlencoded", "Origin: null"},
                new String[] {json, "Origin: http://localhost:" + (port + 1)},
                new String[] {json, "Sec-Fetch-Site: cross-site"})) {
            RawHttp.Response r = post(port, own(), "/act", "{}", headers);
            assertEquals(403, r.status(), () -> List.of(headers) + " " + r);
            assertTrue(json(r).path("code").asText().matches("origin_not_allowed|cross_site_request"), r::toString);
        }
        // the own page with a type that is not JSON
        RawHttp.Response plain = post(port, own(), "/act", "hi", "Content-Type: text/plain", "Origin: http://" + own());
        assertEquals(415, plain.status(), plain::toString);
        assertEquals(0, ran.get(), "no refused request reached the handler");
        // reading is not refused (the browser keeps a foreign page from seeing the answer: no CORS headers)
        RawHttp.Response read = get(port, own(), "/thing", "Origin: http://evil.example");
        assertEquals(200, read.status());
        assertNull(read.header("access-control-allow-origin"));
    }

    @Test
    void corsOriginsMayCallAndGetHeaders() throws Exception {
        start(new LocalGuard.Access(List.of(), List.of("http://localhost:3000/")));
        RawHttp.Response pre = RawHttp.send(
                port,
                "OPTIONS /act HTTP/1.1\r\nHost: " + own() + "\r\nOrigin: http://localhost:3000\r\n"
                        + "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type");
        assertEquals(204, pre.status(), pre::toString);
        assertEquals("http://localhost:3000", pre.header("access-control-allow-origin"));
        assertEquals("content-type", pre.header("access-control-allow-headers"));
        RawHttp.Response r =
                post(port, own(), "/act", "{}", "Content-Type: application/json", "Origin: http://localhost:3000");
        assertEquals(200, r.status(), r::toString);
        assertEquals("http://localhost:3000", r.header("access-control-allow-origin"));
        assertEquals(
                403,
                post(port, own(), "/act", "{}", "Content-Type: application/json", "Origin: http://localhost:3001")
                        .status());
        assertThrows(IllegalArgumentException.class, () -> new LocalGuard.Access(List.of(), List.of("localhost:3000")));
        assertThrows(IllegalArgumentException.class, () -> new LocalGuard.Access(List.of(), List.of("http://a/b")));
        assertThrows(IllegalArgumentException.class, () -> new LocalGuard.Access(List.of("http://x"), List.of()));
    }

    @Test
    void uploadsComeFromTheOwnPageOrCarryThePageHeader() throws Exception {
        start(LocalGuard.Access.LOCAL);
        String multipart = "Content-Type: multipart/form-data; boundary=b";
        String body = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.md\"\r\n\r\nx\r\n--b--\r\n";
        assertEquals(
                200,
                post(port, own(), "/upload", body, multipart, "Origin: http://" + own())
                        .status());
        assertEquals(
                200,
                post(port, own(), "/upload", body, multipart, LocalGuard.PAGE_HEADER + ": 1")
                        .status());
        assertEquals(2, ran.get());
        RawHttp.Response bare = post(port, own(), "/upload", body, multipart);
        assertEquals(403, bare.status(), bare::toString);
        assertEquals("upload_needs_page", json(bare).path("code").asText());
        assertEquals(
                403,
                post(port, own(), "/upload", body, multipart, "Origin: http://evil.example")
                        .status());
        assertEquals(
                403,
                post(port, own(), "/upload", body, multipart, "Origin: http://evil.example", "X-Edgeai-Page: 1")
                        .status(),
                "the header does not make a foreign page's request acceptable");
        assertEquals(
                415,
                post(port, own(), "/upload", body, "Content-Type: text/plain", "Origin: http://" + own())
                        .status());
        assertEquals(2, ran.get());
    }

    @Test
    void errorsAreJsonWithoutExceptionTextAndOneLineEach() throws Exception {
        start(LocalGuard.Access.LOCAL);
        RawHttp.Response decoding = get(port, own(), "/thing/%u0041");
        assertEquals(400, decoding.status(), decoding::toString);
        assertEquals("malformed_path", json(decoding).path("code").asText());

        RawHttp.Response method = post(port, own(), "/thing", "{}", "Content-Type: application/json");
        assertEquals(405, method.status(), method::toString);
        assertEquals("GET", method.header("allow"));
        assertEquals("method_not_allowed", json(method).path("code").asText());

        RawHttp.Response missing = get(port, own(), "/nothing/here");
        assertEquals(404, missing.status());
        assertTrue(json(missing).path("error").asText().contains("Routes: GET /thing"), missing::toString);

        RawHttp.Response boom = get(port, own(), "/boom");
        assertEquals(500, boom.status());
        assertFalse(boom.body().contains("IllegalState") || boom.body().contains("secret"), boom::toString);
        assertEquals("internal_error", json(boom).path("code").asText());

        // Jetty's own refusals: a bad header, an ambiguous path, a huge header or URI, an unknown version
        List<String> heads = List.of(
                "GET /thing HTTP/1.1\r\nHost: " + own() + "\r\nBad Header: x",
                "GET /a/../../b HTTP/1.1\r\nHost: " + own(),
                "GET /thing HTTP/1.1\r\nHost: " + own() + "\r\nX-Big: " + "a".repeat(20_000),
                "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: " + own(),
                "GET /thing HTTP/3.0\r\nHost: " + own(),
                "POST /act HTTP/1.1\r\nHost: " + own() + "\r\nTransfer-Encoding: chunked\r\nContent-Length: 3");
        for (String head : heads) {
            RawHttp.Response r = RawHttp.send(port, head, "abc");
            assertTrue(r.status() >= 400 && r.status() < 500 || r.status() == 505, r::toString);
            JsonNode e = json(r);
            assertFalse(e.path("error").asText().isBlank(), r::toString);
            assertFalse(r.body().contains("<html") || r.body().contains("Exception"), r::toString);
        }
        assertEquals(0, ran.get());
        String log = logged.toString(StandardCharsets.UTF_8);
        assertFalse(log.contains("\tat "), "no stack traces without --verbose: " + log);
        assertEquals(4 + heads.size(), lines().size(), () -> "one line per bad request: " + log);
        assertTrue(log.contains("request failed: GET /boom -> 500") && log.contains("secret detail"), log);
    }

    @Test
    void everyAnswerCarriesTheProtectiveHeaders() throws Exception {
        start(LocalGuard.Access.LOCAL);
        for (RawHttp.Response r : List.of(get(port, own(), "/thing"), get(port, "evil.example", "/thing"))) {
            assertEquals("nosniff", r.header("x-content-type-options"), r::toString);
            assertEquals("DENY", r.header("x-frame-options"), r::toString);
        }
        Map<String, String> page = LocalGuard.pageHeaders("default-src 'self'; frame-ancestors 'none'");
        assertEquals("default-src 'self'; frame-ancestors 'none'", page.get("Content-Security-Policy"));
        assertEquals("nosniff", page.get("X-Content-Type-Options"));
    }

    @Test
    void hostHeadersAreReadLikeBrowsersWriteThem() {
        assertEquals("localhost", LocalGuard.hostOf("LocalHost:8000"));
        assertEquals("[::1]", LocalGuard.hostOf("[::1]:8000"));
        assertEquals("example.com", LocalGuard.hostOf("example.com."));
        assertNull(LocalGuard.hostOf(" "));
        assertTrue(LocalGuard.ownOrigin("http://127.0.0.1:8000", "127.0.0.1:8000"));
        assertFalse(LocalGuard.ownOrigin("http://127.0.0.1:8001", "127.0.0.1:8000"));
        assertFalse(LocalGuard.ownOrigin("null", "127.0.0.1:8000"));
        assertEquals("my-laptop.local", LocalGuard.hostEntry("My-Laptop.local:8000"));
        assertEquals("[::1]", LocalGuard.hostEntry("::1"));
        assertThrows(IllegalArgumentException.class, () -> LocalGuard.hostEntry("a b"));
    }
}
