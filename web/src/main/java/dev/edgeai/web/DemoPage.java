package dev.edgeai.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeai.chat.ChatBackend;
import dev.edgeai.http.LocalGuard;
import dev.edgeai.retrieval.ContextBuilder;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The workshop's browser demo at {@code /demo/}: prompt → tokens streamed from the same server's {@code /v1} (SLM vs
 * LLM, latency chart, reference documents as RAG context), all-MiniLM-L6-v2 running in the page on ONNX Runtime Web
 * (WebGPU, wasm fallback), and a served language model generating in the page itself. Everything the page loads
 * comes from this server: the page (classpath {@code dev/edgeai/web/demo/}), plotly (lib's vendored copy), MiniLM and
 * its tokenizer (inside the langchain4j jar), the served model folders' files ({@link PageModels}), and ORT-web's,
 * tokenizers.js's and Jinja's files from a local cache ({@link OrtWebAssets}).
 *
 * <p>Mount it on any Javalin server that serves {@code /v1}: {@code Javalin.create(cfg -> DemoPage.mount(cfg))}.
 *
 * <p>Routes: {@code GET /demo/} (page), {@code GET /demo/api/config}, {@code POST /demo/api/ort/install} (fetch the
 * pinned npm packages once into the cache), {@code GET /demo/ort/{file}}, {@code GET /demo/lib/{package}/{file}},
 * {@code GET /demo/models/{file}} (MiniLM), {@code GET /demo/llm/{model}/{file}} and
 * {@code GET /demo/llm/{model}/onnx/{file}} (a served model's files), {@code GET /demo/plotly.min.js}.
 */
public final class DemoPage {
    public static final String PATH = "/demo/";
    static final String MODEL = "all-minilm-l6-v2-q.onnx";
    static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";
    /**
     * Cross-origin isolation lets ORT-web use wasm threads (SharedArrayBuffer); everything the page loads is
     * same-origin, so these cost nothing.
     */
    static final Map<String, String> ISOLATION = Map.of(
            "Cross-Origin-Opener-Policy",
            "same-origin",
            "Cross-Origin-Embedder-Policy",
            "require-corp",
            "Cross-Origin-Resource-Policy",
            "same-origin");

    /**
     * The page's Content-Security-Policy: its own files only (model output is shown as text, and even markup that got
     * in could load or send nothing elsewhere), wasm compilation for ONNX Runtime Web, workers from its own files or
     * blobs, plotly's injected styles; no other site may frame it.
     */
    static final String CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; "
            + "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /** The page and its own scripts and styles: isolation, the guard's headers and the CSP. */
    static final Map<String, String> PAGE_HEADERS = pageHeaders();

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, String> pageHeaders() {
        Map<String, String> h = new LinkedHashMap<>(ISOLATION);
        h.putAll(LocalGuard.pageHeaders(CSP));
        return Map.copyOf(h);
    }

    private final OrtWebAssets ort;
    /** The page's generation libraries by the short name the page asks for: tokenizers.js and Jinja. */
    private final Map<String, OrtWebAssets> libs;

    private final PageModels models;

    private DemoPage(OrtWebAssets ort, PageModels models) {
        this.ort = ort;
        this.libs =
                Map.of("tokenizers", ort.sibling(OrtWebAssets.TOKENIZERS), "jinja", ort.sibling(OrtWebAssets.JINJA));
        this.models = models;
    }

    /** Registers the demo with ORT-web files from {@link OrtWebAssets#fromEnvironment()} and no model for the page. */
    public static void mount(JavalinConfig cfg) {
        mount(cfg, OrtWebAssets.fromEnvironment());
    }

    /** The demo with the model folders {@code backend} runs (when it is the embedded engine) offered to the page. */
    public static void mount(JavalinConfig cfg, ChatBackend backend) {
        mount(cfg, OrtWebAssets.fromEnvironment(), PageModels.of(backend));
    }

    public static void mount(JavalinConfig cfg, OrtWebAssets ort) {
        mount(cfg, ort, PageModels.none());
    }

    /**
     * @param ort    where ORT-web is cached; tokenizers.js and Jinja are cached beside it
     * @param models the served model folders whose files the page may fetch
     */
    public static void mount(JavalinConfig cfg, OrtWebAssets ort, PageModels models) {
        DemoPage page = new DemoPage(ort, models);
        cfg.staticFiles.add(sf -> {
            sf.hostedPath = "/demo";
            sf.directory = "/dev/edgeai/web/demo";
            sf.location = Location.CLASSPATH;
            sf.headers = PAGE_HEADERS;
        });
        cfg.routes.get("/demo/api/config", page::config);
        cfg.routes.post("/demo/api/ort/install", page::install);
        cfg.routes.get("/demo/ort/{file}", page::ortFile);
        cfg.routes.get("/demo/lib/{lib}/{file}", page::libFile);
        cfg.routes.get("/demo/models/{file}", page::modelFile);
        cfg.routes.get("/demo/llm/{model}/{file}", ctx -> page.llmFile(ctx, ctx.pathParam("file")));
        cfg.routes.get("/demo/llm/{model}/onnx/{file}", ctx -> page.llmFile(ctx, "onnx/" + ctx.pathParam("file")));
        cfg.routes.get(
                "/demo/plotly.min.js",
                ctx -> classpath(ctx, "/dev/edgeai/charts/plotly.min.js", "text/javascript", true));
    }

    private Map<String, Object> ortStatus() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("version", OrtWebAssets.VERSION);
        o.put("installed", ort.installed());
        o.put("dir", ort.dir().toString());
        o.put("howTo", ort.howToInstall());
        return o;
    }

    /** What text generation in the page needs beyond ORT-web: installed, and how to get what is missing. */
    private Map<String, Object> libStatus() {
        Map<String, Object> o = new LinkedHashMap<>();
        List<String> missing = libs.values().stream()
                .filter(l -> !l.installed())
                .map(OrtWebAssets::howToInstall)
                .toList();
        o.put("installed", missing.isEmpty());
        o.put(
                "versions",
                libs.values().stream()
                        .map(l -> l.pin().name() + "@" + l.pin().version())
                        .sorted()
                        .toList());
        o.put("howTo", String.join(" ", missing));
        return o;
    }

    private List<Map<String, Object>> llmModels() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (PageModels.Model m : models.list()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", m.id());
            if (m.problem() != null) {
                o.put("problem", m.problem());
            } else {
                String base = "/demo/llm/"
                        + URLEncoder.encode(m.id(), StandardCharsets.UTF_8).replace("+", "%20") + "/";
                o.put("bytes", m.bytes());
                o.put("onnx", m.onnx());
                o.put("externalData", m.externalData());
                Map<String, String> urls = new LinkedHashMap<>();
                for (String f : m.files()) urls.put(f, base + f);
                o.put("files", urls);
            }
            out.add(o);
        }
        return out;
    }

    private void config(Context ctx) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("systemPrompt", ContextBuilder.SYSTEM_PROMPT);
        out.put("noContext", ContextBuilder.NO_CONTEXT);
        out.put(
                "model",
                Map.of(
                        "name",
                        "all-MiniLM-L6-v2 (int8)",
                        "model",
                        "/demo/models/" + MODEL,
                        "tokenizer",
                        "/demo/models/" + TOKENIZER));
        out.put("ort", ortStatus());
        out.put("libs", libStatus());
        out.put("llm", llmModels());
        json(ctx, 200, out);
    }

    /** Fetches every pinned package the page uses (ORT-web first: the embeddings need nothing else). */
    private void install(Context ctx) throws IOException {
        try {
            ort.install(true);
            for (OrtWebAssets lib : libs.values()) lib.install(true);
            json(ctx, 200, Map.of("ort", ortStatus(), "libs", libStatus()));
        } catch (IOException e) {
            json(ctx, 502, Map.of("error", e.getMessage(), "ort", ortStatus(), "libs", libStatus()));
        }
    }

    private void libFile(Context ctx) throws IOException {
        OrtWebAssets lib = libs.get(ctx.pathParam("lib"));
        String name = ctx.pathParam("file");
        var file = lib == null ? Optional.<Path>empty() : lib.file(name);
        if (file.isEmpty()) {
            json(
                    ctx,
                    404,
                    Map.of(
                            "error",
                            lib != null && lib.pin().files().contains(name)
                                    ? lib.howToInstall()
                                    : "no such file: " + ctx.pathParam("lib") + "/" + name));
            return;
        }
        ctx.header("Cache-Control", "public, max-age=31536000, immutable"); // versioned by the cache folder
        Path p = file.get();
        try (InputStream in = Files.newInputStream(p)) {
            raw(ctx, in, Files.size(p), "text/javascript");
        }
    }

    /**
     * A served model's file, sent as it is (hundreds of MB: no on-the-fly gzip). Revalidated by ETag, so a reload
     * costs a 304 instead of the whole model, yet a folder replaced on disk is fetched anew.
     */
    private void llmFile(Context ctx, String name) throws IOException {
        String id = ctx.pathParam("model");
        var file = models.file(id, name);
        if (file.isEmpty()) {
            json(ctx, 404, Map.of("error", "no file " + name + " of a model served for the page as '" + id + "'"));
            return;
        }
        Path p = file.get();
        long size = Files.size(p);
        String etag = "\"" + Long.toHexString(size) + "-"
                + Long.toHexString(Files.getLastModifiedTime(p).toMillis()) + "\"";
        ctx.header("Cache-Control", "no-cache");
        ctx.header("ETag", etag);
        if (etag.equals(ctx.header("If-None-Match"))) {
            ISOLATION.forEach(ctx::header);
            ctx.status(304);
            return;
        }
        try (InputStream in = Files.newInputStream(p)) {
            raw(ctx, in, size, name.endsWith(".json") ? "application/json" : "application/octet-stream");
        }
    }

    private void ortFile(Context ctx) throws IOException {
        String name = ctx.pathParam("file");
        var file = ort.file(name);
        if (file.isEmpty()) {
            json(
                    ctx,
                    404,
                    Map.of("error", OrtWebAssets.FILES.contains(name) ? ort.howToInstall() : "no such file: " + name));
            return;
        }
        // Versioned by the cache folder: the browser may keep them (41 MB) for good.
        ctx.header("Cache-Control", "public, max-age=31536000, immutable");
        Path p = file.get();
        try (InputStream in = Files.newInputStream(p)) {
            raw(ctx, in, Files.size(p), name.endsWith(".wasm") ? "application/wasm" : "text/javascript");
        }
    }

    private void modelFile(Context ctx) throws IOException {
        String name = ctx.pathParam("file");
        if (!name.equals(MODEL) && !name.equals(TOKENIZER)) {
            json(ctx, 404, Map.of("error", "no such model file: " + name));
            return;
        }
        classpath(ctx, "/" + name, name.endsWith(".json") ? "application/json" : "application/octet-stream", false);
    }

    /** @param compressible whether Javalin may gzip it; the model and wasm are sent as they are (see {@link #raw}) */
    private static void classpath(Context ctx, String resource, String type, boolean compressible) throws IOException {
        InputStream in = DemoPage.class.getResourceAsStream(resource);
        if (in == null) {
            json(ctx, 404, Map.of("error", resource + " is not on the classpath"));
            return;
        }
        ctx.header("Cache-Control", "public, max-age=3600");
        if (compressible) {
            ISOLATION.forEach(ctx::header);
            ctx.contentType(type).result(in);
            return;
        }
        try (in) {
            raw(ctx, in, -1, type);
        }
    }

    /**
     * Straight to the servlet stream, past Javalin's on-the-fly gzip: compressing 14–27 MB of wasm or a 23 MB model
     * per request costs seconds of CPU for little gain on a local link (ORT-web session creation 4.2 s → 1.8 s).
     */
    private static void raw(Context ctx, InputStream in, long length, String type) throws IOException {
        ISOLATION.forEach(ctx::header);
        ctx.res().setStatus(200);
        ctx.res().setContentType(type);
        if (length >= 0) ctx.res().setContentLengthLong(length);
        OutputStream out = ctx.res().getOutputStream();
        in.transferTo(out);
        out.flush();
    }

    private static void json(Context ctx, int status, Object body) throws IOException {
        ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(body));
    }
}
