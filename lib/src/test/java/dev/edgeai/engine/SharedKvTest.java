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
 * as exported computes: on the int4 Qwen2.5 fixture (2 query heads, 1 key/value head, optimum layout), and on a 4:2
 * twin that make_fixtures.py writes at test time (with 2 key/value heads a wrong grouping of the query heads would
 * change the logits; with 1 it could not).
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
        sameAsTheCopies(Fixtures.QWEN_Q4);
    }

    @Test
    void twoSharedHeadsAreGroupedTheWayTheCopiesWere(@org.junit.jupiter.api.io.TempDir java.nio.file.Path out)
            throws Exception {
        String python = java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/python3"))
                ? "/usr/bin/python3"
                : "python3";
        Process p = new ProcessBuilder(
                        python, FixtureGeneratorTest.SCRIPT.toString(), "--gqa-test", "--out", out.toString())
                .redirectErrorStream(true)
                .start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "generator timed out");
        assertEquals(0, p.exitValue(), "make_fixtures.py failed (needs python3-onnx and python3-numpy):\n" + log);
        java.nio.file.Path model = out.resolve("tiny-random-qwen2.5-gqa-4to2-q4");
        var plan = LoadedModel.plan(model, ON.accuracyLevel(0));
        assertEquals(4, plan.heads());
        assertEquals(2, plan.kvHeads());
        assertEquals(
                4,
                GraphRewrite.rewrite(model.resolve("onnx/model_q4.onnx"), plan, true)
                        .attention());
        sameAsTheCopies(model);
    }

    static void sameAsTheCopies(java.nio.file.Path folder) throws Exception {
        try (LoadedModel copies = LoadedModel.load(folder, OFF);
                LoadedModel shared = LoadedModel.load(folder, ON)) {
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
