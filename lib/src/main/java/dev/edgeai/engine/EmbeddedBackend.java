package dev.edgeai.engine;

import ai.onnxruntime.OrtEnvironment;
import dev.edgeai.chat.BackendInfo;
import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.chat.GenerationDefaults;
import dev.edgeai.chat.ModelInfo;
import dev.edgeai.chat.StreamListener;
import dev.edgeai.chat.Timings;
import dev.edgeai.chat.Usage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The embedded engine behind the {@link ChatBackend} interface: the workshop runs with no model server. Each model
 * is a folder, named by its folder name. Concurrent requests for one model are decoded together (up to
 * {@link #maxBatch} rows per step, the rest wait first come first served); different models run in parallel.
 */
public final class EmbeddedBackend implements ChatBackend {
    /**
     * Used when a request says nothing about max tokens: null (the default) generates until the end-of-sequence
     * token or a full context, as OpenAI and Ollama do.
     */
    static final Integer DEFAULT_MAX_TOKENS = Integer.getInteger("edgeai.engine.maxTokens");

    private final Map<String, LoadedModel> models;
    private final Map<String, GenerationDefaults> defaults = new LinkedHashMap<>();

    private EmbeddedBackend(Map<String, LoadedModel> models) {
        this.models = models;
        for (LoadedModel m : models.values())
            defaults.put(
                    m.id(),
                    GenerationConfig.read(
                            m.descriptor().folder(), m.descriptor().vocabSize()));
    }

    /** Opens each folder (genai or optimum layout); the model id is the folder name. */
    public static EmbeddedBackend load(Path... folders) {
        return load(Arrays.asList(folders));
    }

    public static EmbeddedBackend load(List<Path> folders) {
        return load(folders, LoadedModel.Options.fromSettings());
    }

    static EmbeddedBackend load(List<Path> folders, LoadedModel.Options options) {
        Map<String, LoadedModel> map = new LinkedHashMap<>();
        try {
            for (Path f : folders) {
                LoadedModel m = LoadedModel.load(f, options);
                LoadedModel old = map.put(m.id(), m);
                if (old != null) {
                    old.close();
                    throw new ChatException(ChatException.Kind.INVALID_INPUT, "two model folders are named " + m.id());
                }
            }
        } catch (RuntimeException e) {
            map.values().forEach(LoadedModel::close);
            throw e;
        }
        return new EmbeddedBackend(map);
    }

    @Override
    public BackendInfo info() {
        String where = String.join(
                ",",
                models.values().stream()
                        .map(m -> m.descriptor().folder().toString())
                        .toList());
        return new BackendInfo(
                "embedded",
                where,
                "onnxruntime " + OrtEnvironment.getEnvironment().getVersion());
    }

    @Override
    public List<ModelInfo> models() {
        return models.keySet().stream().map(id -> new ModelInfo(id, "local")).toList();
    }

    public LoadedModel model(String id) {
        LoadedModel m = models.get(id);
        if (m == null && models.size() == 1 && (id == null || id.isBlank()))
            m = models.values().iterator().next();
        if (m == null)
            throw new ChatException(
                    ChatException.Kind.UNKNOWN_MODEL, "no embedded model '" + id + "'; loaded: " + models.keySet());
        return m;
    }

    /** The model folder's generation_config.json, else the engine's defaults (greedy); see {@link GenerationConfig}. */
    @Override
    public GenerationDefaults defaults(String model) {
        return defaults.get(model(model).id());
    }

    @Override
    public ChatResult stream(ChatRequest request, StreamListener listener) {
        LoadedModel m = model(request.model());
        request = defaults.get(m.id()).applyTo(request);
        checkLogitBias(request, m.descriptor().vocabSize());
        long t0 = System.nanoTime();
        TimedListener timed = new TimedListener(listener, t0);
        int[] prompt = m.promptIds(request.messages());
        long tokenized = System.nanoTime();
        int room = Math.max(1, m.descriptor().contextLength() - prompt.length);
        int max = request.maxTokens() != null
                ? request.maxTokens()
                : DEFAULT_MAX_TOKENS != null ? Math.min(DEFAULT_MAX_TOKENS, room) : room;
        Set<Integer> eos = new HashSet<>(m.descriptor().eosIds());
        var settings = new Generator.Settings(max, Sampler.of(request, prompt), eos, request.stop());
        Generator.Outcome out = m.generator().generate(prompt, settings, timed);
        double e2e = (System.nanoTime() - t0) / 1e6;
        double prefillMs = (tokenized - t0 + out.prefillNanos()) / 1e6;
        Timings timings = new Timings(timed.firstMs, e2e, timed.gaps, prefillMs);
        return new ChatResult(
                m.id(),
                out.text(),
                out.finishReason(),
                new Usage(out.promptTokens(), out.tokens().length, false),
                timings);
    }

    /** Token ids must name a row of the logits; the message avoids the word the server reads as a length error. */
    private static void checkLogitBias(ChatRequest r, int vocab) {
        for (int id : r.logitBias().keySet())
            if (id < 0 || id >= vocab)
                throw new ChatException(
                        ChatException.Kind.INVALID_INPUT,
                        "logit_bias names token id " + id + ", but this model's vocabulary has ids 0 to "
                                + (vocab - 1));
    }

    /** Requests model {@code id} decodes together at most (concurrent callers beyond it wait their turn). */
    public int maxBatch(String id) {
        return model(id).maxBatch();
    }

    @Override
    public int concurrency(String id) {
        return maxBatch(id);
    }

    /** The most requests of model {@code id} decoded together so far (benchmarks and tests check batching happened). */
    public int peakBatch(String id) {
        return model(id).generator().peakRows();
    }

    @Override
    public void close() {
        models.values().forEach(LoadedModel::close);
    }

    /** Records when each text piece leaves, for TTFT and inter-chunk gaps, and passes it on. */
    private static final class TimedListener implements StreamListener {
        private final StreamListener inner;
        private final long t0;
        final List<Double> gaps = new ArrayList<>();
        double firstMs = Double.NaN;
        private long last;

        TimedListener(StreamListener inner, long t0) {
            this.inner = inner;
            this.t0 = t0;
        }

        @Override
        public void onToken(String text) {
            long now = System.nanoTime();
            if (Double.isNaN(firstMs)) firstMs = (now - t0) / 1e6;
            else gaps.add((now - last) / 1e6);
            last = now;
            inner.onToken(text);
        }

        @Override
        public boolean isCancelled() {
            return inner.isCancelled();
        }
    }
}
