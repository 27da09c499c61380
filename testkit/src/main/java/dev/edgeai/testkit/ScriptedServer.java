package dev.edgeai.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.edgeai.chat.FinishReason;
import dev.edgeai.openai.ChatCompletion;
import dev.edgeai.openai.ChatCompletionRequest;
import dev.edgeai.openai.ChunkStream;
import dev.edgeai.openai.CompletionUsage;
import dev.edgeai.openai.ErrorResponse;
import dev.edgeai.openai.InvalidRequest;
import dev.edgeai.openai.ModelList;
import dev.edgeai.openai.SseWriter;
import dev.edgeai.openai.Wire;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A real OpenAI-compatible HTTP server with scripted answers, for tests, notebooks and demos without a model:
 * {@code GET /v1/models} and {@code POST /v1/chat/completions} (streamed or not) on 127.0.0.1, a random port by
 * default. Delays are slept against absolute deadlines and every chunk is flushed at once, so a client's TTFT
 * and ITL measure the script, not buffering. It records what it received and how many chat requests overlapped.
 * Requests are read and answers written with the kit's one wire layer ({@link Wire}, {@link ChunkStream}), so a
 * request the real server would refuse as malformed is refused here too; only the staged faults write anything else.
 *
 * <pre>{@code
 * try (var server = ScriptedServer.builder().model("phi", Script.builder().ttftMs(150).itlMs(20).build()).start()) {
 *     var client = OpenAiClient.of(server.baseUrl());
 * }
 * }</pre>
 */
