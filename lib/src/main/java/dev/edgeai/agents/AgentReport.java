package dev.edgeai.agents;

import dev.edgeai.chat.BackendInfo;
import dev.edgeai.results.Environment;
import dev.edgeai.results.RunMeta;
import dev.edgeai.results.RunResult;
import dev.edgeai.results.Sample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The step log as text, and multi-step flows in the shared results schema (one sample per step, in order). */
public final class AgentReport {
    private AgentReport() {}

    /** One progress line per step, e.g. for stderr while the flow runs. */
    public static String line(Step s) {
        String head = String.format("step %d %-10s r%d %s", s.index(), s.role(), s.round(), s.model());
        if (!s.ok()) return head + " FAILED: " + s.sample().error();
        return head
                + String.format(
                        ": TTFT %s ms, E2E %s ms, tokens %d→%d%s%s",
                        ms(s.ttftMs()),
                        ms(s.e2eMs()),
                        s.promptTokens(),
                        s.completionTokens(),
                        s.sample().tokensEstimated() ? " (est.)" : "",
                        s.note() == null ? "" : " · " + s.note());
    }

    /** The step log as a table, then totals per model and for the whole flow. */
    public static String table(List<Step> steps) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"#", "role", "round", "model", "TTFT ms", "E2E ms", "prompt tok", "compl. tok", "note"});
        boolean est = false;
        for (Step s : steps) {
            est |= s.sample().tokensEstimated();
            rows.add(new String[] {
                String.valueOf(s.index()),
                s.role(),
                String.valueOf(s.round()),
                s.model(),
                s.ok() ? ms(s.ttftMs()) : "-",
                s.ok() ? ms(s.e2eMs()) : "-",
                s.ok() ? String.valueOf(s.promptTokens()) : "-",
                s.ok() ? s.completionTokens() + (s.sample().tokensEstimated() ? "*" : "") : "-",
                s.ok()
                        ? Objects.toString(s.note(), "")
                        : "FAILED: " + Orchestrator.oneLine(s.sample().error(), 70)
            });
        }
        AgentRun.Totals t = AgentRun.Totals.of(steps);
        for (var e : t.tokensByModel().entrySet()) {
            double e2e = steps.stream()
                    .filter(s -> s.ok() && e.getKey().equals(s.model()))
                    .mapToDouble(Step::e2eMs)
                    .filter(Double::isFinite)
                    .sum();
            long n = steps.stream()
                    .filter(s -> s.ok() && e.getKey().equals(s.model()))
                    .count();
            rows.add(new String[] {
                "",
                "total",
                n + " steps",
                e.getKey(),
                "",
                ms(e2e),
                String.valueOf(e.getValue()[0]),
                String.valueOf(e.getValue()[1]),
                ""
            });
        }
        rows.add(new String[] {
            "",
            "TOTAL",
            t.steps() + " steps",
            t.failed() > 0 ? t.failed() + " failed" : "",
            "",
            ms(t.e2eMs()),
            String.valueOf(t.promptTokens()),
            String.valueOf(t.completionTokens()),
            est ? "* estimated token counts" : ""
        });
        return render(rows, steps.size());
    }

    private static String render(List<String[]> rows, int stepRows) {
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        for (String[] r : rows)
            for (int i = 0; i < cols; i++) w[i] = Math.max(w[i], clean(r[i]).length());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            if (i == 1 || i == stepRows + 1) {
                for (int c = 0; c < cols; c++) sb.append(c == 0 ? "" : "  ").append("-".repeat(w[c]));
                sb.append('\n');
            }
            String[] r = rows.get(i);
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                boolean num = c >= 4 && c <= 7;
                String cell = clean(r[c]);
                line.append(c == 0 ? "" : "  ")
                        .append(
                                num
                                        ? " ".repeat(w[c] - cell.length()) + cell
                                        : cell + " ".repeat(w[c] - cell.length()));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /** Model output and server errors are untrusted: no control characters (ANSI escapes) in the terminal. */
    static String clean(String s) {
        return s == null ? "" : s.replaceAll("[\\p{Cntrl}]", " ");
    }

    private static String ms(double v) {
        return Double.isFinite(v) ? String.format("%.0f", v) : "n/a";
    }

    /**
     * The run as {@code edgeai.results/v1}: one sample per step in order (group = role, round = review round),
     * summaries per (model, role); the outcome (accepted, rounds, sub-tasks) and the step notes in meta.options.
     * An aborted flow is written {@code complete = false} with the error as note.
     */
    public static RunResult toResult(
            String tool, AgentRun run, BackendInfo backend, Map<String, Object> scriptOptions, String started) {
        List<Sample> samples = run.steps().stream().map(Step::sample).toList();
        Map<String, Object> options = new LinkedHashMap<>(scriptOptions);
        options.put("task", run.task());
        options.put("subtasks", run.subtasks());
        options.put("accepted", run.accepted());
        options.put("rounds", run.rounds());
        options.put("max_rounds", run.maxRounds());
        options.put(
                "step_notes",
                run.steps().stream().map(s -> Objects.toString(s.note(), "")).toList());
        if (run.answer() != null) options.put("answer", run.answer());
        List<String> models = samples.stream()
                .map(Sample::model)
                .filter(Objects::nonNull)
                .distinct()
                .toList();
        RunMeta meta = new RunMeta(
                tool,
                started == null ? Instant.now().toString() : started,
                Environment.current(),
                backend,
                models,
                options);
        RunResult r = RunResult.of(meta, samples);
        return run.ok() ? r : r.incomplete(run.error());
    }

    /** The steps of a saved run (samples in order; notes from meta.options.step_notes when present). */
    public static List<Step> steps(RunResult r) {
        Object notes = r.meta().options().get("step_notes");
        List<?> n = notes instanceof List<?> l ? l : List.of();
        List<Step> out = new ArrayList<>();
        for (int i = 0; i < r.samples().size(); i++) {
            Sample s = r.samples().get(i);
            String note =
                    i < n.size() && n.get(i) != null && !n.get(i).toString().isEmpty()
                            ? n.get(i).toString()
                            : null;
            out.add(new Step(i + 1, s.group(), s.round(), s, note));
        }
        return out;
    }
}
