package dev.edgeai.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.chat.ModelInfo;
import dev.edgeai.chat.ModelResolver;
import dev.edgeai.chat.StreamListener;
import dev.edgeai.engine.EmbeddedBackend;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * An OpenAI-compatible HTTP endpoint over any {@link ChatBackend} (the embedded engine in serve.java), so Open
 * WebUI, the official SDKs and the workshop's own scripts can talk to models running in this JVM. Binds 127.0.0.1
 * by default.
 *
 * <p>Routes: {@code GET /v1/models}, {@code GET /v1/models/{id}}, {@code POST /v1/chat/completions} (blocking or
 * SSE), {@code GET /health}. Requests for one model wait first come, first served behind each other (see
 * {@link ModelGate}); a full queue answers 429 with Retry-After; a client that goes away, the per-request timeout
 * and {@link #close()} stop generation at the next token. Errors use OpenAI's JSON error shape. More routes or
 * static folders (a demo page) are added with {@link Builder#extension}.
 */
public final class OpenAiServer implements AutoCloseable {
    public static final int DEFAULT_PORT = 5273;
    /** Response header that tells discovery this is serve.java and not another server on its port. */
    public static final String SERVER_HEADER = "X-Edgeai-Server";

    public static final String SERVER_NAME = "serve.java";

    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);
    private static final String ANSWERED = "edgeai.answered";
    private static final String ROUTES = "GET /v1/models, GET /v1/models/{id}, POST /v1/chat/completions, GET /health";

    /**
     * @param aliases        extra model names → backend model ids (listed in /v1/models next to the real ids)
     * @param slotsPerModel  requests one model generates at once (at least the embedded engine's batch size)
     * @param maxQueue       requests that may wait per model; one more gets 429
     * @param requestTimeout from arrival to the last token; queue time counts
     * @param log            one line per completion request, or null
     */
    public record Config(
            String host,
            int port,
            String apiKey,
            String corsOrigin,
            Map<String, String> aliases,
            int slotsPerModel,
            int maxQueue,
            Duration requestTimeout,
            long maxBodyBytes,
            List<Consumer<JavalinConfig>> extensions,
            PrintStream log) {
        public Config {
            aliases = Map.copyOf(aliases);
            extensions = List.copyOf(extensions);
            if (slotsPerModel < 1)
                throw new IllegalArgumentException("slots per model must be >= 1, was " + slotsPerModel);
            if (maxQueue < 0) throw new IllegalArgumentException("max queue must be >= 0, was " + maxQueue);
            if (requestTimeout.isNegative() || requestTimeout.isZero())
                throw new IllegalArgumentException("request timeout must be positive, was " + requestTimeout);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = DEFAULT_PORT;
        private String apiKey;
        private String corsOrigin;
        private final Map<String, String> aliases = new LinkedHashMap<>();
        private int slotsPerModel = 1;
        private int maxQueue = 64;
        private Duration requestTimeout = Duration.ofMinutes(10);
        private long maxBodyBytes = 4L << 20;
        private final List<Consumer<JavalinConfig>> extensions = new ArrayList<>();
        private PrintStream log;

        public Builder host(String h) {
            host = h;
            return this;
        }
        /** 0 picks a free port. */
        public Builder port(int p) {
            port = p;
            return this;
        }
        /** Require {@code Authorization: Bearer <key>} on /v1 routes; null or blank: no key. */
        public Builder apiKey(String k) {
            apiKey = k == null || k.isBlank() ? null : k.strip();
            return this;
        }
        /** Allow browser pages from this origin ("*" for any) to call the API; null: no CORS headers. */
        public Builder cors(String origin) {
            corsOrigin = origin == null || origin.isBlank() ? null : origin.strip();
            return this;
        }

        public Builder alias(String name, String modelId) {
            aliases.put(name, modelId);
            return this;
        }

        public Builder slotsPerModel(int n) {
            slotsPerModel = n;
            return this;
        }

        public Builder maxQueue(int n) {
            maxQueue = n;
            return this;
        }

        public Builder requestTimeout(Duration d) {
            requestTimeout = d;
            return this;
        }

        public Builder maxBodyBytes(long b) {
            maxBodyBytes = b;
            return this;
        }
        /** Registers more routes or static folders, e.g. {@code cfg -> cfg.staticFiles.add(...)}; no API key applies. */
        public Builder extension(Consumer<JavalinConfig> e) {
            extensions.add(e);
            return this;
        }

        public Builder log(PrintStream p) {
            log = p;
            return this;
        }

        public Config config() {
            return new Config(
                    host,
                    port,
                    apiKey,
                    corsOrigin,
                    aliases,
                    slotsPerModel,
                    maxQueue,
                    requestTimeout,
                    maxBodyBytes,
                    extensions,
                    log);
        }

        public OpenAiServer start(ChatBackend backend) {
            return OpenAiServer.start(backend, config());
        }
    }

    /**
     * One completion request as the server saw it, newest last (the last 256 are kept, for tests and benchmarks).
     * Times are from the request's arrival in the handler; {@code ttftMs} is when the first token was handed to
     * the socket (NaN for blocking requests and failures).
     */
    public record RequestRecord(
            String id,
            String model,
            boolean stream,
            int status,
            String finishReason,
            int promptTokens,
            int completionTokens,
            double queueMs,
            double ttftMs,
            double e2eMs) {}

    private final ChatBackend backend;
    private final Config config;
    private final Javalin server;
    private final Map<String, ModelGate> gates = new ConcurrentHashMap<>();
    private final ConcurrentLinkedDeque<RequestRecord> recent = new ConcurrentLinkedDeque<>();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final long created = System.currentTimeMillis() / 1000;
    private volatile boolean closing;
    private volatile List<ModelInfo> models;
    private volatile long modelsAt;

    private OpenAiServer(ChatBackend backend, Config config) {
        this.backend = backend;
        this.config = config;
        for (var a : config.aliases().entrySet()) {
            List<String> ids = backendModels().stream().map(ModelInfo::id).toList();
            if (!ids.contains(a.getValue()))
                throw new IllegalArgumentException(
                        "alias " + a.getKey() + "=" + a.getValue() + " names no served model; served: " + ids);
        }
        this.server = Javalin.create(cfg -> {
            cfg.jetty.host = config.host();
            cfg.startup.showJavalinBanner = false;
            cfg.jsonMapper(new io.javalin.json.JavalinJackson(JSON, true));
            cfg.concurrency.useVirtualThreads = true;
            cfg.routes.before(this::before);
            if (config.corsOrigin() != null) cfg.routes.options("/<path>", ctx -> ctx.status(204));
            cfg.routes.get("/health", this::health);
            cfg.routes.get("/v1/models", this::listModels);
            cfg.routes.get("/v1/models/<id>", this::getModel);
            cfg.routes.post("/v1/chat/completions", this::chat);
            cfg.routes.exception(ApiError.class, (e, ctx) -> answer(ctx, e));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                System.getLogger(OpenAiServer.class.getName())
                        .log(System.Logger.Level.WARNING, "unexpected error on " + ctx.path(), e);
                answer(ctx, new ApiError(500, "server_error", null, "internal_error", "internal error: " + e, null));
            });
            cfg.routes.error(404, ctx -> {
                if (ctx.attribute(ANSWERED) == null)
                    answer(
                            ctx,
                            ApiError.notFound(
                                    "unknown_route",
                                    "Unknown route: " + ctx.method() + " " + ctx.path() + ". Routes: " + ROUTES));
            });
            cfg.routes.error(405, ctx -> {
                if (ctx.attribute(ANSWERED) == null)
                    answer(
                            ctx,
                            new ApiError(
                                    405,
                                    "invalid_request_error",
                                    null,
                                    "method_not_allowed",
                                    ctx.method() + " is not allowed on " + ctx.path() + ". Routes: " + ROUTES,
                                    null));
            });
            config.extensions().forEach(e -> e.accept(cfg));
        });
    }

    /** Starts serving; {@code config.port() == 0} picks a free port. */
    public static OpenAiServer start(ChatBackend backend, Config config) {
        OpenAiServer s = new OpenAiServer(backend, config);
        s.server.start(config.host(), config.port());
        return s;
    }

    public int port() {
        return server.port();
    }

    /** e.g. {@code http://127.0.0.1:5273/v1}: what OpenAI clients take as base URL. */
    public String baseUrl() {
        String h = config.host().equals("0.0.0.0") || config.host().equals("::") ? "127.0.0.1" : config.host();
        return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port() + "/v1";
    }

    /** Model ids clients can ask for: the backend's, then the aliases. */
    public List<String> modelIds() {
        List<String> ids =
                new ArrayList<>(backendModels().stream().map(ModelInfo::id).toList());
        ids.addAll(config.aliases().keySet());
        return ids;
    }

    public Map<String, String> aliases() {
        return config.aliases();
    }

    public List<RequestRecord> recent() {
        return List.copyOf(recent);
    }

    /** Stops accepting requests and ends running generations at their next token. Does not close the backend. */
    @Override
    public void close() {
        closing = true;
        server.stop();
    }

    // ---- routes -------------------------------------------------------------------------------------------------

    private void before(Context ctx) {
        ctx.header(SERVER_HEADER, SERVER_NAME);
        String origin = ctx.header("Origin");
        if (config.corsOrigin() != null
                && origin != null
                && (config.corsOrigin().equals("*") || config.corsOrigin().equals(origin))) {
            ctx.header("Access-Control-Allow-Origin", config.corsOrigin().equals("*") ? "*" : origin);
            ctx.header("Vary", "Origin");
            if (ctx.method().name().equals("OPTIONS")) {
                ctx.header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
                String asked = ctx.header("Access-Control-Request-Headers");
                ctx.header("Access-Control-Allow-Headers", asked != null ? asked : "Authorization, Content-Type");
                ctx.header("Access-Control-Max-Age", "600");
            }
        }
        if (config.apiKey() != null
                && ctx.path().startsWith("/v1/")
                && !ctx.method().name().equals("OPTIONS")) checkKey(ctx);
    }

    private void checkKey(Context ctx) {
        String auth = ctx.header("Authorization");
        if (auth == null || auth.isBlank())
            throw new ApiError(
                    401,
                    "invalid_request_error",
                    null,
                    "missing_api_key",
                    "You didn't provide an API key. This server "
                            + "was started with --api-key: send 'Authorization: Bearer <key>' (OPENAI_API_KEY for the SDKs).",
                    null);
        String given =
                auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).strip() : "";
        if (!MessageDigest.isEqual(
                given.getBytes(StandardCharsets.UTF_8), config.apiKey().getBytes(StandardCharsets.UTF_8)))
            throw new ApiError(
                    401,
                    "invalid_request_error",
                    null,
                    "invalid_api_key",
                    "Incorrect API key provided. Use the key "
                            + "serve.java was started with (--api-key), as 'Authorization: Bearer <key>'.",
                    null);
    }

    private void health(Context ctx) {
        Map<String, Object> queue = new LinkedHashMap<>();
        gates.forEach((id, g) -> queue.put(id, Map.of("running", g.running(), "waiting", g.waiting())));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", closing ? "closing" : "ok");
        out.put("server", SERVER_NAME);
        out.put("backend", backend.info());
        out.put("models", modelIds());
        out.put("queue", queue);
        out.put("served", served.get());
        out.put("rejected", rejected.get());
        ctx.json(out);
    }

    private void listModels(Context ctx) {
        List<Map<String, Object>> data = new ArrayList<>();
        for (ModelInfo m : backendModels()) data.add(modelJson(m.id(), m.ownedBy(), null));
        config.aliases().forEach((alias, id) -> data.add(modelJson(alias, "edgeai", id)));
        ctx.json(Map.of("object", "list", "data", data));
    }

    private void getModel(Context ctx) {
        String id = ctx.pathParam("id");
        for (ModelInfo m : backendModels())
            if (m.id().equals(id)) {
                ctx.json(modelJson(m.id(), m.ownedBy(), null));
                return;
            }
        String target = config.aliases().get(id);
        if (target != null) {
            ctx.json(modelJson(id, "edgeai", target));
            return;
        }
        throw unknownModel(id);
    }

    private Map<String, Object> modelJson(String id, String ownedBy, String aliasOf) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("object", "model");
        m.put("created", created);
        m.put("owned_by", ownedBy == null ? "edgeai" : ownedBy);
        if (aliasOf != null) m.put("alias_of", aliasOf);
        return m;
    }

    /** The embedded engine decodes several requests of a model together (one step for all): let that many in. */
    private int slots(String model) {
        return backend instanceof EmbeddedBackend e
                ? Math.max(config.slotsPerModel(), e.maxBatch(model))
                : config.slotsPerModel();
    }

    private void chat(Context ctx) {
        long t0 = System.nanoTime();
        String id = "chatcmpl-" + HexFormat.of().formatHex(randomBytes());
        CompletionRequest req;
        ChatRequest chat;
        try {
            checkContentType(ctx);
            req = CompletionRequest.parse(readJson(ctx));
            chat = req.chat().toBuilder().model(resolve(req.model())).build();
        } catch (ApiError e) {
            record(new RequestRecord(
                    id, null, false, e.status, null, 0, 0, Double.NaN, Double.NaN, ms(System.nanoTime() - t0)));
            throw e;
        }
        run(ctx, id, chat, req, t0);
    }

    private void run(Context ctx, String id, ChatRequest chat, CompletionRequest req, long t0) {
        ModelGate gate = gates.computeIfAbsent(chat.model(), m -> new ModelGate(slots(m), config.maxQueue()));
        long deadline = t0 + config.requestTimeout().toNanos();
        long queued = System.nanoTime();
        try {
            if (!gate.enter(deadline - System.nanoTime()))
                throw timeout("waiting for model " + chat.model() + " (" + gate.waiting() + " requests ahead)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.unavailable("server_shutting_down", "the server is shutting down");
        } catch (ApiError e) {
            if (e.status == 429) rejected.incrementAndGet();
            record(new RequestRecord(
                    id,
                    chat.model(),
                    req.stream(),
                    e.status,
                    null,
                    0,
                    0,
                    Double.NaN,
                    Double.NaN,
                    ms(System.nanoTime() - t0)));
            throw e;
        }
        long admitted = System.nanoTime();
        ChatResult result = null;
        int status = 200;
        long[] firstToken = {0};
        try {
            if (closing) throw ApiError.unavailable("server_shutting_down", "the server is shutting down");
            result = req.stream()
                    ? streamed(ctx, id, chat, req, deadline, firstToken)
                    : blocking(ctx, id, chat, deadline);
        } catch (ApiError e) {
            status = e.status;
            throw e;
        } finally {
            gate.leave((System.nanoTime() - admitted) / 1e9);
            served.incrementAndGet();
            long end = System.nanoTime();
            record(new RequestRecord(
                    id,
                    chat.model(),
                    req.stream(),
                    status,
                    result == null ? null : result.finishReason(),
                    result == null ? 0 : result.usage().promptTokens(),
                    result == null ? 0 : result.usage().completionTokens(),
                    ms(admitted - queued),
                    firstToken[0] == 0 ? Double.NaN : ms(firstToken[0] - t0),
                    ms(end - t0)));
            if (config.log() != null) {
                config.log()
                        .printf(
                                Locale.ROOT,
                                "%s %s %s %d %s %d tokens, queued %.0f ms, total %.0f ms%n",
                                id,
                                chat.model(),
                                req.stream() ? "stream" : "blocking",
                                status,
                                result == null ? "-" : result.finishReason(),
                                result == null ? 0 : result.usage().completionTokens(),
                                ms(admitted - queued),
                                ms(end - t0));
            }
        }
    }

    private ChatResult blocking(Context ctx, String id, ChatRequest chat, long deadline) {
        ChatResult r;
        try {
            r = backend.stream(chat, new StreamListener() {
                @Override
                public boolean isCancelled() {
                    return closing || System.nanoTime() > deadline;
                }
            });
        } catch (ChatException e) {
            throw ApiError.from(e);
        }
        if ("cancelled".equals(r.finishReason())) throw cancelledBy();
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", "assistant");
        message.put("content", r.text());
        message.put("refusal", null);
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("message", message);
        choice.put("logprobs", null);
        choice.put("finish_reason", finishReason(r));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("object", "chat.completion");
        out.put("created", System.currentTimeMillis() / 1000);
        out.put("model", r.model());
        out.put("system_fingerprint", null);
        out.put("choices", List.of(choice));
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("prompt_tokens", r.usage().promptTokens());
        usage.put("completion_tokens", r.usage().completionTokens());
        usage.put("total_tokens", r.usage().totalTokens());
        out.put("usage", usage);
        ctx.json(out);
        return r;
    }

    private ChatResult streamed(
            Context ctx, String id, ChatRequest chat, CompletionRequest req, long deadline, long[] firstToken) {
        ChunkWriter out;
        try {
            ctx.res().setStatus(200);
            ctx.res().setContentType("text/event-stream;charset=utf-8");
            ctx.res().setHeader("Cache-Control", "no-cache");
            ctx.res().setHeader("X-Accel-Buffering", "no");
            out = new ChunkWriter(
                    ctx.res().getOutputStream(),
                    JSON,
                    id,
                    System.currentTimeMillis() / 1000,
                    chat.model(),
                    req.includeUsage());
        } catch (IOException e) {
            throw ApiError.unavailable("client_gone", "the client went away: " + e.getMessage());
        }
        StreamListener listener = new StreamListener() {
            @Override
            public void onToken(String text) {
                if (firstToken[0] == 0) firstToken[0] = System.nanoTime();
                out.content(text);
            }

            @Override
            public void onReasoning(String text) {
                out.reasoning(text);
            }

            @Override
            public boolean isCancelled() {
                return out.broken() || closing || System.nanoTime() > deadline;
            }
        };
        try {
            ChatResult r = backend.stream(chat, listener);
            if ("cancelled".equals(r.finishReason())) {
                if (!out.broken()) failStream(ctx, out, cancelledBy());
                return r;
            }
            out.finish(finishReason(r), r.usage());
            ctx.attribute(ANSWERED, true);
            return r;
        } catch (ChatException e) {
            failStream(ctx, out, ApiError.from(e));
            return null;
        } catch (RuntimeException e) {
            System.getLogger(OpenAiServer.class.getName()).log(System.Logger.Level.WARNING, "generation failed", e);
            failStream(
                    ctx, out, new ApiError(500, "server_error", null, "internal_error", "internal error: " + e, null));
            return null;
        }
    }

    /** Before the first chunk the error can still be a real HTTP status; after it, it goes in-band. */
    private void failStream(Context ctx, ChunkWriter out, ApiError e) {
        if (!out.started()) throw e;
        out.error(e);
        ctx.attribute(ANSWERED, true);
    }

    private ApiError cancelledBy() {
        return closing
                ? ApiError.unavailable("server_shutting_down", "the server is shutting down")
                : timeout("generating (ask for fewer max_tokens, or start the server with a longer --timeout)");
    }

    private ApiError timeout(String while_) {
        double s = config.requestTimeout().toMillis() / 1000.0;
        String limit = s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s);
        return ApiError.unavailable(
                "timeout", "request timed out after " + limit + " s (the per-request timeout) while " + while_);
    }

    /** The engine says "stop" or "length"; remote backends may say more, passed on unless unknown to OpenAI clients. */
    private static String finishReason(ChatResult r) {
        String f = r.finishReason();
        return f == null ? "stop" : f;
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private List<ModelInfo> backendModels() {
        long now = System.nanoTime();
        if (models == null || now - modelsAt > 5_000_000_000L) {
            models = backend.models();
            modelsAt = now;
        }
        return models;
    }

    /** Alias, then the backend's ids the way Foundry resolves names (exact, without :version, prefix). */
    private String resolve(String requested) {
        for (var a : config.aliases().entrySet()) if (a.getKey().equalsIgnoreCase(requested)) return a.getValue();
        List<String> ids = backendModels().stream().map(ModelInfo::id).toList();
        Optional<String> found = ModelResolver.find(requested, ids);
        if (found.isPresent()) return found.get();
        return ModelResolver.find(requested, List.copyOf(config.aliases().keySet()))
                .map(config.aliases()::get)
                .orElseThrow(() -> unknownModel(requested));
    }

    private ApiError unknownModel(String requested) {
        return ApiError.notFound(
                "model_not_found",
                "The model '" + requested + "' does not exist on this server. Available: "
                        + String.join(", ", modelIds()) + " (GET /v1/models lists them).");
    }

    private static void checkContentType(Context ctx) {
        String type = ctx.header("Content-Type");
        if (type == null) return; // curl --data-binary without -H; the body still has to be JSON
        String t = type.toLowerCase(Locale.ROOT).split(";")[0].strip();
        if (!t.equals("application/json") && !t.endsWith("+json"))
            throw new ApiError(
                    415,
                    "invalid_request_error",
                    null,
                    "unsupported_media_type",
                    "Content-Type must be application/json, " + "got '" + type
                            + "' (curl: add -H \"Content-Type: application/json\").",
                    null);
    }

    private JsonNode readJson(Context ctx) {
        long limit = config.maxBodyBytes();
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            // Read (and drop) a moderately oversized body before answering: a client still uploading when the
            // server answers and closes would see a reset instead of our 413 (seen with the JDK client under load).
            if (declared <= 16 * limit) {
                try (InputStream in = ctx.req().getInputStream()) {
                    in.transferTo(OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                    /* the client went away: nobody to answer */
                }
            }
            throw tooLarge(declared);
        }
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        } catch (IOException e) {
            throw ApiError.invalid(null, "invalid_request_body", "could not read the request body: " + e.getMessage());
        }
        if (body.length > limit) throw tooLarge(-1);
        if (body.length == 0)
            throw ApiError.invalid(
                    null, "invalid_request_body", "empty request body: send a JSON object with 'model' and 'messages'");
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            String why = e.getMessage() == null
                    ? ""
                    : e.getMessage().lines().findFirst().orElse("");
            throw ApiError.invalid(null, "invalid_json", "We could not parse the JSON body of your request: " + why);
        }
    }

    private ApiError tooLarge(long declared) {
        return new ApiError(
                413,
                "invalid_request_error",
                null,
                "request_too_large",
                "Request body too large" + (declared > 0 ? " (" + declared + " bytes)" : "") + ": the limit is "
                        + config.maxBodyBytes() + " bytes.",
                null);
    }

    private static void answer(Context ctx, ApiError e) {
        ctx.attribute(ANSWERED, true);
        if (ctx.res().isCommitted()) return;
        if (e.retryAfterS != null) ctx.header("Retry-After", String.valueOf(e.retryAfterS));
        ctx.status(e.status).json(e.body());
    }

    private void record(RequestRecord r) {
        recent.addLast(r);
        while (recent.size() > 256) recent.pollFirst();
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[12];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
