package dev.edgeai.engine;

import static org.junit.jupiter.api.Assertions.*;

import dev.edgeai.chat.ChatRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each sampling knob a request can carry, checked on the distribution it produces: many draws from a fixed seed
 * over fixed logits, compared with the probabilities the knob's definition gives (not single draws).
 */
class SamplingKnobsTest {
    static final int DRAWS = 40_000;

    /** Five tokens with probabilities 0.4, 0.3, 0.15, 0.1, 0.05 at temperature 1. */
    static final float[] LOGITS = logits(0.4, 0.3, 0.15, 0.1, 0.05);

    static float[] logits(double... probs) {
        float[] l = new float[probs.length];
        for (int i = 0; i < probs.length; i++) l[i] = (float) Math.log(probs[i]);
        return l;
    }

    static ChatRequest.Builder request() {
        return ChatRequest.builder("m").user("hi").temperature(1.0).seed(42L);
    }

    /** Frequencies of each token over fresh samplers' first draws (no history), each from its own seed. */
    static double[] firstDraws(ChatRequest.Builder b, float[] logits) {
        double[] f = new double[logits.length];
        for (int i = 0; i < DRAWS; i++) {
            Sampler s = Sampler.of(b.seed((long) i).build(), new int[0]);
            f[s.sample(logits.clone())] += 1.0 / DRAWS;
        }
        return f;
    }

    /** Frequencies of one sampler's successive draws over the same logits (its history grows). */
    static double[] draws(Sampler s, float[] logits, int n) {
        double[] f = new double[logits.length];
        for (int i = 0; i < n; i++) f[s.sample(logits.clone())] += 1.0 / n;
        return f;
    }

    static void assertClose(double[] expected, double[] actual, String what) {
        for (int i = 0; i < expected.length; i++)
            assertEquals(
                    expected[i], actual[i], 0.012, what + ": token " + i + " in " + java.util.Arrays.toString(actual));
    }

    @Test
    void plainTemperatureOneFollowsTheSoftmax() {
        assertClose(new double[] {0.4, 0.3, 0.15, 0.1, 0.05}, firstDraws(request(), LOGITS), "temperature 1");
    }

    @Test
    void topKKeepsTheKMostLikelyRenormalised() {
        assertClose(
                new double[] {0.4 / 0.7, 0.3 / 0.7, 0, 0, 0},
                firstDraws(request().topK(2), LOGITS),
                "top_k 2");
    }

    @Test
    void minPDropsTokensBelowAFractionOfTheBest() {
        // min_p 0.3: the floor is 0.12, so 0.4, 0.3 and 0.15 stay
        assertClose(
                new double[] {0.4 / 0.85, 0.3 / 0.85, 0.15 / 0.85, 0, 0},
                firstDraws(request().minP(0.3), LOGITS),
                "min_p 0.3");
        assertClose(
                new double[] {0.4, 0.3, 0.15, 0.1, 0.05}, firstDraws(request().minP(0.0), LOGITS), "min_p 0");
    }

    @Test
    void logitBiasShiftsOneTokenByItsValue() {
        // +ln(4) on token 4 makes its weight 0.2: the total is 1.15
        Map<Integer, Double> bias = Map.of(4, Math.log(4));
        assertClose(
                new double[] {0.4 / 1.15, 0.3 / 1.15, 0.15 / 1.15, 0.1 / 1.15, 0.2 / 1.15},
                firstDraws(request().logitBias(bias), LOGITS),
                "logit_bias");
        // -100 bans a token, +100 forces one, greedy included
        assertEquals(0, firstDraws(request().logitBias(Map.of(0, -100.0)), LOGITS)[0]);
        Sampler forced = Sampler.of(
                request().temperature(0.0).logitBias(Map.of(3, 100.0)).build(), new int[0]);
        assertEquals(1.0, draws(forced, LOGITS, 50)[3], 1e-9);
    }

