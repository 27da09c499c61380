package dev.edgeai.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IncrementalDetokenizerTest {
    static final String TEXT = "Héllo wörld! 😀 naïve café — 世界 🎉🎉 ünïcödé 👩‍💻 end.";
    /** Long enough that the decode window slides many times, with multibyte characters across the slides. */
    static final String LONG = ("The quick brown fox 🦊 jumps over the lazy dog 🐕‍🦺. Ça coûte 12,50 € — 日本語のテキスト, "
                    + "한국어 텍스트, Ελληνικά, emoji 👨‍👩‍👧‍👦🏳️‍🌈 and    spaces\tand\nnewlines.\n")
            .repeat(6);

    @ParameterizedTest
    @ValueSource(strings = {"tiny-random-LlamaForCausalLM-fp16", "tiny-random-gpt2-fp32"})
    void multibyteTextReassemblesExactlyWithoutReplacementChars(String fixture) {
        try (TextTokenizer tok = TextTokenizer.load(Fixtures.ROOT.resolve(fixture))) {
            int[] ids = tok.encode(TEXT, false);
            assertTrue(ids.length > 20);
            IncrementalDetokenizer d = new IncrementalDetokenizer(tok);
            StringBuilder sb = new StringBuilder();
            int held = 0;
            for (int id : ids) {
                String piece = d.add(id);
                assertFalse(piece.contains("\uFFFD"), "piece " + piece);
                if (piece.isEmpty()) held++;
                sb.append(piece);
            }
            sb.append(d.flush());
            assertTrue(held > 0, "byte-fallback tokens should have held back a partial character");
            assertEquals(tok.nativeDecode(ids, 0, ids.length), sb.toString());
            assertEquals(TEXT, sb.toString().strip());
        }
    }

    /** The sliding window gives exactly the pieces of decoding the last emitted piece's tokens afresh each time. */
    @ParameterizedTest
    @ValueSource(strings = {"tiny-random-LlamaForCausalLM-fp16", "tiny-random-gpt2-fp32", "tiny-graph-capture-gqa"})
    void slidingWindowMatchesTwoDecodeReferenceOnLongText(String fixture) {
        try (TextTokenizer tok = TextTokenizer.load(Fixtures.ROOT.resolve(fixture))) {
            int[] ids = tok.encode(LONG, false);
            assertTrue(ids.length > 10 * IncrementalDetokenizer.WINDOW, "ids " + ids.length);
            List<String> pieces = pieces(new IncrementalDetokenizer(tok), ids);
            assertEquals(reference(tok, ids), pieces);
            assertEquals(pieces, pieces(new IncrementalDetokenizer(tok, 16), ids));
            String text = String.join("", pieces);
            assertEquals(tok.nativeDecode(ids, 0, ids.length), text);
            if (!fixture.contains("gqa")) assertEquals(LONG.strip(), text.strip());
            for (String p : pieces) assertFalse(p.contains("\uFFFD"), "piece " + p);
        }
    }

    /** Arbitrary id sequences (what a random-weight model emits), byte-fallback fragments included. */
    @ParameterizedTest
    @ValueSource(strings = {"tiny-random-LlamaForCausalLM-fp16", "tiny-random-gpt2-fp32"})
    void slidingWindowMatchesReferenceOnRandomIds(String fixture) {
        try (TextTokenizer tok = TextTokenizer.load(Fixtures.ROOT.resolve(fixture))) {
            SplittableRandom r = new SplittableRandom(7);
            for (int run = 0; run < 20; run++) {
                int[] ids = new int[200];
                for (int i = 0; i < ids.length; i++)
                    // Llama: ids 3..258 are the <0xNN> byte tokens; mix them in often so partial characters occur
                    ids[i] = fixture.contains("Llama") && r.nextInt(3) == 0
                            ? 3 + 0xE0 + r.nextInt(32)
                            : r.nextInt(3, 1000);
                List<String> expected = reference(tok, ids);
                for (int window : new int[] {2, IncrementalDetokenizer.WINDOW, 16})
                    assertEquals(
                            expected,
                            pieces(new IncrementalDetokenizer(tok, window), ids),
                            "run " + run + ", window " + window);
            }
        }
    }

    @Test
    void flushWithNothingHeldIsEmptyAndIdsAreKept() {
        try (TextTokenizer tok = TextTokenizer.load(Fixtures.LLAMA)) {
            int[] ids = tok.encode("Hello world", false);
            IncrementalDetokenizer d = new IncrementalDetokenizer(tok);
            StringBuilder sb = new StringBuilder();
            for (int id : ids) sb.append(d.add(id));
            assertEquals("", d.flush());
            assertEquals("Hello world", sb.toString());
            assertArrayEquals(ids, d.ids());
        }
    }

    private static List<String> pieces(IncrementalDetokenizer d, int[] ids) {
        List<String> out = new ArrayList<>();
        for (int id : ids) {
            String p = d.add(id);
            if (!p.isEmpty()) out.add(p);
        }
        String f = d.flush();
        if (!f.isEmpty()) out.add(f);
        return out;
    }

    /** The previous implementation: decode [prefix, read) and [prefix, size) afresh for every token, natively. */
    private static List<String> reference(TextTokenizer tok, int[] ids) {
        List<String> out = new ArrayList<>();
        int prefixOffset = 0, readOffset = 0;
        for (int size = 1; size <= ids.length; size++) {
            String prefix = tok.nativeDecode(ids, prefixOffset, readOffset);
            String full = tok.nativeDecode(ids, prefixOffset, size);
            if (full.length() > prefix.length() && !full.endsWith("\uFFFD")) {
                out.add(full.substring(prefix.length()));
                prefixOffset = readOffset;
                readOffset = size;
            }
        }
        String prefix = tok.nativeDecode(ids, prefixOffset, readOffset),
                full = tok.nativeDecode(ids, prefixOffset, ids.length);
        if (full.length() > prefix.length()) {
            String f = full.substring(prefix.length()).replace("\uFFFD", "");
            if (!f.isEmpty()) out.add(f);
        }
        return out;
    }
}
