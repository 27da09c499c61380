package dev.edgeai.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ChatMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One model folder opened for generation: session, tokenizer, prompt format, and the {@link Generator} that decodes
 * concurrent requests together over one {@link Batch} of KV buffers, with a {@link PrefixCache}.
 */
public final class LoadedModel implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LoadedModel.class.getName());
    /** ONNX Runtime intra-op threads; 0 lets ORT pick (one per physical core). */
    static final int THREADS = Integer.getInteger("edgeai.engine.threads", 0);
    /**
     * Whether ORT's intra-op threads busy-wait between runs (ORT's default: true). On a small, oversubscribed CPU
     * turning it off (-Dedgeai.engine.spinning=false) made decode steps of the fixtures 30–45% faster, because the
     * spinning worker no longer competes with the thread that samples and detokenizes; on idle multi-core machines
     * spinning usually helps, so the default is left to ORT.
     */
    static final boolean SPINNING = Boolean.parseBoolean(System.getProperty("edgeai.engine.spinning", "true"));
    /** ORT graph optimization level (-Dedgeai.engine.optLevel=none|basic|extended|all); ORT's default is all. */
    static final String OPT_LEVEL = System.getProperty("edgeai.engine.optLevel", "all");
    /**
     * Requests of one model decoded together at most (-Dedgeai.engine.batch or EDGEAI_ENGINE_BATCH; 1 = one at a
     * time). Models whose graph cannot mask rows of different lengths (no attention mask or position ids) always run
     * one at a time.
     */
    static final String MAX_BATCH =
            System.getProperty("edgeai.engine.batch", System.getenv().getOrDefault("EDGEAI_ENGINE_BATCH", "4"));
    /**
     * Prompt tokens a request joining a batch runs between two decode steps of the requests already decoding
     * (-Dedgeai.engine.prefillChunk or EDGEAI_PREFILL_CHUNK): smaller keeps their tokens flowing more evenly while a
     * long prompt comes in, larger prefills it with fewer runs. A prompt with nothing else decoding runs whole.
     */
    static final String PREFILL_CHUNK = System.getProperty(
            "edgeai.engine.prefillChunk", System.getenv().getOrDefault("EDGEAI_PREFILL_CHUNK", "64"));
    /**
     * Grouped-query attention as exported copies every key/value head to the query heads sharing it, over the whole
     * context, at every step; the engine rewrites those MatMuls to read the shared heads (same results; see
     * {@link GraphRewrite.SharedKv}). {@code -Dedgeai.engine.sharedKv=false} or {@code EDGEAI_SHARED_KV=0} runs the
     * attention as exported.
     */
    static final String SHARED_KV =
            System.getProperty("edgeai.engine.sharedKv", System.getenv().getOrDefault("EDGEAI_SHARED_KV", "true"));
    /**
     * The accuracy level int4 {@code MatMulNBits} nodes that leave it unset (0, fp32 compute) run at: 4 (default) is
     * int8 compute, as Microsoft's own CPU int4 exports use; {@code keep} runs the file as it is
     * ({@code -Dedgeai.engine.accuracyLevel=keep} or {@code EDGEAI_ACCURACY_LEVEL=keep}). See {@link GraphRewrite}.
     */
    static final String ACCURACY_LEVEL = System.getProperty(
            "edgeai.engine.accuracyLevel", System.getenv().getOrDefault("EDGEAI_ACCURACY_LEVEL", "4"));

    private final ModelDescriptor descriptor;
    private final OrtSession session;
    private final TextTokenizer tokenizer;
    private final PromptFormat format;
    private final Batch batch;
    private final Generator generator;

    /**
     * How a model is opened; {@link #fromSettings()} reads the system properties and environment.
     *
     * @param accuracyLevel    the level MatMulNBits nodes that leave it unset run at; 0 runs the file as it is
     * @param maxBatch         requests decoded together at most
     * @param prefixCacheBytes prefix cache budget; 0 turns reuse off
     * @param prefillChunk     prompt tokens a joining request runs per decode step of the others
     * @param sharedKv         grouped-query attention reads the shared key/value heads instead of per-head copies
     */
    record Options(int accuracyLevel, int maxBatch, long prefixCacheBytes, int prefillChunk, boolean sharedKv) {
        static Options fromSettings() {
            return new Options(
                    LoadedModel.accuracyLevel(ACCURACY_LEVEL),
                    LoadedModel.maxBatch(MAX_BATCH),
                    PrefixCache.budgetFromSettings(),
                    LoadedModel.prefillChunk(PREFILL_CHUNK),
                    LoadedModel.sharedKv(SHARED_KV));
        }

        Options accuracyLevel(int level) {
            return new Options(level, maxBatch, prefixCacheBytes, prefillChunk, sharedKv);
        }

        Options maxBatch(int n) {
            return new Options(accuracyLevel, n, prefixCacheBytes, prefillChunk, sharedKv);
        }

        Options prefixCacheBytes(long bytes) {
            return new Options(accuracyLevel, maxBatch, bytes, prefillChunk, sharedKv);
        }

        Options prefillChunk(int tokens) {
            return new Options(accuracyLevel, maxBatch, prefixCacheBytes, tokens, sharedKv);
        }

        Options sharedKv(boolean on) {
            return new Options(accuracyLevel, maxBatch, prefixCacheBytes, prefillChunk, on);
        }
    }

    private LoadedModel(
            ModelDescriptor descriptor, OrtSession session, TextTokenizer tokenizer, PromptFormat format, Options o) {
        this.descriptor = descriptor;
        this.session = session;
        this.tokenizer = tokenizer;
        this.format = format;
        this.batch = new Batch(session, descriptor, o.maxBatch());
        this.generator = new Generator(
                batch, tokenizer, descriptor.contextLength(), new PrefixCache(o.prefixCacheBytes()), o.prefillChunk());
    }

    public static LoadedModel load(Path folder) {
        return load(folder, Options.fromSettings());
    }

    static LoadedModel load(Path folder, Options options) {
        folder = folder.toAbsolutePath().normalize();
        Path modelFile = ModelFolder.findModelFile(folder);
        TextTokenizer tokenizer = TextTokenizer.load(folder);
        OrtSession session = null;
        try {
            session = openSession(modelFile, plan(folder, options));
            ModelDescriptor d =
                    ModelFolder.describe(folder, modelFile, session.getInputInfo(), session.getOutputInfo());
            PromptFormat format = ChatTemplates.forFolder(folder);
            LOG.log(
                    System.Logger.Level.DEBUG,
                    () -> "loaded " + d.id() + ": " + d.kv().layout() + ", " + format.describe());
            return new LoadedModel(d, session, tokenizer, format, options);
        } catch (OrtException | RuntimeException e) {
            tokenizer.close();
            if (session != null)
                try {
                    session.close();
                } catch (OrtException ignored) {
                }
            if (e instanceof ChatException ce) throw ce;
            throw new ChatException(
                    ChatException.Kind.MODEL_LOAD, "cannot describe " + modelFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * What to rewrite in the graph as it loads: the accuracy level, and grouped-query attention without the copied
     * key/value heads when config.json says the model shares them (num_key_value_heads below num_attention_heads).
     */
    static GraphRewrite.Plan plan(Path folder, Options o) {
        var cfg = ModelFolder.optionalJson(folder.resolve("config.json"));
        int heads = cfg.path("num_attention_heads").asInt(0);
        int kv = cfg.path("num_key_value_heads").asInt(heads);
        return new GraphRewrite.Plan(o.accuracyLevel(), false, o.sharedKv() ? heads : 0, o.sharedKv() ? kv : 0);
    }

    /** The file as it is (a bare session, for benchmarks' baselines). */
    static OrtSession openSession(Path modelFile, int accuracyLevel) {
        return openSession(modelFile, new GraphRewrite.Plan(accuracyLevel, false, 0, 0));
    }

    static OrtSession openSession(Path modelFile, GraphRewrite.Plan plan) {
        try {
            if (Files.size(modelFile) < 16)
                throw new ChatException(
                        ChatException.Kind.MODEL_LOAD,
                        "model file " + modelFile + " is truncated (" + Files.size(modelFile)
                                + " bytes); delete the folder and download it again");
            OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
            if (THREADS > 0) opts.setIntraOpNumThreads(THREADS);
            if (!SPINNING) opts.addConfigEntry("session.intra_op.allow_spinning", "0");
            opts.setOptimizationLevel(
                    switch (OPT_LEVEL.toLowerCase(java.util.Locale.ROOT)) {
                        case "none" -> OrtSession.SessionOptions.OptLevel.NO_OPT;
                        case "basic" -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
                        case "extended" -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
                        case "all" -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
                        default ->
                            throw new ChatException(
                                    ChatException.Kind.INVALID_INPUT,
                                    "edgeai.engine.optLevel must be none, basic, " + "extended or all, not '"
                                            + OPT_LEVEL + "'");
                    });
            GraphRewrite.Result raised =
                    plan.level() > 0 || plan.attention() ? GraphRewrite.rewrite(modelFile, plan, false) : null;
            if (raised == null)
                // The path (not bytes) lets ORT find external data (model.onnx.data) beside the model.
                return OrtEnvironment.getEnvironment().createSession(modelFile.toString(), opts);
            LOG.log(
                    System.Logger.Level.DEBUG,
                    () -> modelFile + ": " + raised.nodes() + " MatMulNBits nodes at accuracy level " + plan.level()
                            + " (the file leaves it at 0; -Dedgeai.engine.accuracyLevel=keep runs it as it is), "
                            + raised.attention() + " attention MatMuls on the shared key/value heads"
                            + " (-Dedgeai.engine.sharedKv=false keeps the copies)");
            // The rewritten graph names the original file (and any external data) for its weights.
            opts.addConfigEntry(
                    "session.model_external_initializers_file_folder_path",
                    modelFile.toAbsolutePath().getParent().toString());
            return OrtEnvironment.getEnvironment().createSession(raised.model(), opts);
        } catch (OrtException e) {
            String hint =
                    Files.exists(Path.of(modelFile + ".data")) || e.getMessage().contains(".data")
                            ? " (check that its external data file sits beside it)"
                            : "";
            throw new ChatException(
                    ChatException.Kind.MODEL_LOAD,
                    "cannot load model file " + modelFile + hint
                            + "; it may be corrupt or truncated, download it again: " + e.getMessage(),
                    e);
        } catch (java.io.IOException e) {
            throw new ChatException(
                    ChatException.Kind.MODEL_LOAD, "cannot read model file " + modelFile + ": " + e.getMessage(), e);
        }
    }

    static int maxBatch(String value) {
        return atLeastOne(
                value,
                "edgeai.engine.batch (EDGEAI_ENGINE_BATCH) must be a whole number >= 1 (1 = one request"
                        + " at a time)");
    }

    static int prefillChunk(String value) {
        return atLeastOne(
                value, "edgeai.engine.prefillChunk (EDGEAI_PREFILL_CHUNK) must be a whole number of tokens >= 1");
    }

    private static int atLeastOne(String value, String rule) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ChatException(ChatException.Kind.INVALID_INPUT, rule + ", not '" + value + "'");
    }

    static boolean sharedKv(String value) {
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            case "0", "false", "no", "off" -> false;
            default ->
                throw new ChatException(
                        ChatException.Kind.INVALID_INPUT,
                        "edgeai.engine.sharedKv (EDGEAI_SHARED_KV) must be 1/0, true/false or yes/no, not '" + value
                                + "'");
        };
    }

    static int accuracyLevel(String value) {
        String v = value.strip().toLowerCase(java.util.Locale.ROOT);
        if (v.equals("keep") || v.equals("0") || v.equals("off") || v.equals("false")) return 0;
        if (v.matches("[1-4]")) return Integer.parseInt(v);
        throw new ChatException(
                ChatException.Kind.INVALID_INPUT,
                "edgeai.engine.accuracyLevel (EDGEAI_ACCURACY_LEVEL) must be 1-4 or keep, not '" + value + "'");
    }

    public String id() {
        return descriptor.id();
    }

    public ModelDescriptor descriptor() {
        return descriptor;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    public PromptFormat format() {
        return format;
    }

    /**
     * The generation loop, also for callers that need the token ids themselves (the browser demo's tests compare them
     * with the page's); safe to call from many threads (their requests are decoded together).
     */
    public Generator generator() {
        return generator;
    }

    Batch batch() {
        return batch;
    }

    /** Requests this model decodes together at most. */
    public int maxBatch() {
        return batch.maxRows();
    }

    OrtSession session() {
        return session;
    }

    /** Prompt ids for a conversation, in the model's own format. */
    public int[] promptIds(List<ChatMessage> messages) {
        return tokenizer.encode(format.render(messages), format.addSpecialTokens());
    }

    @Override
    public void close() {
        try {
            // Running requests end first (callers cancel them through their listeners); a stuck one is not waited for
            // forever, but closing the session under it could crash the process, so then the native memory leaks.
            if (!generator.awaitIdle(java.util.concurrent.TimeUnit.SECONDS.toNanos(30))) {
                LOG.log(System.Logger.Level.WARNING, "closing " + id() + ": a generation is still running; left open");
                return;
            }
            batch.close();
            session.close();
            tokenizer.close();
        } catch (OrtException e) {
            LOG.log(System.Logger.Level.WARNING, "closing " + id() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
