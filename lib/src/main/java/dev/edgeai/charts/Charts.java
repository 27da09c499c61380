package dev.edgeai.charts;

import dev.edgeai.results.RunResult;
import dev.edgeai.results.Sample;
import dev.edgeai.results.Summary;
import dev.edgeai.results.SystemReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.traces.BarTrace;
import tech.tablesaw.plotly.traces.BoxTrace;
import tech.tablesaw.plotly.traces.ScatterTrace;
import tech.tablesaw.plotly.traces.Trace;

/**
 * Plotly figures (built with tablesaw-jsplot) from results files, and the HTML glue to show them offline.
 *
 * <p>Notebooks: {@code display("text/html", Charts.plotlyScriptTag())} once, then
 * {@code display("text/html", Charts.html(Charts.ttftDistribution(run)))} per figure. Never call tablesaw's
 * {@code Plot.show} (it opens a desktop browser and loads plotly from a CDN).
 *
 * <p>Text from results (model names, groups) is untrusted: it is passed through {@link #label} before it reaches
 * tablesaw, whose templates do not escape category values and HTML-escape (not JS-escape) names and titles.
 */
public final class Charts {
    public static final String PLOTLY_VERSION = "2.35.3";
    private static final String PLOTLY_RESOURCE = "/dev/edgeai/charts/plotly.min.js";
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 480;
    private static volatile String plotlyJs;

    private Charts() {}

    /** A figure with the id and title a report uses for it. */
    public record NamedFigure(String id, String title, Figure figure) {}

    // ---------------------------------------------------------------- figures

    /** Box plot of TTFT (ms) per model (and concurrency, when a run has several). */
    public static Figure ttftDistribution(List<RunResult> runs) {
        return distribution(runs, Sample::ttftMs, "Time to first token per model", "TTFT (ms)");
    }

    /** Box plot of TPOT (ms per output token after the first) per model (and concurrency). */
    public static Figure tpotDistribution(List<RunResult> runs) {
        return distribution(runs, Sample::tpotMs, "Time per output token per model", "TPOT (ms)");
    }

    /** Output tokens per second of wall time against concurrency, one line per model (from the summaries). */
    public static Figure throughputVsConcurrency(List<RunResult> runs) {
        List<Trace> traces = new ArrayList<>();
        for (Series s : series(runs)) {
            List<Summary> sums = s.summaries.stream()
                    .filter(x -> x.outputTokPerS() != null)
                    .sorted((a, b) -> Integer.compare(a.concurrency(), b.concurrency()))
                    .toList();
            if (sums.isEmpty()) continue;
            double[] x = sums.stream().mapToDouble(Summary::concurrency).toArray();
            double[] y = sums.stream().mapToDouble(Summary::outputTokPerS).toArray();
            traces.add(ScatterTrace.builder(x, y)
                    .mode(ScatterTrace.Mode.LINE_AND_MARKERS)
                    .name(label(s.label + (s.estimated ? " (tokens estimated)" : "")))
                    .build());
        }
        return figure(
                "Throughput vs concurrency", "concurrent requests", "output tokens/s (all requests)", null, traces);
    }

    /** Mean prompt and completion tokens per request, grouped bars per model. */
    public static Figure tokensPerRequest(List<RunResult> runs) {
        List<Series> ss = series(runs);
        Object[] x = ss.stream()
                .map(s -> label(s.label + (s.estimated ? " (estimated)" : "")))
                .toArray();
        double[] prompt =
                ss.stream().mapToDouble(s -> mean(s.ok(), Sample::promptTokens)).toArray();
        double[] completion = ss.stream()
                .mapToDouble(s -> mean(s.ok(), Sample::completionTokens))
                .toArray();
        return figure(
                "Tokens per request",
                "model",
                "tokens (mean per request)",
                Layout.BarMode.GROUP,
                List.of(
                        BarTrace.builder(x, nanToZero(prompt)).name("prompt").build(),
                        BarTrace.builder(x, nanToZero(completion))
                                .name("completion")
                                .build()));
    }

