package dev.edgeai.charts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeai.bench.BenchCompare;
import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunResult;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Regenerates charts from a folder of results: every {@code *.json} under it (recursively) becomes
 * {@code <name>.html} beside it or in an output folder (keeping the relative path), plus an {@code index.html}.
 * A corrupt or foreign file is skipped with a named error on stderr; the rest continue. With
 * {@code /usr/bin/chromium} present, images can be made too: one PNG (and optionally SVG) per chart through plotly's own
 * {@code Plotly.toImage} export at a slide-friendly 1600x900, named {@code <report>-<chart id>.png}, plus a
 * full-page screenshot {@code <report>.png}.
 *
 * <p>Command line: {@code ChartRegenerator <resultsDir> [outDir] [--png] [--svg]}; exits 1 when any file was skipped.
 */
public final class ChartRegenerator {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** 16:9, large enough for a projector, small enough to stay legible when a slide scales it down. */
    public static final int IMAGE_WIDTH = 1600;

    public static final int IMAGE_HEIGHT = 900;
    /** Chromium cannot capture taller windows in one go. */
    private static final int MAX_PAGE_HEIGHT = 16_384;

    private static final Pattern EXPORT = Pattern.compile("<pre id=\"edgeai-export\"[^>]*>(.*?)</pre>", Pattern.DOTALL);

    private ChartRegenerator() {}

    /** What was done: reports (and PNGs) written, and files skipped with why. */
    public record Outcome(List<Path> written, Map<Path, String> skipped, List<Path> png, List<Path> svg, Path index) {}

    public static Outcome regenerate(Path resultsDir, Path outDir, PrintStream err, boolean png) {
        return regenerate(resultsDir, outDir, err, png, false);
    }