public final class ScriptedServer implements AutoCloseable {
    static {
        // The JDK server leaves Nagle on; small SSE chunks would then wait for the client's delayed ACK (up to 40 ms).
        // Read once when the JDK server classes load, so this must run before the first HttpServer in the JVM.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** One request as received; {@code receivedNanos} on the {@link System#nanoTime()} clock (retry timing). */
    public record Recorded(String method, String path, String authorization, String body, long receivedNanos) {
        public JsonNode json() {
            try {
                return Wire.JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("request body is not JSON: " + body, e);
            }
        }
    }

    private final HttpServer http;
    private final ExecutorService executor;
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    /** Prompt-dependent answers for every model, first match wins (see {@link Builder#reply}). */
    private final List<Script.Reply> replies = new CopyOnWriteArrayList<>();

    private final Map<String, Queue<Integer>> pendingFailures = new ConcurrentHashMap<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger completionIds = new AtomicInteger();
    private final Queue<Integer> modelsFailures;
    private final java.util.Set<HttpExchange> open = ConcurrentHashMap.newKeySet();
    private volatile boolean dead;

    private ScriptedServer(Builder b) throws IOException {
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        this.modelsFailures = new ConcurrentLinkedQueue<>(b.modelsFailFirst);
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getByName(b.host), b.port), 64);
        b.scripts.forEach(this::script);
        replies.addAll(b.replies);
        http.createContext("/", this::handle);
        http.setExecutor(executor);
        http.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Replaces (or adds) a model's script; its failFirst queue starts over. */
    public void script(String model, Script script) {
        scripts.put(model, script);
        pendingFailures.put(model, new ConcurrentLinkedQueue<>(script.failFirst()));
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** e.g. {@code http://127.0.0.1:41234/v1}. */
    public String baseUrl() {
        return "http://" + http.getAddress().getAddress().getHostAddress() + ":" + port() + "/v1";
    }

    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    public int requestCount() {
        return requests.size();
    }

    /** Chat requests being answered right now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** The most chat requests that were ever answered at the same time. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow(); // wakes handlers still sleeping through a script
    }

    // ---- HTTP ----

    /** Whether a DIE fault has taken the server down. */
    public boolean dead() {
        return dead;
    }

    /** Goes away like a killed process: no more connections, open ones cut mid-answer. */
    public void die() {
        dead = true;
        new Thread(() -> http.stop(0)).start(); // stop() waits for handlers; this one may be such a handler
        open.forEach(HttpExchange::close);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        open.add(ex);
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = ex.getRequestURI().getPath();
            requests.add(new Recorded(
                    ex.getRequestMethod(),
                    path,
                    ex.getRequestHeaders().getFirst("Authorization"),
                    body,
                    System.nanoTime()));
            if (path.equals("/v1/models") && ex.getRequestMethod().equals("GET")) {
                Integer status = modelsFailures.poll();
                if (status != null)
                    error(ex, status, "scripted failure " + status + " (still loading)", "server_error", null);
                else models(ex);
            } else if (path.equals("/v1/chat/completions")
                    && ex.getRequestMethod().equals("POST")) {
                int now = inFlight.incrementAndGet();
                maxInFlight.accumulateAndGet(now, Math::max);
                try {
                    chat(ex, body);
                } finally {
                    inFlight.decrementAndGet();
                }
            } else {
                error(
                        ex,
                        404,
                        "no route for " + ex.getRequestMethod() + " " + path,
                        "invalid_request_error",
                        "not_found");
            }
        } catch (IOException clientWentAway) {
            // a cancelled or timed-out client closes the connection mid-stream; nothing to answer
        } finally {
            open.remove(ex);
        }
    }

    private void models(HttpExchange ex) throws IOException {
        List<ModelList.Model> data = scripts.keySet().stream()
                .sorted()
                .map(id -> ModelList.Model.of(id, 0, "scripted"))
                .toList();
        json(ex, 200, ModelList.of(data));
    }

    private void chat(HttpExchange ex, String body) throws IOException {
        long received = System.nanoTime();
        ChatCompletionRequest req;
        try {
            req = ChatCompletionRequest.parse(Wire.JSON.readTree(body));
        } catch (InvalidRequest e) {
            json(ex, 400, e.body());
            return;
        } catch (IOException e) {
            error(ex, 400, "request body is not JSON", "invalid_request_error", null);
            return;
        }
        String model = req.model();
        Script script = scripts.get(model);
        if (script == null) {
            error(ex, 404, "model '" + model + "' not found", "invalid_request_error", "model_not_found");
            return;
        }
        if (script.apiKey() != null
                && !("Bearer " + script.apiKey()).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            error(ex, 401, "Incorrect API key provided", "invalid_request_error", "invalid_api_key");
            return;
        }
        Integer status = pendingFailures.get(model).poll();
        if (status != null) {
            if (status == 429 && script.retryAfter() != null)
                ex.getResponseHeaders().set("Retry-After", script.retryAfter());
            script.failHeaders().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            error(
                    ex,
                    status,
                    script.failMessage() != null ? script.failMessage() : "scripted failure " + status,
                    status == 429 ? "rate_limit_error" : status < 500 ? "invalid_request_error" : "server_error",
                    null);
            return;
        }
        if (!script.headerDelay().isZero())
            sleepUntil(received + script.headerDelay().toNanos());
        if (script.fault() == Script.Fault.HTML) {
            byte[] page = "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html");
            ex.sendResponseHeaders(200, page.length);
            ex.getResponseBody().write(page);
            return;
        }
        List<String> tokens = answer(script, replies, model, req);
        FinishReason finish = FinishReason.STOP;
        Integer maxTokens = req.tokenLimit();
        if (maxTokens != null && tokens.size() > maxTokens) {
            tokens = tokens.subList(0, maxTokens);
            finish = FinishReason.LENGTH;
        }
        int promptTokens = promptTokens(req);
        String id = "chatcmpl-scripted-" + completionIds.incrementAndGet();
        if (req.streaming() && script.fault() != Script.Fault.IGNORE_STREAM) {
            stream(ex, script, model, id, tokens, finish, promptTokens, received);
        } else {
            sleepUntil(received
                    + script.ttft().toNanos()
                    + script.itl().toNanos() * Math.max(0, script.reasoning().size() + tokens.size() - 1));
            String reasoning = script.reasoning().isEmpty() ? null : String.join("", script.reasoning());
            ChatCompletion.Message message =
                    new ChatCompletion.Message("assistant", String.join("", tokens), null, reasoning, null);
            json(
                    ex,
                    200,
                    new ChatCompletion(
                            id,
                            ChatCompletion.OBJECT,
                            System.currentTimeMillis() / 1000,
                            model,
                            null,
                            List.of(new ChatCompletion.Choice(0, message, null, Wire.toFinishReason(finish))),
                            script.sendUsage()
                                    ? usage(
                                            promptTokens,
                                            tokens.size() + script.reasoning().size())
                                    : null));
        }
    }

