package dev.edgeai.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What raising int4 MatMulNBits from accuracy level 0 to 4 does to a model's output: teacher-forced logits of the same
 * token sequence (real text from data/docs, one run over the whole sequence) with the file as it is (level 0) and as
 * the engine opens it (level 4): top-1 agreement, mean top-5 overlap, max |Δ logit| over every position. With a
 * level-4 twin of the same weights (make_fixtures.py --bench writes one), also checks that the raised file computes
 * exactly what the twin computes. Not a test: prints figures.
 *
 * <pre>java -cp ... dev.edgeai.engine.AccuracyLevelCheck [--positions 300] level0-folder [level4-twin-folder]</pre>
 */
public final class AccuracyLevelCheck {
    public static void main(String[] args) throws Exception {
        int positions = 300;
        Path zero = null, twin = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--positions")) positions = Integer.parseInt(args[++i]);
            else if (zero == null) zero = Path.of(args[i]);
            else twin = Path.of(args[i]);
        }
        if (zero == null) {
            System.err.println("usage: AccuracyLevelCheck [--positions 300] level0-folder [level4-twin-folder]");
            System.exit(2);
        }
        var keep = LoadedModel.Options.fromSettings().accuracyLevel(0);
        var raise = LoadedModel.Options.fromSettings().accuracyLevel(4);
        try (LoadedModel asIs = LoadedModel.load(zero, keep);
                LoadedModel raised = LoadedModel.load(zero, raise)) {
            int[] seq = text(asIs, positions);
            System.out.printf(
                    "%s: %d teacher-forced positions of data/docs text, level 0 (file as it is) vs 4 (as the engine runs"
                            + " it): %s%n",
                    asIs.id(), seq.length, compare(asIs, raised, seq));
            if (twin != null)
                try (LoadedModel four = LoadedModel.load(twin, keep)) {
                    System.out.printf(
                            "%s raised vs %s (a level-4 file of the same weights): %s%n",
                            asIs.id(), four.id(), compare(raised, four, seq));
                }
        }
    }

    /** Workshop text (data/docs) in the model's tokenizer, {@code n} tokens. */
    static int[] text(LoadedModel m, int n) throws Exception {
        StringBuilder b = new StringBuilder();
        try (var files = Files.list(Path.of("data/docs"))) {
            for (Path p :
                    files.filter(p -> p.toString().endsWith(".md")).sorted().toList())
                b.append(Files.readString(p)).append('\n');
        }
        int[] all = m.tokenizer().encode(b.toString(), false);
        if (all.length < n) throw new IllegalStateException("data/docs holds only " + all.length + " tokens");
        return Arrays.copyOf(all, n);
    }

    record Comparison(double top1, double top5, double maxAbsDiff, double meanAbsDiff) {
        @Override
        public String toString() {
            return String.format(
                    "top-1 agreement %.4f, top-5 overlap %.4f, max |Δ logit| %.3g (mean %.3g)",
                    top1, top5, maxAbsDiff, meanAbsDiff);
        }
    }

    static Comparison compare(LoadedModel a, LoadedModel b, int[] seq) throws Exception {
        try (OrtSession.Result ra = run(a, seq);
                OrtSession.Result rb = run(b, seq)) {
            FloatBuffer la = ((OnnxTensor) ra.get(0)).getFloatBuffer(), lb = ((OnnxTensor) rb.get(0)).getFloatBuffer();
            int v = a.descriptor().vocabSize();
            float[] x = new float[v], y = new float[v];
            int agree = 0;
            double overlap = 0, max = 0, sum = 0;
            for (int p = 0; p < seq.length; p++) {
                la.get(p * v, x);
                lb.get(p * v, y);
                for (int i = 0; i < v; i++) {
                    double d = Math.abs(x[i] - y[i]);
                    max = Math.max(max, d);
                    sum += d;
                }
                int[] tx = top(x, 5), ty = top(y, 5);
                if (tx[0] == ty[0]) agree++;
                for (int t : tx) for (int u : ty) if (t == u) overlap += 0.2;
            }
            return new Comparison(
                    (double) agree / seq.length, overlap / seq.length, max, sum / ((double) seq.length * v));
        }
    }

    static int[] top(float[] x, int k) {
        int[] best = new int[k];
        Arrays.fill(best, -1);
        for (int i = 0; i < x.length; i++)
            for (int j = 0; j < k; j++)
                if (best[j] < 0 || x[i] > x[best[j]]) {
                    System.arraycopy(best, j, best, j + 1, k - j - 1);
                    best[j] = i;
                    break;
                }
        return best;
    }

    /** The whole sequence in one run with an empty cache (share-buffer layouts: a zeroed buffer of its length). */
    static OrtSession.Result run(LoadedModel m, int[] seq) throws Exception {
        ModelDescriptor d = m.descriptor();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> in = new HashMap<>();
        try {
            int n = seq.length;
            long[] ids = new long[n], ones = new long[n], pos = new long[n];
            for (int i = 0; i < n; i++) {
                ids[i] = seq[i];
                ones[i] = 1;
                pos[i] = i;
            }
            in.put(d.inputIds(), OnnxTensor.createTensor(env, new long[][] {ids}));
            in.put(d.attentionMask(), OnnxTensor.createTensor(env, new long[][] {ones}));
            if (d.positionIds() != null) in.put(d.positionIds(), OnnxTensor.createTensor(env, new long[][] {pos}));
            KvCacheSpec kv = d.kv();
            int past = kv.layout() == KvCacheSpec.Layout.SHARE_BUFFER ? n : 0;
            for (String name : kv.pastNames())
                in.put(
                        name,
                        OnnxTensor.createTensor(
                                env, FloatBuffer.allocate((int) (kv.elementsPerPosition() * past)), kv.shapeFor(past)));
            return m.session().run(in, Set.of(d.logits()));
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }
}
