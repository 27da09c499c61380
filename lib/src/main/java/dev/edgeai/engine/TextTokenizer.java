package dev.edgeai.engine;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.edgeai.chat.ChatException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A model's tokenizer.json through DJL's binding of Hugging Face tokenizers (offline, native code in the jar). */
public final class TextTokenizer implements AutoCloseable {
    static {
        // DJL phones home for usage tracking unless told not to; the workshop must work offline.
        if (System.getenv("OPT_OUT_TRACKING") == null) System.setProperty("OPT_OUT_TRACKING", "true");
    }

    private final HuggingFaceTokenizer tokenizer;

    private TextTokenizer(HuggingFaceTokenizer tokenizer) { this.tokenizer = tokenizer; }

    public static TextTokenizer load(Path folder) {
        Path file = folder.resolve("tokenizer.json");
        if (!Files.exists(file))
            throw new ChatException(ChatException.Kind.MODEL_LOAD, "tokenizer.json is missing in " + folder
                    + "; copy it from the model's repository next to the .onnx file");
        try {
            // No truncation or padding: the engine checks the context length itself and says so.
            return new TextTokenizer(HuggingFaceTokenizer.newInstance(file, Map.of(
                    "truncation", "false", "padding", "false", "maxLength", "1000000")));
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
        long[] l = new long[to - from];
        for (int i = from; i < to; i++) l[i - from] = ids[i];
        return tokenizer.decode(l, true);
    }

    public String decode(int[] ids) { return decode(ids, 0, ids.length); }

    @Override
    public void close() { tokenizer.close(); }
}
