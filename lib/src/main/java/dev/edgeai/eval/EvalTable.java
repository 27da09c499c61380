package dev.edgeai.eval;

import dev.edgeai.results.RunResult;
import dev.edgeai.results.SystemReport;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Plain-text tables of an evaluation run: scores and latency, costs, and the session's "which model" table. */
public final class EvalTable {
    private EvalTable() {}

    /** Scores (means over the QA set), latency, tokens and resources, one row per model or pipeline. */
    public static String scores(RunResult r) {
        boolean judged = r.reports().stream().anyMatch(x -> x.values().containsKey("judge_factuality"));
        List<String> head = new ArrayList<>(
                List.of("system", "n", "score", "kw recall", "exact", "brevity", "refusal", "grounding"));
        if (judged) head.addAll(List.of("judge coh/fact/brev", "unscored"));
        head.addAll(List.of(
                "TTFT ms", "E2E ms", "tok in/out", "escalated", "cold TTFT ms", "load ms", "RSS MB", "CPU s/tok"));
        List<List<String>> rows = new ArrayList<>();
        rows.add(head);
        for (SystemReport s : r.reports()) {
            List<String> row = new ArrayList<>(List.of(
                    s.system(),
                    f(s, "n", 0) + (s.value("errors") > 0 ? " (" + f(s, "errors", 0) + " err)" : ""),
                    f(s, "score", 2),
                    f(s, "keyword_recall", 2),
                    f(s, "exact", 2),
                    f(s, "brevity", 2),
                    f(s, "refusal", 2),
                    f(s, "grounding", 2)));
            if (judged) {
                row.add(f(s, "judge_coherence", 1) + "/" + f(s, "judge_factuality", 1) + "/"
                        + f(s, "judge_brevity", 1));
                row.add(pct(s, "judge_unscored"));
            }
            row.addAll(List.of(
                    f(s, "ttft_ms", 0),
                    f(s, "e2e_ms", 0),
                    f(s, "prompt_tokens", 0) + "/" + f(s, "completion_tokens", 0)
                            + (s.notes().containsKey("completion_tokens") ? " (est.)" : ""),
                    pct(s, "escalated_share"),
                    f(s, "cold_ttft_ms", 0),
                    f(s, "load_ms", 0),
                    f(s, "rss_mb", 0),
                    f(s, "cpu_s_per_token", 4)));
            rows.add(row);
        }
        StringBuilder sb = new StringBuilder(render(rows));
        notes(sb, r, "rss_mb", "RSS");
        notes(sb, r, "load_ms", "load");
        return sb.toString();
    }

    /**
     * What the run's tokens would cost on each cloud model, the local energy estimate, and for pipelines the blend
     * with the small model local and the large one in the cloud. Totals over the whole QA set, in USD.
     */
    public static String costs(RunResult r) {
        Set<String> clouds = new LinkedHashSet<>();
        for (SystemReport s : r.reports()) {
            for (String k : s.values().keySet())
                if (k.startsWith("cost_usd:")) clouds.add(k.substring("cost_usd:".length()));
        }
        List<String> head = new ArrayList<>(
                List.of("system", "tokens in", "tokens out", "CPU s", "local Wh (est.)", "local USD (est.)"));
        for (String c : clouds) head.add(c + " USD");
        List<List<String>> rows = new ArrayList<>();
        rows.add(head);
        for (SystemReport s : r.reports()) {
            List<String> row = new ArrayList<>(List.of(
                    s.system(),
                    f(s, "prompt_tokens_total", 0),
                    f(s, "completion_tokens_total", 0),
                    f(s, "cpu_s", 2),
                    f(s, "local_energy_wh", 4),
                    usd(s.value("local_cost_usd"))));
            for (String c : clouds) {
                String cell = usd(s.value("cost_usd:" + c));
                double blended = s.value("blended_cost_usd:" + c);
                if (!Double.isNaN(blended)) cell += " (blend " + usd(blended) + ")";
                row.add(cell);
            }
            rows.add(row);
        }
        StringBuilder sb = new StringBuilder(render(rows));
        Object local = r.meta() == null ? null : r.meta().options().get("local_cost");
        if (local != null) sb.append("local: ").append(local).append('\n');
        sb.append(
                "blend: the pipeline with its small model on this machine (local estimate) and its large model priced in the cloud\n");
        if (r.meta() != null && r.meta().options().get("prices") instanceof List<?> prices) {
            for (Object o : prices) {
                if (o instanceof Map<?, ?> m) {
                    sb.append(String.format(
                            Locale.ROOT,
                            "price %s: %s in / %s out per 1M tokens, as of %s (%s), check before use%n",
                            m.get("name"),
                            m.get("input_per_1m"),
                            m.get("output_per_1m"),
                            m.get("as_of"),
                            m.get("source")));
                }
            }
        }
        return sb.toString();
    }

