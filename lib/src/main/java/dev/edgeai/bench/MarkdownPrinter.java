package dev.edgeai.bench;

import dev.edgeai.metrics.Stats;
import dev.edgeai.results.RunMeta;
import dev.edgeai.results.RunResult;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A Markdown table with stable columns: text left-aligned, numbers right-aligned, fixed minimum widths so rows can
 * be printed (and flushed) one at a time. Times in ms, decode rate as {@code mean ± sd} t/s; token-based figures
 * from estimated counts carry a {@code *} and a footnote. Empty statistics print as {@code -}.
 */
public final class MarkdownPrinter implements ResultPrinter {

    private record Col(String title, boolean number, int width, Function<BenchRow, String> value) {}

    private static final List<Col> COLS = List.of(
            new Col("model", false, 16, r -> r.summary().model()),
            new Col("group", false, 6, r -> r.summary().group()),
            new Col("c", true, 2, r -> Integer.toString(r.summary().concurrency())),
            new Col("n", true, 3, r -> Integer.toString(r.summary().ok())),
            new Col("TTFT mean ms", true, 12, r -> ms(r.stat("ttft_ms").mean())),
            new Col("TTFT p50", true, 8, r -> ms(r.stat("ttft_ms").p50())),
            new Col("TTFT p95", true, 8, r -> ms(r.stat("ttft_ms").p95())),
            new Col("TTFT p99", true, 8, r -> ms(r.stat("ttft_ms").p99())),
            new Col("TPOT mean ms", true, 12, r -> ms(r.stat("tpot_ms").mean())),
            new Col("TPOT p95", true, 8, r -> ms(r.stat("tpot_ms").p95())),
            new Col("E2E mean ms", true, 11, r -> ms(r.stat("e2e_ms").mean())),
            new Col("E2E p95", true, 8, r -> ms(r.stat("e2e_ms").p95())),
            new Col("decode t/s", true, 12, r -> meanSd(r.stat("decode_tps")) + star(r)),
            new Col("req/s", true, 6, r -> num(r.summary().requestsPerS(), 2)),
            new Col("out t/s", true, 7, r -> num(r.summary().outputTokPerS(), 1) + star(r)),
            new Col("errors", true, 6, r -> Integer.toString(r.summary().errors())));

    @Override
    public void header(RunMeta meta, Appendable out) {
        StringBuilder a = new StringBuilder("|");
        StringBuilder b = new StringBuilder("|");
        for (Col c : COLS) {
            int w = Math.max(c.width, c.title.length());
            a.append(' ').append(pad(c.title, w, c.number)).append(" |");
            b.append(' ')
                    .append(c.number ? "-".repeat(w - 1) + ":" : "-".repeat(w))
                    .append(" |");
        }
        ResultPrinter.write(out, a + "\n" + b + "\n");
    }

    @Override
    public void row(RunMeta meta, BenchRow row, Appendable out) {
        StringBuilder a = new StringBuilder("|");
        for (Col c : COLS) {
            String v = c.value.apply(row);
            v = v == null ? "-" : v.replace("|", "\\|").replace('\n', ' ').replace('\r', ' ');
            a.append(' ')
                    .append(pad(v, Math.max(c.width, c.title.length()), c.number))
                    .append(" |");
        }
        ResultPrinter.write(out, a + "\n");
    }

    @Override
    public void footer(RunResult result, Appendable out) {
        StringBuilder sb = new StringBuilder();
        if (BenchRow.of(result).stream().anyMatch(BenchRow::tokensEstimated)) {
            sb.append(
                    "\n\\* token counts estimated: the server sent no usage, so t/s figures marked * are approximate.\n");
        }
        if (!result.complete()) {
            sb.append("\n**INCOMPLETE RUN**: ")
                    .append(result.note() == null ? "(no reason recorded)" : result.note())
                    .append("\n");
        } else if (result.note() != null) {
            sb.append("\nNote: ").append(result.note()).append("\n");
        }
        if (!sb.isEmpty()) ResultPrinter.write(out, sb);
    }

    private static String star(BenchRow r) {
        return r.tokensEstimated() ? "*" : "";
    }

    private static String pad(String s, int w, boolean right) {
        if (s.length() >= w) return s;
        String sp = " ".repeat(w - s.length());
        return right ? sp + s : s + sp;
    }

    static String ms(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f", v) : "-";
    }

    static String num(Double v, int decimals) {
        return v == null || !Double.isFinite(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static String meanSd(Stats s) {
        if (s.n() == 0 || !Double.isFinite(s.mean())) return "-";
        return String.format(Locale.ROOT, "%.1f ± %.1f", s.mean(), s.stddev());
    }
}
