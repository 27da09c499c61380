package dev.edgeai.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PieceDecoderTest {
    /** The Java decoder gives the native decoder's text for every short window (what the detokenizer asks for). */
    @ParameterizedTest
    @ValueSource(strings = {"tiny-random-LlamaForCausalLM-fp16", "tiny-random-gpt2-fp32"})
    void javaPiecesEqualNativeDecodeOnTextAndRandomIds(String fixture) {
        try (TextTokenizer tok = TextTokenizer.load(Fixtures.ROOT.resolve(fixture))) {
            assertTrue(tok.decodesPiecesInJava(), "ByteLevel and Llama-2 SentencePiece pipelines are covered");
            PieceDecoder p = PieceDecoder.read(Fixtures.ROOT.resolve(fixture).resolve("tokenizer.json"));
            int[] text = tok.encode(IncrementalDetokenizerTest.LONG, false);
            for (int i = 0; i < text.length; i++)
                for (int len = 0; len <= TextTokenizer.PIECE_WINDOW && i + len <= text.length; len++)
                    assertEquals(
                            tok.nativeDecode(text, i, i + len), p.decode(text, i, i + len), "window " + i + "+" + len);
            SplittableRandom r = new SplittableRandom(3);
            int vocab = fixture.contains("gpt2") ? 50257 + 39 : 32000;
            int[] w = new int[TextTokenizer.PIECE_WINDOW];
            for (int k = 0; k < 5000; k++) {
                int len = 1 + r.nextInt(w.length);
                for (int j = 0; j < len; j++)
                    w[j] = switch (r.nextInt(4)) {
                        case 0 -> r.nextInt(3); // specials / <unk>
                        case 1 -> 3 + 0xC0 + r.nextInt(64); // Llama byte tokens of lead/continuation bytes
                        default -> r.nextInt(vocab);
                    };
                assertEquals(tok.nativeDecode(w, 0, len), p.decode(w, 0, len), () -> java.util.Arrays.toString(w));
            }
        }
    }

    @Test
    void uncoveredPipelineDecodesNatively() {
        try (TextTokenizer tok = TextTokenizer.load(Fixtures.GQA)) {
            assertFalse(tok.decodesPiecesInJava(), "the toy tokenizer has no decoder: not covered");
            int[] ids = tok.encode("Hello", false);
            assertEquals(tok.nativeDecode(ids, 0, ids.length), tok.decode(ids));
        }
    }
}