    /**
     * Where the time goes, per model (and group): mean time to first token, then mean decode time (E2E − TTFT),
     * stacked. Uses each series' lowest concurrency so queueing does not hide the model's own latency.
     */
    public static Figure latencyDecomposition(List<RunResult> runs) {
        List<Series> ss = new ArrayList<>();
        for (Series s : series(runs)) {
            int minC = s.samples.stream().mapToInt(Sample::concurrency).min().orElse(1);
            Map<String, List<Sample>> byGroup = new LinkedHashMap<>();
            for (Sample x : s.ok()) {
                if (x.concurrency() == minC)
                    byGroup.computeIfAbsent(String.valueOf(x.group()), k -> new ArrayList<>())
                            .add(x);
            }
            for (var e : byGroup.entrySet()) {
                String l = byGroup.size() > 1 ? s.label + " · " + e.getKey() : s.label;
                ss.add(new Series(l, e.getValue(), List.of(), s.estimated));
            }
        }
        Object[] x = ss.stream().map(s -> label(s.label)).toArray();
        double[] ttft =
                ss.stream().mapToDouble(s -> mean(s.samples, Sample::ttftMs)).toArray();
        double[] decode = ss.stream()
                .mapToDouble(s ->
                        mean(s.samples, v -> v.e2eMs() == null || v.ttftMs() == null ? null : v.e2eMs() - v.ttftMs()))
                .toArray();
        return figure(
                "Latency decomposition (mean per request)",
                "model",
                "ms",
                Layout.BarMode.STACK,
                List.of(
                        BarTrace.builder(x, nanToZero(ttft))
                                .name("time to first token")
                                .build(),
                        BarTrace.builder(x, nanToZero(decode))
                                .name("decode (E2E − TTFT)")
                                .build()));
    }

