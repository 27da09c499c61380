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
        return start(ort, PageModels.none());
    }

    String start(OrtWebAssets ort, PageModels models) {
        server = Javalin.create(cfg -> {
                    cfg.jetty.host = "127.0.0.1";
                    cfg.startup.showJavalinBanner = false;
                    DemoPage.mount(cfg, ort, models);
                })
                .start(0);
        return "http://127.0.0.1:" + server.port();
    }

    static final Path MODELS = Path.of("../testdata/models");
    static final String QWEN = "tiny-random-qwen2.5-instruct-q4";

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

    @Test
    void servesOnlyTheFilesOfServedOnnxCommunityFoldersAndSaysWhyOthersCannotRun() throws Exception {
        Path qwen = MODELS.resolve(QWEN);
        Map<String, Path> folders = new LinkedHashMap<>();
        folders.put(QWEN, qwen);
        folders.put("llama", MODELS.resolve("tiny-random-LlamaForCausalLM-fp16"));
        Path noTokenizer = Files.createDirectories(tmp.resolve("half/onnx")).getParent();
        Files.copy(qwen.resolve("onnx/model_q4.onnx"), noTokenizer.resolve("onnx/model_q4.onnx"));
        Files.copy(qwen.resolve("config.json"), noTokenizer.resolve("config.json"));
        folders.put("half", noTokenizer);
        String base = start(new OrtWebAssets(tmp.resolve("none/x"), OrtWebAssets.INTEGRITY), PageModels.of(folders));

        JsonNode config =
                new ObjectMapper().readTree(get(base + "/demo/api/config").body());
        JsonNode llm = config.path("llm");
        assertEquals(3, llm.size(), llm.toString());
        JsonNode q = llm.get(0);
        assertEquals(QWEN, q.path("id").asText());
        assertTrue(q.path("problem").isMissingNode(), q.toString());
        assertEquals("onnx/model_q4.onnx", q.path("onnx").asText());
        assertEquals(
                Files.size(qwen.resolve("onnx/model_q4.onnx")), q.path("bytes").asLong());
        assertTrue(
                llm.get(1).path("problem").asText().contains("onnxruntime-genai folder"),
                llm.get(1).toString());
        assertTrue(
                llm.get(2).path("problem").asText().contains("lacks tokenizer.json, tokenizer_config.json"),
                llm.get(2).toString());
        assertFalse(config.path("libs").path("installed").asBoolean());
        assertTrue(
                config.path("libs").path("howTo").asText().contains("npm pack @huggingface/tokenizers@0.2.0"),
                config.path("libs").toString());

        // every listed file, byte for byte, uncompressed, revalidated by ETag
        var files = q.path("files").fields();
        int n = 0;
        while (files.hasNext()) {
            var f = files.next();
            var r = get(base + f.getValue().asText(), "Accept-Encoding", "gzip");
            assertEquals(200, r.statusCode(), f.getKey());
            assertArrayEquals(Files.readAllBytes(qwen.resolve(f.getKey())), r.body(), f.getKey());
            assertTrue(r.headers().firstValue("Content-Encoding").isEmpty(), f.getKey());
            assertEquals(
                    "require-corp",
                    r.headers().firstValue("Cross-Origin-Embedder-Policy").orElse(null));
            String etag = r.headers().firstValue("ETag").orElseThrow();
            assertEquals(
                    304,
                    get(base + f.getValue().asText(), "If-None-Match", etag).statusCode());
            n++;
        }
        assertEquals(5, n, "onnx, config, generation config, tokenizer and its config");

        // nothing else: other files of the folder, other folders, traversal, unusable models
        for (String bad : new String[] {
            "/demo/llm/" + QWEN + "/SOURCE.txt",
            "/demo/llm/" + QWEN + "/..%2F..%2Fpom.xml",
            "/demo/llm/" + QWEN + "/onnx/..%2F..%2F..%2Fpom.xml",
            "/demo/llm/..%2F" + QWEN + "/config.json",
            "/demo/llm/llama/tokenizer.json",
            "/demo/llm/llama/model.onnx",
            "/demo/llm/half/config.json",
            "/demo/llm/nobody/config.json",
            "/demo/lib/tokenizers/tokenizers.min.mjs",
            "/demo/lib/tokenizers/..%2F..%2Fpom.xml",
            "/demo/lib/nothing/index.js"
        }) {
            var r = get(base + bad);
            assertTrue(
                    r.statusCode() >= 400 && r.statusCode() < 500 && !new String(r.body()).contains("<project"),
                    bad + " -> " + r.statusCode());
        }
    }

    @Test
    void npmPinsNameTheirTarballsAsNpmPackDoes() {
        assertEquals("huggingface-tokenizers-0.2.0.tgz", OrtWebAssets.TOKENIZERS.tarball());
        assertEquals("@huggingface/jinja/-/jinja-0.5.11.tgz", OrtWebAssets.JINJA.registryPath());
        assertEquals("onnxruntime-web/-/" + OrtWebAssets.TARBALL, OrtWebAssets.ORT_WEB.registryPath());
        OrtWebAssets ort = new OrtWebAssets(tmp.resolve("c/onnxruntime-web-" + OrtWebAssets.VERSION), "x");
        assertEquals(
                tmp.resolve("c/huggingface-jinja-0.5.11").toAbsolutePath(),
                ort.sibling(OrtWebAssets.JINJA).dir());
    }
}
