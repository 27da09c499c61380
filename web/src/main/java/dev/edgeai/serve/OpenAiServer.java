package dev.edgeai.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.edgeai.chat.BackendInfo;
import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.chat.FinishReason;
import dev.edgeai.chat.GenerationDefaults;
import dev.edgeai.chat.ModelInfo;
import dev.edgeai.chat.ModelResolver;
import dev.edgeai.chat.StreamListener;
import dev.edgeai.http.HangupWatch;
import dev.edgeai.http.LocalGuard;
import dev.edgeai.http.RequestLog;
import dev.edgeai.openai.ChatCompletionRequest;
import dev.edgeai.openai.ChunkStream;
import dev.edgeai.openai.ErrorResponse;
import dev.edgeai.openai.InvalidRequest;
import dev.edgeai.openai.ModelList;
import dev.edgeai.openai.ServePort;
import dev.edgeai.openai.SseWriter;
import dev.edgeai.openai.Wire;
import dev.edgeai.retrieval.Embedder;
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
import java.util.function.Supplier;

/**
 * An OpenAI-compatible HTTP endpoint over any {@link ChatBackend} (the embedded engine in serve.java), so Open
 * WebUI, the official SDKs and the workshop's own scripts can talk to models running in this JVM. Binds 127.0.0.1
 * by default, and answers no web page but its own ({@link LocalGuard}: Host allow-list, Origin and Content-Type
 * checks, CORS only for {@code --cors} origins).
 *
 * <p>Routes: {@code GET /v1/models}, {@code GET /v1/models/{id}}, {@code POST /v1/chat/completions} (blocking or
 * SSE), {@code POST /v1/responses} (OpenAI's Responses API, text: {@link ResponsesRoutes}), {@code POST
 * /v1/embeddings} (when {@link Builder#embeddings} names an embedder: {@link EmbeddingsRoutes}), {@code GET /health} (only "ok" without the key or from a foreign Host). Requests for one model wait first
 * come, first served behind each other (see {@link ModelGate}); a full queue answers 429 with Retry-After; a client
 * that goes away (streamed or blocking: {@link HangupWatch}), the per-request timeout and {@link #close()} stop
 * generation at the next token. Errors use OpenAI's JSON error shape, and are logged as one line each. More routes
 * or static folders (a demo page) are added with {@link Builder#extension}. The handlers only translate: bodies are
 * read, converted and written by the wire layer ({@link Wire}, {@link ChunkStream}).
 */
public final class OpenAiServer implements AutoCloseable {
    /** {@code owned_by} of models whose backend does not name an owner, and of aliases. */
    private static final String OWNER = "edgeai";

    /** The status recorded for a blocking request whose client left (nginx's "client closed request"). */
    static final int CLIENT_GONE = 499;

    private static final String ROUTES = "GET /v1/models, GET /v1/models/{id}, POST /v1/chat/completions, "
            + "POST /v1/responses, POST /v1/embeddings, GET /health";

