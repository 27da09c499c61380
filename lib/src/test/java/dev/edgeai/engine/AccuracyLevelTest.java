package dev.edgeai.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.chat.ChatException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * int4 MatMulNBits files that leave the accuracy level at 0 run at level 4 (int8 compute) unless opted out: the
 * rewritten graph must compute exactly what a level-4 file computes, read its weights from the original file, and
 * stay close to level 0 (teacher-forced logits).
 */
class AccuracyLevelTest {
    static final LoadedModel.Options KEEP = LoadedModel.Options.fromSettings().accuracyLevel(0);
    static final LoadedModel.Options LEVEL4 = LoadedModel.Options.fromSettings().accuracyLevel(4);

    /** The Qwen int4 fixture (level 4) with every MatMulNBits set to level 0, as onnx-community's files are. */
    static Path level0Twin(Path dir) throws Exception {
        Path m = Fixtures.copy(Fixtures.QWEN_Q4, dir.resolve("qwen-level0"));
        Path onnx = Fixtures.copy(Fixtures.QWEN_Q4.resolve("onnx"), m.resolve("onnx"));
        GraphRewrite.Result r = GraphRewrite.accuracyLevel(onnx.resolve("model_q4.onnx"), 0, true, true);
        assertTrue(r.nodes() > 10, r.nodes() + " nodes changed");
        assertEquals(0, r.referenced(), "inline: a complete model");
        Files.write(onnx.resolve("model_q4.onnx"), r.model());
        return m;
    }

    @Test
    void aLevel0FileRunsExactlyLikeItsLevel4TwinUnlessKept(@TempDir Path dir) throws Exception {
        Path zero = level0Twin(dir);
        try (LoadedModel native4 = LoadedModel.load(Fixtures.QWEN_Q4, KEEP);
                LoadedModel raised = LoadedModel.load(zero, LEVEL4);
                LoadedModel kept = LoadedModel.load(zero, KEEP)) {
            int[] seq = sequence(native4, 300);
            TeacherForced.Comparison same = TeacherForced.compare(native4, raised, seq);
            assertEquals(0.0, same.maxAbsDiff(), "level 0 raised to 4 vs a level-4 file: " + same);
            TeacherForced.Comparison quality = TeacherForced.compare(kept, native4, seq);
            System.out.println("accuracy level 0 vs 4, Qwen int4 fixture, " + seq.length + " teacher-forced positions: "
                    + quality);
            assertTrue(quality.maxAbsDiff() > 0, "levels 0 and 4 must differ (else this test cannot tell them apart)");
            assertTrue(quality.top1() >= 0.97, quality.toString());
            assertTrue(quality.top5() >= 0.95, quality.toString());
        }
    }

    @Test
    void weightsInExternalDataStayWhereTheyAre(@TempDir Path dir) throws Exception {
        Path m = Fixtures.copy(Fixtures.QWEN_Q4, dir.resolve("qwen-external"));
        Path onnx = Fixtures.copy(Fixtures.QWEN_Q4.resolve("onnx"), m.resolve("onnx"));
        Files.move(onnx.resolve("model_q4.onnx"), onnx.resolve("weights.onnx"));
        // A level-0 graph whose initializers are external data inside weights.onnx (as big exports keep them in a
        // .onnx_data file): the rewrite at load keeps those references and only changes the level.
        GraphRewrite.Result graph = GraphRewrite.accuracyLevel(onnx.resolve("weights.onnx"), 0, true, false);
        assertTrue(graph.referenced() > 1_000_000, graph.referenced() + " bytes referenced");
        assertTrue(graph.model().length < 200_000, graph.model().length + " bytes of graph");
        Files.write(onnx.resolve("model_q4.onnx"), graph.model());
        try (LoadedModel native4 = LoadedModel.load(Fixtures.QWEN_Q4, KEEP);
                LoadedModel raised = LoadedModel.load(m, LEVEL4);
                LoadedModel kept = LoadedModel.load(m, KEEP)) {
            int[] seq = sequence(native4, 64);
            assertEquals(0.0, TeacherForced.compare(native4, raised, seq).maxAbsDiff());
            assertTrue(TeacherForced.compare(native4, kept, seq).maxAbsDiff() > 0);
        }
    }

    @Test
    void filesAlreadyAtTheLevelAndModelsWithoutInt4AreLoadedAsTheyAre() {
        assertNull(GraphRewrite.accuracyLevel(Fixtures.QWEN_Q4.resolve("onnx/model_q4.onnx"), 4, false, false));
        assertNull(GraphRewrite.accuracyLevel(Fixtures.LLAMA.resolve("model.onnx"), 4, false, false));
        assertNull(GraphRewrite.accuracyLevel(Fixtures.GPT2.resolve("past.onnx"), 4, false, false));
    }

    @Test
    void theSettingsSayWhatTheyTake() {
        assertEquals(0, LoadedModel.accuracyLevel("keep"));
        assertEquals(0, LoadedModel.accuracyLevel(" KEEP "));
        assertEquals(4, LoadedModel.accuracyLevel("4"));
        var e = assertThrows(ChatException.class, () -> LoadedModel.accuracyLevel("fast"));
        assertTrue(e.getMessage().contains("must be 1-4 or keep, not 'fast'"), e.getMessage());
        assertEquals(2, LoadedModel.maxBatch("2"));
        var b = assertThrows(ChatException.class, () -> LoadedModel.maxBatch("0"));
        assertTrue(b.getMessage().contains("EDGEAI_ENGINE_BATCH) must be a whole number >= 1"), b.getMessage());
        assertEquals(128, LoadedModel.prefillChunk(" 128"));
        var c = assertThrows(ChatException.class, () -> LoadedModel.prefillChunk("lots"));
        assertTrue(
                c.getMessage().contains("EDGEAI_PREFILL_CHUNK) must be a whole number of tokens >= 1, not 'lots'"),
                c.getMessage());
    }

    /** Fixture text, repeated to {@code n} tokens. */
    static int[] sequence(LoadedModel m, int n) {
        int[] text = m.tokenizer()
                .encode(
                        "You are a helpful assistant. Hello, my name is Ada. What is ONNX? ONNX Runtime runs models on"
                                + " the CPU. The quick brown fox jumps over the lazy dog. Tokens per second, time to first"
                                + " token and the memory bandwidth of the machine decide how fast a model decodes. ",
                        false);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = text[i % text.length];
        return out;
    }
}