    @Test
    void presencePenaltyLowersEveryTokenOnceSeen() {
        // Greedy with a presence penalty of 3 (above the largest logit gap, ln 8): each pick is penalised once, so
        // a greedy sampler walks through all five tokens; then all carry the same penalty, however often they were
        // picked (that is frequency's job), so it stays on token 0. Without it, it always picks token 0.
        Sampler s = Sampler.of(request().temperature(0.0).presencePenalty(3.0).build(), new int[0]);
        int[] picks = new int[10];
        for (int i = 0; i < picks.length; i++) picks[i] = s.sample(LOGITS.clone());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 0, 0, 0, 0, 0}, picks);
        Sampler plain = Sampler.of(request().temperature(0.0).build(), new int[0]);
        assertEquals(1.0, draws(plain, LOGITS, 20)[0], 1e-9);
    }

    @Test
    void frequencyPenaltyBalancesCountsInTheLongRun() {
        // Each pick lowers that token's logit by 0.05: in the long run the penalised logits meet, so the counts
        // satisfy l_i - 0.05 n_i = const, i.e. n_i - n_j = (l_i - l_j) / 0.05; a strong pull toward uniform.
        int n = 20_000;
        Sampler s = Sampler.of(request().frequencyPenalty(0.05).build(), new int[0]);
        double[] f = draws(s, LOGITS, n);
        for (int i = 1; i < LOGITS.length; i++) {
            double expectedGap = (LOGITS[0] - LOGITS[i]) / 0.05 / n;
            assertEquals(expectedGap, f[0] - f[i], 0.003, "token 0 vs " + i + " in " + java.util.Arrays.toString(f));
        }
        // the same draws without the penalty follow the softmax
        assertClose(
                new double[] {0.4, 0.3, 0.15, 0.1, 0.05},
                draws(Sampler.of(request().build(), new int[0]), LOGITS, n),
                "no penalty");
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOfPromptTokens() {
        // Logits 2 and -1 for tokens in the prompt, 1 and 0 for the others; penalty 2 makes them 1 and -2.
        float[] l = {2f, -1f, 1f, 0f};
        double[] expected = softmax(1, -2, 1, 0);
        assertClose(
                expected,
                firstDrawsWithPrompt(request().repetitionPenalty(2.0), l, new int[] {0, 1, 1}),
                "repetition_penalty 2");
        assertClose(softmax(2, -1, 1, 0), firstDrawsWithPrompt(request(), l, new int[] {0, 1}), "no penalty");
    }

    @Test
    void theSameSeedRepeatsADifferentOneDoesNot() {
        int[] a = sequence(request().seed(123L).topK(4)),
                b = sequence(request().seed(123L).topK(4));
        int[] c = sequence(request().seed(124L).topK(4));
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
    }

    static int[] sequence(ChatRequest.Builder b) {
        Sampler s = Sampler.of(b.build(), new int[0]);
        int[] out = new int[64];
        for (int i = 0; i < out.length; i++) out[i] = s.sample(LOGITS.clone());
        return out;
    }

    static double[] firstDrawsWithPrompt(ChatRequest.Builder b, float[] logits, int[] prompt) {
        double[] f = new double[logits.length];
        for (int i = 0; i < DRAWS; i++) {
            Sampler s = Sampler.of(b.seed((long) i).build(), prompt);
            f[s.sample(logits.clone())] += 1.0 / DRAWS;
        }
        return f;
    }

    static double[] softmax(double... l) {
        double sum = 0;
        double[] p = new double[l.length];
        for (int i = 0; i < l.length; i++) sum += p[i] = Math.exp(l[i]);
        for (int i = 0; i < l.length; i++) p[i] /= sum;
        return p;
    }

    @Test
    void withoutKnobsTheSamplerIsThePlainOne() {
        assertSame(
                Sampler.GREEDY, Sampler.of(ChatRequest.builder("m").user("hi").build(), new int[] {1, 2}));
        assertSame(
                Sampler.GREEDY,
                Sampler.of(
                        ChatRequest.builder("m")
                                .user("hi")
                                .frequencyPenalty(0.0)
                                .presencePenalty(0.0)
                                .repetitionPenalty(1.0)
                                .build(),
                        new int[] {1}));
    }

    /**
     * The sampler's primitive-key sort and top-k heap pick exactly what sorting every candidate by (logit descending,
     * id ascending) picks, ties and -0.0 included: seeded answers (and the demo page's port of this sampler) stay the
     * same.
     */
    @Test
    void fastOrderingPicksWhatTheFullSortPicks() {
        var rnd = new java.util.SplittableRandom(3);
        float[] logits = new float[3000];
        for (int i = 0; i < logits.length; i++) logits[i] = (float) Math.round(rnd.nextGaussian() * 8) / 2f;
        logits[10] = -0.0f;
        logits[11] = 0.0f;
        for (int[] k : new int[][] {{0}, {1}, {7}, {50}, {5000}})
            for (double topP : new double[] {1.0, 0.9, 0.3})
                for (double minP : new double[] {0.0, 0.02, 0.5}) {
                    Sampler fast = Sampler.of(0.8, k[0], topP, minP, 99L);
                    java.util.SplittableRandom same = new java.util.SplittableRandom(99L);
                    for (int i = 0; i < 300; i++)
                        assertEquals(
                                reference(logits, 0.8, k[0], topP, minP, same),
                                fast.sample(logits.clone()),
                                "top_k " + k[0] + " top_p " + topP + " min_p " + minP + " draw " + i);
                }
    }

    /** The sampler as it was: every candidate boxed and sorted with a comparator. */
    static int reference(
            float[] logits, double t, int topK, double topP, double minP, java.util.SplittableRandom random) {
        float max = Float.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        java.util.List<Integer> ids = new java.util.ArrayList<>();
        for (int i = 0; i < logits.length; i++) if ((logits[i] - max) / t > -30) ids.add(i);
        ids.sort((a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : Integer.compare(a, b));
        int n = topK > 0 ? Math.min(ids.size(), topK) : ids.size();
        double[] p = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) sum += p[i] = Math.exp((logits[ids.get(i)] - max) / t);
        if (topP < 1.0) {
            double acc = 0;
            for (int i = 0; i < n; i++) {
                acc += p[i] / sum;
                if (acc >= topP) {
                    n = i + 1;
                    break;
                }
            }
            sum = 0;
            for (int i = 0; i < n; i++) sum += p[i];
        }
        if (minP > 0) {
            int keep = 1;
            while (keep < n && p[keep] >= minP * p[0]) keep++;
            n = keep;
            sum = 0;
            for (int i = 0; i < n; i++) sum += p[i];
        }
        double r = random.nextDouble() * sum;
        for (int i = 0; i < n; i++) {
            r -= p[i];
            if (r <= 0) return ids.get(i);
        }
        return ids.get(n - 1);
    }
}