    /** @param svg also write one SVG per chart (with png or alone) */
    public static Outcome regenerate(Path resultsDir, Path outDir, PrintStream err, boolean png, boolean svg) {
        Path out = outDir == null ? resultsDir : outDir;
        List<Path> files;
        try (Stream<Path> walk = Files.walk(resultsDir)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".json"))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list results in " + resultsDir + ": " + e.getMessage(), e);
        }
        List<Path> written = new ArrayList<>();
        Map<Path, String> skipped = new LinkedHashMap<>();
        List<Path> pngs = new ArrayList<>();
        List<Path> svgs = new ArrayList<>();
        Map<Path, RunResult> runs = new LinkedHashMap<>();
        boolean chromium = (png || svg) && Files.isExecutable(CHROMIUM);
        if ((png || svg) && !chromium && err != null) {
            err.println("no images: " + CHROMIUM + " not found (Debian/Ubuntu: sudo apt install chromium)");
        }
        for (Path f : files) {
            try {
                RunResult r = BenchCompare.load(f);
                String name = f.getFileName().toString();
                Path rel = resultsDir.relativize(f.getParent() == null ? resultsDir : f.getParent());
                Path html = out.resolve(rel).resolve(name.substring(0, name.length() - 5) + ".html");
                HtmlReport.write(html, title(r, name), List.of(r), out); // one plotly for the whole folder
                written.add(html);
                runs.put(html, r);
                if (chromium) {
                    Images images = images(html, png, svg);
                    pngs.addAll(images.png());
                    svgs.addAll(images.svg());
                    if (images.problem() != null && err != null)
                        err.println("images of " + html + ": " + images.problem());
                }
            } catch (RuntimeException e) {
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                skipped.put(f, why);
                if (err != null) err.println("skipped " + f + ": " + why);
            }
        }
        Path index = writeIndex(out, runs, skipped);
        return new Outcome(written, skipped, pngs, svgs, index);
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
            String href = absOut.relativize(e.getKey().toAbsolutePath().normalize())
                    .toString()
                    .replace('\\', '/');
            String status = (r.complete() ? "complete" : "INCOMPLETE")
                    + (HtmlReport.isExample(r) ? ", example (synthetic)" : "")
                    + (HtmlReport.isScripted(r) ? ", scripted server (canned answers, not a model)" : "");
            sb.append("<tr><td><a href=\"")
                    .append(Charts.escape(href))
                    .append("\">")
                    .append(Charts.escape(href))
                    .append("</a></td><td>")
                    .append(Charts.escape(r.meta() == null ? "" : r.meta().tool()))
                    .append("</td><td>")
                    .append(Charts.escape(
                            r.meta() == null ? "" : HtmlReport.time(r.meta().time())))
                    .append("</td><td>")
                    .append(Charts.escape(
                            r.meta() == null ? "" : String.join(", ", r.meta().models())))
                    .append("</td><td>")
                    .append(Charts.escape(status))
                    .append("</td></tr>\n");
        }
        sb.append("</table>\n");
        if (!skipped.isEmpty()) {
            sb.append("<h2>Skipped</h2>\n<ul>\n");
            skipped.forEach(
                    (f, why) -> sb.append("<li>").append(Charts.escape(why)).append("</li>\n"));
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

    /** Images made for one report, and what went wrong (null when nothing did). */
    record Images(List<Path> png, List<Path> svg, String problem) {}

    /**
     * Loads a copy of the report with an export script in one headless Chromium run: plotly renders each chart
     * with {@code Plotly.toImage} (its own export, so fonts and axes match the report) and the data URLs come back
     * through the dumped DOM; the same run screenshots a window taller than the page, cut to the page's height.
     */
    static Images images(Path html, boolean png, boolean svg) {
        String n = html.getFileName().toString();
        String base = n.substring(0, n.length() - 5);
        List<Path> pngs = new ArrayList<>();
        List<Path> svgs = new ArrayList<>();
        Path page = html.resolveSibling("." + base + ".export.html");
        Path shot = html.resolveSibling(base + ".png");
        try {
            String report = Files.readString(html);
            int charts = report.split("class=\"edgeai-chart\"", -1).length - 1;
            int window = Math.min(MAX_PAGE_HEIGHT, 1200 + 700 * charts);
            Files.writeString(page, report.replace("</body>", exportScript(svg) + "</body>"));
            List<String> args = new ArrayList<>(List.of("--virtual-time-budget=20000", "--hide-scrollbars"));
            if (png) args.addAll(List.of("--window-size=1280," + window, "--screenshot=" + shot.toAbsolutePath()));
            args.addAll(List.of("--dump-dom", page.toUri().toString()));
            String dom = chromium(Duration.ofSeconds(180), args.toArray(String[]::new));
            Matcher m = dom == null ? null : EXPORT.matcher(dom);
            if (m == null || !m.find()) return new Images(pngs, svgs, "Chromium did not finish the export");
            JsonNode export = ResultsFile.json().readTree(unescapeHtml(m.group(1)));
            for (JsonNode c : export.path("charts")) {
                String id = c.path("id").asText().replaceFirst("^fig_", "").replaceFirst("_\\d+$", "");
                if (png)
                    pngs.add(writeDataUrl(
                            html.resolveSibling(base + "-" + id + ".png"),
                            c.path("png").asText()));
                if (svg)
                    svgs.add(writeDataUrl(
                            html.resolveSibling(base + "-" + id + ".svg"),
                            c.path("svg").asText()));
            }
            String problem = export.path("errors").isEmpty()
                    ? null
                    : export.path("errors").toString();
            if (png) {
                if (Files.isRegularFile(shot)) {
                    cropHeight(shot, export.path("height").asInt(window));
                    pngs.add(shot);
                } else {
                    problem = "Chromium wrote no full-page screenshot";
                }
            }
            return new Images(pngs, svgs, problem);
        } catch (IOException | RuntimeException e) {
            return new Images(pngs, svgs, e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(page);
            } catch (IOException ignored) {
                // a leftover hidden file is harmless
            }
        }
    }

    /** Cuts the blank bottom off a screenshot taken through a window taller than the page. */
    private static void cropHeight(Path png, int height) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        if (img == null || height <= 0 || height >= img.getHeight()) return;
        ImageIO.write(img.getSubimage(0, 0, img.getWidth(), height), "png", png.toFile());
    }

    private static String exportScript(boolean svg) {
        String size = "{width: " + IMAGE_WIDTH + ", height: " + IMAGE_HEIGHT + "}";
        return "<script>/* edgeai image export */\n(async () => {\n"
                + "  const out = {height: 0, charts: [], errors: []};\n"
                + "  for (const d of document.querySelectorAll('.edgeai-chart')) {\n"
                + "    try {\n"
                + "      const fig = {data: d.data, layout: Object.assign({}, d.layout, " + size + ")};\n"
                + "      const c = {id: d.id, png: await Plotly.toImage(fig, Object.assign({format: 'png'}, " + size
                + "))};\n"
                + (svg
                        ? "      c.svg = await Plotly.toImage(fig, Object.assign({format: 'svg'}, " + size + "));\n"
                        : "")
                + "      out.charts.push(c);\n"
                + "    } catch (e) { out.errors.push(d.id + ': ' + e); }\n"
                + "  }\n"
                // The body's bottom, not scrollHeight: the window is taller than the page and scrollHeight includes it.
                + "  out.height = Math.ceil(document.body.getBoundingClientRect().bottom + window.scrollY) + 32;\n"
                + "  const pre = document.createElement('pre'); pre.id = 'edgeai-export'; pre.style.display = 'none';\n"
                + "  pre.textContent = JSON.stringify(out);\n"
                + "  document.body.appendChild(pre);\n"
                + "})();\n</script>\n";
    }

    private static Path writeDataUrl(Path file, String url) throws IOException {
        int comma = url.indexOf(',');
        if (!url.startsWith("data:image/") || comma < 0)
            throw new IOException("plotly returned no image for " + file.getFileName());
        String head = url.substring(0, comma);
        String payload = url.substring(comma + 1);
        byte[] bytes = head.endsWith(";base64")
                ? Base64.getDecoder().decode(payload)
                : URLDecoder.decode(payload, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
        Files.write(file, bytes);
        return file;
    }

    private static String unescapeHtml(String s) {
        return s.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    /** Runs headless Chromium, never reaching the network; returns its stdout, or null when it failed or hung. */
    private static String chromium(Duration timeout, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                CHROMIUM.toString(),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return null;
            }
        });
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out.join() : null;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public static void main(String[] args) {
        boolean png = false;
        boolean svg = false;
        List<String> pos = new ArrayList<>();
        for (String a : args) {
            if (a.equals("--png")) png = true;
            else if (a.equals("--svg")) svg = true;
            else pos.add(a);
        }
        Path dir = Path.of(pos.isEmpty() ? "data/results" : pos.get(0));
        Path out = pos.size() > 1 ? Path.of(pos.get(1)) : null;
        Outcome o = regenerate(dir, out, System.err, png, svg);
        System.out.println("wrote " + o.written().size() + " report(s), skipped "
                + o.skipped().size() + "; index: " + o.index());
        if (!o.skipped().isEmpty()) System.exit(1);
    }
}
