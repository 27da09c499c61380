package dev.edgeai.engine;

import ai.onnxruntime.OrtEnvironment;
import java.nio.file.Path;

/**
 * One line of figures for the ONNX Runtime version on the class path (bench/ort-versions.sh runs it once per version
 * and rep, versions interleaved): decode tok/s of the engine on a real-size int4 file at accuracy level 4 (as the
 * engine runs a level-0 file; also 4 rows decoded together) and at level 0 (the file kept as it is), and on the fp16
 * Llama fixture.
 *
 * <pre>java -cp ... dev.edgeai.engine.OrtVersionProbe int4-level0-folder [fp16-fixture-folder]</pre>
 */
public final class OrtVersionProbe {
    /** Aggregate decode tok/s of {@code rows} rows (prompts of 128-131 tokens) stepped together; best of 2. */
    static double batchDecode(LoadedModel m, int rows) {
        Batch b = m.batch();
        int steps = 16;
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            b.clear();
            for (int i = 0; i < rows; i++) b.add(RealSizeBench.promptIds(128 + i), null, 0, 128 + i + steps + 2);
            int[] tok = new int[rows];
            java.util.Arrays.fill(tok, 100);
            b.step(tok);
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) b.step(tok);
            if (round > 0) best = Math.min(best, (System.nanoTime() - t0) / (double) steps);
        }
        b.clear();
        return rows * 1e9 / best;
    }

    public static void main(String[] args) throws Exception {
        Path int4 = Path.of(args[0]);
        Path fp16 = Path.of(args.length > 1 ? args[1] : "testdata/models/tiny-random-LlamaForCausalLM-fp16");
        int[] prompt = RealSizeBench.promptIds(128);
        StringBuilder out =
                new StringBuilder("ort=" + OrtEnvironment.getEnvironment().getVersion());
        for (int level : new int[] {4, 0}) {
            try (LoadedModel m =
                    LoadedModel.load(int4, LoadedModel.Options.fromSettings().accuracyLevel(level))) {
                RealSizeBench.engineRun(m, RealSizeBench.promptIds(32), 4);
                double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
                for (int r = 0; r < 2; r++) {
                    double[] t = RealSizeBench.engineRun(m, prompt, 32);
                    best[0] = Math.min(best[0], t[0]);
                    best[1] = Math.min(best[1], t[1]);
                }
                out.append(String.format(
                        " level%d_prefill=%.0f level%d_decode=%.1f",
                        level, prompt.length / (best[0] / 1e9), level, 1e9 / best[1]));
                if (level == 4) out.append(String.format(" level4_batch4_decode=%.1f", batchDecode(m, 4)));
            }
        }
        try (LoadedModel m = LoadedModel.load(fp16)) {
            int[] p = EngineBench.promptIds(m);
            double best = Double.MAX_VALUE;
            for (int r = 0; r < 12; r++)
                best = Math.min(best, EngineBench.engineRun(m, p).nanosPerToken());
            out.append(String.format(" fp16_fixture_decode=%.0f", 1e9 / best));
        }
        System.out.println(out);
    }
}
