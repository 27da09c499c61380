package dev.edgeai.router;

import dev.edgeai.charts.Charts;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.traces.BarTrace;
import tech.tablesaw.plotly.traces.Trace;

/** Plotly figures for the router: where each intent went, how accurate each strategy is, what routing costs. */
public final class RouterCharts {
    private RouterCharts() {}

    /** Per labelled intent: how many prompts went to each model (stacked). */
    public static Figure decisions(RouterEval.Report rep) {
        Object[] x = java.util.Arrays.stream(Intent.values()).map(Intent::id).toArray();
        Set<String> models = new LinkedHashSet<>();
        rep.rows().forEach(r -> models.add(r.decision().target().name()));
        List<Trace> traces = new ArrayList<>();
        for (String m : models) {
            double[] y = java.util.Arrays.stream(Intent.values())
                    .mapToDouble(i -> rep.rows().stream()
                            .filter(r -> r.item().intent() == i
                                    && r.decision().target().name().equals(m))
                            .count())
                    .toArray();
            traces.add(BarTrace.builder(x, y).name(Charts.label(m)).build());
        }
        return figure(
                "Routing decisions per labelled intent", "labelled intent", "prompts", Layout.BarMode.STACK, traces);
    }

    /** Accuracy of each strategy on the labelled set (leave-one-out), in percent. */
    public static Figure accuracy(RouterEval.Report rep) {
        Object[] x =
                rep.accuracy().stream().map(a -> Charts.label(a.strategy())).toArray();
        double[] y = rep.accuracy().stream().mapToDouble(a -> 100 * a.value()).toArray();
        return figure(
                "Intent classification accuracy (leave-one-out)",
                "strategy",
                "% correct",
                null,
                List.of(BarTrace.builder(x, y).name("accuracy").build()));
    }

    /** Emulated cost (USD) per strategy over the whole labelled set. */
    public static Figure cost(List<RouterEval.StrategyCost> costs) {
        Object[] x = costs.stream().map(c -> Charts.label(c.strategy())).toArray();
        return figure(
                "Emulated cost over the labelled set",
                "strategy",
                "USD (emulated cloud prices)",
                null,
                List.of(BarTrace.builder(
                                x,
                                costs.stream()
                                        .mapToDouble(RouterEval.StrategyCost::costUsd)
                                        .toArray())
                        .name("cost")
                        .build()));
    }

    /** Total E2E time (s) per strategy: answering every prompt one after another. */
    public static Figure latency(List<RouterEval.StrategyCost> costs) {
        Object[] x = costs.stream().map(c -> Charts.label(c.strategy())).toArray();
        return figure(
                "Total answer time over the labelled set",
                "strategy",
                "E2E total (s)",
                null,
                List.of(BarTrace.builder(
                                x,
                                costs.stream()
                                        .mapToDouble(c -> c.e2eMsTotal() / 1000)
                                        .toArray())
                        .name("E2E")
                        .build()));
    }

    private static Figure figure(String title, String xTitle, String yTitle, Layout.BarMode mode, List<Trace> traces) {
        Layout.LayoutBuilder b = Layout.builder()
                .title(Charts.label(title))
                .width(1000)
                .height(480)
                .xAxis(Axis.builder().title(Charts.label(xTitle)).build())
                .yAxis(Axis.builder().title(Charts.label(yTitle)).build());
        if (mode != null) b.barMode(mode);
        return new Figure(b.build(), traces.toArray(Trace[]::new));
    }
}
