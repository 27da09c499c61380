package dev.edgeai.results;

import dev.edgeai.chat.BackendInfo;
import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ChatMessage;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.chat.ModelInfo;
import dev.edgeai.chat.StreamListener;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ChatBackend} that records every call as a results-schema {@link Sample} and tells its listeners, the
 * way langchain4j's {@code ChatModelListener} observes a chat model: {@code onRequest} before the call,
 * {@code onResponse} or {@code onError} after it, all with the same {@link Context} (its attributes carry what a
 * listener measured at the start to the end). Every tool that measures calls records them here, so a result becomes
 * a sample in one place: the model that answered, timings, tokens (marked when estimated), text, finish reason,
 * and on failure {@code "KIND: message"} with the model that was asked.
 *
 * <pre>{@code
 * Recorder rec = new Recorder(backend).listen(new Recorder.Listener() {
 *     public void onResponse(Recorder.Context c) { samples.add(c.sample()); }
 * });
 * rec.stream(Recorder.Call.of("draft").round(2), request, StreamListener.NONE);
 * }</pre>
 */
public final class Recorder implements ChatBackend {
    /**
     * How one call is labelled in its sample.
     *
     * @param stage       the sample's group: a role ("planner"), a pipeline stage ("draft"), "slm"/"llm", ...
     * @param prompt      what the sample names as its prompt (a prompt id, the question); null: the last user message
     * @param attributes  initial context attributes, for listeners (e.g. a note, the input-preparation time)
     */
    public record Call(
            String stage, int round, boolean warmup, int concurrency, String prompt, Map<String, Object> attributes) {
        public Call {
            Objects.requireNonNull(stage, "stage");
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        }

        /** Round 1, not a warmup, concurrency 1, the prompt taken from the request. */
        public static Call of(String stage) {
            return new Call(stage, 1, false, 1, null, Map.of());
        }

        public Call round(int r) {
            return new Call(stage, r, warmup, concurrency, prompt, attributes);
        }

        public Call warmup(boolean w) {
            return new Call(stage, round, w, concurrency, prompt, attributes);
        }

        public Call concurrency(int c) {
            return new Call(stage, round, warmup, c, prompt, attributes);
        }

        public Call prompt(String p) {
            return new Call(stage, round, warmup, concurrency, p, attributes);
        }

        public Call attribute(String key, Object value) {
            Map<String, Object> a = new LinkedHashMap<>(attributes);
            a.put(key, value);
            return new Call(stage, round, warmup, concurrency, prompt, a);
        }
    }

    /** Observes calls; every method has a default, so a listener overrides only what it needs. */
    public interface Listener {
        /** Before the request is sent (e.g. read a clock or a CPU counter into the attributes). */
        default void onRequest(Context c) {}

        /** After the answer ended; {@link Context#result()} and {@link Context#sample()} are set. */
        default void onResponse(Context c) {}

        /** After the call failed; {@link Context#error()} and the failed {@link Context#sample()} are set. */
        default void onError(Context c) {}
    }

    /** One call, seen by every listener in turn: its label, request, attributes and, once it ended, its outcome. */
    public static final class Context {
        private final Call call;
        private final ChatRequest request;
        private final Map<String, Object> attributes;
        private ChatResult result;
        private RuntimeException error;
        private Sample sample;
        private double wallMs = Double.NaN;

        Context(Call call, ChatRequest request) {
            this.call = call;
            this.request = request;
            this.attributes = new LinkedHashMap<>(call.attributes());
        }

        public Call call() {
            return call;
        }

        public ChatRequest request() {
            return request;
        }

        /** Mutable, private to this call: what listeners pass from {@code onRequest} to {@code onResponse}. */
        public Map<String, Object> attributes() {
            return attributes;
        }

        /** The answer, or null when the call failed. */
        public ChatResult result() {
            return result;
        }

        /** Why the call failed, or null. */
        public RuntimeException error() {
            return error;
        }

        /** The call as a results sample (set once the call ended). */
        public Sample sample() {
            return sample;
        }

