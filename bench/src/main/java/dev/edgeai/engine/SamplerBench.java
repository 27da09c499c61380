package dev.edgeai.engine;

import dev.edgeai.chat.ChatRequest;
import dev.edgeai.metrics.Stats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What picking one token costs over a Qwen-size vocabulary (151,936 logits, normal with spread 3, so most tokens stay
 * candidates: the hard case), for the knobs requests send (not a test: prints figures). Each configuration is timed
 * against greedy argmax in the same round, and Qwen2.5's defaults (temperature 0.7, top-k 20, top-p 0.8) also against
 * the sampler as it was before top-k kept only k candidates (every candidate boxed and sorted).
 * Run: {@code java @args dev.edgeai.engine.SamplerBench [tokens per round] [rounds]}.
 */
public final class SamplerBench {
    private SamplerBench() {}

    public static void main(String[] args) {
        int tokens = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int vocab = 151_936;
        SplittableRandom rnd = new SplittableRandom(1);
        float[] base = new float[vocab];
        for (int i = 0; i < vocab; i++) base[i] = (float) (rnd.nextGaussian() * 3);
        int[] prompt = new int[500];
        for (int i = 0; i < prompt.length; i++) prompt[i] = rnd.nextInt(vocab);
        Map<String, ChatRequest> configs = new java.util.LinkedHashMap<>();
        configs.put(
                "greedy + repetition/frequency/presence penalties + bias",
                req().repetitionPenalty(1.1)
                        .frequencyPenalty(0.5)
                        .presencePenalty(0.5)
                        .logitBias(Map.of(5, 2.0))
                        .build());
        configs.put(
                "Qwen2.5 defaults: t 0.7, top-k 20, top-p 0.8, rep 1.05",
                req().temperature(0.7)
                        .topK(20)
                        .topP(0.8)
                        .repetitionPenalty(1.05)
                        .build());
        configs.put(
                "t 0.7, top-k 20, top-p 0.8, min-p 0.05",
                req().temperature(0.7).topK(20).topP(0.8).minP(0.05).build());
        configs.put(
                "t 1.0 only (no top-k: best candidates taken from a heap)",
                req().temperature(1.0).build());
        configs.put(
                "t 1.0, top-p 0.95 (no top-k)",
                req().temperature(1.0).topP(0.95).build());
        Map<String, List<Double>> us = new java.util.LinkedHashMap<>(), ratio = new java.util.LinkedHashMap<>();
        List<Double> greedyUs = new ArrayList<>(), boxedUs = new ArrayList<>(), boxedRatio = new ArrayList<>();
        float[] l = new float[vocab];
        for (int r = -2; r < rounds; r++) { // two rounds of warm-up
            double g = time(Sampler.GREEDY, base, l, tokens);
            if (r >= 0) greedyUs.add(g);
            double qwen = 0;
            for (var c : configs.entrySet()) {
                double t = time(Sampler.of(c.getValue(), prompt), base, l, tokens);
                if (c.getKey().startsWith("Qwen")) qwen = t;
                if (r < 0) continue;
                us.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(t);
                ratio.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(t / g);
            }
            // The previous no-top-k path, every candidate sorted before the pick, against the heap in the same round.
            Sampler.Stochastic.sortAll = true;
            for (var c : configs.entrySet())
                if (c.getKey().contains("no top-k")) {
                    double t = time(Sampler.of(c.getValue(), prompt), base, l, tokens);
                    if (r < 0) continue;
                    String k = c.getKey() + ", every candidate sorted";
                    us.computeIfAbsent(k, x -> new ArrayList<>()).add(t);
                    ratio.computeIfAbsent(k, x -> new ArrayList<>()).add(t / g);
                }
            Sampler.Stochastic.sortAll = false;
            double boxed = time(boxedSort(0.7, 20, 0.8, new SplittableRandom(1)), base, l, Math.max(5, tokens / 20));
            if (r >= 0) {
                boxedUs.add(boxed);
                boxedRatio.add(boxed / qwen);
            }
        }
        System.out.printf(
                Locale.ROOT, "greedy argmax: %.1f us/token (median of %d rounds)%n", median(greedyUs), rounds);
        for (String k : us.keySet())
            System.out.printf(
                    Locale.ROOT, "%-58s %9.1f us/token, %6.2fx greedy%n", k, median(us.get(k)), median(ratio.get(k)));
        System.out.printf(
                Locale.ROOT,
                "%-58s %9.1f us/token, %6.1fx the Qwen defaults above%n",
                "the former sampler (boxed sort of every candidate), Qwen",
                median(boxedUs),
                median(boxedRatio));
    }

    private static ChatRequest.Builder req() {
        return ChatRequest.builder("m").user("x").seed(1L);
    }

    /** Microseconds per token; each draw gets fresh logits, as a decode step does. */
    private static double time(Sampler s, float[] base, float[] l, int tokens) {
        long t0 = System.nanoTime();
        for (int i = 0; i < tokens; i++) {
            System.arraycopy(base, 0, l, 0, base.length);
            s.sample(l);
        }
        return (System.nanoTime() - t0) / 1e3 / tokens;
    }

    private static double median(List<Double> xs) {
        return Stats.of(xs).p50();
    }

    /** The sampler before this change's ordering: every candidate boxed and sorted with a comparator. */
    private static Sampler boxedSort(double t, int topK, double topP, SplittableRandom random) {
        return logits -> {
            float max = Float.NEGATIVE_INFINITY;
            for (float v : logits) max = Math.max(max, v);
            int n = 0;
            Integer[] ids = new Integer[logits.length];
            for (int i = 0; i < logits.length; i++) if ((logits[i] - max) / t > -30) ids[n++] = i;
            Integer[] boxed = Arrays.copyOf(ids, n);
            Arrays.sort(boxed, (a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : a - b);
            n = Math.min(n, topK);
            double[] p = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++) sum += p[i] = Math.exp((logits[boxed[i]] - max) / t);
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
            double r = random.nextDouble() * sum;
            for (int i = 0; i < n; i++) {
                r -= p[i];
                if (r <= 0) return boxed[i];
            }
            return boxed[n - 1];
        };
    }
}
