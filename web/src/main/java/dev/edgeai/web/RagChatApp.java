package dev.edgeai.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ChatMessage;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.chat.FinishReason;
import dev.edgeai.chat.ModelInfo;
import dev.edgeai.chat.ModelResolver;
import dev.edgeai.eval.EscalationRule;
import dev.edgeai.http.LocalGuard;
import dev.edgeai.http.Refused;
import dev.edgeai.http.RequestLog;
import dev.edgeai.openai.SseWriter;
import dev.edgeai.rag.RagFlow;
import dev.edgeai.results.Environment;
import dev.edgeai.results.Recorder;
import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunMeta;
import dev.edgeai.results.RunResult;
import dev.edgeai.results.Sample;
import dev.edgeai.retrieval.Chunk;
import dev.edgeai.retrieval.Citation;
import dev.edgeai.retrieval.Hit;
import dev.edgeai.retrieval.Mode;
import dev.edgeai.retrieval.Retriever;
import dev.edgeai.retrieval.SearchOptions;
import dev.edgeai.retrieval.SearchResult;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A Chainlit-like "chat with your documents" app: the question is answered by the backend from retrieved chunks
 * only, streamed token by token (SSE over a POST), rendered as escaped markdown with [n] citations that open the
 * source chunk, with retrieval details, latency and token usage under each answer. Binds 127.0.0.1 by default and
 * answers no web page but its own ({@link LocalGuard}: Host allow-list, Origin checks on every POST, JSON bodies
 * only, uploads from the page itself); errors are JSON {@code {"error": message, "code": name}}, one log line each.
 *
 * <p>Routes (all JSON unless noted): {@code GET /api/config}, {@code POST /api/chat} → text/event-stream of
 * {@code retrieval}, {@code token}, {@code done} | {@code error} events, {@code POST /api/stop},
 * {@code GET /api/history}, {@code POST /api/upload} (multipart "file"), {@code POST /api/feedback},
 * {@code GET /api/chunk/{id}}.
 */