    /**
     * Evaluation runs: mean score against mean E2E latency, one point per model or pipeline (up and to the left is
     * better).
     */
    public static Figure scoreVsLatency(List<RunResult> runs) {
        List<Trace> traces = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            for (SystemReport s : runs.get(i).reports()) {
                double x = s.value("e2e_ms"), y = s.value("score");
                if (!Double.isFinite(x) || !Double.isFinite(y)) continue;
                String name = runs.size() > 1 ? s.system() + " [" + runName(runs.get(i), i) + "]" : s.system();
                traces.add(ScatterTrace.builder(new double[] {x}, new double[] {y})
                        .mode(ScatterTrace.Mode.MARKERS)
                        .name(label(name))
                        .build());
            }
        }
        // a fixed 0..1 score axis (with a margin so points at 0 and 1 show whole): plotly's autorange draws -1..1
        // when every score is 0
        return figure(
                "Score vs latency (mean per question)", "E2E latency (ms)", "score (0-1)", null, traces, new Object[] {
                    -0.02, 1.02
                });
    }

    /**
     * Evaluation runs: what the run's tokens would cost on each cloud model, next to the local energy ESTIMATE,
     * per model or pipeline (USD, whole QA set).
     */
    public static Figure costs(List<RunResult> runs) {
        List<SystemReport> all =
                runs.stream().flatMap(r -> r.reports().stream()).toList();
        Object[] x = all.stream().map(s -> label(s.system())).toArray();
        Set<String> clouds = new LinkedHashSet<>();
        for (SystemReport s : all)
            for (String k : s.values().keySet()) if (k.startsWith("cost_usd:")) clouds.add(k.substring(9));
        List<Trace> traces = new ArrayList<>();
        traces.add(BarTrace.builder(
                        x,
                        nanToZero(all.stream()
                                .mapToDouble(s -> s.value("local_cost_usd"))
                                .toArray()))
                .name("local energy (estimate)")
                .build());
        for (String c : clouds) {
            traces.add(BarTrace.builder(
                            x,
                            nanToZero(all.stream()
                                    .mapToDouble(s -> s.value("cost_usd:" + c))
                                    .toArray()))
                    .name(label(c))
                    .build());
        }
        return figure(
                "Cost of this run: cloud prices vs local energy estimate",
                "model or pipeline",
                "USD (whole QA set)",
                Layout.BarMode.GROUP,
                traces);
    }

    /**
     * Evaluation runs: where an answer's time goes, summed over its stages (a pipeline's draft and refine add up),
     * mean per question: input prep, request send, first token, completion.
     */
    public static Figure stageDecomposition(List<RunResult> runs) {
        Map<String, List<Sample>> bySystem = new LinkedHashMap<>();
        for (RunResult r : runs) {
            for (Sample s : r.samples()) {
                if (!s.warmup() && s.ok() && !s.stagesMs().isEmpty())
                    bySystem.computeIfAbsent(String.valueOf(s.model()), k -> new ArrayList<>())
                            .add(s);
            }
        }
        Object[] x = bySystem.keySet().stream().map(Charts::label).toArray();
        List<Trace> traces = new ArrayList<>();
        for (String part : List.of("prep", "send", "first_token", "completion")) {
            double[] y = bySystem.values().stream()
                    .mapToDouble(list -> list.stream()
                            .mapToDouble(s -> s.stagesMs().entrySet().stream()
                                    .filter(e -> e.getKey().endsWith("." + part + "_ms")
                                            && Double.isFinite(e.getValue() == null ? Double.NaN : e.getValue()))
                                    .mapToDouble(Map.Entry::getValue)
                                    .sum())
                            .average()
                            .orElse(0))
                    .toArray();
            String name = switch (part) {
                case "prep" -> "input prep (retrieval, prompt)";
                case "send" -> "request send";
                case "first_token" -> "first token";
                default -> "completion";
            };
            traces.add(BarTrace.builder(x, y).name(name).build());
        }
        return figure(
                "Latency decomposition per stage (mean per question)",
                "model or pipeline",
                "ms",
                Layout.BarMode.STACK,
                traces);
    }

    public static Figure scoreVsLatency(RunResult r) {
        return scoreVsLatency(List.of(r));
    }

    public static Figure costs(RunResult r) {
        return costs(List.of(r));
    }

    public static Figure stageDecomposition(RunResult r) {
        return stageDecomposition(List.of(r));
    }

    public static Figure ttftDistribution(RunResult r) {
        return ttftDistribution(List.of(r));
    }

    public static Figure tpotDistribution(RunResult r) {
        return tpotDistribution(List.of(r));
    }

    public static Figure throughputVsConcurrency(RunResult r) {
        return throughputVsConcurrency(List.of(r));
    }

    public static Figure tokensPerRequest(RunResult r) {
        return tokensPerRequest(List.of(r));
    }

    public static Figure latencyDecomposition(RunResult r) {
        return latencyDecomposition(List.of(r));
    }

    /** Every figure that has data for these runs, in report order. */
    public static List<NamedFigure> figures(List<RunResult> runs) {
        List<NamedFigure> out = new ArrayList<>();
        List<Series> ss = series(runs);
        boolean anyOk = ss.stream().anyMatch(s -> !s.ok().isEmpty());
        if (!anyOk) return out;
        if (ss.stream().anyMatch(s -> s.ok().stream().anyMatch(x -> x.ttftMs() != null))) {
            out.add(new NamedFigure("ttft", "Time to first token", ttftDistribution(runs)));
        }
        if (ss.stream().anyMatch(s -> s.ok().stream().anyMatch(x -> x.tpotMs() != null))) {
            out.add(new NamedFigure("tpot", "Time per output token", tpotDistribution(runs)));
        }
        if (ss.stream()
                .anyMatch(s -> s.summaries.stream()
                                .filter(x -> x.outputTokPerS() != null)
                                .count()
                        > 1)) {
            out.add(new NamedFigure("throughput", "Throughput vs concurrency", throughputVsConcurrency(runs)));
        }
        if (runs.stream().anyMatch(r -> !r.reports().isEmpty())) {
            out.add(new NamedFigure("score_latency", "Score vs latency", scoreVsLatency(runs)));
            out.add(new NamedFigure("cost", "Cost: cloud vs local", costs(runs)));
            out.add(new NamedFigure("stages", "Latency decomposition per stage", stageDecomposition(runs)));
        }
        out.add(new NamedFigure("tokens", "Tokens per request", tokensPerRequest(runs)));
        out.add(new NamedFigure("decomposition", "Latency decomposition", latencyDecomposition(runs)));
        return out;
    }

    public static List<NamedFigure> figures(RunResult r) {
        return figures(List.of(r));
    }

    // ---------------------------------------------------------------- HTML

    /** A div plus the script that draws the figure into it; assumes plotly is loaded ({@link #plotlyScriptTag}). */
    public static String html(Figure figure) {
        return html(figure, "edgeai_" + UUID.randomUUID().toString().replace("-", ""));
    }

    /** As {@link #html(Figure)} with a chosen div id (letters, digits and _ only: it becomes part of a JS name). */
    public static String html(Figure figure, String divId) {
        if (!divId.matches("[A-Za-z_][A-Za-z0-9_]*")) throw new IllegalArgumentException("bad div id: " + divId);
        return "<div id=\"" + divId + "\" class=\"edgeai-chart\"></div>\n" + figure.asJavascript(divId) + "\n";
    }

    /**
     * A script tag that inlines plotly.js (about 4.6 MB), loaded once per page or notebook. It hides an AMD
     * {@code define} (Jupyter's require.js) while plotly loads, so {@code window.Plotly} is always set.
     */
    public static String plotlyScriptTag() {
        return "<script>/* plotly.js " + PLOTLY_VERSION + " (MIT, Plotly Inc.), inlined for offline use */\n"
                + "(function(){var d=window.define;window.define=undefined;try{\n"
                + plotlyJs().replace("</script", "<\\/script")
                + "\n}finally{window.define=d;}})();</script>";
    }

    /** The file name reports share plotly under, one per results folder (versioned: reports of a newer kit differ). */
    public static final String PLOTLY_FILE = "plotly-" + PLOTLY_VERSION + ".min.js";

    /**
     * Writes plotly.js into {@code dir} as {@link #PLOTLY_FILE} unless it is already there, so every report in the
     * folder loads the same copy (offline, from disk) instead of inlining its own 4.6 MB.
     */
    public static Path writePlotly(Path dir) {
        Path file = dir.resolve(PLOTLY_FILE);
        try {
            byte[] js = plotlyJs().getBytes(StandardCharsets.UTF_8);
            if (Files.isRegularFile(file) && Files.size(file) == js.length) return file;
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + PLOTLY_FILE, ".tmp");
            try {
                Files.write(tmp, js);
                try {
                    Files.setPosixFilePermissions(
                            tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
                } catch (UnsupportedOperationException notPosix) {
                    // permissions stay as created
                }
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The vendored plotly.min.js, read from the classpath. */
    public static String plotlyJs() {
        String js = plotlyJs;
        if (js == null) {
            try (InputStream in = Charts.class.getResourceAsStream(PLOTLY_RESOURCE)) {
                if (in == null)
                    throw new IllegalStateException(
                            "plotly.min.js missing from the classpath (" + PLOTLY_RESOURCE + ")");
                js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            plotlyJs = js;
        }
        return js;
    }

    /** HTML-escapes text for element content and quoted attribute values. */
    public static String escape(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * Makes untrusted text safe to hand to tablesaw (whose templates put it inside JS string literals, unescaped for
     * category values): markup and quote characters become look-alikes, backslashes and control characters go, and
     * the result is at most 80 characters.
     */
    public static String label(String s) {
        if (s == null) return "(none)";
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '<' -> sb.append('‹');
                case '>' -> sb.append('›');
                case '"' -> sb.append('”');
                case '\'' -> sb.append('’');
                case '\\' -> sb.append('∖');
                case '&' -> sb.append('＆');
                case '\u2028', '\u2029' -> sb.append(' ');
                default -> {
                    if (Character.isISOControl(cp)) sb.append(' ');
                    else sb.appendCodePoint(cp);
                }
            }
        });
        String out = sb.toString().strip();
        return out.length() > 80 ? out.substring(0, 79) + "…" : out;
    }

    // ---------------------------------------------------------------- internals

    /** One line/box/bar: a model of one run, labelled uniquely across runs. */
    private record Series(String label, List<Sample> samples, List<Summary> summaries, boolean estimated) {
        List<Sample> ok() {
            return samples.stream().filter(s -> !s.warmup() && s.ok()).toList();
        }
    }

    private static List<Series> series(List<RunResult> runs) {
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (RunResult r : runs) for (String m : models(r)) seen.merge(m, 1, Integer::sum);
        List<Series> out = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RunResult r = runs.get(i);
            for (String m : models(r)) {
                List<Sample> samples = r.samples().stream()
                        .filter(s -> Objects.equals(s.model(), m))
                        .toList();
                List<Summary> sums = r.summaries().stream()
                        .filter(s -> Objects.equals(s.model(), m))
                        .toList();
                boolean est = samples.stream().anyMatch(s -> s.ok() && !s.warmup() && s.tokensEstimated());
                String l = seen.get(m) > 1 ? m + " [" + runName(r, i) + "]" : m;
                out.add(new Series(l, samples, sums, est));
            }
        }
        return out;
    }

    private static String runName(RunResult r, int i) {
        return r.meta() != null && r.meta().time() != null ? r.meta().time() : "run " + (i + 1);
    }

    private static List<String> models(RunResult r) {
        Set<String> m = new LinkedHashSet<>();
        for (Sample s : r.samples()) if (!s.warmup()) m.add(String.valueOf(s.model()));
        for (Summary s : r.summaries()) m.add(String.valueOf(s.model()));
        return new ArrayList<>(m);
    }

    private static Figure distribution(List<RunResult> runs, Function<Sample, Double> f, String title, String yTitle) {
        List<Trace> traces = new ArrayList<>();
        for (Series s : series(runs)) {
            List<Sample> ok = s.ok().stream()
                    .filter(x -> f.apply(x) != null && Double.isFinite(f.apply(x)))
                    .toList();
            if (ok.isEmpty()) continue;
            Set<Integer> cs = new TreeSet<>();
            s.samples.forEach(x -> cs.add(x.concurrency()));
            Object[] x = ok.stream()
                    .map(v -> label(cs.size() > 1 ? s.label + " · c=" + v.concurrency() : s.label))
                    .toArray();
            double[] y = ok.stream().mapToDouble(f::apply).toArray();
            traces.add(BoxTrace.builder(x, y).name(label(s.label)).build());
        }
        return figure(title, "model", yTitle, null, traces);
    }

    private static Figure figure(
            String title, String xTitle, String yTitle, Layout.BarMode barMode, List<Trace> traces) {
        return figure(title, xTitle, yTitle, barMode, traces, null);
    }

    private static Figure figure(
            String title, String xTitle, String yTitle, Layout.BarMode barMode, List<Trace> traces, Object[] yRange) {
        Axis.AxisBuilder y = Axis.builder().title(label(yTitle));
        if (yRange != null) y.range(yRange[0], yRange[1]);
        Layout.LayoutBuilder lb = Layout.builder()
                .title(label(title))
                .width(WIDTH)
                .height(HEIGHT)
                .xAxis(Axis.builder().title(label(xTitle)).build())
                .yAxis(y.build());
        if (barMode != null) lb.barMode(barMode);
        return new Figure(lb.build(), traces.toArray(Trace[]::new));
    }

    private static double mean(List<Sample> samples, Function<Sample, ? extends Number> f) {
        return samples.stream()
                .map(f)
                .filter(Objects::nonNull)
                .mapToDouble(Number::doubleValue)
                .filter(Double::isFinite)
                .average()
                .orElse(Double.NaN);
    }

    private static double[] nanToZero(double[] v) {
        double[] o = v.clone();
        for (int i = 0; i < o.length; i++) if (!Double.isFinite(o[i])) o[i] = 0;
        return o;
    }
}
