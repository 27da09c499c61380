package dev.edgeai.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ChatMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One model folder opened for generation: session, tokenizer, prompt format and the decoder's buffers. The lock
 * keeps it to one generation at a time, since the KV buffers belong to one sequence.
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

    private final ModelDescriptor descriptor;
    private final OrtSession session;
    private final TextTokenizer tokenizer;
    private final PromptFormat format;
    private final Decoder decoder;
    private final Generator generator;
    final ReentrantLock lock = new ReentrantLock();

    private LoadedModel(ModelDescriptor descriptor, OrtSession session, TextTokenizer tokenizer, PromptFormat format) {
        this.descriptor = descriptor;
        this.session = session;
        this.tokenizer = tokenizer;
        this.format = format;
        this.decoder = new Decoder(session, descriptor);
        this.generator = new Generator(decoder, tokenizer, descriptor.contextLength());
    }

    public static LoadedModel load(Path folder) {
        folder = folder.toAbsolutePath().normalize();
        Path modelFile = ModelFolder.findModelFile(folder);
        TextTokenizer tokenizer = TextTokenizer.load(folder);
        OrtSession session = null;
        try {
            session = openSession(modelFile);
            ModelDescriptor d =
                    ModelFolder.describe(folder, modelFile, session.getInputInfo(), session.getOutputInfo());
            PromptFormat format = ChatTemplates.forFolder(folder);
            LOG.log(
                    System.Logger.Level.DEBUG,
                    () -> "loaded " + d.id() + ": " + d.kv().layout() + ", " + format.describe());
            return new LoadedModel(d, session, tokenizer, format);
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

    static OrtSession openSession(Path modelFile) {
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
            // The path (not bytes) lets ORT find external data (model.onnx.data) beside the model.
            return OrtEnvironment.getEnvironment().createSession(modelFile.toString(), opts);
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
     * The generation loop, for callers that need the token ids themselves (the browser demo's tests compare them with
     * the page's); callers must not use it while the model serves requests, since it owns one sequence's buffers.
     */
    public Generator generator() {
        return generator;
    }

    Decoder decoder() {
        return decoder;
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
        lock.lock();
        try {
            decoder.close();
            session.close();
            tokenizer.close();
        } catch (OrtException e) {
            LOG.log(System.Logger.Level.WARNING, "closing " + id() + ": " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }
}
