package dev.edgeai.bench;

import dev.edgeai.metrics.Stats;
import dev.edgeai.results.RunMeta;
import dev.edgeai.results.Summary;
import java.util.ArrayList;
import java.util.List;

/**
 * CSV (RFC 4180), one row per summary carrying everything: run metadata, cell, throughput, the estimated flag and
 * n/mean/stddev/min/p50/p95/p99/max of every metric in {@link Summary#METRICS}. Empty values for missing numbers.
 */
public final class CsvPrinter implements ResultPrinter {
    public static final List<String> STATS = List.of("n", "mean", "stddev", "min", "p50", "p95", "p99", "max");

    public static List<String> columns() {
        List<String> c = new ArrayList<>(List.of(
                "tool",
                "time",
                "host",
                "backend",
                "backend_url",
                "model",
                "group",
                "concurrency",
                "ok",
                "errors",
                "requests_per_s",
                "output_tok_per_s",
                "tokens_estimated"));
        for (String m : Summary.METRICS) for (String s : STATS) c.add(m + "_" + s);
        return c;
    }

    @Override
    public void header(RunMeta meta, Appendable out) {
        ResultPrinter.write(out, String.join(",", columns()) + "\n");
    }

    @Override
    public void row(RunMeta meta, BenchRow row, Appendable out) {
        Summary s = row.summary();
        List<String> v = new ArrayList<>();
        v.add(meta == null ? "" : meta.tool());
        v.add(meta == null ? "" : meta.time());
        v.add(
                meta == null || meta.environment() == null
                        ? ""
                        : meta.environment().host());
        v.add(meta == null || meta.backend() == null ? "" : meta.backend().kind());
        v.add(meta == null || meta.backend() == null ? "" : meta.backend().url());
        v.add(s.model());
        v.add(s.group());
        v.add(Integer.toString(s.concurrency()));
        v.add(Integer.toString(s.ok()));
        v.add(Integer.toString(s.errors()));
        v.add(num(s.requestsPerS()));
        v.add(num(s.outputTokPerS()));
        v.add(Boolean.toString(row.tokensEstimated()));
        for (String m : Summary.METRICS) {
            Stats st = row.stat(m);
            v.add(Integer.toString(st.n()));
            for (double d : new double[] {st.mean(), st.stddev(), st.min(), st.p50(), st.p95(), st.p99(), st.max()}) {
                v.add(num(d));
            }
        }
        ResultPrinter.write(
                out, String.join(",", v.stream().map(CsvPrinter::quote).toList()) + "\n");
    }

    static String num(Double d) {
        return d == null || !Double.isFinite(d)
                ? ""
                : java.math.BigDecimal.valueOf(d)
                        .round(new java.math.MathContext(9))
                        .stripTrailingZeros()
                        .toPlainString();
    }

    static String quote(String s) {
        if (s == null) return "";
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
