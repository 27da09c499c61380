package dev.edgeai.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Decodes a few token ids in Java, for the streaming detokenizer's per-token calls, where the native tokenizer's
 * JNI round trip (and its cold caches right after an ORT step) costs several µs. Covers only the two decoder
 * pipelines of common LLM tokenizers, reproduced from Hugging Face tokenizers: ByteLevel (GPT-2, Qwen, Llama 3, Phi-4)
 * and the Llama-2 SentencePiece sequence (Replace ▁→space, ByteFallback, Fuse, Strip one leading space). Anything
 * else gets no PieceDecoder. {@link #verified} checks it against the native decoder on the model's own vocabulary
 * before it is used, so a tokenizer that differs in some detail falls back to native decoding instead of diverging.
 */
final class PieceDecoder {
    private enum Kind {
        BYTE_LEVEL,
        SENTENCEPIECE
    }

    private final Kind kind;
    /** Per id: the token's bytes after the per-token decoder steps, or null (unknown id or skipped special token). */
    private final byte[][] pieces;
    /** SentencePiece: per id, the byte value of a {@code <0xNN>} token, else -1. */
    private final short[] byteToken;

    private PieceDecoder(Kind kind, byte[][] pieces, short[] byteToken) {
        this.kind = kind;
        this.pieces = pieces;
        this.byteToken = byteToken;
    }

    /** A decoder for tokenizer.json, or null when its pipeline is not one of the two covered. */
    static PieceDecoder read(Path tokenizerJson) {
        try {
            JsonNode root = new ObjectMapper().readTree(tokenizerJson.toFile());
            JsonNode model = root.path("model"), decoder = root.path("decoder");
            if (!"BPE".equals(model.path("type").asText())
                    || !model.path("vocab").isObject()) return null;
            Kind kind;
            if ("ByteLevel".equals(decoder.path("type").asText())) kind = Kind.BYTE_LEVEL;
            else if (isLlama2Sequence(decoder)) kind = Kind.SENTENCEPIECE;
            else return null;
            Map<Integer, String> tokens = new HashMap<>();
            int max = -1;
            for (Iterator<Map.Entry<String, JsonNode>> it = model.path("vocab").fields(); it.hasNext(); ) {
                var e = it.next();
                tokens.put(e.getValue().asInt(), e.getKey());
                max = Math.max(max, e.getValue().asInt());
            }
            Map<Integer, Boolean> special = new HashMap<>();
            for (JsonNode a : root.path("added_tokens")) {
                tokens.put(a.path("id").asInt(), a.path("content").asText());
                special.put(a.path("id").asInt(), a.path("special").asBoolean());
                max = Math.max(max, a.path("id").asInt());
            }
            byte[][] pieces = new byte[max + 1][];
            short[] byteToken = new short[kind == Kind.SENTENCEPIECE ? max + 1 : 0];
            java.util.Arrays.fill(byteToken, (short) -1);
            Function<String, byte[]> toBytes = kind == Kind.BYTE_LEVEL
                    ? PieceDecoder::byteLevelBytes
                    : t -> t.replace("\u2581", " ").getBytes(StandardCharsets.UTF_8);
            for (var e : tokens.entrySet()) {
                int id = e.getKey();
                if (Boolean.TRUE.equals(special.get(id))) continue; // decode(skipSpecial = true) drops them
                String t = e.getValue();
                pieces[id] = toBytes.apply(t);
                if (kind == Kind.SENTENCEPIECE && t.length() == 6 && t.startsWith("<0x") && t.endsWith(">")) {
                    try {
                        byteToken[id] = (short) Integer.parseInt(t.substring(3, 5), 16);
                    } catch (NumberFormatException ignored) {
                    }
                }
            }
            return new PieceDecoder(kind, pieces, byteToken);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean isLlama2Sequence(JsonNode d) {
        if (!"Sequence".equals(d.path("type").asText())) return false;
        JsonNode s = d.path("decoders");
        return s.size() == 4
                && "Replace".equals(s.get(0).path("type").asText())
                && "\u2581".equals(s.get(0).path("pattern").path("String").asText(null))
                && " ".equals(s.get(0).path("content").asText())
                && "ByteFallback".equals(s.get(1).path("type").asText())
                && "Fuse".equals(s.get(2).path("type").asText())
                && "Strip".equals(s.get(3).path("type").asText())
                && " ".equals(s.get(3).path("content").asText())
                && s.get(3).path("start").asInt() == 1
                && s.get(3).path("stop").asInt() == 0;
    }

    /** Text of ids[from, to), as the native decode with special tokens skipped. */
    String decode(int[] ids, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            int id = ids[i];
            if (id >= 0 && id < pieces.length && pieces[id] != null) n += pieces[id].length;
        }
        byte[] buf = new byte[n];
        if (kind == Kind.BYTE_LEVEL) {
            int at = 0;
            for (int i = from; i < to; i++) {
                int id = ids[i];
                if (id < 0 || id >= pieces.length || pieces[id] == null) continue;
                System.arraycopy(pieces[id], 0, buf, at, pieces[id].length);
                at += pieces[id].length;
            }
            return new String(buf, 0, at, StandardCharsets.UTF_8); // lossy, like String::from_utf8_lossy
        }
        // SentencePiece: runs of <0xNN> tokens become their UTF-8 text, or one U+FFFD per byte when invalid.
        StringBuilder out = new StringBuilder(n + 4);
        int run = 0;
        for (int i = from; i <= to; i++) {
            int id = i < to ? ids[i] : -1;
            boolean known = id >= 0 && id < pieces.length && pieces[id] != null;
            if (i < to && !known) continue;
            if (known && byteToken[id] >= 0) {
                buf[run++] = (byte) byteToken[id];
                continue;
            }
            if (run > 0) {
                appendBytes(out, buf, run);
                run = 0;
            }
            if (known) out.append(new String(pieces[id], StandardCharsets.UTF_8));
        }
        if (!out.isEmpty() && out.charAt(0) == ' ') out.deleteCharAt(0);
        return out.toString();
    }

    private static void appendBytes(StringBuilder out, byte[] b, int n) {
        try {
            out.append(StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, 0, n)));
        } catch (CharacterCodingException e) {
            out.append("\uFFFD".repeat(n));
        }
    }

    /**
     * Compares with the native decoder on windows of the kind the detokenizer decodes: single ids and short random
     * sequences over the whole vocabulary, byte tokens and specials included, and a multilingual sample text.
     */
    boolean verified(TextTokenizer native_, String sample) {
        int vocab = pieces.length;
        SplittableRandom r = new SplittableRandom(42);
        int[] text = native_.encode(sample, false);
        for (int i = 0; i < text.length; i++)
            for (int len = 1; len <= 4 && i + len <= text.length; len++)
                if (!decode(text, i, i + len).equals(native_.nativeDecode(text, i, i + len))) return false;
        int[] w = new int[4];
        for (int k = 0; k < 600; k++) {
            int len = 1 + r.nextInt(4);
            for (int j = 0; j < len; j++)
                w[j] = kind == Kind.SENTENCEPIECE && r.nextInt(3) == 0
                        ? firstByteToken() + r.nextInt(256)
                        : r.nextInt(vocab);
            if (!decode(w, 0, len).equals(native_.nativeDecode(w, 0, len))) return false;
        }
        return true;
    }

    private int firstByteToken() {
        for (int i = 0; i < byteToken.length; i++) if (byteToken[i] == 0) return i;
        return 0;
    }

    // GPT-2's bytes_to_unicode: printable bytes map to themselves, the rest to U+0100 onwards.
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            CHAR_TO_BYTE[printable ? b : 256 + extra++] = b;
        }
    }

    /** ByteLevel decoding of one token: its chars map back to bytes; a token with any other char keeps its UTF-8. */
    private static byte[] byteLevelBytes(String token) {
        byte[] out = new byte[token.length()];
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            int b = c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
            if (b < 0) return token.getBytes(StandardCharsets.UTF_8);
            out[i] = (byte) b;
        }
        return out;
    }
}
