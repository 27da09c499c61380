package dev.edgeai.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Teacher-forced comparison of two models' logits on the same token sequence: the whole sequence in one run with an
 * empty cache, every position compared. How the accuracy-level rewrite is judged (AccuracyLevelTest on the fixtures,
 * AccuracyLevelCheck on the real-size bench models).
 */
final class TeacherForced {
    private TeacherForced() {}

    /**
     * @param top1        share of positions whose argmax agrees
     * @param top5        mean share of the top-5 ids both have
     * @param maxAbsDiff  largest |logit difference| anywhere
     * @param meanAbsDiff mean |logit difference| over every position and id
     */
    record Comparison(double top1, double top5, double maxAbsDiff, double meanAbsDiff) {
        @Override
        public String toString() {
            return String.format(
                    "top-1 agreement %.4f, top-5 overlap %.4f, max |Δ logit| %.3g (mean %.3g)",
                    top1, top5, maxAbsDiff, meanAbsDiff);
        }
    }

    static Comparison compare(LoadedModel a, LoadedModel b, int[] seq) throws OrtException {
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

    /** The ids of the {@code k} largest values, largest first. */
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
    static OrtSession.Result run(LoadedModel m, int[] seq) throws OrtException {
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
