package dev.edgeai.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.StreamListener;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Grouped-query attention rewritten to read the shared key/value heads (no per-head copies) computes what the graph
 * as exported computes, on the int4 Qwen2.5 fixture (2 query heads per key/value head, optimum layout).
 */
class SharedKvTest {
    static final LoadedModel.Options OFF =
            LoadedModel.Options.fromSettings().prefixCacheBytes(0).sharedKv(false);
    static final LoadedModel.Options ON = OFF.sharedKv(true);

    @Test
    void everyCopiedHeadMatMulIsRewrittenAndNothingElse() {
        var plan = LoadedModel.plan(Fixtures.QWEN_Q4, ON.accuracyLevel(0));
        assertEquals(2, plan.heads());
        assertEquals(1, plan.kvHeads());
        GraphRewrite.Result r = GraphRewrite.rewrite(Fixtures.QWEN_Q4.resolve("onnx/model_q4.onnx"), plan, true);
        assertEquals(2 * 2, r.attention(), "a score and a value MatMul in each of the fixture's 2 layers");
        assertEquals(0, r.nodes(), "accuracy levels untouched");
        // Models without shared heads, or with the rewrite off, load as they are.
        assertNull(GraphRewrite.rewrite(
                Fixtures.QWEN_Q4.resolve("onnx/model_q4.onnx"), new GraphRewrite.Plan(0, false, 2, 2), false));
        assertNull(GraphRewrite.rewrite(
                Fixtures.LLAMA.resolve("model.onnx"), LoadedModel.plan(Fixtures.LLAMA, ON.accuracyLevel(0)), false));
    }

    @Test
    void sameLogitsAndSameAnswersAsTheCopies() throws Exception {
        try (LoadedModel copies = LoadedModel.load(Fixtures.QWEN_Q4, OFF);
                LoadedModel shared = LoadedModel.load(Fixtures.QWEN_Q4, ON)) {
            int[] seq = AccuracyLevelTest.sequence(copies, 200);
            TeacherForced.Comparison c = TeacherForced.compare(copies, shared, seq);
            assertEquals(1.0, c.top1(), c.toString());
            assertTrue(c.maxAbsDiff() < 1e-4, c.toString());
            int[] prompt = java.util.Arrays.copyOf(seq, 40);
            var greedy = new Generator.Settings(48, Sampler.GREEDY, Set.of(), List.of());
            assertArrayEquals(
                    copies.generator()
                            .generate(prompt, greedy, StreamListener.NONE)
                            .tokens(),
                    shared.generator()
                            .generate(prompt, greedy, StreamListener.NONE)
                            .tokens());
        }
    }

    @Test
    void theSettingTakesTheKitsBooleans() {
        assertTrue(LoadedModel.sharedKv("yes"));
        assertTrue(LoadedModel.sharedKv(" 1"));
        assertEquals(false, LoadedModel.sharedKv("off"));
        var e = assertThrows(ChatException.class, () -> LoadedModel.sharedKv("maybe"));
        assertTrue(e.getMessage().contains("EDGEAI_SHARED_KV) must be 1/0"), e.getMessage());
    }
}