public final class RagChatApp implements AutoCloseable {
    /** Upload names: plain file names only, no separators, no leading dot; the extension is checked separately. */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,100}");

    private static final int HISTORY_TURNS = 3;
    /** One line per JSON document (SSE data must not contain raw newlines) and NaN as null, like results files. */
    private static final ObjectMapper JSON =
            ResultsFile.json().copy().disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    /** Request bodies parsed whole: anything after the JSON object is an error, not ignored. */
    private static final ObjectReader STRICT =
            JSON.reader().with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * The page loads only its own files; model output is rendered as escaped markdown, and even a tag that slipped
     * through could run no script and load nothing from elsewhere. No other site may frame it.
     */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            + "frame-ancestors 'none'";

    private static final String ROUTES = "GET /, GET /api/config, POST /api/chat, POST /api/stop, GET /api/history,"
            + " POST /api/upload, POST /api/feedback, GET /api/chunk/{id}";

    /**
     * @param dataDir        feedback (feedback/rag_feedback.jsonl), results (results/rag_chat-*.json) and uploads go here
     * @param fallback       with no relevant context, answer from the model alone (marked as such) instead of refusing
     * @param maxUploadBytes larger uploads are refused with 413 and a message
     * @param seed           sampling seed sent with every question (null: none)
     * @param access         Host names and CORS origins allowed besides the defaults (see {@link LocalGuard})
     * @param verbose        stack traces of unexpected failures on the console
     */
    public record Config(
            String host,
            int port,
            Path dataDir,
            String defaultModel,
            boolean fallback,
            long maxUploadBytes,
            Set<String> uploadTypes,
            SearchOptions search,
            double temperature,
            int maxTokens,
            List<String> starters,
            Long seed,
            LocalGuard.Access access,
            boolean verbose) {
        public static Config defaults(Path dataDir) {
            return new Config(
                    "127.0.0.1",
                    0,
                    dataDir,
                    null,
                    false,
                    1_000_000,
                    Set.of(".md", ".txt"),
                    SearchOptions.defaults(),
                    0.0,
                    512,
                    List.of(
                            "What does TTFT measure?", "When should I pick a small language model?",
                            "How does int4 quantization save memory?", "How do I find Foundry Local's port?"),
                    null,
                    LocalGuard.Access.LOCAL,
                    false);
        }

        public Config withPort(int p) {
            return new Config(
                    host,
                    p,
                    dataDir,
                    defaultModel,
                    fallback,
                    maxUploadBytes,
                    uploadTypes,
                    search,
                    temperature,
                    maxTokens,
                    starters,
                    seed,
                    access,
                    verbose);
        }

        public Config withHost(String h) {
            return new Config(
                    h,
                    port,
                    dataDir,
                    defaultModel,
                    fallback,
                    maxUploadBytes,
                    uploadTypes,
                    search,
                    temperature,
                    maxTokens,
                    starters,
                    seed,
                    access,
                    verbose);
        }

        public Config withModel(String m) {
            return new Config(
                    host,
                    port,
                    dataDir,
                    m,
                    fallback,
                    maxUploadBytes,
                    uploadTypes,
                    search,
                    temperature,
                    maxTokens,
                    starters,
                    seed,
                    access,
                    verbose);
        }

        public Config withFallback(boolean f) {
            return new Config(
                    host,
                    port,
                    dataDir,
                    defaultModel,
                    f,
                    maxUploadBytes,
                    uploadTypes,
                    search,
                    temperature,
                    maxTokens,
                    starters,
                    seed,
                    access,
                    verbose);
        }

        public Config withSearch(SearchOptions s) {
            return new Config(
                    host,
                    port,
                    dataDir,
                    defaultModel,
                    fallback,
                    maxUploadBytes,
                    uploadTypes,
                    s,
                    temperature,
                    maxTokens,
                    starters,
                    seed,
                    access,
                    verbose);
        }

        public Config withMaxUploadBytes(long b) {
            return new Config(
                    host,
                    port,
                    dataDir,
                    defaultModel,
                    fallback,
                    b,
                    uploadTypes,
                    search,
                    temperature,
                    maxTokens,
                    starters,
                    seed,
                    access,
                    verbose);
        }

        /** Max tokens per answer, the default temperature (the page may change it per question) and the seed. */
        public Config withGeneration(int max, double temp, Long s) {
            return new Config(
                    host,
                    port,
                    dataDir,
                    defaultModel,
                    fallback,
                    maxUploadBytes,
                    uploadTypes,
                    search,
                    temp,
                    max,
                    starters,
                    s,
                    access,
                    verbose);
        }

        /** Host names and CORS origins allowed besides the defaults (see {@link LocalGuard}). */
        public Config withAccess(LocalGuard.Access a) {
            return new Config(
                    host,
                    port,
                    dataDir,
                    defaultModel,
                    fallback,
                    maxUploadBytes,
                    uploadTypes,
                    search,
                    temperature,
                    maxTokens,
                    starters,
                    seed,
                    a,
                    verbose);
        }

        /** Stack traces of unexpected failures on the console (one line per failed request otherwise). */
        public Config withVerbose(boolean v) {
            return new Config(
                    host,
                    port,
                    dataDir,
                    defaultModel,
                    fallback,
                    maxUploadBytes,
                    uploadTypes,
                    search,
                    temperature,
                    maxTokens,
                    starters,
                    seed,
                    access,
                    v);
        }
    }

    /** RAG with LLM escalation: when the answer refuses, is too short or is poorly grounded, {@code llm} answers the same prompt. */
    public record Escalation(String llm, EscalationRule rule) {}

    private volatile Escalation escalation;

    /** Turns on escalation (null: off); the answer shown is then the large model's, marked as escalated. */
    public RagChatApp escalateTo(Escalation e) {
        escalation = e;
        return this;
    }

    /** One question and its answer, kept per browser session so a reload shows the conversation again. */
    public record Turn(
            String id,
            String question,
            String answer,
            String html,
            String model,
            List<Citation> citations,
            List<Map<String, Object>> retrieval,
            Map<String, Object> metrics,
            boolean fallback,
            String error) {}

    private final ChatBackend backend;
    private final Retriever retriever;
    private final Config config;
    private final Javalin server;
    private final LocalGuard guard;
    private final Map<String, List<Turn>> sessions = new ConcurrentHashMap<>();
    private final Map<String, AtomicBoolean> running = new ConcurrentHashMap<>();
    /** The thread answering each turn: Stop interrupts it, so a stalled backend read ends at once, not at the timeout. */
    private final Map<String, Thread> workers = new ConcurrentHashMap<>();

    /** Every model call of every turn, recorded as it ends (stage "rag", "fallback" or "escalated"). */
    private final List<Sample> samples = new CopyOnWriteArrayList<>();

    private final Recorder recorder;
    private final AtomicInteger answered = new AtomicInteger();
    private final Path resultsFile;
    private final String started = Instant.now().toString();
    private final Object indexLock = new Object();
    /** The backend's model list, refreshed at most every few seconds: not one extra round trip per question. */
    private volatile List<String> modelIds;

    private volatile long modelIdsAt;

    private RagChatApp(ChatBackend backend, Retriever retriever, Config config) {
        this.backend = backend;
        this.recorder = new Recorder(backend).listen(new Recorder.Listener() {
            @Override
            public void onResponse(Recorder.Context c) {
                samples.add(c.sample());
            }
        });
        this.retriever = retriever;
        this.config = config;
        this.resultsFile = ResultsFile.newPath(config.dataDir().resolve("results"), "rag_chat");
        this.guard = LocalGuard.builder("rag_chat")
                .bindHost(config.host())
                .access(config.access())
                .upload("/api/upload")
                .routes(ROUTES)
                .errorBody((status, code, message) -> new AppError(message, code))
                .log(new RequestLog(System.err, config.verbose()))
                .build();
        this.server = Javalin.create(cfg -> {
            cfg.jetty.host = config.host();
            cfg.startup.showJavalinBanner = false;
            cfg.jsonMapper(new io.javalin.json.JavalinJackson(JSON, true));
            cfg.concurrency.useVirtualThreads = true;
            cfg.http.maxRequestSize = config.maxUploadBytes() + 64 * 1024;
            guard.install(cfg);
            cfg.staticFiles.add(sf -> {
                sf.hostedPath = "/";
                sf.directory = "/dev/edgeai/web/rag";
                sf.location = Location.CLASSPATH;
                sf.headers = LocalGuard.pageHeaders(CSP);
            });
            cfg.routes.get("/api/config", this::config);
            cfg.routes.post("/api/chat", this::chat);
            cfg.routes.post("/api/stop", this::stop);
            cfg.routes.get("/api/history", this::history);
            cfg.routes.post("/api/upload", this::upload);
            cfg.routes.post("/api/feedback", this::feedback);
            cfg.routes.get("/api/chunk/{id}", this::chunk);
            cfg.routes.exception(
                    BadRequest.class, (e, ctx) -> guard.answer(ctx, e.status, "bad_request", e.getMessage()));
            // Every API error is JSON the page can show, with the backend's reason; the console gets one line, no
            // trace. Anything unexpected is the guard's: a 500 without the exception's text.
            cfg.routes.exception(ChatException.class, (e, ctx) -> {
                int status = e.kind() == ChatException.Kind.UNREACHABLE
                        ? 503
                        : e.kind() == ChatException.Kind.INVALID_INPUT ? 400 : 502;
                guard.answer(ctx, status, "backend_error", "the model backend failed: " + e.getMessage());
            });
        });
    }

    /**
     * Starts the app; {@code config.port() == 0} picks a free port. Documents uploaded in earlier sessions (kept in
     * {@code dataDir/uploads/}) are indexed again first, so a restart does not lose them.
     */
    public static RagChatApp start(ChatBackend backend, Retriever retriever, Config config) {
        Path uploads = config.dataDir().resolve("uploads");
        if (Files.isDirectory(uploads)) {
            try (var files = Files.list(uploads)) {
                for (Path f : files.sorted().toList()) {
                    String name = f.getFileName().toString();
                    if (Files.isRegularFile(f)
                            && config.uploadTypes().contains(extension(name))
                            && SAFE_NAME.matcher(name).matches()) {
                        retriever.addDocument("uploads/" + name, Files.readString(f, StandardCharsets.UTF_8));
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(
                        "cannot read earlier uploads in " + uploads + ": " + e.getMessage(), e);
            }
        }
        RagChatApp app = new RagChatApp(backend, retriever, config);
        Listen.start(app.server, config.host(), config.port(), "another rag_chat");
        return app;
    }

    public int port() {
        return server.port();
    }

    public String url() {
        return "http://" + (config.host().contains(":") ? "[" + config.host() + "]" : config.host()) + ":" + port()
                + "/";
    }

    @Override
    public void close() {
        running.values().forEach(flag -> flag.set(true));
        workers.values().forEach(Thread::interrupt);
        server.stop();
    }

    // ---- routes -------------------------------------------------------------------------------------------------

    private List<String> modelIds() {
        long now = System.nanoTime();
        if (modelIds == null || now - modelIdsAt > 5_000_000_000L) {
            modelIds = backend.models().stream().map(ModelInfo::id).toList();
            modelIdsAt = now;
        }
        return modelIds;
    }

    private void config(Context ctx) {
        List<String> models = modelIds();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("models", models);
        out.put("defaultModel", defaultModel(models));
        out.put("backend", backend.info());
        out.put("topK", config.search().topK());
        out.put("mode", config.search().mode().name().toLowerCase(Locale.ROOT));
        out.put("temperature", config.temperature());
        out.put("starters", config.starters());
        out.put("maxUploadBytes", config.maxUploadBytes());
        out.put("uploadTypes", config.uploadTypes());
        out.put("fallback", config.fallback());
        out.put("documents", chunkCount());
        ctx.json(out);
    }

    private String defaultModel(List<String> models) {
        if (config.defaultModel() != null) {
            return ModelResolver.find(config.defaultModel(), models).orElse(config.defaultModel());
        }
        return models.isEmpty() ? null : models.get(0);
    }

    private void chat(Context ctx) throws IOException {
        JsonNode body = body(ctx);
        String session = session(body.path("session").asText(""));
        String question = body.path("message").asText("").strip();
        if (question.isEmpty()) throw new BadRequest(400, "empty question");
        if (question.length() > 8000) throw new BadRequest(413, "question too long (max 8000 characters)");
        List<String> ids = modelIds();
        String requested = body.path("model").asText("");
        String model = requested.isBlank() ? defaultModel(ids) : requested;
        if (model == null) throw new BadRequest(503, "the backend lists no models");
        model = ModelResolver.find(model, ids)
                .orElseThrow(() -> new BadRequest(400, "unknown model '" + requested + "'"));
        SearchOptions search = searchOptions(body);
        double temperature =
                body.path("temperature").isNumber() ? body.path("temperature").asDouble() : config.temperature();
        if (temperature < 0 || temperature > 2) throw new BadRequest(400, "temperature must be between 0 and 2");
        String turnId = UUID.randomUUID().toString();
        AtomicBoolean cancelled = new AtomicBoolean();
        running.put(turnId, cancelled);
        workers.put(turnId, Thread.currentThread());

        long t0 = System.nanoTime();
        ctx.res().setStatus(200);
        ctx.res().setContentType("text/event-stream;charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        SseWriter sse = new SseWriter(ctx.res().getOutputStream(), JSON);
        try {
            answer(session, turnId, question, model, search, temperature, sse, cancelled, t0);
        } catch (RuntimeException e) {
            // The stream is open (status already sent): report in-band, the page shows it under the question.
            Thread.interrupted();
            guard.log().failed(500, "POST", ctx.path(), ctx.ip(), e);
            sse.send(
                    "error",
                    Map.of("turn", turnId, "message", "internal error in rag_chat (its console has the details)"));
        } finally {
            workers.remove(turnId);
            running.remove(turnId);
            Thread.interrupted(); // a Stop that came late must not leak into the next request on this thread
        }
    }

    /** The text shown when nothing relevant was found and the app does not let the model answer alone. */
    private static final String REFUSAL = "I could not find anything about this in the documents, so I won't guess. "
            + "Try rephrasing, add a document with the upload button, or start the app with --fallback to let the model "
            + "answer on its own.";

    /** HTTP ↔ flow: the RAG flow answers, this method turns its steps into SSE events and the turn into JSON. */
    private void answer(
            String session,
            String turnId,
            String question,
            String model,
            SearchOptions search,
            double temperature,
            SseWriter sse,
            AtomicBoolean cancelled,
            long t0) {
        RagFlow flow = new RagFlow(
                recorder,
                q -> {
                    synchronized (indexLock) {
                        return retriever.search(q, search);
                    }
                },
                RagFlow.Options.defaults()
                        .withNoContext(
                                config.fallback() ? RagFlow.NoContext.WITHOUT_CONTEXT : RagFlow.NoContext.REFUSE,
                                REFUSAL));
        Escalation esc = escalation;
        if (esc != null) flow = flow.escalateTo(esc.llm(), esc.rule().check());

        List<ChatMessage> history = new ArrayList<>();
        List<Turn> past = sessions.getOrDefault(session, List.of());
        for (Turn t : past.subList(Math.max(0, past.size() - HISTORY_TURNS), past.size())) {
            if (t.error() != null || t.answer() == null) continue;
            history.add(ChatMessage.user(t.question()));
            history.add(ChatMessage.assistant(t.answer()));
        }
        List<Map<String, Object>> retrieval = new ArrayList<>();
        boolean[] alone = {false}; // nothing relevant found and --fallback: the model answers on its own
        long[] firstTokenSent = {0};
        RagFlow.Events events = new RagFlow.Events() {
            @Override
            public void onRetrieval(SearchResult found) {
                found.hits().stream().map(RagChatApp::hitJson).forEach(retrieval::add);
                alone[0] = found.noRelevantContext() && config.fallback();
                sse.send(
                        "retrieval",
                        Map.of(
                                "turn",
                                turnId,
                                "mode",
                                found.mode().name().toLowerCase(Locale.ROOT),
                                "tookMs",
                                found.tookMs(),
                                "hits",
                                retrieval,
                                "noRelevantContext",
                                found.noRelevantContext(),
                                "fallback",
                                alone[0]));
            }

            @Override
            public void onToken(String text) {
                if (!sse.send("token", Map.of("text", text))) cancelled.set(true); // browser went away: stop generating
                if (firstTokenSent[0] == 0) firstTokenSent[0] = System.nanoTime();
            }

            @Override
            public void onEscalation(String llm, String reason) {
                Thread.interrupted(); // a Stop that came during the first answer must not break the SSE write
                sse.send("token", Map.of("text", "\n\n[escalated to " + llm + ": " + reason + "]\n\n"));
            }

            @Override
            public boolean isCancelled() {
                return cancelled.get();
            }
        };
        RagFlow.Ask ask = RagFlow.Ask.of(question, model)
                .history(history)
                .generation(config.maxTokens(), temperature, config.seed())
                .round(answered.incrementAndGet());
        RagFlow.Answer a;
        try {
            try {
                a = flow.answer(ask, events);
            } finally {
                Thread.interrupted(); // Stop interrupts this thread to end a stalled read; the SSE writes go on
            }
        } catch (ChatException e) {
            if (cancelled.get()) { // Stop during the wait for the first byte: a stop, not a failure
                Turn turn = new Turn(
                        turnId,
                        question,
                        "",
                        "",
                        model,
                        List.of(),
                        retrieval,
                        Map.of("finishReason", FinishReason.CANCELLED),
                        alone[0],
                        null);
                remember(session, turn);
                sse.send("done", turn);
                return;
            }
            guard.log().refused(502, "POST", "/api/chat", null, "error event in the stream: " + e.getMessage());
            Turn turn = new Turn(
                    turnId,
                    question,
                    null,
                    null,
                    model,
                    List.of(),
                    retrieval,
                    Map.of(),
                    config.fallback(),
                    e.getMessage());
            remember(session, turn);
            sse.send("error", Map.of("turn", turnId, "message", e.getMessage()));
            return;
        }

        if (a.refused()) {
            sse.send("token", Map.of("text", a.text()));
            Turn turn = new Turn(
                    turnId,
                    question,
                    a.text(),
                    Markdown.toHtml(a.text()),
                    model,
                    List.of(),
                    retrieval,
                    Map.of("noRelevantContext", true),
                    false,
                    null);
            remember(session, turn);
            sse.send("done", turn);
            return;
        }
        ChatResult r = a.result();
        List<Citation> citations = a.found().citations();
        Map<String, Object> metrics = new LinkedHashMap<>();
        if (a.escalated()) metrics.put("escalated", a.escalationReason());
        metrics.put("ttftMs", r.timings().ttftMs());
        metrics.put("e2eMs", r.timings().e2eMs());
        metrics.put("retrievalMs", a.found().tookMs());
        metrics.put("serverFirstTokenMs", firstTokenSent[0] == 0 ? null : (firstTokenSent[0] - t0) / 1e6);
        metrics.put("promptTokens", r.usage().promptTokens());
        metrics.put("completionTokens", r.usage().completionTokens());
        metrics.put("tokensEstimated", r.usage().estimated());
        metrics.put("finishReason", r.finishReason());
        String html = (a.escalated()
                        ? Markdown.toHtml("*Escalated to " + a.escalatedTo() + " (" + a.escalationReason() + ")*")
                        : "")
                + Markdown.toHtmlWithCitations(r.text(), alone[0] ? 0 : citations.size());
        Turn turn = new Turn(
                turnId,
                question,
                r.text(),
                html,
                r.model(),
                alone[0] ? List.of() : citations,
                retrieval,
                metrics,
                alone[0],
                null);
        remember(session, turn);
        saveResults();
        sse.send("done", turn);
    }

    private static Map<String, Object> hitJson(Hit h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", h.rank());
        m.put("chunkId", h.chunk().id());
        m.put("source", h.chunk().source());
        m.put("heading", h.chunk().headingPath());
        m.put("start", h.chunk().start());
        m.put("end", h.chunk().end());
        m.put("score", h.score());
        m.put("bm25", h.bm25Score());
        m.put("dense", h.denseScore());
        m.put("text", h.chunk().text());
        return m;
    }

    private SearchOptions searchOptions(JsonNode body) {
        SearchOptions s = config.search();
        if (body.path("topK").isInt()) {
            int k = body.path("topK").asInt();
            if (k < 1 || k > 20) throw new BadRequest(400, "topK must be between 1 and 20");
            s = s.withTopK(k);
        }
        String mode = body.path("mode").asText("");
        if (!mode.isBlank()) {
            try {
                s = s.withMode(Mode.valueOf(mode.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new BadRequest(400, "unknown retrieval mode '" + mode + "' (bm25, dense or hybrid)");
            }
        }
        return s;
    }

    private void stop(Context ctx) throws IOException {
        String turn = body(ctx).path("turn").asText("");
        AtomicBoolean flag = running.get(turn);
        if (flag != null) {
            flag.set(true);
            Thread worker = workers.get(turn);
            if (worker != null) worker.interrupt();
        }
        ctx.json(Map.of("stopped", flag != null));
    }

    private void history(Context ctx) {
        String session = session(ctx.queryParam("session"));
        ctx.json(Map.of("session", session, "turns", sessions.getOrDefault(session, List.of())));
    }

    private void upload(Context ctx) throws IOException {
        UploadedFile file;
        try {
            file = ctx.uploadedFile("file");
        } catch (Exception e) { // Jetty's multipart parser: malformed, or over a limit (checked exceptions too)
            throw multipartRefused(e);
        }
        if (file == null) throw new BadRequest(400, "no file in the upload (form field 'file')");
        String name = file.filename();
        if (name == null
                || name.contains("/")
                || name.contains("\\")
                || name.contains("..")
                || !SAFE_NAME.matcher(name).matches()) {
            throw new BadRequest(400, "file name not allowed: use a plain name like notes.md (letters, digits, . _ -)");
        }
        String ext = extension(name);
        if (!config.uploadTypes().contains(ext)) {
            throw new BadRequest(
                    415,
                    "file type not allowed: " + (ext.isEmpty() ? "no extension" : ext) + " (allowed: "
                            + String.join(
                                    ", ", config.uploadTypes().stream().sorted().toList()) + ")");
        }
        if (file.size() > config.maxUploadBytes()) {
            throw new BadRequest(
                    413, "file too large: " + file.size() + " bytes (limit " + config.maxUploadBytes() + ")");
        }
        byte[] bytes = file.contentAndClose(in -> {
            try {
                return in.readNBytes((int) config.maxUploadBytes() + 1);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        if (bytes.length > config.maxUploadBytes())
            throw new BadRequest(413, "file too large (limit " + config.maxUploadBytes() + " bytes)");
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new BadRequest(415, "file is not UTF-8 text");
        }
        if (text.indexOf('\0') >= 0) throw new BadRequest(415, "file looks binary, not text");
        if (text.isBlank()) throw new BadRequest(400, "file is empty");
        String source = "uploads/" + name;
        Path dir = Files.createDirectories(config.dataDir().resolve("uploads"));
        Files.write(dir.resolve(name), bytes);
        int chunks;
        synchronized (indexLock) {
            chunks = retriever.addDocument(source, text).size();
        }
        ctx.json(Map.of("source", source, "chunks", chunks, "documents", chunkCount()));
    }

    private void feedback(Context ctx) throws IOException {
        JsonNode body = body(ctx);
        String session = session(body.path("session").asText(""));
        String turnId = body.path("turn").asText("");
        String rating = body.path("rating").asText("");
        if (!rating.equals("up") && !rating.equals("down")) throw new BadRequest(400, "rating must be 'up' or 'down'");
        Turn turn = sessions.getOrDefault(session, List.of()).stream()
                .filter(t -> t.id().equals(turnId))
                .findFirst()
                .orElseThrow(() -> new BadRequest(404, "no such answer in this session"));
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("session", session);
        line.put("turn", turnId);
        line.put("rating", rating);
        line.put("model", turn.model());
        line.put("question", turn.question());
        line.put("answer", turn.answer());
        line.put("sources", turn.citations().stream().map(Citation::source).toList());
        Path file = config.dataDir().resolve("feedback").resolve("rag_feedback.jsonl");
        Files.createDirectories(file.getParent());
        synchronized (this) {
            Files.writeString(
                    file,
                    JSON.writeValueAsString(line).replace("\n", " ") + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        ctx.json(Map.of("saved", true));
    }

    private void chunk(Context ctx) {
        String id = ctx.pathParam("id");
        Chunk chunk;
        synchronized (indexLock) {
            chunk = retriever.chunks().stream()
                    .filter(c -> c.id().equals(id))
                    .findFirst()
                    .orElse(null);
        }
        if (chunk == null) throw new BadRequest(404, "no such chunk");
        ctx.json(Map.of(
                "chunkId",
                chunk.id(),
                "source",
                chunk.source(),
                "heading",
                chunk.headingPath(),
                "start",
                chunk.start(),
                "end",
                chunk.end(),
                "text",
                chunk.text()));
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** What a failed multipart parse means to the client: too large (413) or malformed (400); never its text. */
    private Refused multipartRefused(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if ((t instanceof org.eclipse.jetty.http.HttpException h && h.getCode() == 413)
                    || m.contains("exceeds")
                    || m.contains("too large")
                    || m.contains("max"))
                return new Refused(
                        413,
                        "request_too_large",
                        "upload too large (limit " + config.maxUploadBytes() + " bytes per file)");
        }
        return new Refused(
                400,
                "malformed_upload",
                "malformed multipart upload: send one form field 'file' with the document" + " (curl -H '"
                        + LocalGuard.PAGE_HEADER + ": 1' -F file=@notes.md ...)");
    }

    /** ".md" for "Notes.MD"; "" without a dot. Uploads and their re-indexing on start use the same rule. */
    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot).toLowerCase(Locale.ROOT);
    }

    private int chunkCount() {
        synchronized (indexLock) {
            return retriever.chunks().size();
        }
    }

    private void remember(String session, Turn turn) {
        sessions.computeIfAbsent(session, s -> new CopyOnWriteArrayList<>()).add(turn);
    }

    private void saveResults() {
        List<String> models = samples.stream().map(Sample::model).distinct().toList();
        RunMeta meta = new RunMeta(
                "rag_chat",
                started,
                Environment.current(),
                backend.info(),
                models,
                Map.of(
                        "mode",
                        config.search().mode().name(),
                        "topK",
                        config.search().topK(),
                        "fallback",
                        config.fallback()));
        ResultsFile.write(resultsFile, RunResult.of(meta, List.copyOf(samples)));
    }

    private static JsonNode body(Context ctx) {
        JsonNode body;
        try {
            body = STRICT.readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            throw new BadRequest(400, "request body is not JSON (one JSON object, nothing after it)");
        }
        if (body == null || !body.isObject()) throw new BadRequest(400, "request body must be a JSON object");
        return body;
    }

    private static final Pattern SESSION = Pattern.compile("[A-Za-z0-9-]{8,64}");

    private static String session(String s) {
        if (s == null || !SESSION.matcher(s).matches()) throw new BadRequest(400, "missing or malformed session id");
        return s;
    }

    /** A client error with its HTTP status; the message is shown to the user as is. */
    static final class BadRequest extends RuntimeException {
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** The page's error shape; a record so "error" always comes first (Map.of iterates in a per-JVM random order). */
    record AppError(String error, String code) {}
}
