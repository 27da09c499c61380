package dev.edgeai.engine;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class IncrementalDetokenizerTest {
    static final String TEXT = "Héllo wörld! 😀 naïve café — 世界 🎉🎉 ünïcödé 👩‍💻 end.";

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
            assertEquals(tok.decode(ids), sb.toString());
            assertEquals(TEXT, sb.toString().strip());
        }
    }
}
