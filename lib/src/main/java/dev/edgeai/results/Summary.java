package dev.edgeai.results;

import dev.edgeai.metrics.Stats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Statistics over the non-warmup, successful samples of one (model, group, concurrency) cell.
 *
 * @param metrics       metric name ("ttft_ms", "e2e_ms", "tpot_ms", "decode_tps", "itl_ms", "prompt_tokens",
 *                      "completion_tokens") to its stats
 * @param requestsPerS  completed requests per second of wall time for the cell, when the caller measured it
 * @param outputTokPerS completion tokens per second of wall time for the cell, when measured
 */
public record Summary(
        String model,
        String group,
        int concurrency,
        int ok,
        int errors,
        Map<String, Stats> metrics,
        Double requestsPerS,
        Double outputTokPerS) {

    public static final List<String> METRICS =
            List.of("ttft_ms", "e2e_ms", "tpot_ms", "decode_tps", "itl_ms", "prompt_tokens", "completion_tokens");

    /** Groups samples by (model, group, concurrency) in first-seen order and summarises each group. */
    public static List<Summary> of(List<Sample> samples) {
        Map<List<Object>, List<Sample>> cells = new LinkedHashMap<>();
        for (Sample s : samples) {
            if (s.warmup()) continue;
            cells.computeIfAbsent(
                            List.of(String.valueOf(s.model()), String.valueOf(s.group()), s.concurrency()),
                            k -> new ArrayList<>())
                    .add(s);
        }
        List<Summary> out = new ArrayList<>();
        for (List<Sample> cell : cells.values()) {
            Sample first = cell.get(0);
            out.add(of(first.model(), first.group(), first.concurrency(), cell, null, null));
        }
        return out;
    }

    public static Summary of(
            String model, String group, int concurrency, List<Sample> cell, Double requestsPerS, Double outputTokPerS) {
        List<Sample> good = cell.stream().filter(s -> !s.warmup() && s.ok()).toList();
        Map<String, Stats> m = new LinkedHashMap<>();
        m.put("ttft_ms", stat(good, Sample::ttftMs));
        m.put("e2e_ms", stat(good, Sample::e2eMs));
        m.put("tpot_ms", stat(good, Sample::tpotMs));
        m.put("decode_tps", stat(good, Sample::decodeTps));
        m.put("itl_ms", Stats.of(good.stream().flatMap(s -> s.itlMs().stream()).toList()));
        m.put(
                "prompt_tokens",
                stat(
                        good,
                        s -> s.promptTokens() == null ? null : s.promptTokens().doubleValue()));
        m.put(
                "completion_tokens",
                stat(
                        good,
                        s -> s.completionTokens() == null
                                ? null
                                : s.completionTokens().doubleValue()));
        int errors = (int) cell.stream().filter(s -> !s.warmup() && !s.ok()).count();
        return new Summary(model, group, concurrency, good.size(), errors, m, requestsPerS, outputTokPerS);
    }

    private static Stats stat(List<Sample> samples, Function<Sample, Double> f) {
        return Stats.of(samples.stream().map(f).filter(Objects::nonNull).toList());
    }
}
