package dev.edgeai.charts;

import dev.edgeai.bench.BenchCompare;
import dev.edgeai.results.RunResult;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Regenerates charts from a folder of results: every {@code *.json} under it (recursively) becomes
 * {@code <name>.html} beside it or in an output folder (keeping the relative path), plus an {@code index.html}.
 * A corrupt or foreign file is skipped with a named error on stderr; the rest continue. With
 * {@code /usr/bin/chromium} present, a PNG screenshot of each report can be taken too (skipped silently otherwise).
 *
 * <p>Command line: {@code ChartRegenerator <resultsDir> [outDir] [--png]}; exits 1 when any file was skipped.
 */
public final class ChartRegenerator {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private ChartRegenerator() {}

    /** What was done: reports (and PNGs) written, and files skipped with why. */
    public record Outcome(List<Path> written, Map<Path, String> skipped, List<Path> png, Path index) {}

    public static Outcome regenerate(Path resultsDir, Path outDir, PrintStream err, boolean png) {
        Path out = outDir == null ? resultsDir : outDir;
        List<Path> files;
        try (Stream<Path> walk = Files.walk(resultsDir)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".json"))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list results in " + resultsDir + ": " + e.getMessage(), e);
        }
        List<Path> written = new ArrayList<>();
        Map<Path, String> skipped = new LinkedHashMap<>();
        List<Path> pngs = new ArrayList<>();
        Map<Path, RunResult> runs = new LinkedHashMap<>();
        boolean chromium = png && Files.isExecutable(CHROMIUM);
        for (Path f : files) {
            try {
                RunResult r = BenchCompare.load(f);
                String name = f.getFileName().toString();
                Path rel = resultsDir.relativize(f.getParent() == null ? resultsDir : f.getParent());
                Path html = out.resolve(rel).resolve(name.substring(0, name.length() - 5) + ".html");
                HtmlReport.write(html, title(r, name), List.of(r));
                written.add(html);
                runs.put(html, r);
                if (chromium) {
                    Path shot = screenshot(html);
                    if (shot != null) pngs.add(shot);
                }
            } catch (RuntimeException e) {
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                skipped.put(f, why);
                if (err != null) err.println("skipped " + f + ": " + why);
            }
        }
        Path index = writeIndex(out, runs, skipped);
        return new Outcome(written, skipped, pngs, index);
    }

    private static String title(RunResult r, String fileName) {
        String t = r.meta() == null ? "results" : r.meta().tool();
        return t + " — " + fileName + (HtmlReport.isExample(r) ? " (EXAMPLE, synthetic)" : "");
    }

    private static Path writeIndex(Path out, Map<Path, RunResult> runs, Map<Path, String> skipped) {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
                + "<title>Results</title><style>body{font-family:system-ui,sans-serif;margin:2em}"
                + "td,th{padding:3px 8px;text-align:left}</style></head>\n<body>\n<h1>Results</h1>\n<table>\n"
                + "<tr><th>report</th><th>tool</th><th>time</th><th>models</th><th>status</th></tr>\n");
        Path absOut = out.toAbsolutePath().normalize();
        for (var e : runs.entrySet()) {
            RunResult r = e.getValue();
            String href = absOut.relativize(e.getKey().toAbsolutePath().normalize()).toString().replace('\\', '/');
            String status = (r.complete() ? "complete" : "INCOMPLETE") + (HtmlReport.isExample(r) ? ", example (synthetic)" : "");
            sb.append("<tr><td><a href=\"").append(Charts.escape(href)).append("\">").append(Charts.escape(href))
                    .append("</a></td><td>").append(Charts.escape(r.meta() == null ? "" : r.meta().tool()))
                    .append("</td><td>").append(Charts.escape(r.meta() == null ? "" : r.meta().time()))
                    .append("</td><td>").append(Charts.escape(r.meta() == null ? "" : String.join(", ", r.meta().models())))
                    .append("</td><td>").append(Charts.escape(status)).append("</td></tr>\n");
        }
        sb.append("</table>\n");
        if (!skipped.isEmpty()) {
            sb.append("<h2>Skipped</h2>\n<ul>\n");
            skipped.forEach((f, why) -> sb.append("<li>").append(Charts.escape(why)).append("</li>\n"));
            sb.append("</ul>\n");
        }
        sb.append("</body>\n</html>\n");
        try {
            Files.createDirectories(out);
            Path index = out.resolve("index.html");
            Files.writeString(index, sb, StandardCharsets.UTF_8);
            return index;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write index in " + out + ": " + e.getMessage(), e);
        }
    }

    /** A 1280x900 PNG of the report beside it via headless Chromium, or null when that failed. */
    static Path screenshot(Path html) {
        String n = html.getFileName().toString();
        Path png = html.resolveSibling(n.substring(0, n.length() - 5) + ".png");
        try {
            Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                    "--screenshot=" + png.toAbsolutePath(), "--window-size=1280,900",
                    html.toAbsolutePath().toUri().toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 && Files.isRegularFile(png) ? png : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public static void main(String[] args) {
        boolean png = false;
        List<String> pos = new ArrayList<>();
        for (String a : args) {
            if (a.equals("--png")) png = true;
            else pos.add(a);
        }
        Path dir = Path.of(pos.isEmpty() ? "data/results" : pos.get(0));
        Path out = pos.size() > 1 ? Path.of(pos.get(1)) : null;
        Outcome o = regenerate(dir, out, System.err, png);
        System.out.println("wrote " + o.written().size() + " report(s), skipped " + o.skipped().size() + "; index: " + o.index());
        if (!o.skipped().isEmpty()) System.exit(1);
    }
}
