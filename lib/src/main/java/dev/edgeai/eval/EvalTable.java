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
        if (r.reports().stream().anyMatch(x -> x.values().containsKey("cold_ttft_ms")))
            sb.append(COLD_TTFT).append('\n');
        return sb.toString();
    }

    /**
     * What the run's tokens would cost on each cloud model, the local energy estimate, and for pipelines the blend
     * with the small model local and the large one in the cloud. Totals over the whole QA set, in USD. Pivoted (one
     * row per cloud model, one column per system) so it stays within 120 columns however many prices there are.
     */
    public static String costs(RunResult r) {
        Set<String> clouds = new LinkedHashSet<>();
        for (SystemReport s : r.reports()) {
            for (String k : s.values().keySet())
                if (k.startsWith("cost_usd:")) clouds.add(k.substring("cost_usd:".length()));
        }
        List<List<String>> local = new ArrayList<>();
        local.add(List.of("system", "tokens in", "tokens out", "CPU s", "local Wh (est.)", "local USD (est.)"));
        for (SystemReport s : r.reports()) {
            local.add(List.of(
                    s.system(),
                    f(s, "prompt_tokens_total", 0),
                    f(s, "completion_tokens_total", 0),
                    f(s, "cpu_s", 2),
                    f(s, "local_energy_wh", 4),
                    usd(s.value("local_cost_usd"))));
        }
        StringBuilder sb = new StringBuilder(render(local));
        if (!clouds.isEmpty()) {
            List<List<String>> cloud = new ArrayList<>();
            List<String> head = new ArrayList<>(List.of("cloud USD, same tokens"));
            for (SystemReport s : r.reports()) head.add(s.system());
            cloud.add(head);
            boolean blends = false;
            for (String c : clouds) {
                List<String> row = new ArrayList<>(List.of(c));
                for (SystemReport s : r.reports()) row.add(usd(s.value("cost_usd:" + c)));
                cloud.add(row);
            }
            for (String c : clouds) {
                List<String> row = new ArrayList<>(List.of(c + ", blend"));
                boolean any = false;
                for (SystemReport s : r.reports()) {
                    double b = s.value("blended_cost_usd:" + c);
                    any |= Double.isFinite(b);
                    row.add(Double.isFinite(b) ? usd(b) : "-");
                }
                if (any) {
                    cloud.add(row);
                    blends = true;
                }
            }
            String pivot = render(cloud);
            if (pivot.lines().anyMatch(l -> l.length() > WIDTH)) { // long model ids: number the columns instead
                List<String> numbered = new ArrayList<>(List.of(head.get(0)));
                for (int i = 1; i < head.size(); i++) {
                    numbered.add("#" + i);
                    sb.append(i == 1 ? "\n" : "")
                            .append("#")
                            .append(i)
                            .append(" = ")
                            .append(head.get(i))
                            .append('\n');
                }
                cloud.set(0, numbered);
                pivot = render(cloud);
            }
            sb.append('\n').append(pivot);
            if (blends)
                sb.append("blend: a pipeline with its small model on this machine (local estimate) and its large model"
                        + " priced in the cloud\n");
        }
        Object localLabel = r.meta() == null ? null : r.meta().options().get("local_cost");
        if (localLabel != null) sb.append("local: ").append(localLabel).append('\n');
        if (r.meta() != null && r.meta().options().get("prices") instanceof List<?> prices) {
            for (Object o : prices) {
                if (o instanceof Map<?, ?> m) {
                    sb.append(String.format(
                            Locale.ROOT,
                            "price %s: %s in / %s out per 1M tokens (%s, %s)%n",
                            m.get("name"),
                            m.get("input_per_1m"),
                            m.get("output_per_1m"),
                            m.get("as_of"),
                            m.get("source")));
                }
            }
            if (!prices.isEmpty())
                sb.append("prices change: check them at their source before use (data/prices.json)\n");
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
        SystemReport best = clearlyBest(r.reports(), "score", true);
        SystemReport fastest = clearlyBest(r.reports(), "e2e_ms", false);
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
        String table = render(rows);
        if (best == null && r.reports().size() > 1)
            table += "best use: the scores do not tell the systems apart in this run, so none is named best\n";
        return table + COLD_TTFT + "\n";
    }

    /** The widest a table may print: a terminal of 120 columns shows it without wrapping. */
    static final int WIDTH = 120;

    /** What "cold TTFT" means in every table and report of an evaluation. */
    public static final String COLD_TTFT = "cold TTFT: the first request to each model in the run (untimed by the QA"
            + " means), from the call to its first token, connecting included";

    /**
     * The system that is clearly best at {@code key}: a finite value better than every other system's by a margin
     * (and for scores, above zero). Null when the values do not tell the systems apart: a tie, all zero, one system.
     */
    static SystemReport clearlyBest(List<SystemReport> reports, String key, boolean higher) {
        SystemReport best = null;
        double second = Double.NaN;
        for (SystemReport s : reports) {
            double v = s.value(key);
            if (!Double.isFinite(v)) continue;
            if (best == null || (higher ? v > best.value(key) : v < best.value(key))) {
                if (best != null) second = best.value(key);
                best = s;
            } else if (Double.isNaN(second) || (higher ? v > second : v < second)) {
                second = v;
            }
        }
        if (best == null || Double.isNaN(second)) return null;
        double b = best.value(key);
        if (higher && b <= 0) return null;
        // a difference smaller than 1% of the value (or 0.01 of a score) is noise, not a ranking
        double margin = higher ? 0.01 : Math.abs(b) * 0.01;
        return Math.abs(b - second) > margin ? best : null;
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
