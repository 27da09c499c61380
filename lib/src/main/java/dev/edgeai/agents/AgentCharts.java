package dev.edgeai.agents;

import dev.edgeai.charts.Charts;
import java.util.List;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.traces.BarTrace;
import tech.tablesaw.plotly.traces.Trace;

/** Plotly figures of a multi-step flow: where the time and the tokens went, step by step. */
public final class AgentCharts {
    private AgentCharts() {}

    /** Per step: time to first token and the rest of E2E, stacked; failed steps show as empty bars. */
    public static Figure stepLatency(List<Step> steps) {
        Object[] x = labels(steps);
        double[] ttft = steps.stream().mapToDouble(s -> finite(s.ttftMs())).toArray();
        double[] rest = steps.stream()
                .mapToDouble(s -> finite(s.e2eMs()) - finite(s.ttftMs()))
                .map(v -> Math.max(0, v))
                .toArray();
        return figure(
                "Latency per agent step",
                "ms",
                Layout.BarMode.STACK,
                List.of(
                        BarTrace.builder(x, ttft).name("time to first token").build(),
                        BarTrace.builder(x, rest).name("rest of E2E (decode)").build()));
    }

    /** Per step: prompt and completion tokens side by side (prompts grow as notes and drafts are passed on). */
    public static Figure stepTokens(List<Step> steps) {
        Object[] x = labels(steps);
        double[] p = steps.stream().mapToDouble(Step::promptTokens).toArray();
        double[] c = steps.stream().mapToDouble(Step::completionTokens).toArray();
        return figure(
                "Tokens per agent step",
                "tokens",
                Layout.BarMode.GROUP,
                List.of(
                        BarTrace.builder(x, p).name("prompt").build(),
                        BarTrace.builder(x, c).name("completion").build()));
    }

    private static Object[] labels(List<Step> steps) {
        return steps.stream()
                .map(s -> Charts.label(s.index() + " " + s.role() + (s.round() > 1 ? " r" + s.round() : "") + " · "
                        + shortModel(s.model()) + (s.ok() ? "" : " (failed)")))
                .toArray();
    }

    static String shortModel(String id) {
        if (id == null) return "?";
        return id.length() > 24 ? id.substring(0, 23) + "…" : id;
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0;
    }

    static Figure figure(String title, String yTitle, Layout.BarMode mode, List<Trace> traces) {
        Layout layout = Layout.builder()
                .title(Charts.label(title))
                .width(1000)
                .height(480)
                .barMode(mode)
                .xAxis(Axis.builder().title("step").build())
                .yAxis(Axis.builder().title(Charts.label(yTitle)).build())
                .build();
        return new Figure(layout, traces.toArray(Trace[]::new));
    }
}
