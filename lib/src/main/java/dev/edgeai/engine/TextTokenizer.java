package dev.edgeai.engine;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.edgeai.chat.ChatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A model's tokenizer.json through DJL's binding of Hugging Face tokenizers (offline, native code in the jar). */
public final class TextTokenizer implements AutoCloseable {
    static {
        DjlNatives.prepare(); // offline, and no CUDA probe: the tokenizer runs on the CPU
    }

    /** Longest window decoded in Java (the streaming detokenizer's); longer decodes always go native. */
    static final int PIECE_WINDOW = 8;
    /** Checked against the native decoder on load; must contain multibyte characters and emoji. */
    static final String VERIFY_SAMPLE = "Hello, world! Héllo wörld 😀 naïve café — 世界 🎉 👩‍💻 \t\n  x  \u00a0 end.";

    /** -Dedgeai.engine.javaPieces=false decodes everything natively. */
    static final boolean JAVA_PIECES = Boolean.parseBoolean(System.getProperty("edgeai.engine.javaPieces", "true"));

    private final HuggingFaceTokenizer tokenizer;
    private volatile PieceDecoder pieces;

    private TextTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    public static TextTokenizer load(Path folder) {
        Path file = folder.resolve("tokenizer.json");
        if (!Files.exists(file))
            throw new ChatException(
                    ChatException.Kind.MODEL_LOAD,
                    "tokenizer.json is missing in " + folder
                            + "; copy it from the model's repository next to the .onnx file");
        try {
            // No truncation or padding: the engine checks the context length itself and says so.
            TextTokenizer t = new TextTokenizer(HuggingFaceTokenizer.newInstance(
                    file, Map.of("truncation", "false", "padding", "false", "maxLength", "1000000")));
            if (JAVA_PIECES) {
                PieceDecoder p = PieceDecoder.read(file);
                if (p != null && p.verified(t, VERIFY_SAMPLE)) t.pieces = p;
            }
            return t;
        } catch (Exception e) {
            throw new ChatException(ChatException.Kind.MODEL_LOAD, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Token ids of {@code text}; {@code addSpecial} adds what the tokenizer's post-processor adds (e.g. BOS). */
    public int[] encode(String text, boolean addSpecial) {
        long[] ids = tokenizer.encode(text, addSpecial, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) out[i] = (int) ids[i];
        return out;
    }

    /** Text of ids[from, to), special tokens skipped. */
    public String decode(int[] ids, int from, int to) {
        PieceDecoder p = pieces;
        if (p != null && to - from <= PIECE_WINDOW) return p.decode(ids, from, to);
        return nativeDecode(ids, from, to);
    }

    /** Whether short windows are decoded in Java (the tokenizer's pipeline is covered and passed the check). */
    boolean decodesPiecesInJava() {
        return pieces != null;
    }

    String nativeDecode(int[] ids, int from, int to) {
        long[] l = new long[to - from];
        for (int i = from; i < to; i++) l[i - from] = ids[i];
        return tokenizer.decode(l, true);
    }

    public String decode(int[] ids) {
        return decode(ids, 0, ids.length);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
