package dev.edgeai.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeai.chat.BackendInfo;
import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.chat.FinishReason;
import dev.edgeai.chat.IdleWatchdog;
import dev.edgeai.chat.ModelInfo;
import dev.edgeai.chat.StreamListener;
import dev.edgeai.chat.Timings;
import dev.edgeai.chat.Usage;
import dev.edgeai.openai.ChatCompletion;
import dev.edgeai.openai.ChatCompletionChunk;
import dev.edgeai.openai.CompletionUsage;
import dev.edgeai.openai.ModelList;
import dev.edgeai.openai.Wire;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@link ChatBackend} for any OpenAI-compatible endpoint: Foundry Local, Ollama, vLLM, LM Studio, a cloud API.
 * Streams with SSE and times every request (TTFT, ITL, E2E) from one {@link System#nanoTime()} clock.
 * Retries like the official OpenAI SDKs: connect failures and HTTP 408, 409, 429 and 5xx (or whatever the server's
 * {@code x-should-retry} header says), 2 retries by default, waiting what {@code retry-after-ms} or
 * {@code Retry-After} asks when that is between 0 and 60 s, else 0.5 s doubling up to 8 s with up to 25% jitter
 * off. Only before any answer was consumed: a half-streamed answer is never replayed, because tokens already
 * reached the listener. Requests and answers are the records of {@link dev.edgeai.openai}, converted by
 * {@link Wire}.
 * Thread-safe; one instance can serve concurrent requests.
 */
public final class OpenAiClient implements ChatBackend {
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final int MAX_BODY = 16 * 1024 * 1024;
    /** The SDKs ignore a server's wait request beyond this and back off on their own schedule instead. */
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(8);

    private final String baseUrl;
    private final String apiKey;
    private final String kind;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final int maxRetries;
    private final boolean retryConnectFailures;
    private final Duration backoffBase;
    private final HttpClient http;

    /** One daemon thread for all clients: notebooks create clients freely and rarely close them. */
    private static final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "openai-client-idle-timeout");
        t.setDaemon(true);
        return t;
    });

    private OpenAiClient(Builder b) {
        this.baseUrl = EndpointUrl.normalise(Objects.requireNonNull(b.baseUrl, "baseUrl"));
        this.apiKey = b.apiKey == null || b.apiKey.isBlank() ? null : b.apiKey.strip();
        this.kind = b.kind;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.maxRetries = b.maxRetries;
        this.retryConnectFailures = b.retryConnectFailures;
        this.backoffBase = b.backoffBase;
        // HTTP/1.1: local servers speak nothing else, and it avoids an h2c upgrade attempt on every first request.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A client with defaults for an endpoint such as {@code http://127.0.0.1:5273} or {@code http://localhost:11434/v1}. */
    public static OpenAiClient of(String baseUrl) {
        return builder().baseUrl(baseUrl).build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public BackendInfo info() {
        return new BackendInfo(kind, baseUrl, null);
    }

    @Override
    public List<ModelInfo> models() {
        return listModels().models();
    }

    /**
     * {@code GET /models} and who answered it.
     *
     * @param server the {@link Wire#SERVER_HEADER} header: {@link Wire#SERVER_NAME} from this kit's serve.java,
     *     else null
     */
    public record Listing(List<ModelInfo> models, String server) {}

    /** {@link #models()} with the server's self-identification, for discovery. */
    public Listing listModels() {
        HttpRequest req = request("/models").GET().build();
        HttpResponse<InputStream> resp = send(req, null);
        String server = resp.headers().firstValue(Wire.SERVER_HEADER).orElse(null);
        String body = readAll(resp, null);
        JsonNode json = Wire.tryParse(body);
        if (json == null) throw Failures.notJson(baseUrl, body);
        ModelList list;
        try {
            list = Wire.JSON.treeToValue(json, ModelList.class);
        } catch (JsonProcessingException e) {
            throw new ChatException(
                    ChatException.Kind.BAD_RESPONSE,
                    baseUrl + "/models is not a model list: " + Failures.oneLine(body, 80),
                    e);
        }
        if (list.data() == null) {
            throw new ChatException(
                    ChatException.Kind.BAD_RESPONSE,
                    baseUrl + "/models answered JSON without a model list (no \"data\" array): "
                            + Failures.oneLine(body, 80));
        }
        return new Listing(Wire.fromModelList(list), server);
    }

    @Override
    public ChatResult stream(ChatRequest request, StreamListener listener) {
        Objects.requireNonNull(listener, "listener");
        HttpRequest req = chatRequest(request, true);
        long t0 = System.nanoTime();
        HttpResponse<InputStream> resp = send(req, request.model());
        StreamState state = new StreamState(request, t0, listener);
        try (IdleWatchdog watchdog = new IdleWatchdog(timer, resp.body(), readTimeout)) {
            BufferedReader reader =
                    new BufferedReader(new InputStreamReader(watchdog.stream(), StandardCharsets.UTF_8));
            try {
                if (!looksLikeSse(resp, reader))
                    return completionInsteadOfStream(request, t0, readRest(reader), listener);
                SseParser.parse(reader, event -> state.onEvent(event.data()));
            } catch (IOException e) {
                if (watchdog.fired()) throw Failures.timeout(baseUrl, readTimeout, e);
                if (state.cancelled() || Thread.currentThread().isInterrupted()) return state.cancel();
                if (e instanceof SseParser.TooLarge) throw Failures.tooLarge(baseUrl, state.chunks, e);
                throw Failures.broken(baseUrl, state.chunks, e);
            }
            if (watchdog.fired()) throw Failures.timeout(baseUrl, readTimeout, null);
            if (state.cancelled()) return state.cancel();
            if (!state.done && state.finishReason == null) throw Failures.endedEarly(baseUrl, state.chunks);
            return state.result(System.nanoTime());
        }
    }

    /** Non-streaming answer: only E2E can be timed (TTFT is NaN), usage from the body or estimated. */
    public ChatResult complete(ChatRequest request) {
        HttpRequest req = chatRequest(request, false);
        long t0 = System.nanoTime();
        String body = readAll(send(req, request.model()), null);
        long end = System.nanoTime();
        return parseCompletion(request, body, new Timings(Double.NaN, ms(end - t0), List.of(), Double.NaN), null);
    }

    @Override
    public void close() {
        // shutdownNow, not close: close() would wait for streams still running on other threads.
        http.shutdownNow();
    }

    // ---- transport ----

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(readTimeout);
        if (apiKey != null) b.header("Authorization", "Bearer " + apiKey);
        return b;
    }

    private HttpRequest chatRequest(ChatRequest request, boolean stream) {
        byte[] body;
        try {
            body = Wire.JSON.writeValueAsBytes(Wire.toCompletionRequest(request, stream));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialise a chat request", e); // records of strings always serialise
        }
        return request("/chat/completions")
                .header("Content-Type", "application/json")
                .header("Accept", stream ? "text/event-stream" : "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    /** Sends with retries; returns a 2xx response whose body nobody has read yet. */
    private HttpResponse<InputStream> send(HttpRequest req, String model) {
        for (int attempt = 0; ; attempt++) {
            HttpResponse<InputStream> resp;
            try {
                resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                if (retryConnectFailures && Failures.isConnectFailure(e) && attempt < maxRetries) {
                    pause(backoff(attempt));
                    continue;
                }
                throw Failures.transport(e, baseUrl, readTimeout, attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Failures.interrupted(baseUrl);
            }
            int status = resp.statusCode();
            if (status / 100 == 2) return resp;
            String body = readAll(resp, MAX_ERROR_BODY);
            if (shouldRetry(status, resp.headers().firstValue("x-should-retry").orElse(null)) && attempt < maxRetries) {
                Duration wait = retryAfter(
                        resp.headers().firstValue("retry-after-ms").orElse(null),
                        resp.headers().firstValue("Retry-After").orElse(null));
                pause(wait != null ? wait : backoff(attempt));
                continue;
            }
            throw Failures.status(baseUrl, status, body, model, attempt);
        }
    }

    /** The SDKs' rule: the server's explicit x-should-retry wins; else 408, 409, 429 and every 5xx. */
    static boolean shouldRetry(int status, String xShouldRetry) {
        if ("true".equalsIgnoreCase(xShouldRetry)) return true;
        if ("false".equalsIgnoreCase(xShouldRetry)) return false;
        return status == 408 || status == 409 || status == 429 || status >= 500;
    }

    /** Exponential backoff as the SDKs do it: base * 2^attempt capped at 8 s, minus up to 25% jitter. */
    private Duration backoff(int attempt) {
        long full = Math.min(MAX_BACKOFF.toMillis(), backoffBase.toMillis() << Math.min(attempt, 20));
        return Duration.ofMillis(
                Math.round(full * (1 - 0.25 * ThreadLocalRandom.current().nextDouble())));
    }

    /**
     * The wait a server asks for: {@code retry-after-ms} (milliseconds, OpenAI's own), else {@code Retry-After} as
     * seconds or an HTTP-date. Null (use backoff) when absent, unparseable, or not within (0, 60 s], as the SDKs do.
     */
    static Duration retryAfter(String retryAfterMs, String retryAfter) {
        Duration d = null;
        if (retryAfterMs != null && !retryAfterMs.isBlank()) {
            try {
                d = Duration.ofNanos(Math.round(Double.parseDouble(retryAfterMs.strip()) * 1_000_000));
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        if (d == null && retryAfter != null && !retryAfter.isBlank()) {
            try {
                d = Duration.ofMillis(Math.round(Double.parseDouble(retryAfter.strip()) * 1000));
            } catch (NumberFormatException notSeconds) {
                try {
                    ZonedDateTime at = ZonedDateTime.parse(retryAfter.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
                    d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                } catch (RuntimeException notDate) {
                    return null;
                }
            }
        }
        if (d == null || d.isNegative() || d.isZero() || d.compareTo(MAX_RETRY_AFTER) > 0) return null;
        return d;
    }

    /** Single-header form kept for callers that only see Retry-After. */
    static Duration retryAfter(String header) {
        return retryAfter(null, header);
    }

    private void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Failures.interrupted(baseUrl);
        }
    }

    private String readAll(HttpResponse<InputStream> resp, Integer limit) {
        try (IdleWatchdog watchdog = new IdleWatchdog(timer, resp.body(), readTimeout)) {
            try {
                byte[] bytes = watchdog.stream().readNBytes(limit == null ? MAX_BODY : limit);
                return new String(bytes, StandardCharsets.UTF_8);
            } catch (IOException e) {
                if (watchdog.fired()) throw Failures.timeout(baseUrl, readTimeout, e);
                throw Failures.broken(baseUrl, 0, e);
            }
        }
    }

    private static String readRest(BufferedReader reader) throws IOException {
        StringBuilder sb = new StringBuilder();
        char[] buf = new char[8192];
        for (int n; (n = reader.read(buf)) >= 0 && sb.length() < MAX_BODY; ) sb.append(buf, 0, n);
        return sb.toString();
    }

    /**
     * Trusts text/event-stream; otherwise peeks at the first line, because some servers stream SSE under another
     * content type and others ignore stream:true and answer with one JSON document.
     */
    private static boolean looksLikeSse(HttpResponse<?> resp, BufferedReader reader) throws IOException {
        String type = resp.headers().firstValue("Content-Type").orElse("");
        if (type.contains("text/event-stream")) return true;
        // Peek a few characters only: a one-line JSON answer may be far longer than any mark buffer we want.
        char[] head = new char[6];
        int n = 0;
        reader.mark(head.length);
        for (int r; n < head.length && (r = reader.read(head, n, head.length - n)) >= 0; ) n += r;
        reader.reset();
        String first = new String(head, 0, n);
        return first.startsWith("data:") || first.startsWith(":") || first.startsWith("event:");
    }

    private ChatResult completionInsteadOfStream(ChatRequest request, long t0, String body, StreamListener listener) {
        long end = System.nanoTime();
        return parseCompletion(request, body, new Timings(Double.NaN, ms(end - t0), List.of(), Double.NaN), listener);
    }

    private ChatResult parseCompletion(ChatRequest request, String body, Timings timings, StreamListener listener) {
        JsonNode json = Wire.tryParse(body);
        if (json == null || !json.isObject()) throw Failures.notJson(baseUrl, body);
        String serverError = json.has("error") ? Wire.errorMessage(json) : null;
        if (serverError != null) throw Failures.streamError(baseUrl, serverError);
        ChatCompletion c;
        try {
            c = Wire.JSON.treeToValue(json, ChatCompletion.class);
        } catch (JsonProcessingException e) {
            throw Failures.malformedEvent(baseUrl, body, e);
        }
        if (c.choices() == null || c.choices().isEmpty()) throw Failures.malformedEvent(baseUrl, body, null);
        ChatCompletion.Choice choice = c.choices().getFirst();
        ChatCompletion.Message msg = choice.message();
        String text = msg == null || msg.content() == null ? "" : msg.content();
        if (listener != null) {
            String reasoning = msg == null ? null : msg.anyReasoning();
            if (reasoning != null && !reasoning.isEmpty()) listener.onReasoning(reasoning);
            if (!text.isEmpty()) listener.onToken(text);
        }
        Usage usage = usage(c.usage(), request, () -> estimateTokens(text));
        return new ChatResult(
                c.model() != null ? c.model() : request.model(),
                text,
                FinishReason.fromWire(choice.finishReason()),
                usage,
                timings);
    }

    // ---- streaming state ----

    /** What one stream has delivered so far; lives on the calling thread only. */
    private final class StreamState {
        private final ChatRequest request;
        private final long t0;
        private final StreamListener listener;
        private final StringBuilder text = new StringBuilder();
        private final List<Double> gaps = new ArrayList<>();
        private String model;
        private FinishReason finishReason;
        private CompletionUsage usage;
        private int chunks;
        private int tokenChunks;
        private long first = -1;
        private long last = -1;
        private boolean done;
        private boolean cancelled;

        StreamState(ChatRequest request, long t0, StreamListener listener) {
            this.request = request;
            this.t0 = t0;
            this.listener = listener;
        }

        boolean cancelled() {
            return cancelled;
        }

        /** Returns false to stop reading: [DONE], or the caller cancelled. */
        boolean onEvent(String data) {
            long now = System.nanoTime();
            if (checkCancelled()) return false;
            if (data.strip().equals("[DONE]")) {
                done = true;
                return false;
            }
            chunks++;
            ChatCompletionChunk chunk;
            try {
                chunk = Wire.JSON.readValue(data, ChatCompletionChunk.class);
            } catch (JsonProcessingException e) {
                throw Failures.malformedEvent(baseUrl, data, e);
            }
            if (chunk == null) throw Failures.malformedEvent(baseUrl, data, null);
            if (chunk.error() != null && !chunk.error().isNull()) {
                String msg = Wire.errorMessage(Wire.JSON.createObjectNode().set("error", chunk.error()));
                throw Failures.streamError(
                        baseUrl, msg != null ? msg : chunk.error().toString());
            }
            if (chunk.model() != null && !chunk.model().isEmpty()) model = chunk.model();
            if (chunk.usageValue() != null) usage = chunk.usageValue();
            if (chunk.choices() != null && !chunk.choices().isEmpty()) {
                ChatCompletionChunk.ChunkChoice choice = chunk.choices().getFirst();
                if (choice.finishReason() != null) finishReason = FinishReason.fromWire(choice.finishReason());
                ChatCompletionChunk.Delta delta = choice.delta();
                if (delta != null) onDelta(delta, now);
            }
            return !checkCancelled();
        }

        private void onDelta(ChatCompletionChunk.Delta delta, long now) {
            String reasoning = delta.anyReasoning();
            boolean hasReasoning = reasoning != null && !reasoning.isEmpty();
            boolean hasContent = delta.content() != null && !delta.content().isEmpty();
            if (!hasReasoning && !hasContent) return;
            if (first < 0) first = now;
            else gaps.add(ms(now - last));
            last = now;
            tokenChunks++;
            // Listener exceptions propagate on purpose: stream() closes the body on the way out.
            if (hasReasoning) listener.onReasoning(reasoning);
            if (hasContent) {
                text.append(delta.content());
                listener.onToken(delta.content());
            }
        }

        private boolean checkCancelled() {
            if (cancelled) return true;
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt(); // keep the flag for the caller; we only stop reading
                cancelled = true;
            } else if (listener.isCancelled()) {
                cancelled = true;
            }
            return cancelled;
        }

        ChatResult cancel() {
            cancelled = true;
            ChatResult r = result(System.nanoTime());
            return new ChatResult(r.model(), r.text(), FinishReason.CANCELLED, r.usage(), r.timings());
        }

        ChatResult result(long end) {
            double ttft = first < 0 ? Double.NaN : ms(first - t0);
            Timings timings = new Timings(ttft, ms(end - t0), gaps, Double.NaN);
            // Servers send about one token per chunk, so the chunk count is the honest fallback.
            Usage u = OpenAiClient.this.usage(usage, request, () -> tokenChunks);
            return new ChatResult(model != null ? model : request.model(), text.toString(), finishReason, u, timings);
        }
    }

    /** Server usage when present, else an estimate flagged as such: never a silent zero: a zero would read as "free". */
    private static Usage usage(
            CompletionUsage wire, ChatRequest request, java.util.function.IntSupplier completionEstimate) {
        Usage sent = Wire.fromUsage(wire);
        if (sent != null) return sent;
        Integer prompt = wire == null ? null : wire.promptTokens();
        Integer completion = wire == null ? null : wire.completionTokens();
        boolean estimated = prompt == null || completion == null;
        return new Usage(
                prompt != null ? prompt : estimateTokens(Wire.prompt(request.messages())),
                completion != null ? completion : completionEstimate.getAsInt(),
                estimated);
    }

    /** About four characters per token for English text with BPE tokenizers; only used when the server is silent. */
    static int estimateTokens(String text) {
        return (text.length() + 3) / 4;
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    /** Every knob has a default; null API key means no Authorization header (local servers need none). */
    public static final class Builder {
        private String baseUrl;
        private String apiKey;
        private String kind = "openai";
        private Duration connectTimeout = ClientSettings.DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = ClientSettings.DEFAULT_READ_TIMEOUT;
        private int maxRetries = ClientSettings.DEFAULT_MAX_RETRIES;
        private boolean retryConnectFailures = true;
        private Duration backoffBase = Duration.ofMillis(500);

        private Builder() {}

        public Builder baseUrl(String url) {
            this.baseUrl = url;
            return this;
        }

        public Builder apiKey(String key) {
            this.apiKey = key;
            return this;
        }
        /** Reads OPENAI_API_KEY; absent leaves the key unset. */
        public Builder apiKeyFromEnv() {
            this.apiKey = System.getenv("OPENAI_API_KEY");
            return this;
        }
        /** The BackendInfo kind: "openai", "foundry", "ollama". */
        public Builder kind(String kind) {
            this.kind = Objects.requireNonNull(kind);
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive(d, "connectTimeout");
            return this;
        }
        /** Longest silence tolerated: waiting for headers, and between two chunks of a stream. */
        public Builder readTimeout(Duration d) {
            this.readTimeout = positive(d, "readTimeout");
            return this;
        }

        public Builder maxRetries(int n) {
            if (n < 0) throw new IllegalArgumentException("maxRetries must be >= 0, was " + n);
            this.maxRetries = n;
            return this;
        }

        /**
         * Whether a refused or timed-out connection is retried (the default, as the SDKs do: the server may be
         * starting). Discovery turns it off where it guesses an address: nothing listening there is the answer.
         */
        public Builder retryConnectFailures(boolean on) {
            this.retryConnectFailures = on;
            return this;
        }

        public Builder backoffBase(Duration d) {
            if (d.isNegative()) throw new IllegalArgumentException("backoffBase must be >= 0, was " + d);
            this.backoffBase = d;
            return this;
        }

        public OpenAiClient build() {
            if (baseUrl == null)
                throw new IllegalArgumentException("baseUrl is required, e.g. http://127.0.0.1:5273/v1");
            return new OpenAiClient(this);
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isZero() || d.isNegative())
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            return d;
        }
    }
}
