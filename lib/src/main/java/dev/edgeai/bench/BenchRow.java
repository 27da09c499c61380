package dev.edgeai.bench;

import dev.edgeai.metrics.Stats;
import dev.edgeai.results.RunResult;
import dev.edgeai.results.Sample;
import dev.edgeai.results.Summary;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One printed record: a {@link Summary} plus what the printers need besides it. Every printer (md, csv, jsonl)
 * prints the same rows (one record, several printers).
 *
 * @param tokensEstimated true when any sample of the cell had estimated token counts (server sent no usage):
 *                        printers flag the token-based figures
 */
public record BenchRow(Summary summary, boolean tokensEstimated) {

    public Stats stat(String metric) {
        Stats s = summary.metrics() == null ? null : summary.metrics().get(metric);
        return s == null ? Stats.of() : s;
    }

    /** The row for one summary, given the samples of its cell (or all samples of the run). */
    public static BenchRow of(Summary s, List<Sample> samples) {
        boolean est = samples.stream()
                .anyMatch(x -> !x.warmup()
                        && x.ok()
                        && x.tokensEstimated()
                        && Objects.equals(x.model(), s.model())
                        && Objects.equals(x.group(), s.group())
                        && x.concurrency() == s.concurrency());
        return new BenchRow(s, est);
    }

    public static List<BenchRow> of(RunResult r) {
        List<BenchRow> rows = new ArrayList<>();
        for (Summary s : r.summaries()) rows.add(of(s, r.samples()));
        return rows;
    }
}