    /** The session's evaluation table: cold latency, memory, fidelity to context, local cost, best use. */
    public static String session(RunResult r) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of(
                "system",
                "cold latency (TTFT)",
                "memory (RSS)",
                "fidelity to context",
                "local cost (est.)",
                "best use (this run)"));
        SystemReport best = null, fastest = null;
        for (SystemReport s : r.reports()) {
            if (best == null || s.value("score") > best.value("score")) best = s;
            if (fastest == null || s.value("e2e_ms") < fastest.value("e2e_ms")) fastest = s;
        }
        for (SystemReport s : r.reports()) {
            List<String> use = new ArrayList<>();
            if (s == best) use.add("highest score: answers that matter");
            if (s == fastest) use.add("fastest: interactive, latency-sensitive requests");
            if (s.kind().equals("pipeline")
                    && best != null
                    && s != best
                    && s.value("score") >= best.value("score") - 0.05) {
                use.add("near-best score at " + pct(s, "escalated_share") + " escalated");
            }
            String cold = s.kind().equals("model") ? f(s, "cold_ttft_ms", 0) + " ms" : "-";
            String mem = s.kind().equals("model")
                    ? (s.values().containsKey("rss_mb") ? f(s, "rss_mb", 0) + " MB" : "n/a")
                    : "-";
            rows.add(List.of(
                    s.system(),
                    cold,
                    mem,
                    "grounding " + f(s, "grounding", 2),
                    usd(s.value("local_cost_usd")),
                    use.isEmpty() ? "-" : String.join("; ", use)));
        }
        return render(rows);
    }

    private static void notes(StringBuilder sb, RunResult r, String key, String label) {
        Set<String> seen = new LinkedHashSet<>();
        for (SystemReport s : r.reports())
            if (s.notes().containsKey(key)) seen.add(s.notes().get(key));
        for (String n : seen) sb.append(label).append(": ").append(n).append('\n');
    }

    static String render(List<List<String>> rows) {
        int cols = rows.get(0).size();
        int[] w = new int[cols];
        for (List<String> row : rows)
            for (int i = 0; i < cols; i++)
                w[i] = Math.max(w[i], clean(row.get(i)).length());
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            for (int i = 0; i < cols; i++) {
                String c = clean(row.get(i));
                sb.append(i == 0 ? "" : "  ").append(i == 0 ? pad(c, w[i], false) : pad(c, w[i], true));
            }
            sb.append('\n');
            if (r == 0) {
                for (int i = 0; i < cols; i++) sb.append(i == 0 ? "" : "  ").append("-".repeat(w[i]));
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** Model names are untrusted text: no control characters (ANSI escapes) in the terminal. */
    private static String clean(String s) {
        return s == null ? "" : s.replaceAll("\\p{Cntrl}", " ");
    }

    private static String pad(String s, int w, boolean right) {
        String sp = " ".repeat(Math.max(0, w - s.length()));
        return right ? sp + s : s + sp;
    }

    private static String f(SystemReport s, String key, int decimals) {
        double v = s.value(key);
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "n/a";
    }

    private static String pct(SystemReport s, String key) {
        double v = s.value(key);
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.0f%%", v * 100) : "-";
    }

    private static String usd(double v) {
        if (!Double.isFinite(v)) return "n/a";
        // sub-cent totals are the norm for a QA run: keep three significant digits instead of printing 0.000000
        return v == 0 ? "0" : v < 0.01 ? String.format(Locale.ROOT, "%.3g", v) : String.format(Locale.ROOT, "%.4f", v);
    }
}