        /**
         * Wall time around the backend call, in ms: what the backend's own E2E clock does not see (building and
         * serialising the request, connecting) is {@code wallMs - result.timings().e2eMs()}.
         */
        public double wallMs() {
            return wallMs;
        }

        public boolean ok() {
            return error == null;
        }

        /** The answer text ("" when empty); throws the call's error when it failed. */
        public String text() {
            if (error != null) throw error;
            return result.text() == null ? "" : result.text();
        }
    }

    private final ChatBackend backend;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public Recorder(ChatBackend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    /** Adds a listener; listeners are called in the order added, on the thread that made the call. */
    public Recorder listen(Listener l) {
        listeners.add(Objects.requireNonNull(l, "listener"));
        return this;
    }

    /** The backend being recorded. */
    public ChatBackend backend() {
        return backend;
    }

    @Override
    public BackendInfo info() {
        return backend.info();
    }

    @Override
    public List<ModelInfo> models() {
        return backend.models();
    }

    @Override
    public int concurrency(String model) {
        return backend.concurrency(model);
    }

    @Override
    public dev.edgeai.chat.GenerationDefaults defaults(String model) {
        return backend.defaults(model);
    }

    /** A call recorded under the stage "chat". */
    @Override
    public ChatResult stream(ChatRequest request, StreamListener listener) {
        return stream(Call.of("chat"), request, listener);
    }

    /** Streams one answer, recorded as {@code call}; a failure is recorded, then thrown. */
    public ChatResult stream(Call call, ChatRequest request, StreamListener listener) {
        Context c = record(call, request, listener);
        if (!c.ok()) throw c.error();
        return c.result();
    }

    /** Like {@link #stream(Call, ChatRequest, StreamListener)}, but a failure comes back in the context, not thrown. */
    public Context record(Call call, ChatRequest request, StreamListener listener) {
        Context c = new Context(call, request);
        for (Listener l : listeners) l.onRequest(c);
        long t0 = System.nanoTime();
        try {
            ChatResult r = backend.stream(request, listener == null ? StreamListener.NONE : listener);
            c.wallMs = (System.nanoTime() - t0) / 1e6;
            if (r == null || r.timings() == null || r.usage() == null) {
                String missing = r == null ? "result" : r.timings() == null ? "timings" : "usage";
                throw new ChatException(ChatException.Kind.BAD_RESPONSE, "backend returned no " + missing);
            }
            c.result = r;
            c.sample = Sample.of(call.stage(), call.round(), call.warmup(), call.concurrency(), prompt(c), r);
        } catch (RuntimeException e) {
            if (Double.isNaN(c.wallMs)) c.wallMs = (System.nanoTime() - t0) / 1e6;
            c.result = null;
            c.error = e;
            c.sample = Sample.failed(
                    request.model(),
                    call.stage(),
                    call.round(),
                    call.warmup(),
                    call.concurrency(),
                    prompt(c),
                    describe(e));
        }
        for (Listener l : listeners) {
            if (c.ok()) l.onResponse(c);
            else l.onError(c);
        }
        return c;
    }

    /** A failure as samples write it: "KIND: first line of the message" ("ERROR: Type: ..." for a bug). */
    public static String describe(RuntimeException e) {
        if (e instanceof ChatException ce) return ce.kind() + ": " + oneLine(ce.getMessage());
        return "ERROR: " + e.getClass().getSimpleName() + ": " + oneLine(e.getMessage());
    }

    /** The part of a sample's error after "KIND: ", i.e. the message as the user saw it. */
    public static String message(Sample s) {
        if (s.error() == null) return null;
        int colon = s.error().indexOf(": ");
        return colon > 0 && s.error().substring(0, colon).matches("[A-Z_]+")
                ? s.error().substring(colon + 2)
                : s.error();
    }

    private static String prompt(Context c) {
        if (c.call().prompt() != null) return c.call().prompt();
        String last = null;
        for (ChatMessage m : c.request().messages()) if ("user".equals(m.role())) last = m.content();
        return last;
    }

    private static String oneLine(String s) {
        if (s == null) return "(no message)";
        return s.lines().findFirst().orElse("").strip();
    }

    @Override
    public void close() {
        backend.close();
    }
}
