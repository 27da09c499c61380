package dev.edgeai.agents;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an orchestrated task produced: every step in order, the final answer and whether the reviewer accepted it.
 *
 * @param subtasks the planner's sub-questions as parsed (the task itself when the planner gave no list)
 * @param answer   the last draft (accepted or not); null when the flow failed before any draft
 * @param rounds   how many drafts the writer produced
 * @param error    null when every step succeeded, else the failed step's one-line error (the flow stopped there)
 */
public record AgentRun(
        String task,
        List<String> subtasks,
        List<Step> steps,
        String answer,
        boolean accepted,
        int rounds,
        int maxRounds,
        String error) {
    public AgentRun {
        subtasks = List.copyOf(subtasks);
        steps = List.copyOf(steps);
    }

    public boolean ok() {
        return error == null;
    }

    public Totals totals() {
        return Totals.of(steps);
    }

    /** Sums over steps: the cost of the whole flow, and per model. */
    public record Totals(
            int steps,
            int failed,
            int promptTokens,
            int completionTokens,
            double e2eMs,
            Map<String, int[]> tokensByModel) {
        public static Totals of(List<Step> steps) {
            int p = 0, c = 0, failed = 0;
            double e2e = 0;
            Map<String, int[]> byModel = new LinkedHashMap<>();
            for (Step s : steps) {
                if (!s.ok()) {
                    failed++;
                    continue;
                }
                p += s.promptTokens();
                c += s.completionTokens();
                if (Double.isFinite(s.e2eMs())) e2e += s.e2eMs();
                int[] t = byModel.computeIfAbsent(s.model(), k -> new int[2]);
                t[0] += s.promptTokens();
                t[1] += s.completionTokens();
            }
            return new Totals(steps.size(), failed, p, c, e2e, byModel);
        }
    }
}
