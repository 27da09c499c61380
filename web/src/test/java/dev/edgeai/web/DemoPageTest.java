package dev.edgeai.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's routes on a real Javalin server, with ORT-web installed from a small tarball made here. */
class DemoPageTest {
    @TempDir
    Path tmp;

    Javalin server;
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (server != null) server.stop();
    }

    String start(OrtWebAssets ort) {
        server = Javalin.create(cfg -> {
                    cfg.jetty.host = "127.0.0.1";
                    cfg.startup.showJavalinBanner = false;
                    DemoPage.mount(cfg, ort);
                })
                .start(0);
        return "http://127.0.0.1:" + server.port();
    }

    HttpResponse<byte[]> get(String url, String... headers) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(url));
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A gzipped npm-style tarball: every file under package/dist/, plus one the installer must leave out. */
    static byte[] tarball(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            for (var e : files.entrySet()) {
                byte[] h = new byte[512];
                byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
                System.arraycopy(name, 0, h, 0, name.length);
                put(h, 100, "0000644\0");
                put(h, 124, String.format("%011o\0", e.getValue().length));
                h[156] = '0';
                put(h, 257, "ustar\0");
                put(h, 148, "        ");
                int sum = 0;
                for (byte x : h) sum += x & 0xff;
                put(h, 148, String.format("%06o\0 ", sum));
                gz.write(h);
                gz.write(e.getValue());
                gz.write(new byte[(512 - e.getValue().length % 512) % 512]);
            }
            gz.write(new byte[1024]);
        }
        return bytes.toByteArray();
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    static Map<String, byte[]> fakeDist() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("package/package.json", "{}".getBytes());
        for (String f : OrtWebAssets.FILES) {
            byte[] content = f.endsWith(".wasm")
                    ? new byte[70_000]
                    : ("export const name = '" + f + "';\n").repeat(200).getBytes();
            if (f.endsWith(".wasm")) for (int i = 0; i < content.length; i++) content[i] = (byte) (i * 31 + f.length());
            files.put("package/dist/" + f, content);
        }
        files.put("package/dist/ort.all.min.mjs", "not wanted".getBytes());
        return files;
    }

    @Test
    void servesThePageAndSaysHowToGetOrtWebWhenItIsMissing() throws Exception {
        OrtWebAssets ort = new OrtWebAssets(
                tmp.resolve("ort-web/onnxruntime-web-" + OrtWebAssets.VERSION), OrtWebAssets.INTEGRITY);
        String base = start(ort);

        var bare = get(base + "/demo");
        assertTrue(
                bare.statusCode() == 200
                        || bare.headers().firstValue("Location").orElse("").endsWith("/demo/"),
                "/demo -> " + bare.statusCode());
        var page = get(base + "/demo/");
        assertEquals(200, page.statusCode());
        String html = new String(page.body(), StandardCharsets.UTF_8);
        assertTrue(html.contains("<script type=\"module\" src=\"demo.js\">"), html);
        assertEquals(
                "same-origin",
                page.headers().firstValue("Cross-Origin-Opener-Policy").orElse(null));
        assertEquals(
                "require-corp",
                page.headers().firstValue("Cross-Origin-Embedder-Policy").orElse(null));
        for (String asset : new String[] {"demo.js", "embed.js", "wordpiece.js", "demo.css", "plotly.min.js"}) {
            assertEquals(200, get(base + "/demo/" + asset).statusCode(), asset);
        }

        JsonNode config =
                new ObjectMapper().readTree(get(base + "/demo/api/config").body());
        assertTrue(config.path("systemPrompt").asText().contains("ONLY the numbered context"), config.toString());
        assertFalse(config.path("ort").path("installed").asBoolean());
        assertTrue(
                config.path("ort").path("howTo").asText().contains("npm pack onnxruntime-web@" + OrtWebAssets.VERSION));

        var missing = get(base + "/demo/ort/ort.wasm.min.mjs");
        assertEquals(404, missing.statusCode());
        assertTrue(new String(missing.body()).contains("npm pack"), new String(missing.body()));
        for (String bad : new String[] {
            "/demo/ort/..%2F..%2Fetc%2Fpasswd", "/demo/ort/ort.all.min.mjs", "/demo/models/..%2Fpom.xml"
        }) {
            var r = get(base + bad);
            assertTrue(r.statusCode() >= 400 && !new String(r.body()).contains("root:"), bad + " -> " + r.statusCode());
        }
    }

    @Test
    void servesTheMiniLmModelFromTheClasspathUncompressed() throws Exception {
        String base = start(new OrtWebAssets(tmp.resolve("none"), OrtWebAssets.INTEGRITY));
        var model = get(base + "/demo/models/" + DemoPage.MODEL, "Accept-Encoding", "gzip");
        assertEquals(200, model.statusCode());
        assertTrue(model.headers().firstValue("Content-Encoding").isEmpty(), "model must not be gzipped on the fly");
        byte[] expected;
        try (InputStream in = DemoPage.class.getResourceAsStream("/" + DemoPage.MODEL)) {
            expected = in.readAllBytes();
        }
        assertArrayEquals(expected, model.body());
        var tok = new ObjectMapper()
                .readTree(get(base + "/demo/models/" + DemoPage.TOKENIZER).body());
        assertEquals("WordPiece", tok.path("model").path("type").asText());
    }

    @Test
    void installsOnlyTheNeededFilesFromAVerifiedTarballAndServesWasmUncompressed() throws Exception {
        Map<String, byte[]> dist = fakeDist();
        byte[] tgz = tarball(dist);
        Path dir = tmp.resolve("cache/ort-web/onnxruntime-web-" + OrtWebAssets.VERSION);
        Files.createDirectories(dir.getParent());
        Files.write(dir.getParent().resolve(OrtWebAssets.TARBALL), tgz);

        // the real pin does not match a home-made tarball: refused, with both digests in the message
        OrtWebAssets pinned = new OrtWebAssets(dir, OrtWebAssets.INTEGRITY);
        IOException bad = assertThrows(IOException.class, () -> pinned.install(false));
        assertTrue(bad.getMessage().contains("expected " + OrtWebAssets.INTEGRITY), bad.getMessage());
        assertFalse(pinned.installed());
        assertFalse(Files.exists(dir), "nothing half-installed");

        String integrity = OrtWebAssets.integrityOf(dir.getParent().resolve(OrtWebAssets.TARBALL));
        OrtWebAssets ort = new OrtWebAssets(dir, integrity);
        ort.install(false);
        assertTrue(ort.installed());
        assertFalse(Files.exists(dir.resolve("ort.all.min.mjs")), "only the files the page loads are unpacked");

        String base = start(ort);
        JsonNode config =
                new ObjectMapper().readTree(get(base + "/demo/api/config").body());
        assertTrue(config.path("ort").path("installed").asBoolean());
        for (String f : OrtWebAssets.FILES) {
            var r = get(base + "/demo/ort/" + f, "Accept-Encoding", "gzip");
            assertEquals(200, r.statusCode(), f);
            assertArrayEquals(dist.get("package/dist/" + f), r.body(), f);
            assertNull(r.headers().firstValue("Content-Encoding").orElse(null), f + " must not be gzipped on the fly");
            assertEquals(
                    f.endsWith(".wasm") ? "application/wasm" : "text/javascript",
                    r.headers().firstValue("Content-Type").orElse("").replaceAll(";.*", ""),
                    f);
        }
    }

    @Test
    void downloadsFromTheRegistryOnceAndRefusesATamperedTarball() throws Exception {
        byte[] tgz = tarball(fakeDist());
        Path probe = Files.write(tmp.resolve("probe.tgz"), tgz);
        String integrity = OrtWebAssets.integrityOf(probe);
        java.util.concurrent.atomic.AtomicInteger hits = new java.util.concurrent.atomic.AtomicInteger();
        byte[][] served = {tgz};
        var registry = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        registry.createContext("/onnxruntime-web/-/" + OrtWebAssets.TARBALL, ex -> {
            hits.incrementAndGet();
            ex.sendResponseHeaders(200, served[0].length);
            ex.getResponseBody().write(served[0]);
            ex.close();
        });
        registry.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + registry.getAddress().getPort() + "/");
            byte[] tampered = tgz.clone();
            tampered[tampered.length / 2] ^= 1;
            served[0] = tampered;
            Path dir = tmp.resolve("dl/ort-web/onnxruntime-web-" + OrtWebAssets.VERSION);
            OrtWebAssets ort = new OrtWebAssets(dir, integrity, base);
            IOException e = assertThrows(IOException.class, () -> ort.install(true));
            assertTrue(e.getMessage().contains("integrity"), e.getMessage());
            assertFalse(ort.installed());
            assertFalse(Files.exists(ort.tarball()), "a bad download is not kept");

            served[0] = tgz;
            ort.install(true);
            assertTrue(ort.installed());
            assertTrue(Files.isRegularFile(ort.tarball()), "the verified tarball is kept for reinstalls");
            ort.install(true);
            assertEquals(2, hits.get(), "installed once: no further download");
        } finally {
            registry.stop(0);
        }
    }

    @Test
    void noTarballAndNoDownloadIsAClearError() {
        OrtWebAssets ort =
                new OrtWebAssets(tmp.resolve("x/onnxruntime-web-" + OrtWebAssets.VERSION), OrtWebAssets.INTEGRITY);
        IOException e = assertThrows(IOException.class, () -> ort.install(false));
        assertTrue(
                e.getMessage().contains("npm pack onnxruntime-web@" + OrtWebAssets.VERSION)
                        && e.getMessage().contains(".tgz"),
                e.getMessage());
    }
}
