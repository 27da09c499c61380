package dev.edgeai.engine;

import static org.junit.jupiter.api.Assertions.*;

import dev.edgeai.chat.StreamListener;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SamplerTest {
    @Test
    void greedyPicksTheMaximumAndBreaksTiesTowardTheLowestId() {
        assertEquals(2, Sampler.GREEDY.sample(new float[] {-5f, -1f, 3f, 2f}));
        assertEquals(1, Sampler.GREEDY.sample(new float[] {0f, 7f, 1f, 7f, 7f}));
        assertEquals(0, Sampler.GREEDY.sample(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}));
        assertEquals(3, Sampler.GREEDY.sample(new float[] {-3f, -2f, Float.NaN, -1f}));
    }

    /** The streamed pieces, the outcome's text and a one-shot decode of the generated ids agree (Llama, GPT-2). */
    @Test
    void streamedTextEqualsOneShotDecodeOfTheGeneratedTokens() {
        for (var fixture : List.of(Fixtures.LLAMA, Fixtures.GPT2)) {
            try (LoadedModel m = LoadedModel.load(fixture)) {
                int[] prompt = fixture == Fixtures.GPT2
                        ? new int[] {98, 15, 286, 262, 11, 314}
                        : m.tokenizer().encode("Hello, my name is", true);
                StringBuilder streamed = new StringBuilder();
                var out = m.generator()
                        .generate(
                                prompt,
                                new Generator.Settings(64, Sampler.GREEDY, Set.of(), List.of()),
                                new StreamListener() {
                                    @Override
                                    public void onToken(String text) {
                                        streamed.append(text);
                                    }
                                });
                assertEquals(64, out.tokens().length);
                assertEquals(63, out.stepNanos().length);
                assertEquals(m.tokenizer().decode(out.tokens()).replace("\uFFFD", ""), out.text());
                assertEquals(out.text(), streamed.toString());
            }
        }
    }
}
