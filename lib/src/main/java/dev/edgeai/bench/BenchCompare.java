package dev.edgeai.bench;

import dev.edgeai.metrics.Stats;
import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunResult;
import dev.edgeai.results.Summary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Compares two results files (old = baseline, new = candidate) cell by cell: for every (model, group, concurrency)
 * present in both, the ratio new/old of TTFT p50, TPOT p50, E2E p50 and decode t/s (mean), each with a spread: the
 * ratio of means ± the combined relative standard deviation, sqrt((sd_old/mean_old)² + (sd_new/mean_new)²), scaled
 * by that ratio. A metric regresses when it is worse by more than the threshold: latency ratio &gt; 1 + t, decode
 * ratio &lt; 1 / (1 + t). Cells present on only one side are listed, not compared.
 */
public final class BenchCompare {
    /** Metrics compared, with whether higher is better. */
    public static final Map<String, Boolean> METRICS =
            Map.of("ttft_ms", false, "tpot_ms", false, "e2e_ms", false, "decode_tps", true);

    private static final List<String> ORDER = List.of("ttft_ms", "tpot_ms", "e2e_ms", "decode_tps");

    private BenchCompare() {}

    /** A results file that cannot be compared or charted; {@link #file()} names it. */
    public static final class ResultsLoadException extends IllegalArgumentException {
        private final transient Path file;

        public ResultsLoadException(Path file, String message, Throwable cause) {
            super(message, cause);
            this.file = file;
        }

        public Path file() {
            return file;
        }
    }

    /** Reads a results file; corrupt or foreign files fail with a {@link ResultsLoadException} naming the file. */
    public static RunResult load(Path file) {
        try {
            return ResultsFile.read(file);
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage() == null ? "" : e.getMessage();
            throw new ResultsLoadException(file, msg.contains(file.toString()) ? msg : file + ": " + msg, e);
        } catch (RuntimeException e) {
            throw new ResultsLoadException(file, file + " is not a readable results file: " + e, e);
        }
    }

    /**
     * One metric of one cell.
     *
     * @param ratio   headline ratio new/old (p50 for latencies, mean for decode t/s); NaN when either side is missing
     * @param spread  ± on the ratio of means (NaN when unknown)
     */
    public record MetricDelta(
            String metric, double old, double neu, double ratio, double meanRatio, double spread, boolean regression) {}

    public record CellDelta(String model, String group, int concurrency, List<MetricDelta> metrics) {
        public boolean regression() {
            return metrics.stream().anyMatch(MetricDelta::regression);
        }

        public MetricDelta metric(String name) {
            return metrics.stream()
                    .filter(m -> m.metric().equals(name))
                    .findFirst()
                    .orElse(null);
        }
    }

    /** The comparison; {@code onlyOld}/{@code onlyNew} name cells as "model/group/c=N". */
    public record Comparison(double threshold, List<CellDelta> cells, List<String> onlyOld, List<String> onlyNew) {
        public boolean anyRegression() {
            return cells.stream().anyMatch(CellDelta::regression);
        }

        /** A Markdown table: one row per cell, "ratio (±spread)" per metric, regressions marked with ▲ REGRESSION. */
        public String toMarkdown() {
            StringBuilder sb = new StringBuilder();
            sb.append(
                    "| model | group | c | TTFT p50 new/old | TPOT p50 new/old | E2E p50 new/old | decode t/s new/old | verdict |\n");
            sb.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
            for (CellDelta c : cells) {
                sb.append("| ")
                        .append(cell(c.model()))
                        .append(" | ")
                        .append(cell(c.group()))
                        .append(" | ")
                        .append(c.concurrency());
                for (String m : ORDER) {
                    MetricDelta d = c.metric(m);
                    sb.append(" | ").append(d == null ? "-" : fmt(d));
                }
                sb.append(" | ").append(c.regression() ? "REGRESSION" : "ok").append(" |\n");
            }
            if (!onlyOld.isEmpty())
                sb.append("\nOnly in old: ").append(String.join(", ", onlyOld)).append('\n');
            if (!onlyNew.isEmpty())
                sb.append("\nOnly in new: ").append(String.join(", ", onlyNew)).append('\n');
            sb.append(String.format(
                    Locale.ROOT,
                    "%nRatios are new/old (latency: lower is better, decode t/s: higher "
                            + "is better); ± is the ratio of means times the combined relative stddev; threshold %.0f%%.%n",
                    threshold * 100));
            return sb.toString();
        }

        private static String cell(String s) {
            return s == null ? "" : s.replace("|", "\\|");
        }

        private static String fmt(MetricDelta d) {
            if (!Double.isFinite(d.ratio())) return "-";
            String s = String.format(Locale.ROOT, "%.3f", d.ratio());
            if (Double.isFinite(d.spread())) s += String.format(Locale.ROOT, " (±%.3f)", d.spread());
            return d.regression() ? s + " ▲" : s;
        }
    }

    public static Comparison compare(Path oldFile, Path newFile, double threshold) {
        return compare(load(oldFile), load(newFile), threshold);
    }

    public static Comparison compare(RunResult old, RunResult neu, double threshold) {
        if (threshold < 0) throw new IllegalArgumentException("threshold must be >= 0");
        Map<String, Summary> o = index(old);
        Map<String, Summary> n = index(neu);
        List<CellDelta> cells = new ArrayList<>();
        List<String> onlyOld = new ArrayList<>();
        List<String> onlyNew = new ArrayList<>();
        for (var e : o.entrySet()) {
            Summary b = n.get(e.getKey());
            if (b == null) {
                onlyOld.add(e.getKey());
                continue;
            }
            Summary a = e.getValue();
            List<MetricDelta> ms = new ArrayList<>();
            for (String m : ORDER) ms.add(delta(m, stat(a, m), stat(b, m), threshold));
            cells.add(new CellDelta(a.model(), a.group(), a.concurrency(), ms));
        }
        for (String k : n.keySet()) if (!o.containsKey(k)) onlyNew.add(k);
        return new Comparison(threshold, cells, onlyOld, onlyNew);
    }

    static MetricDelta delta(String metric, Stats a, Stats b, double threshold) {
        boolean higherBetter = METRICS.get(metric);
        double oldV = higherBetter ? a.mean() : a.p50();
        double newV = higherBetter ? b.mean() : b.p50();
        double ratio = a.n() > 0 && b.n() > 0 && oldV != 0 ? newV / oldV : Double.NaN;
        double meanRatio = a.n() > 0 && b.n() > 0 && a.mean() != 0 ? b.mean() / a.mean() : Double.NaN;
        double spread = Double.NaN;
        if (Double.isFinite(meanRatio) && a.mean() != 0 && b.mean() != 0) {
            double ra = a.stddev() / a.mean();
            double rb = b.stddev() / b.mean();
            spread = Math.abs(meanRatio) * Math.sqrt(ra * ra + rb * rb);
        }
        boolean regression =
                Double.isFinite(ratio) && (higherBetter ? ratio < 1.0 / (1.0 + threshold) : ratio > 1.0 + threshold);
        return new MetricDelta(metric, oldV, newV, ratio, meanRatio, spread, regression);
    }

    private static Stats stat(Summary s, String m) {
        Stats st = s.metrics() == null ? null : s.metrics().get(m);
        return st == null ? Stats.of() : st;
    }

    private static Map<String, Summary> index(RunResult r) {
        Map<String, Summary> m = new LinkedHashMap<>();
        for (Summary s : r.summaries()) {
            m.put(Objects.toString(s.model()) + "/" + Objects.toString(s.group()) + "/c=" + s.concurrency(), s);
        }
        return m;
    }
}
