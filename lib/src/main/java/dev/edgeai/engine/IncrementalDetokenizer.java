package dev.edgeai.engine;

import java.util.Arrays;

/**
 * Turns a growing list of token ids into text pieces for streaming. Decoding each token alone is wrong
 * (SentencePiece drops a leading space at the start of a decode; byte-level tokens may hold half a UTF-8
 * character), so it decodes the last emitted piece's tokens plus the new ones and emits only what the
 * new ones added. Text ending in U+FFFD is an incomplete character and is held back until the next token.
 */
public final class IncrementalDetokenizer {
    private final TextTokenizer tokenizer;
    private int[] ids = new int[64];
    private int size;
    private int prefixOffset;
    private int readOffset;

    public IncrementalDetokenizer(TextTokenizer tokenizer) { this.tokenizer = tokenizer; }

    /** Adds a token and returns the new stable text, or "" when nothing can be shown yet. */
    public String add(int token) {
        if (size == ids.length) ids = Arrays.copyOf(ids, size * 2);
        ids[size++] = token;
        String prefix = tokenizer.decode(ids, prefixOffset, readOffset);
        String full = tokenizer.decode(ids, prefixOffset, size);
        if (full.length() > prefix.length() && !full.endsWith("\uFFFD")) {
            String piece = full.substring(prefix.length());
            prefixOffset = readOffset;
            readOffset = size;
            return piece;
        }
        return "";
    }

    /** Text still held back at the end of generation (an incomplete character is dropped, never shown as U+FFFD). */
    public String flush() {
        String prefix = tokenizer.decode(ids, prefixOffset, readOffset);
        String full = tokenizer.decode(ids, prefixOffset, size);
        readOffset = size;
        prefixOffset = size;
        if (full.length() <= prefix.length()) return "";
        return full.substring(prefix.length()).replace("\uFFFD", "");
    }

    public int[] ids() { return Arrays.copyOf(ids, size); }
}