    /** Bodies parsed whole: a second JSON value (or anything) after the request object is an error. */
    private static final ObjectReader STRICT = Wire.JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * @param access         Host names and CORS origins allowed besides the defaults (see {@link LocalGuard})
     * @param aliases        extra model names → backend model ids (listed in /v1/models next to the real ids)
     * @param slotsPerModel  requests one model generates at once (at least the embedded engine's batch size)
     * @param maxQueue       requests that may wait per model; one more gets 429
     * @param requestTimeout from arrival to the last token; queue time counts
     * @param log            one line per completion request, or null
     * @param errorLog       one line per refused or failed request (stderr in serve.java), or null
     * @param verbose        stack traces of unexpected failures in {@code errorLog}
     * @param embeddings     the model behind /v1/embeddings, or null (then that route answers 404)
     * @param maxTokensCap   the most tokens one answer may have, also when a request leaves max_tokens out (which
     *                       otherwise means: until the end of the text or a full context); null: no cap
     */
    public record Config(
            String host,
            int port,
            String apiKey,
            LocalGuard.Access access,
            Map<String, String> aliases,
            int slotsPerModel,
            int maxQueue,
            Duration requestTimeout,
            long maxBodyBytes,
            List<Consumer<JavalinConfig>> extensions,
            PrintStream log,
            PrintStream errorLog,
            boolean verbose,
            EmbeddingsRoutes.Model embeddings,
            Integer maxTokensCap) {
        public Config {
            if (maxTokensCap != null && maxTokensCap < 1)
                throw new IllegalArgumentException("max tokens cap must be >= 1, was " + maxTokensCap);
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
        private int port = ServePort.DEFAULT;
        private String apiKey;
        private final List<String> allowedHosts = new ArrayList<>();
        private final List<String> corsOrigins = new ArrayList<>();
        private final Map<String, String> aliases = new LinkedHashMap<>();
        private int slotsPerModel = 1;
        private int maxQueue = 64;
        private Duration requestTimeout = Duration.ofMinutes(10);
        private long maxBodyBytes = 4L << 20;
        private final List<Consumer<JavalinConfig>> extensions = new ArrayList<>();
        private PrintStream log;
        private PrintStream errorLog = System.err;
        private boolean verbose;
        private EmbeddingsRoutes.Model embeddings;
        private Integer maxTokensCap;

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
        /** Allow browser pages from this origin ("*" for any) to call the API; null or blank: none more. */
        public Builder cors(String origin) {
            if (origin != null && !origin.isBlank()) corsOrigins.add(origin.strip());
            return this;
        }

        public Builder cors(List<String> origins) {
            origins.forEach(this::cors);
            return this;
        }

        /** Host names answered besides localhost, IP addresses and the bound host (see {@link LocalGuard}). */
        public Builder allowedHosts(List<String> names) {
            allowedHosts.addAll(names);
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

        /** Where refused and failed requests are logged, one line each (default stderr; null: nowhere). */
        public Builder errorLog(PrintStream p) {
            errorLog = p;
            return this;
        }

        /** Stack traces of unexpected failures in the error log. */
        public Builder verbose(boolean v) {
            verbose = v;
            return this;
        }

        /**
         * Serves {@code POST /v1/embeddings} with {@code embedder} under {@code id} (listed in /v1/models); the
         * embedder is loaded on the first request, so a server that never embeds never pays for it.
         */
        public Builder embeddings(String id, Supplier<Embedder> embedder) {
            embeddings = new EmbeddingsRoutes.Model(id, embedder);
            return this;
        }

        /** The library's MiniLM ({@link Embedder#miniLm()}) as {@value EmbeddingsRoutes#MINILM}. */
        public Builder miniLmEmbeddings() {
            return embeddings(EmbeddingsRoutes.MINILM, Embedder::miniLm);
        }

        /** At most this many tokens per answer, whatever a request asks; null: no cap. */
        public Builder maxTokensCap(Integer n) {
            maxTokensCap = n;
            return this;
        }

        public Config config() {
            return new Config(
                    host,
                    port,
                    apiKey,
                    new LocalGuard.Access(allowedHosts, corsOrigins),
                    aliases,
                    slotsPerModel,
                    maxQueue,
                    requestTimeout,
                    maxBodyBytes,
                    extensions,
                    log,
                    errorLog,
                    verbose,
                    embeddings,
                    maxTokensCap);
        }

        public OpenAiServer start(ChatBackend backend) {
            return OpenAiServer.start(backend, config());
        }
    }

    /**
     * One completion request as the server saw it, newest last (the last 256 are kept, for tests and benchmarks).
     * Times are from the request's arrival in the handler; {@code ttftMs} is when the first token was handed to
     * the socket (NaN for blocking requests and failures). {@code generated} is what was generated with: the
     * request with the model's defaults filled in and the cap applied (null when refused before that).
     */
    public record RequestRecord(
            String id,
            String model,
            boolean stream,
            int status,
            FinishReason finishReason,
            int promptTokens,
            int completionTokens,
            double queueMs,
            double ttftMs,
            double e2eMs,
            ChatRequest generated) {}

    final ChatBackend backend;
    private final Config config;
    private final Javalin server;
    final LocalGuard guard;
    private final Map<String, ModelGate> gates = new ConcurrentHashMap<>();
    private final ConcurrentLinkedDeque<RequestRecord> recent = new ConcurrentLinkedDeque<>();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final long created = System.currentTimeMillis() / 1000;
    volatile boolean closing;
    private volatile List<ModelInfo> models;
    private volatile long modelsAt;
    private final ResponsesRoutes responses;
    private final EmbeddingsRoutes embeddings;

    private OpenAiServer(ChatBackend backend, Config config) {
        this.backend = backend;
        this.config = config;
        for (var a : config.aliases().entrySet()) {
            List<String> ids = backendModels().stream().map(ModelInfo::id).toList();
            if (!ids.contains(a.getValue()))
                throw new IllegalArgumentException(
                        "alias " + a.getKey() + "=" + a.getValue() + " names no served model; served: " + ids);
        }
        this.responses = new ResponsesRoutes(this);
        this.embeddings = config.embeddings() == null ? null : new EmbeddingsRoutes(this, config.embeddings());
        this.guard = LocalGuard.builder(Wire.SERVER_NAME)
                .bindHost(config.host())
                .access(config.access())
                .open("/health")
                .routes(ROUTES)
                .errorBody((status, code, message) -> ErrorResponse.of(message, ApiError.typeFor(status), null, code))
                .log(new RequestLog(config.errorLog(), config.verbose()))
                .build();
        this.server = Javalin.create(cfg -> {
            cfg.jetty.host = config.host();
            cfg.startup.showJavalinBanner = false;
            cfg.jsonMapper(new io.javalin.json.JavalinJackson(Wire.JSON, true));
            cfg.concurrency.useVirtualThreads = true;
            guard.install(cfg);
            cfg.routes.before(this::before);
            cfg.routes.get("/health", this::health);
            cfg.routes.get("/v1/models", this::listModels);
            cfg.routes.get("/v1/models/<id>", this::getModel);
            cfg.routes.post("/v1/chat/completions", this::chat);
            cfg.routes.post("/v1/responses", responses::create);
            if (embeddings != null) cfg.routes.post("/v1/embeddings", embeddings::create);
            cfg.routes.exception(ApiError.class, this::answer);
            config.extensions().forEach(e -> e.accept(cfg));
        });
    }

    /** Starts serving; {@code config.port() == 0} picks a free port. */
    public static OpenAiServer start(ChatBackend backend, Config config) {
        OpenAiServer s = new OpenAiServer(backend, config);
        dev.edgeai.web.Listen.start(s.server, config.host(), config.port(), "another serve.java");
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

    /** The id /v1/embeddings answers to, or null when this server does not embed. */
    public String embeddingModel() {
        return embeddings == null ? null : embeddings.id();
    }

    Config config() {
        return config;
    }

    /** One line per served request, or null. */
    PrintStream log() {
        return config.log();
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
        ctx.header(Wire.SERVER_HEADER, Wire.SERVER_NAME);
        if (config.apiKey() != null
                && ctx.path().startsWith("/v1/")
                && !ctx.method().name().equals("OPTIONS")) checkKey(ctx);
    }

    private boolean keyValid(Context ctx) {
        String auth = ctx.header("Authorization");
        String given = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                ? auth.substring(7).strip()
                : "";
        return MessageDigest.isEqual(
                given.getBytes(StandardCharsets.UTF_8), config.apiKey().getBytes(StandardCharsets.UTF_8));
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
        if (!keyValid(ctx))
            throw new ApiError(
                    401,
                    "invalid_request_error",
                    null,
                    "invalid_api_key",
                    "Incorrect API key provided. Use the key "
                            + "serve.java was started with (--api-key), as 'Authorization: Bearer <key>'.",
                    null);
    }

    /** What /health tells a client without the key, or one that reached this server under a name it does not answer. */
    record Up(String status) {}

    /**
     * {@code GET /health}: this server's own route, not OpenAI's. The models, their folders and the queues only for
     * an allowed Host and, with --api-key, the key; anyone else learns that the server is up.
     */
    record Health(
            String status,
            String server,
            BackendInfo backend,
            List<String> models,
            Map<String, QueueState> queue,
            long served,
            long rejected) {}

    record QueueState(int running, int waiting) {}

    private void health(Context ctx) {
        if (!LocalGuard.hostAllowed(ctx) || (config.apiKey() != null && !keyValid(ctx))) {
            ctx.json(new Up(closing ? "closing" : "ok"));
            return;
        }
        Map<String, QueueState> queue = new LinkedHashMap<>();
        gates.forEach((id, g) -> queue.put(id, new QueueState(g.running(), g.waiting())));
        ctx.json(new Health(
                closing ? "closing" : "ok",
                Wire.SERVER_NAME,
                backend.info(),
                modelIds(),
                queue,
                served.get(),
                rejected.get()));
    }

    /** The backend's models, then the aliases, each naming the model it stands for. */
    private void listModels(Context ctx) {
        List<ModelList.Model> data = new ArrayList<>();
        for (ModelInfo m : backendModels())
            data.add(Wire.toModel(m, created, OWNER).withDefaults(defaults(m.id())));
        config.aliases().forEach((alias, id) -> data.add(ModelList.Model.alias(alias, created, OWNER, id)));
        if (embeddings != null) data.add(ModelList.Model.embeddings(embeddings.id(), created, OWNER));
        ctx.json(ModelList.of(data));
    }

    private void getModel(Context ctx) {
        String id = ctx.pathParam("id");
        for (ModelInfo m : backendModels())
            if (m.id().equals(id)) {
                ctx.json(Wire.toModel(m, created, OWNER).withDefaults(defaults(m.id())));
                return;
            }
        String target = config.aliases().get(id);
        if (target != null) {
            ctx.json(ModelList.Model.alias(id, created, OWNER, target));
            return;
        }
        if (embeddings != null && embeddings.id().equals(id)) {
            ctx.json(ModelList.Model.embeddings(id, created, OWNER));
            return;
        }
        throw unknownModel(id);
    }

    /** The embedded engine decodes several requests of a model together (one step for all): let that many in. */
    private int slots(String model) {
        return Math.max(config.slotsPerModel(), backend.concurrency(model));
    }

    private void chat(Context ctx) {
        long t0 = System.nanoTime();
        String id = "chatcmpl-" + HexFormat.of().formatHex(randomBytes());
        ChatCompletionRequest req;
        ChatRequest chat;
        try {
            try {
                req = ChatCompletionRequest.parse(readJson(ctx));
                chat = Wire.fromCompletionRequest(req);
            } catch (InvalidRequest e) {
                throw ApiError.from(e);
            }
            chat = generated(chat.toBuilder().model(resolve(req.model())).build());
        } catch (ApiError e) {
            refused(id, e, t0);
            throw e;
        }
        ChatCompletionRequest request = req;
        ChatRequest resolved = chat;
        serve(
                ctx,
                id,
                chat,
                req.streaming(),
                t0,
                (deadline, firstToken, hangup) -> request.streaming()
                        ? streamed(ctx, id, resolved, request, deadline, firstToken)
                        : blocking(ctx, id, resolved, deadline, hangup));
    }

    /**
     * What to generate: the model's defaults for the knobs the request left out (so the log says what was used), the
     * cap on max tokens, and logit-bias ids checked against the model's vocabulary.
     */
    ChatRequest generated(ChatRequest chat) {
        GenerationDefaults d = backend.defaults(chat.model());
        if (d.vocabSize() != null)
            for (int tokenId : chat.logitBias().keySet())
                if (tokenId >= d.vocabSize())
                    throw ApiError.invalid(
                            "logit_bias",
                            "invalid_value",
                            "Invalid 'logit_bias': token id " + tokenId + " is not in the vocabulary of " + chat.model()
                                    + " (ids 0 to " + (d.vocabSize() - 1) + ").");
        ChatRequest r = d.applyTo(chat);
        Integer cap = config.maxTokensCap();
        if (cap != null && (r.maxTokens() == null || r.maxTokens() > cap))
            r = r.toBuilder().maxTokens(cap).build();
        return r;
    }

    /** The sampling a request ran with, for the request log: every knob, "-" for the backend's own. */
    static String sampling(ChatRequest r) {
        StringBuilder sb = new StringBuilder();
        sb.append("temperature ").append(knob(r.temperature()));
        sb.append(" top_p ").append(knob(r.topP()));
        sb.append(" top_k ").append(knob(r.topK()));
        if (r.minP() != null) sb.append(" min_p ").append(knob(r.minP()));
        sb.append(" repetition_penalty ").append(knob(r.repetitionPenalty()));
        if (r.frequencyPenalty() != null) sb.append(" frequency_penalty ").append(knob(r.frequencyPenalty()));
        if (r.presencePenalty() != null) sb.append(" presence_penalty ").append(knob(r.presencePenalty()));
        if (!r.logitBias().isEmpty())
            sb.append(" logit_bias ").append(r.logitBias().size()).append(" ids");
        if (r.seed() != null) sb.append(" seed ").append(r.seed());
        sb.append(" max_tokens ").append(r.maxTokens() == null ? "until end" : r.maxTokens());
        return sb.toString();
    }

    private static String knob(Number n) {
        return n == null ? "-" : String.valueOf(n);
    }

    /** The defaults a model's requests get, as listed in /v1/models and the start-up banner. */
    public Map<String, Object> defaults(String modelId) {
        Map<String, Object> m = new LinkedHashMap<>(backend.defaults(modelId).asMap());
        m.put("max_tokens", config.maxTokensCap() == null ? "until end of text or context" : config.maxTokensCap());
        return m;
    }

    /** {@link #defaults} in one line for a start-up banner, e.g. "temperature 0.7, top_p 0.8 (generation_config.json)". */
    public String defaultsLine(String modelId) {
        Map<String, Object> d = defaults(modelId);
        List<String> knobs = new ArrayList<>();
        d.forEach((k, v) -> {
            if (!k.equals("source") && !k.equals("max_tokens")) knobs.add(k + " " + v);
        });
        return (knobs.isEmpty() ? "no sampling defaults" : String.join(", ", knobs)) + " (" + d.get("source")
                + "); max_tokens " + d.get("max_tokens");
    }

    /** Writes one answer in a route's wire format: streamed, or blocking (then {@code hangup} watches the client). */
    @FunctionalInterface
    interface Answer {
        /** @param firstToken set to System.nanoTime() when the first token goes out; null when nothing was made */
        ChatResult write(long deadline, long[] firstToken, HangupWatch hangup);
    }

    /** A request refused before it was queued, in the request records. */
    void refused(String id, ApiError e, long t0) {
        record(new RequestRecord(
                id, null, false, e.status, null, 0, 0, Double.NaN, Double.NaN, ms(System.nanoTime() - t0), null));
    }

    /**
     * Runs one generation for any route: waits for the model's turn, answers through {@code answer} within the
     * per-request timeout, then records and logs it.
     */
    void serve(Context ctx, String id, ChatRequest chat, boolean stream, long t0, Answer answer) {
        // A blocking request's client may leave while it waits or generates: watched from here (the body is read).
        try (HangupWatch hangup = stream ? HangupWatch.NONE : HangupWatch.start(ctx)) {
            serve(id, chat, stream, t0, hangup, answer);
        }
    }

    private void serve(String id, ChatRequest chat, boolean stream, long t0, HangupWatch hangup, Answer answer) {
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
                    stream,
                    e.status,
                    null,
                    0,
                    0,
                    Double.NaN,
                    Double.NaN,
                    ms(System.nanoTime() - t0),
                    chat));
            throw e;
        }
        long admitted = System.nanoTime();
        ChatResult result = null;
        int status = 200;
        long[] firstToken = {0};
        try {
            if (closing) throw ApiError.unavailable("server_shutting_down", "the server is shutting down");
            result = answer.write(deadline, firstToken, hangup);
            if (hangup.gone()) status = CLIENT_GONE;
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
                    stream,
                    status,
                    result == null ? null : result.finishReason(),
                    result == null ? 0 : result.usage().promptTokens(),
                    result == null ? 0 : result.usage().completionTokens(),
                    ms(admitted - queued),
                    firstToken[0] == 0 ? Double.NaN : ms(firstToken[0] - t0),
                    ms(end - t0),
                    chat));
            if (config.log() != null) {
                config.log()
                        .printf(
                                Locale.ROOT,
                                "%s %s %s %d %s %d tokens, queued %.0f ms, total %.0f ms, %s%n",
                                id,
                                chat.model(),
                                stream ? "stream" : "blocking",
                                status,
                                result == null || result.finishReason() == null
                                        ? "-"
                                        : result.finishReason().wireName(),
                                result == null ? 0 : result.usage().completionTokens(),
                                ms(admitted - queued),
                                ms(end - t0),
                                sampling(chat));
            }
        }
    }

    /** The answer as one JSON document; nothing at all when the client left before it was done. */
    private ChatResult blocking(Context ctx, String id, ChatRequest chat, long deadline, HangupWatch hangup) {
        if (hangup.gone()) return null; // left while queued: nothing to generate for
        ChatResult r;
        try {
            r = backend.stream(chat, new StreamListener() {
                @Override
                public boolean isCancelled() {
                    return closing || System.nanoTime() > deadline || hangup.gone();
                }
            });
        } catch (ChatException e) {
            if (hangup.gone()) return null;
            throw ApiError.from(e);
        }
        if (r.finishReason() == FinishReason.CANCELLED) {
            if (hangup.gone()) return r;
            throw cancelledBy();
        }
        if (r.finishReason() == FinishReason.ERROR) throw backendFailed();
        ctx.json(Wire.toCompletion(id, System.currentTimeMillis() / 1000, r));
        return r;
    }

    private ChatResult streamed(
            Context ctx, String id, ChatRequest chat, ChatCompletionRequest req, long deadline, long[] firstToken) {
        ChunkStream out;
        try {
            ctx.res().setStatus(200);
            ctx.res().setContentType("text/event-stream;charset=utf-8");
            ctx.res().setHeader("Cache-Control", "no-cache");
            ctx.res().setHeader("X-Accel-Buffering", "no");
            out = new ChunkStream(
                    new SseWriter(ctx.res().getOutputStream()),
                    id,
                    System.currentTimeMillis() / 1000,
                    chat.model(),
                    req.includeUsage());
        } catch (IOException e) {
            throw ApiError.unavailable("client_gone", "the client went away before the answer started");
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
            if (r.finishReason() == FinishReason.CANCELLED) {
                if (!out.broken()) failStream(ctx, out, cancelledBy());
                return r;
            }
            if (r.finishReason() == FinishReason.ERROR) {
                failStream(ctx, out, backendFailed());
                return r;
            }
            out.finish(Wire.toFinishReason(r.finishReason()), Wire.toUsage(r.usage()));
            return r;
        } catch (ChatException e) {
            failStream(ctx, out, ApiError.from(e));
            return null;
        } catch (RuntimeException e) {
            guard.log().failed(500, "POST", ctx.path(), ctx.ip(), e);
            failStream(
                    ctx,
                    out,
                    new ApiError(
                            500,
                            "server_error",
                            null,
                            "internal_error",
                            "internal error in serve.java while generating (its console has the details)",
                            null));
            return null;
        }
    }

    /** Before the first chunk the error can still be a real HTTP status; after it, it goes in-band. */
    private void failStream(Context ctx, ChunkStream out, ApiError e) {
        if (!out.begun()) throw e;
        out.error(e.body());
        guard.log().refused(e.status, "POST", ctx.path(), ctx.ip(), "in-band error: " + e.getMessage());
    }

    static ApiError backendFailed() {
        return new ApiError(
                500,
                "server_error",
                null,
                "backend_error",
                "the backend reported an error part-way through the answer",
                null);
    }

    ApiError cancelledBy() {
        return closing
                ? ApiError.unavailable("server_shutting_down", "the server is shutting down")
                : timeout("generating (ask for fewer max_tokens, or start the server with a longer --timeout)");
    }

    ApiError timeout(String while_) {
        double s = config.requestTimeout().toMillis() / 1000.0;
        String limit = s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s);
        return ApiError.unavailable(
                "timeout", "request timed out after " + limit + " s (the per-request timeout) while " + while_);
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
    String resolve(String requested) {
        if (embeddings != null && embeddings.answersTo(requested))
            throw ApiError.invalid(
                    "model",
                    "model_not_supported",
                    "'" + requested + "' is an embedding model: send it to POST /v1/embeddings, and chat with one of: "
                            + String.join(", ", modelIds()) + ".");
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

    JsonNode readJson(Context ctx) {
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
            throw ApiError.invalid(
                    null, "invalid_request_body", "could not read the request body (the client stopped sending it)");
        }
        if (body.length > limit) throw tooLarge(-1);
        if (body.length == 0)
            throw ApiError.invalid(
                    null, "invalid_request_body", "empty request body: send a JSON object with 'model' and 'messages'");
        try {
            return STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.invalid(null, "invalid_json", "We could not parse the JSON body of your request: " + why(e));
        } catch (IOException e) {
            throw ApiError.invalid(null, "invalid_json", "We could not parse the JSON body of your request.");
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

    /** The parser's own description and where (Jackson's message also names classes and features: not that). */
    private static String why(JsonProcessingException e) {
        String what = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (what.startsWith("Trailing token")) what = "more data after the JSON object";
        what = what.lines().findFirst().orElse("").replaceAll("\\s*\\(.*Feature.*\\)", "");
        if (what.length() > 200) what = what.substring(0, 200) + "…";
        var at = e.getLocation();
        return what + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
    }

    private void answer(ApiError e, Context ctx) {
        guard.log().refused(e.status, ctx.method().name(), ctx.path(), ctx.ip(), e.getMessage());
        if (ctx.res().isCommitted()) return;
        if (e.retryAfterS != null) ctx.header("Retry-After", String.valueOf(e.retryAfterS));
        ctx.status(e.status).json(e.body());
    }

    void record(RequestRecord r) {
        recent.addLast(r);
        while (recent.size() > 256) recent.pollFirst();
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[12];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }
}
