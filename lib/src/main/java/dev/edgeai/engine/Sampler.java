package dev.edgeai.engine;

import dev.edgeai.chat.ChatRequest;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Map;
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
        return of(temperature, topK, topP, null, seed);
    }

    /** As {@link #of(Double, Integer, Double, Long)}, then min-p (null or 0: off). */
    static Sampler of(Double temperature, Integer topK, Double topP, Double minP, Long seed) {
        if (temperature == null || temperature == 0) return GREEDY;
        return new Stochastic(
                temperature,
                topK == null ? 0 : topK,
                topP == null ? 1.0 : topP,
                minP == null ? 0.0 : minP,
                new SplittableRandom(seed != null ? seed : System.nanoTime()));
    }

    /**
     * The sampler one request asks for: its logit bias and penalties first (they see the prompt and every token this
     * sampler picked, so it belongs to one sequence), then greedy or temperature/top-k/top-p/min-p. A request with
     * neither bias nor penalties gets the plain sampler, at no cost per token.
     */
    static Sampler of(ChatRequest r, int[] prompt) {
        Sampler pick = of(r.temperature(), r.topK(), r.topP(), r.minP(), r.seed());
        double freq = r.frequencyPenalty() == null ? 0 : r.frequencyPenalty();
        double pres = r.presencePenalty() == null ? 0 : r.presencePenalty();
        double rep = r.repetitionPenalty() == null ? 1 : r.repetitionPenalty();
        if (freq == 0 && pres == 0 && rep == 1 && r.logitBias().isEmpty()) return pick;
        return new Shaped(pick, r.logitBias(), freq, pres, rep, prompt);
    }

    /**
     * Logit bias, then Hugging Face's repetition penalty (over the prompt and the answer so far), then OpenAI's
     * frequency and presence penalties (over the answer so far), then the inner sampler. Counts what it picks.
     */
    final class Shaped implements Sampler {
        private final Sampler inner;
        private final int[] biasIds;
        private final float[] biasValues;
        private final double frequency, presence, repetition;
        /** Ids of the prompt and the answer (repetition penalty). */
        private final BitSet seen = new BitSet();
        /** Times each id was picked, and the distinct picked ids in order (frequency/presence penalties). */
        private int[] counts = new int[0];

        private int[] picked = new int[16];
        private int distinct;

        Shaped(
                Sampler inner,
                Map<Integer, Double> bias,
                double frequency,
                double presence,
                double repetition,
                int[] prompt) {
            this.inner = inner;
            this.biasIds = new int[bias.size()];
            this.biasValues = new float[bias.size()];
            int i = 0;
            for (var e : bias.entrySet()) {
                biasIds[i] = e.getKey();
                biasValues[i++] = e.getValue().floatValue();
            }
            this.frequency = frequency;
            this.presence = presence;
            this.repetition = repetition;
            if (repetition != 1) for (int id : prompt) seen.set(id);
        }

        @Override
        public int sample(float[] logits) {
            for (int i = 0; i < biasIds.length; i++)
                if (biasIds[i] < logits.length) logits[biasIds[i]] += biasValues[i];
            if (repetition != 1)
                for (int id = seen.nextSetBit(0); id >= 0 && id < logits.length; id = seen.nextSetBit(id + 1)) {
                    float l = logits[id];
                    logits[id] = (float) (l > 0 ? l / repetition : l * repetition);
                }
            if (frequency != 0 || presence != 0)
                for (int i = 0; i < distinct; i++) {
                    int id = picked[i];
                    if (id < logits.length) logits[id] -= (float) (counts[id] * frequency + presence);
                }
            int token = inner.sample(logits);
            record(token);
            return token;
        }

        private void record(int token) {
            if (repetition != 1) seen.set(token);
            if (frequency == 0 && presence == 0) return;
            if (token >= counts.length) counts = Arrays.copyOf(counts, Math.max(token + 1, counts.length * 2));
            if (counts[token]++ == 0) {
                if (distinct == picked.length) picked = Arrays.copyOf(picked, distinct * 2);
                picked[distinct++] = token;
            }
        }
    }

    final class Stochastic implements Sampler {
        // Tokens below max - CUTOFF (in temperature-scaled logits) have probability < e^-30 of the best one: dropping
        // them before sorting keeps a 150k vocabulary cheap without changing the distribution measurably.
        private static final double CUTOFF = 30;
        /** Sort every candidate before picking (the previous path), so SamplerBench can time both in one run. */
        static volatile boolean sortAll;

        private final double temperature;
        private final int topK;
        private final double topP;
        private final double minP;
        private final SplittableRandom random;
        private int[] order = new int[0];
        private long[] keys = new long[0];
        private double[] probs = new double[0];

        Stochastic(double temperature, int topK, double topP, double minP, SplittableRandom random) {
            this.temperature = temperature;
            this.topK = topK;
            this.topP = topP;
            this.minP = minP;
            this.random = random;
        }

        @Override
        public int sample(float[] logits) {
            if (order.length < logits.length) {
                order = new int[logits.length];
                keys = new long[logits.length];
                probs = new double[logits.length];
            }
            float max = Float.NEGATIVE_INFINITY;
            for (float l : logits) max = Math.max(max, l);
            int n = 0;
            for (int i = 0; i < logits.length; i++) {
                double z = (logits[i] - max) / temperature;
                if (z > -CUTOFF) keys[n++] = key(logits[i], i);
            }
            // Highest logit first; equal logits keep the lower id first, so results do not depend on sort stability.
            // Primitive keys, and with top-k only the k best kept (a heap) before sorting: sorting every candidate
            // of a 150k vocabulary as boxed ids cost ~50 ms a token when the logits are spread out.
            if (topK > 0 && n > topK) n = keepSmallest(keys, n, topK);
            else if (!sortAll) return pickInOrder(logits, max, n);
            Arrays.sort(keys, 0, n);
            return pickSorted(logits, max, n);
        }

        /** keys[0, n) sorted: top-p, then min-p, then a draw, walking the candidates best first. */
        private int pickSorted(float[] logits, float max, int n) {
            for (int i = 0; i < n; i++) order[i] = (int) keys[i];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                probs[i] = Math.exp((logits[order[i]] - max) / temperature);
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
            if (minP > 0) {
                // probs[0] is the most likely token's (unnormalised); min-p keeps those at least minP times as likely
                double floor = minP * probs[0];
                int keep = 1;
                while (keep < n && probs[keep] >= floor) keep++;
                if (keep < n) {
                    n = keep;
                    sum = 0;
                    for (int i = 0; i < n; i++) sum += probs[i];
                }
            }
            return draw(n, sum);
        }

        /**
         * The same pick as {@link #pickSorted} without sorting every candidate: keys[0, n) become a heap and are taken
         * best first only as far as the draw (or the top-p / min-p cut) reaches, usually a few dozen of 150k. Sorting
         * them all cost 15 ms a token for a request with a temperature and no top-k.
         */
        private int pickInOrder(float[] logits, float max, int n) {
            double total = 0;
            for (int i = 0; i < n; i++) total += Math.exp((logits[(int) keys[i]] - max) / temperature);
            for (int i = n / 2 - 1; i >= 0; i--) siftDownMin(keys, i, n);
            int size = n, taken = 0;
            double acc = 0, r = -1;
            // Nothing cut: the sum is every candidate's, so the draw can be made before taking any.
            if (topP >= 1.0 && minP <= 0) r = random.nextDouble() * total;
            double floor = 0;
            while (size > 0) {
                int id = (int) keys[0];
                double p = Math.exp((logits[id] - max) / temperature);
                if (taken == 0) floor = minP * p;
                else if (minP > 0 && p < floor) break;
                keys[0] = keys[--size];
                siftDownMin(keys, 0, size);
                order[taken] = id;
                probs[taken++] = p;
                if (r >= 0) {
                    r -= p;
                    if (r <= 0) return id;
                } else {
                    acc += p / total;
                    if (topP < 1.0 && acc >= topP) break;
                }
            }
            if (r >= 0) return order[taken - 1];
            // Cut by top-p or min-p: the kept candidates' own sum, accumulated best first as pickSorted does.
            double sum = 0;
            for (int i = 0; i < taken; i++) sum += probs[i];
            return draw(taken, sum);
        }

        private int draw(int n, double sum) {
            double r = random.nextDouble() * sum;
            for (int i = 0; i < n; i++) {
                r -= probs[i];
                if (r <= 0) return order[i];
            }
            return order[n - 1];
        }

        /** Sorts ascending as (logit descending, id ascending); -0.0 counts as 0.0, as the == comparison had it. */
        static long key(float logit, int id) {
            int bits = Float.floatToIntBits(logit + 0.0f);
            int sortable = bits ^ ((bits >> 31) & 0x7fffffff); // orders as the float does
            return ((long) ~sortable << 32) | id;
        }

        /** Moves the k smallest of keys[0..n) to keys[0..k) (unordered) with a max-heap; returns k. */
        static int keepSmallest(long[] keys, int n, int k) {
            for (int i = k / 2 - 1; i >= 0; i--) siftDown(keys, i, k);
            for (int j = k; j < n; j++)
                if (keys[j] < keys[0]) {
                    keys[0] = keys[j];
                    siftDown(keys, 0, k);
                }
            return k;
        }

        /** {@link #siftDown} for a min-heap (the smallest key, the best candidate, on top). */
        private static void siftDownMin(long[] heap, int i, int size) {
            long v = heap[i];
            while (true) {
                int c = 2 * i + 1;
                if (c >= size) break;
                if (c + 1 < size && heap[c + 1] < heap[c]) c++;
                if (heap[c] >= v) break;
                heap[i] = heap[c];
                i = c;
            }
            heap[i] = v;
        }

        private static void siftDown(long[] heap, int i, int size) {
            long v = heap[i];
            while (true) {
                int c = 2 * i + 1;
                if (c >= size) break;
                if (c + 1 < size && heap[c + 1] > heap[c]) c++;
                if (heap[c] <= v) break;
                heap[i] = heap[c];
                i = c;
            }
            heap[i] = v;
        }
    }
}