    private void stream(
            HttpExchange ex,
            Script script,
            String model,
            String id,
            List<String> tokens,
            FinishReason finish,
            int promptTokens,
            long received)
            throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        SseWriter sse = new SseWriter(out);
        // Usage, when the script sends it, as OpenAI sends it to a request with include_usage.
        ChunkStream chunks = new ChunkStream(sse, id, System.currentTimeMillis() / 1000, model, script.sendUsage());
        // Like vLLM and OpenAI: the role arrives at once with empty content, which must not count as the first token.
        if (!chunks.begin()) return; // a write failed: the client went away, so stop "generating" for it
        List<Map.Entry<String, String>> pieces = new ArrayList<>();
        script.reasoning().forEach(r -> pieces.add(Map.entry("reasoning_content", r)));
        tokens.forEach(t -> pieces.add(Map.entry("content", t)));
        long deadline = received + script.ttft().toNanos();
        for (int i = 0; i < pieces.size(); i++) {
            if (i > 0) deadline += script.itl().toNanos();
            if (i == script.faultAfter()) {
                if (script.fault() == Script.Fault.TRUNCATE) return;
                if (script.fault() == Script.Fault.MALFORMED_SSE) {
                    sse.data("{\"id\":\"" + id + "\",\"choices\":[{\"delta\":{\"content\":\"oops");
                    sse.data(ChunkStream.DONE);
                    return;
                }
                if (script.fault() == Script.Fault.ERROR_EVENT) {
                    // vLLM and Ollama send the error as plain data, without an event name
                    sse.data(Wire.toJson(
                            ErrorResponse.withoutParam("scripted generation failure", "server_error", null)));
                    return;
                }
                if (script.fault() == Script.Fault.STALL) {
                    stall();
                    return;
                }
                if (script.fault() == Script.Fault.HUGE_LINE) {
                    byte[] block = "x".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
                    out.write("data: ".getBytes(StandardCharsets.UTF_8));
                    for (int sent = 0; sent < script.hugeLineBytes(); sent += block.length) {
                        out.write(block, 0, Math.min(block.length, script.hugeLineBytes() - sent));
                    }
                    out.flush();
                    stall();
                    return;
                }
                if (script.fault() == Script.Fault.DIE) {
                    die();
                    return;
                }
            }
            sleepUntil(deadline);
            Map.Entry<String, String> piece = pieces.get(i);
            boolean sent = piece.getKey().equals("content")
                    ? chunks.content(piece.getValue())
                    : chunks.reasoning(piece.getValue());
            if (!sent) return;
        }
        chunks.finish(Wire.toFinishReason(finish), usage(promptTokens, pieces.size()));
    }

    private static CompletionUsage usage(int prompt, int completion) {
        return new CompletionUsage(prompt, completion, prompt + completion);
    }

    private static void json(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = Wire.toJson(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    /** OpenAI's error shape without {@code param}: the kit's client must not need every field. */
    private static void error(HttpExchange ex, int status, String message, String type, String code)
            throws IOException {
        json(ex, status, ErrorResponse.withoutParam(message, type, code));
    }

    // ---- the scripted answer ----

    /** Adds a prompt-dependent answer for every model, after those already given (first match wins). */
    public void reply(String whenLastUserMessageContains, String answer) {
        replies.add(new Script.Reply(whenLastUserMessageContains, words(answer)));
    }

    /** "You asked: <first words>. This is <model>." split into word pieces, or the script's own tokens. */
    static List<String> answer(
            Script script, List<Script.Reply> serverReplies, String model, ChatCompletionRequest req) {
        String prompt = lastUserMessage(req);
        // The model's own replies first, then those given for every model.
        for (Script.Reply r : script.replies()) if (prompt.contains(r.whenPromptContains())) return r.tokens();
        for (Script.Reply r : serverReplies) if (prompt.contains(r.whenPromptContains())) return r.tokens();
        if (script.tokens() != null) return script.tokens();
        String[] words = prompt.strip().split("\\s+");
        String asked = String.join(" ", Arrays.asList(words).subList(0, Math.min(6, words.length)));
        List<String> pieces = words("You asked: " + asked + ". This is " + model + ".");
        if (script.tokenCount() > 0) {
            List<String> sized = new ArrayList<>();
            for (int i = 0; i < script.tokenCount(); i++) sized.add(pieces.get(i % pieces.size()));
            return sized;
        }
        return pieces;
    }

    /** "a b c" as the chunks "a", " b", " c"; a blank text is no chunk at all (an empty answer). */
    static List<String> words(String text) {
        List<String> pieces = new ArrayList<>();
        for (String w : text.strip().split(" +")) if (!w.isEmpty()) pieces.add(pieces.isEmpty() ? w : " " + w);
        return pieces;
    }

    private static String lastUserMessage(ChatCompletionRequest req) {
        String last = "";
        for (ChatCompletionRequest.Message m : req.messages()) if (m.role().equals("user")) last = text(m);
        return last;
    }

    /** A stand-in tokenizer: about four characters per token over all message contents. */
    private static int promptTokens(ChatCompletionRequest req) {
        int chars = 0;
        for (ChatCompletionRequest.Message m : req.messages()) chars += text(m).length();
        return Math.max(1, (chars + 3) / 4);
    }

    private static String text(ChatCompletionRequest.Message m) {
        return m.content() == null ? "" : m.content().text();
    }

    /** Holds the connection open, sending nothing, until the server closes or the client goes away. */
    private static void stall() {
        sleepUntil(System.nanoTime() + Duration.ofMinutes(10).toNanos());
    }

    /**
     * Sleeps until an absolute deadline, never returning early: parkNanos may wake spuriously or a little soon,
     * so loop on the clock. Deadlines (not durations) keep ITL errors from adding up over a long answer.
     */
    static void sleepUntil(long deadlineNanos) {
        long left;
        while ((left = deadlineNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
            if (Thread.currentThread().isInterrupted()) return;
        }
    }

    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private final Map<String, Script> scripts = new LinkedHashMap<>();
        private final List<Script.Reply> replies = new ArrayList<>();
        private List<Integer> modelsFailFirst = List.of();

        private Builder() {}

        /** Statuses answered, in order, to the first GET /v1/models (e.g. 503 while "loading"). */
        public Builder modelsFailFirst(Integer... statuses) {
            modelsFailFirst = List.of(statuses);
            return this;
        }

        public Builder host(String h) {
            host = h;
            return this;
        }
        /** 0 (the default) picks a free port. */
        public Builder port(int p) {
            port = p;
            return this;
        }

        public Builder model(String id, Script script) {
            scripts.put(id, script);
            return this;
        }

        public Builder models(List<String> ids, Script script) {
            ids.forEach(id -> scripts.put(id, script));
            return this;
        }
        /**
         * Any model answers {@code answer} (streamed word by word, with the model's delays) when the last user
         * message contains {@code whenLastUserMessageContains}; replies are tried in the order added, then the
         * model's script. Staged failures still come first.
         */
        public Builder reply(String whenLastUserMessageContains, String answer) {
            replies.add(new Script.Reply(whenLastUserMessageContains, words(answer)));
            return this;
        }

        public ScriptedServer start() {
            try {
                return new ScriptedServer(this);
            } catch (IOException e) {
                throw new IllegalStateException(
                        "cannot start the scripted server on " + host + ":" + port + ": " + e.getMessage(), e);
            }
        }
    }

    // ---- command line ----

    /** Parses {@code --port N --models a,b --ttft-ms N --itl-ms N --tokens N --no-usage} and starts a server. */
    public static ScriptedServer fromArgs(String... args) {
        int port = 0;
        List<String> models = List.of("phi-4-mini", "gpt-oss-20b");
        Script.Builder script = Script.builder().ttftMs(120).itlMs(25);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--port" -> port = Integer.parseInt(value(args, ++i, a));
                case "--models" -> models = List.of(value(args, ++i, a).split(","));
                case "--ttft-ms" -> script.ttftMs(Long.parseLong(value(args, ++i, a)));
                case "--itl-ms" -> script.itlMs(Long.parseLong(value(args, ++i, a)));
                case "--tokens" -> script.tokenCount(Integer.parseInt(value(args, ++i, a)));
                case "--no-usage" -> script.sendUsage(false);
                default ->
                    throw new IllegalArgumentException("unknown option " + a
                            + "; use --port N --models a,b --ttft-ms N --itl-ms N --tokens N --no-usage");
            }
        }
        return builder().port(port).models(models, script.build()).start();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
        return args[i];
    }

    static final String USAGE =
            "usage: fake_server [--port N] [--models a,b] [--ttft-ms N] [--itl-ms N] [--tokens N] [--no-usage]\n"
                    + "A scripted OpenAI-compatible server on 127.0.0.1: prints its base URL, then serves canned answers until Ctrl-C.";

    /** Prints the base URL on the first stdout line (scripts read it), then serves until killed. */
    public static void main(String[] args) throws InterruptedException {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(USAGE);
            return;
        }
        ScriptedServer server;
        try {
            server = fromArgs(args);
        } catch (RuntimeException e) {
            System.err.println("ERROR " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println(server.baseUrl());
        System.out.flush();
        System.err.println("scripted OpenAI-compatible server; models: "
                + String.join(", ", server.scripts.keySet().stream().sorted().toList()) + "; Ctrl-C to stop");
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        Thread.currentThread().join();
    }
}
