package dev.edgeai.engine;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Picks the next token from a row of logits (the array is the decoder's own and may be modified). */
@FunctionalInterface
public interface Sampler {
    int sample(float[] logits);

    /**
     * Argmax; an exact tie goes to the lowest token id, as in every reference engine (the Llama fixture hits an
     * fp16 tie at step 33 from "Hello, my name is").
     */
    Sampler GREEDY = logits -> {
        // The best value in a local (not re-read as logits[best]) keeps the loop tight: ~2x faster on 32k logits.
        int best = 0;
        float max = logits[0];
        for (int i = 1; i < logits.length; i++) {
            float v = logits[i];
            if (v > max) {
                max = v;
                best = i;
            }
        }
        return best;
    };

    /** Temperature 0 (or null) is greedy; otherwise temperature, then top-k, then top-p, from a seeded generator. */
    static Sampler of(Double temperature, Integer topK, Double topP, Long seed) {
        if (temperature == null || temperature == 0) return GREEDY;
        return new Stochastic(
                temperature,
                topK == null ? 0 : topK,
                topP == null ? 1.0 : topP,
                new SplittableRandom(seed != null ? seed : System.nanoTime()));
    }

    final class Stochastic implements Sampler {
        // Tokens below max - CUTOFF (in temperature-scaled logits) have probability < e^-30 of the best one: dropping
        // them before sorting keeps a 150k vocabulary cheap without changing the distribution measurably.
        private static final double CUTOFF = 30;
        private final double temperature;
        private final int topK;
        private final double topP;
        private final SplittableRandom random;
        private int[] order = new int[0];
        private double[] probs = new double[0];

        Stochastic(double temperature, int topK, double topP, SplittableRandom random) {
            this.temperature = temperature;
            this.topK = topK;
            this.topP = topP;
            this.random = random;
        }

        @Override
        public int sample(float[] logits) {
            if (order.length < logits.length) {
                order = new int[logits.length];
                probs = new double[logits.length];
            }
            float max = Float.NEGATIVE_INFINITY;
            for (float l : logits) max = Math.max(max, l);
            int n = 0;
            for (int i = 0; i < logits.length; i++) {
                double z = (logits[i] - max) / temperature;
                if (z > -CUTOFF) {
                    order[n++] = i;
                }
            }
            Integer[] boxed = new Integer[n];
            for (int i = 0; i < n; i++) boxed[i] = order[i];
            // highest logit first; equal logits keep the lower id first so results do not depend on sort stability
            Arrays.sort(
                    boxed,
                    (a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : Integer.compare(a, b));
            if (topK > 0) n = Math.min(n, topK);
            double sum = 0;
            for (int i = 0; i < n; i++) {
                probs[i] = Math.exp((logits[boxed[i]] - max) / temperature);
                sum += probs[i];
            }
            if (topP < 1.0) {
                double acc = 0;
                for (int i = 0; i < n; i++) {
                    acc += probs[i] / sum;
                    if (acc >= topP) {
                        n = i + 1;
                        break;
                    }
                }
                sum = 0;
                for (int i = 0; i < n; i++) sum += probs[i];
            }
            double r = random.nextDouble() * sum;
            for (int i = 0; i < n; i++) {
                r -= probs[i];
                if (r <= 0) return boxed[i];
            }
            return boxed[n - 1];
        }
    }
}
