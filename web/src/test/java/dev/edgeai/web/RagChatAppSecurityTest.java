package dev.edgeai.web;

import static dev.edgeai.http.RawHttp.get;
import static dev.edgeai.http.RawHttp.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeai.client.OpenAiClient;
import dev.edgeai.http.LocalGuard;
import dev.edgeai.http.RawHttp;
import dev.edgeai.retrieval.Mode;
import dev.edgeai.retrieval.Retriever;
import dev.edgeai.testkit.Script;
import dev.edgeai.testkit.ScriptedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RAG app against a page on another site and against DNS rebinding: refused with the status that says why, and
 * nothing happens behind the refusal (no model request, no file under data/uploads, the index unchanged). The app's
 * own page, curl with the page header, and JSON clients still work.
 */
@Timeout(120)
class RagChatAppSecurityTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CHAT = "{\"session\":\"test-session-1\",\"message\":\"What does the KV cache store?\"}";
    static final String MULTIPART = "Content-Type: multipart/form-data; boundary=b0undary";

    @TempDir
    Path tmp;

    ScriptedServer model;
    OpenAiClient client;
    Retriever retriever;
    RagChatApp app;
    int port;
    String own;

    @BeforeEach
    void start() throws Exception {
        model = ScriptedServer.builder()
                .model(
                        "phi-4-mini",
                        Script.builder().ttftMs(5).itlMs(1).tokenCount(5).build())
                .start();
        client = OpenAiClient.of(model.baseUrl());
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(
                docs.resolve("kv.md"),
                "# KV cache\n\nThe KV cache stores keys and values of past tokens so decoding is fast.\n");
        retriever = Retriever.open(docs, Retriever.Options.defaults().withMode(Mode.BM25));
        app = RagChatApp.start(
                client,
                retriever,
                RagChatApp.Config.defaults(tmp.resolve("data"))
                        .withModel("phi-4-mini")
                        .withMaxUploadBytes(20_000));
        port = app.port();
        own = "127.0.0.1:" + port;
    }

    @AfterEach
    void stop() {
        app.close();
        client.close();
        model.close();
    }

    int chats() {
        return (int) model.requests().stream()
                .filter(r -> r.path().endsWith("/chat/completions"))
                .count();
    }

    static String upload(String name, String text) {
        return "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name + "\"\r\n"
                + "Content-Type: text/markdown\r\n\r\n" + text + "\r\n--b0undary--\r\n";
    }

    static JsonNode refused(RawHttp.Response r, int status, String code) throws Exception {
        assertEquals(status, r.status(), r::toString);
        assertTrue(r.header("content-type").startsWith("application/json"), r::toString);
        JsonNode j = JSON.readTree(r.body());
        assertEquals(code, j.path("code").asText(), r::toString);
        assertFalse(j.path("error").asText().isBlank(), r::toString);
        assertFalse(r.body().contains("Exception") || r.body().contains("org.eclipse"), r::toString);
        return j;
    }

    void assertNothingHappened(int chatsBefore, int chunksBefore) {
        assertEquals(chatsBefore, chats(), "no request reached the model");
        assertFalse(Files.exists(tmp.resolve("data/uploads")), "nothing saved under data/uploads");
        assertEquals(chunksBefore, retriever.chunks().size(), "the index is unchanged");
    }

    @Test
    void aRebindingPageGetsNeitherTheConfigNorAnAnswerFromTheDocuments() throws Exception {
        int chats = chats(), chunks = retriever.chunks().size();
        for (String host : List.of("attacker.example:" + port, "attacker.example")) {
            refused(get(port, host, "/"), 403, "host_not_allowed");
            refused(get(port, host, "/api/config"), 403, "host_not_allowed");
            refused(get(port, host, "/api/chunk/kv.md%230"), 403, "host_not_allowed");
            refused(
                    post(port, host, "/api/chat", CHAT, "Content-Type: application/json", "Origin: http://" + host),
                    403,
                    "host_not_allowed");
            refused(
                    post(port, host, "/api/upload", upload("x.md", "# x"), MULTIPART, "Origin: http://" + host),
                    403,
                    "host_not_allowed");
        }
        assertNothingHappened(chats, chunks);
        assertEquals(200, get(port, own, "/api/config").status());
    }

    @Test
    void crossSiteUploadsChatsAndFeedbackAreRefusedAndChangeNothing() throws Exception {
        int chats = chats(), chunks = retriever.chunks().size();
        String evil = "Origin: http://evil.example";
        // a form on another site: multipart upload, text/plain chat and feedback, a no-cors Blob (no type)
        refused(
                post(port, own, "/api/upload", upload("planted.md", "# planted"), MULTIPART, evil),
                403,
                "origin_not_allowed");
        refused(post(port, own, "/api/chat", CHAT, "Content-Type: text/plain", evil), 403, "origin_not_allowed");
        refused(post(port, own, "/api/chat", CHAT, evil), 403, "origin_not_allowed");
        refused(
                post(
                        port,
                        own,
                        "/api/feedback",
                        "{\"session\":\"test-session-1\",\"turn\":\"x\",\"rating\":\"up\"}",
                        "Content-Type: text/plain",
                        evil),
                403,
                "origin_not_allowed");
        refused(
                post(port, own, "/api/chat", CHAT, "Content-Type: application/json", "Sec-Fetch-Site: cross-site"),
                403,
                "cross_site_request");
        // no Origin and no page header: a script's upload must say it is one
        refused(post(port, own, "/api/upload", upload("planted.md", "# planted"), MULTIPART), 403, "upload_needs_page");
        // the own page's text/plain is still not JSON
        refused(
                post(port, own, "/api/chat", CHAT, "Content-Type: text/plain", "Origin: http://" + own),
                415,
                "unsupported_media_type");
        assertNothingHappened(chats, chunks);
        assertFalse(Files.exists(tmp.resolve("data/feedback")), "no feedback written");

        // the page itself (its Origin) and curl with the page header are served
        RawHttp.Response page = post(
                port,
                own,
                "/api/upload",
                upload("notes.md", "# Zorblat\n\nZorblat kernels run fast."),
                MULTIPART,
                "Origin: http://" + own);
        assertEquals(200, page.status(), page::toString);
        RawHttp.Response curl = post(
                port,
                own,
                "/api/upload",
                upload("more.md", "# More\n\nMore text."),
                MULTIPART,
                LocalGuard.PAGE_HEADER + ": 1");
        assertEquals(200, curl.status(), curl::toString);
        assertTrue(Files.exists(tmp.resolve("data/uploads/notes.md"))
                && Files.exists(tmp.resolve("data/uploads/more.md")));
        RawHttp.Response chat =
                post(port, own, "/api/chat", CHAT, "Content-Type: application/json", "Origin: http://" + own);
        assertEquals(200, chat.status(), chat::toString);
        assertTrue(chat.body().contains("event: done"), chat::toString);
        assertEquals(chats + 1, chats());
    }

    @Test
    void malformedInputIsAClientErrorWithoutExceptionText() throws Exception {
        String page = LocalGuard.PAGE_HEADER + ": 1";
        // multipart that does not parse: no closing boundary, a boundary that never appears, no parts at all
        refused(
                post(
                        port,
                        own,
                        "/api/upload",
                        "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.md\"\r\n\r\nabc",
                        MULTIPART,
                        page),
                400,
                "malformed_upload");
        refused(post(port, own, "/api/upload", "just text", MULTIPART, page), 400, "malformed_upload");
        RawHttp.Response nofile = post(port, own, "/api/upload", "--b0undary--\r\n", MULTIPART, page);
        assertEquals(400, nofile.status(), nofile::toString);
        // too large: 413, said in words
        RawHttp.Response big =
                post(port, own, "/api/upload", upload("big.md", "word ".repeat(10_000)), MULTIPART, page);
        assertEquals(413, big.status(), big::toString);
        assertFalse(Files.exists(tmp.resolve("data/uploads")), "nothing saved");
        // paths Javalin would have failed to decode (a 500 with the exception's text before)
        refused(get(port, own, "/api/chunk/%u0041"), 400, "malformed_path");
        // trailing garbage after the JSON object
        RawHttp.Response trailing = post(port, own, "/api/chat", CHAT + "{}", "Content-Type: application/json");
        assertEquals(400, trailing.status(), trailing::toString);
        assertTrue(trailing.body().contains("not JSON"), trailing::toString);
        // wrong method: 405 with Allow
        RawHttp.Response method = get(port, own, "/api/chat");
        refused(method, 405, "method_not_allowed");
        assertEquals("POST", method.header("allow"));
        refused(get(port, own, "/api/nothing"), 404, "unknown_route");
    }

    @Test
    void thePageForbidsFramingAndForeignScripts() throws Exception {
        RawHttp.Response page = get(port, own, "/");
        assertEquals(200, page.status());
        String csp = page.header("content-security-policy");
        assertNotNull(csp, page::toString);
        assertTrue(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"), csp);
        assertEquals("DENY", page.header("x-frame-options"));
        assertEquals("nosniff", get(port, own, "/app.js").header("x-content-type-options"));
    }
}
