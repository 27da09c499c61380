package dev.edgeai.engine.hub;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.edgeai.chat.ChatException;
import dev.edgeai.engine.LoadedModel;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.*;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A local server speaks the hub's tree and resolve API over the Llama fixture. */
class HubDownloaderTest {
    static final Path FIXTURE = Path.of("../testdata/models/tiny-random-LlamaForCausalLM-fp16");
    static final String REPO = "test-org/tiny-llama";
    static final Set<String> LFS = Set.of("model.onnx.data", "tokenizer.json");

    HttpServer server;
    final Map<String, byte[]> served = new TreeMap<>();
    final Map<String, byte[]> listed = new TreeMap<>(); // what the tree API describes (sizes, checksums)
    final List<String> ranges = new CopyOnWriteArrayList<>();
    volatile String cutFile;
    volatile int cutAfter;
    volatile boolean stallInsteadOfCut;

    @TempDir
    Path cache;

    @BeforeEach
    void start() throws IOException {
        try (Stream<Path> s = Files.list(FIXTURE)) {
            for (Path p : s.toList()) {
                byte[] b = Files.readAllBytes(p);
                served.put(p.getFileName().toString(), b);
                listed.put(p.getFileName().toString(), b);
            }
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(
                java.util.concurrent.Executors
                        .newCachedThreadPool()); // a stalled handler must not block the next request
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    ModelStore store() {
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        return new ModelStore(cache, null, new HubDownloader(endpoint, "secret", false, ""));
    }

    @Test
    void downloadsVerifiesAndLoads() throws Exception {
        Path folder = store().resolve(REPO);
        assertEquals(cache.resolve("test-org/tiny-llama"), folder);
        for (var e : served.entrySet())
            assertArrayEquals(e.getValue(), Files.readAllBytes(folder.resolve(e.getKey())), e.getKey());
        assertFalse(Files.exists(cache.resolve("test-org/tiny-llama.incomplete")));
        try (LoadedModel m = LoadedModel.load(folder)) {
            assertEquals("tiny-llama", m.id());
        }
        assertEquals(folder, store().resolve(REPO), "second resolve uses the cache");

        // where it came from and what every file must hash to, for `models list` and `models verify`
        Provenance p = Provenance.read(folder);
        assertNotNull(p);
        assertEquals("hub", p.kind());
        assertEquals(REPO, p.repo());
        assertEquals(served.size(), p.files().size());
        assertTrue(p.files().stream().allMatch(f -> f.sha256() != null || f.gitSha1() != null), p.toString());
        ModelStore.Entry e = store().entry("tiny-llama");
        assertEquals("test-org/tiny-llama", e.name());
        assertTrue(e.origin().startsWith("downloaded from http://127.0.0.1:"), e.origin());
        assertEquals(List.of(), store().verify(e));
        byte[] data = Files.readAllBytes(folder.resolve("model.onnx.data"));
        data[data.length / 2] ^= 1; // one flipped bit, same size
        Files.write(folder.resolve("model.onnx.data"), data);
        List<String> problems = store().verify(store().entry(REPO));
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("model.onnx.data: sha256 "), problems.get(0));
    }

    @Test
    void aProxyThatCannotReachTheHubIsUnreachable() throws Exception {
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.createContext("/", ex -> send(ex, 502, "Bad Gateway: huggingface.co unreachable".getBytes()));
        proxy.start();
        try {
            var store = new ModelStore(
                    cache,
                    null,
                    new HubDownloader(
                            URI.create("http://127.0.0.1:" + proxy.getAddress().getPort()), null, false, ""));
            ChatException e = assertThrows(ChatException.class, () -> store.resolve(REPO));
            assertEquals(ChatException.Kind.UNREACHABLE, e.kind());
            assertTrue(e.getMessage().contains("HTTP 502"), e.getMessage());
        } finally {
            proxy.stop(0);
        }
    }

    @Test
    void resumesACutDownloadWithRange() throws Exception {
        cutFile = "model.onnx.data";
        cutAfter = 100_000;
        Path folder = store().resolve(REPO);
        assertArrayEquals(served.get("model.onnx.data"), Files.readAllBytes(folder.resolve("model.onnx.data")));
        assertEquals(List.of("bytes=100000-"), ranges);
    }

    @Test
    void resumesAStalledDownload() throws Exception {
        cutFile = "model.onnx.data";
        cutAfter = 50_000;
        stallInsteadOfCut = true;
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        var store = new ModelStore(
                cache, null, new HubDownloader(endpoint, "secret", false, "", java.time.Duration.ofMillis(300)));
        long t0 = System.nanoTime();
        Path folder = store.resolve(REPO);
        assertArrayEquals(served.get("model.onnx.data"), Files.readAllBytes(folder.resolve("model.onnx.data")));
        assertEquals(List.of("bytes=50000-"), ranges, "resumed where the stalled transfer stopped");
        assertTrue((System.nanoTime() - t0) / 1e9 < 8, "gave up on the stall long before the server's 10 s");
    }

    @Test
    void wrongChecksumLeavesNothingInTheCache() throws Exception {
        byte[] bad = served.get("tokenizer.json").clone();
        bad[1000] ^= 1;
        served.put("tokenizer.json", bad);
        ChatException e = assertThrows(ChatException.class, () -> store().resolve(REPO));
        assertEquals(ChatException.Kind.BAD_RESPONSE, e.kind());
        assertTrue(e.getMessage().contains("tokenizer.json") && e.getMessage().contains("checksum"), e.getMessage());
        assertFalse(Files.exists(cache.resolve("test-org/tiny-llama")));
        try (Stream<Path> s = Files.walk(cache)) {
            assertTrue(
                    s.noneMatch(p -> p.getFileName().toString().startsWith("tokenizer.json")),
                    "no corrupt file or .part left");
        }
    }

    @Test
    void missingFileIsAClearError() {
        served.remove("tokenizer_config.json");
        ChatException e = assertThrows(ChatException.class, () -> store().resolve(REPO));
        assertEquals(ChatException.Kind.UNKNOWN_MODEL, e.kind());
        assertTrue(
                e.getMessage().contains("404") && e.getMessage().contains("/resolve/main/tokenizer_config.json"),
                e.getMessage());
    }

    @Test
    void unreachableHubSaysHowToPlaceFilesByHand() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            dead = s.getLocalPort();
        }
        var store =
                new ModelStore(cache, null, new HubDownloader(URI.create("http://127.0.0.1:" + dead), null, false, ""));
        ChatException e = assertThrows(ChatException.class, () -> store.resolve(REPO));
        assertEquals(ChatException.Kind.UNREACHABLE, e.kind());
        String msg = e.getMessage();
        assertTrue(msg.contains("http://127.0.0.1:" + dead + "/api/models/test-org/tiny-llama/tree/main"), msg);
        assertTrue(
                msg.contains("by hand")
                        && msg.contains("tokenizer.json")
                        && msg.contains(cache.resolve("test-org/tiny-llama").toString()),
                msg);
    }

    @Test
    void optimumSelectionTakesOneVariantItsDataAndSideFiles() {
        var d = new HubDownloader(URI.create("http://x"), null, false, "");
        List<HubFile> all = Stream.of(
                        "README.md",
                        "config.json",
                        "generation_config.json",
                        "tokenizer.json",
                        "tokenizer_config.json",
                        "special_tokens_map.json",
                        "merges.txt",
                        "onnx/model.onnx",
                        "onnx/model.onnx_data",
                        "onnx/model_q4.onnx",
                        "onnx/model_q4.onnx_data",
                        "onnx/model_fp16.onnx",
                        "onnx/model_q4f16.onnx")
                .map(p -> new HubFile(p, 1, null, null))
                .toList();
        var sel = d.select(all, "org/m");
        assertEquals(
                List.of(
                        "config.json",
                        "generation_config.json",
                        "tokenizer.json",
                        "tokenizer_config.json",
                        "special_tokens_map.json",
                        "onnx/model_q4.onnx",
                        "onnx/model_q4.onnx_data"),
                sel.files().stream().map(HubFile::path).toList());
        var int8 = new HubDownloader(URI.create("http://x"), null, false, "fp16").select(all, "org/m");
        assertTrue(int8.files().stream().anyMatch(f -> f.path().equals("onnx/model_fp16.onnx")));
    }

    @Test
    void genaiSelectionTakesTheCpuInt4Folder() {
        var d = new HubDownloader(URI.create("http://x"), null, false, "");
        List<HubFile> all = Stream.of(
                        "README.md",
                        "gpu/gpu-int4-awq/genai_config.json",
                        "gpu/gpu-int4-awq/model.onnx",
                        "cpu_and_mobile/cpu-int4-rtn-block-32/genai_config.json",
                        "cpu_and_mobile/cpu-int4-rtn-block-32/model.onnx",
                        "cpu_and_mobile/cpu-int4-rtn-block-32/model.onnx.data",
                        "cpu_and_mobile/cpu-int4-rtn-block-32/tokenizer.json")
                .map(p -> new HubFile(p, 1, null, null))
                .toList();
        var sel = d.select(all, "org/m");
        assertEquals("cpu_and_mobile/cpu-int4-rtn-block-32/", sel.prefix());
        assertEquals(4, sel.files().size());
        assertEquals("model.onnx.data", sel.localName(sel.files().get(2)));
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String tree = "/api/models/" + REPO + "/tree/main";
        String resolve = "/" + REPO + "/resolve/main/";
        if (!"Bearer secret".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            send(ex, 401, new byte[0]);
            return;
        }
        if (path.equals(tree)) {
            StringBuilder sb = new StringBuilder("[");
            for (var e : listed.entrySet()) {
                if (sb.length() > 1) sb.append(',');
                byte[] b = e.getValue();
                if (LFS.contains(e.getKey()))
                    sb.append("{\"type\":\"file\",\"oid\":\"x\",\"size\":")
                            .append(b.length)
                            .append(",\"path\":\"")
                            .append(e.getKey())
                            .append("\",\"lfs\":{\"oid\":\"")
                            .append(hash("SHA-256", b, false))
                            .append("\",\"size\":")
                            .append(b.length)
                            .append(",\"pointerSize\":134}}");
                else
                    sb.append("{\"type\":\"file\",\"oid\":\"")
                            .append(hash("SHA-1", b, true))
                            .append("\",\"size\":")
                            .append(b.length)
                            .append(",\"path\":\"")
                            .append(e.getKey())
                            .append("\"}");
            }
            send(ex, 200, sb.append("]").toString().getBytes(StandardCharsets.UTF_8));
        } else if (path.startsWith(resolve) && served.containsKey(path.substring(resolve.length()))) {
            String name = path.substring(resolve.length());
            byte[] body = served.get(name);
            String range = ex.getRequestHeaders().getFirst("Range");
            if (range != null) {
                ranges.add(range);
                int from = Integer.parseInt(range.substring("bytes=".length(), range.indexOf('-')));
                ex.getResponseHeaders()
                        .add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
                send(ex, 206, Arrays.copyOfRange(body, from, body.length));
            } else if (name.equals(cutFile)) {
                cutFile = null;
                ex.sendResponseHeaders(200, body.length);
                OutputStream out = ex.getResponseBody();
                out.write(body, 0, cutAfter);
                out.flush();
                if (stallInsteadOfCut) { // headers and some bytes, then silence: the client must give up and resume
                    try {
                        Thread.sleep(10_000);
                    } catch (InterruptedException ignored) {
                        Thread.currentThread().interrupt();
                    }
                }
                // An exception out of the handler makes the JDK server drop the connection: a cut mid-file.
                throw new IllegalStateException("cut after " + cutAfter + " bytes");
            } else {
                send(ex, 200, body);
            }
        } else {
            send(ex, 404, "Entry not found".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    static String hash(String alg, byte[] b, boolean gitBlob) {
        try {
            MessageDigest md = MessageDigest.getInstance(alg);
            if (gitBlob) md.update(("blob " + b.length + "\0").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(md.digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
