package dev.edgeai.notebook;

import dev.edgeai.charts.Charts;
import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ModelInfo;
import dev.edgeai.discovery.Backends;
import dev.edgeai.discovery.ModelChoice;
import dev.edgeai.metrics.Stats;
import dev.edgeai.results.Environment;
import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunMeta;
import dev.edgeai.results.RunResult;
import dev.edgeai.results.Sample;
import dev.edgeai.results.Summary;
import dev.edgeai.router.ModelCatalog;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tech.tablesaw.plotly.components.Figure;

/**
 * What a workshop notebook needs in its first cell: the repository folders, a backend if one is running (same
 * discovery and env vars as the scripts), and saved results to fall back on when none is — so every chart still
 * shows, with a visible note saying the numbers are not live.
 *
 * <pre>{@code
 * var ws = Workshop.open();                        // prints what it found
 * if (ws.live()) { ... ws.backend() ... } else { var r = ws.latest("benchmark"); }
 * display("text/html", Workshop.plotly());          // once per notebook
 * display("text/html", Workshop.chart(Charts.ttftDistribution(r)));
 * }</pre>
 */
public final class Workshop implements AutoCloseable {
    private final Path root;
    private final ChatBackend backend;
    private final String note;

    private Workshop(Path root, ChatBackend backend, String note) {
        this.root = root;
        this.backend = backend;
        this.note = note;
    }

    /** Finds the repository (walking up from the notebook's folder) and a backend; never throws for "no backend". */
    public static Workshop open() {
        return open(System.out);
    }

    public static Workshop open(PrintStream out) {
        Path root = findRoot(Path.of("").toAbsolutePath());
        try {
            ChatBackend b = Backends.open(System.getenv("EDGEAI_ENDPOINT"), false, out);
            return new Workshop(root, b, null);
        } catch (ChatException e) {
            String note =
                    "No model server found, so this notebook shows SAVED results from data/results/ instead of live ones. "
                            + "(" + e.getMessage() + ")";
            out.println(note);
            return new Workshop(root, null, note);
        }
    }

    static Path findRoot(Path from) {
        for (Path p = from; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("jbang-catalog.json")) && Files.isDirectory(p.resolve("data"))) return p;
        }
        throw new IllegalStateException("cannot find the workshop folder (with jbang-catalog.json) above " + from
                + ": start Jupyter inside the workshop checkout");
    }

    public boolean live() {
        return backend != null;
    }

    /** The backend; throws with the reason when none is running (check {@link #live()} first). */
    public ChatBackend backend() {
        if (backend == null) throw new IllegalStateException(note);
        return backend;
    }

    /** Why there is no live backend, or null. */
    public String note() {
        return note;
    }

    public Path root() {
        return root;
    }

    public Path results() {
        return root.resolve("data/results");
    }

    public Path docs() {
        return root.resolve("data/docs");
    }

    /** Where notebooks write results: {@code RESULTS_DIR} when set (tests use a temp folder), else data/results. */
    public Path resultsOut() {
        String env = System.getenv("RESULTS_DIR");
        return env == null || env.isBlank() ? results() : Path.of(env);
    }

    /** Wraps samples measured in a notebook into the shared results schema, with this machine and backend as metadata. */
    public RunResult record(String tool, List<Sample> samples, Map<String, Object> options) {
        List<String> models = samples.stream()
                .map(Sample::model)
                .filter(java.util.Objects::nonNull)
                .distinct()
                .toList();
        RunMeta meta = new RunMeta(
                tool, Instant.now().toString(), Environment.current(), backend().info(), models, options);
        return RunResult.of(meta, samples);
    }

    /** Saves a run under {@link #resultsOut()} (atomically) and returns the file. */
    public Path save(RunResult r) {
        return ResultsFile.write(ResultsFile.newPath(resultsOut(), r.meta().tool()), r);
    }

    /**
     * Resolves an alias (phi-4-mini) against the backend's models, the way the scripts do: with no match, the
     * smallest served model for a small alias, the largest for a large one ({@link ModelChoice}); the alias itself
     * when nothing is served.
     */
    public String model(String alias) {
        List<String> served = backend().models().stream().map(ModelInfo::id).toList();
        if (served.isEmpty()) return alias;
        double params = ModelChoice.paramsB(alias);
        boolean large = alias.equalsIgnoreCase(ModelChoice.DEFAULT_LLM)
                || ModelChoice.roleWord(alias) == ModelChoice.Size.LARGE
                || params > 4;
        var want = ModelChoice.Want.of(
                "model", large ? ModelChoice.Size.LARGE : ModelChoice.Size.SMALL, null, alias, null);
        return ModelChoice.choose(
                        List.of(want), served, ModelCatalog.sizes(root.resolve("data/models.json")), "the server")
                .getFirst()
                .id();
    }

    /** The newest results file written by {@code tool} under data/results/ (examples included, newest first). */
    public RunResult latest(String tool) {
        try (Stream<Path> files = Files.walk(results())) {
            List<Path> candidates = files.filter(p -> p.getFileName().toString().startsWith(tool + "-")
                            && p.toString().endsWith(".json"))
                    .sorted(Comparator.comparing(Workshop::mtime).reversed())
                    .toList();
            for (Path p : candidates) {
                try {
                    return ResultsFile.read(p);
                } catch (IllegalArgumentException e) {
                    System.err.println("skipping " + p + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException(
                "no saved " + tool + " results under " + results() + ": run ./jbang scripts/" + tool + ".java first");
    }

    private static long mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Loads plotly once per notebook (inline: works offline). */
    public static String plotly() {
        return Charts.plotlyScriptTag();
    }

    /** A plotly figure as a div + script, after {@link #plotly()} has been displayed. */
    public static String chart(Figure f) {
        return Charts.html(f);
    }

    /** An HTML table of a run's summaries: the numbers the charts show, for reading exact values. */
    public static String table(RunResult r) {
        StringBuilder sb = new StringBuilder(
                "<table><tr><th>model</th><th>group</th><th>c</th><th>n</th><th>TTFT p50 ms</th>"
                        + "<th>TTFT p95 ms</th><th>TPOT p50 ms</th><th>E2E p50 ms</th><th>decode tok/s</th><th>completion tokens</th><th>errors</th></tr>");
        for (Summary s : r.summaries()) {
            sb.append("<tr><td>")
                    .append(Charts.escape(s.model()))
                    .append("</td><td>")
                    .append(Charts.escape(String.valueOf(s.group())))
                    .append("</td><td>")
                    .append(s.concurrency())
                    .append("</td><td>")
                    .append(s.ok())
                    .append("</td>")
                    .append(td(s, "ttft_ms", false))
                    .append(td(s, "ttft_ms", true))
                    .append(td(s, "tpot_ms", false))
                    .append(td(s, "e2e_ms", false))
                    .append(td(s, "decode_tps", false))
                    .append(td(s, "completion_tokens", false))
                    .append("<td>")
                    .append(s.errors())
                    .append("</td></tr>");
        }
        String banner =
                r.note() != null && !r.note().isBlank() ? "<p><b>Note:</b> " + Charts.escape(r.note()) + "</p>" : "";
        return banner + sb.append("</table>");
    }

    private static String td(Summary s, String metric, boolean p95) {
        Stats st = s.metrics().get(metric);
        double v = st == null ? Double.NaN : p95 ? st.p95() : st.p50();
        return "<td>" + (Double.isFinite(v) ? String.format("%.1f", v) : "n/a") + "</td>";
    }

    @Override
    public void close() {
        if (backend != null) backend.close();
    }
}
