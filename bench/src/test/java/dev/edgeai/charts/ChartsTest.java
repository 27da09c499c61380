package dev.edgeai.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.bench.ExampleResults;
import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunMeta;
import dev.edgeai.results.RunResult;
import dev.edgeai.results.Sample;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {
    static final String EVIL = "<script>alert(1)</script>";

    @TempDir
    Path dir;

    /** The page without the inlined plotly bundle (which itself mentions URLs for map tiles it never loads here). */
    static String withoutPlotly(String html) {
        int a = html.indexOf("<script>/* plotly.js");
        int b = html.indexOf("</script>", a);
        assertTrue(a >= 0 && b > a, "plotly inlined");
        return html.substring(0, a) + html.substring(b);
    }

    @Test
    void reportIsSelfContainedWithOneDivPerFigure() {
        RunResult r = ExampleResults.benchmark(1);
        String html = HtmlReport.render("bench", r);
        List<Charts.NamedFigure> figs = Charts.figures(r);
        assertEquals(5, figs.size(), "ttft, tpot, throughput, tokens, decomposition");
        for (Charts.NamedFigure f : figs) {
            Matcher m = Pattern.compile("<div id=\"(fig_" + f.id() + "_\\d+)\" class=\"edgeai-chart\"></div>")
                    .matcher(html);
            assertTrue(m.find(), "div for " + f.id());
            assertTrue(html.contains("document.getElementById('" + m.group(1) + "')"), "script for " + f.id());
        }
        assertEquals(figs.size(), count(withoutPlotly(html), "Plotly.newPlot("));
        assertTrue(html.contains(Charts.plotlyJs().substring(0, 2000)), "plotly inlined verbatim");
        assertTrue(html.length() > 4_000_000);
        String rest = withoutPlotly(html);
        assertFalse(rest.toLowerCase().contains("cdn"), "no CDN");
        assertFalse(rest.contains("https://") || rest.contains("http://"), "no remote URL");
        assertFalse(
                Pattern.compile("<script[^>]*\\bsrc\\s*=", Pattern.CASE_INSENSITIVE)
                        .matcher(html)
                        .find(),
                "no script src anywhere");
        assertTrue(html.contains("EXAMPLE DATA"), "synthetic data is labelled");
    }

    @Test
    void hostileModelNameIsEscapedEverywhere() {
        RunResult base = ExampleResults.benchmark(2);
        List<Sample> samples = new ArrayList<>();
        for (Sample s : base.samples()) {
            samples.add(new Sample(
                    s.model().equals("phi-4-mini") ? EVIL : s.model() + "\\'\"",
                    s.group(),
                    s.round(),
                    s.warmup(),
                    s.concurrency(),
                    s.ttftMs(),
                    s.e2eMs(),
                    s.tpotMs(),
                    s.decodeTps(),
                    s.promptTokens(),
                    s.completionTokens(),
                    s.tokensEstimated(),
                    s.itlMs(),
                    s.prompt(),
                    s.text(),
                    s.finishReason(),
                    null));
        }
        RunMeta m = base.meta();
        RunResult r = RunResult.of(
                        new RunMeta(m.tool(), m.time(), m.environment(), m.backend(), List.of(EVIL), m.options()),
                        samples)
                .incomplete("died: " + EVIL);
        String html = HtmlReport.render("report " + EVIL, r);
        assertEquals(1, count(html, "<script>/* plotly.js"), "only our own script tags");
        assertEquals(count(html, "<script>"), 1 + Charts.figures(r).size());
        assertFalse(withoutPlotly(html).contains("alert(1)</script>"), "no raw hostile markup");
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "escaped in tables");
        assertTrue(html.contains("‹script›alert(1)‹/script›"), "neutralised in figures");
        assertFalse(withoutPlotly(html).contains("\\'"), "no backslash reaches a JS string");
        String snippet = Charts.html(Charts.ttftDistribution(r));
        assertFalse(snippet.contains("<script>alert"), snippet);
    }

    @Test
    void notebookSnippets() {
        String tag = Charts.plotlyScriptTag();
        assertTrue(tag.startsWith("<script>") && tag.endsWith("</script>"));
        assertEquals(1, count(tag, "</script"), "bundle cannot close the tag early");
        String div = Charts.html(Charts.tpotDistribution(ExampleResults.modelCompare(3)), "my_div");
        assertTrue(div.startsWith("<div id=\"my_div\""));
        assertTrue(div.contains("Plotly.newPlot(target_my_div"));
        assertFalse(div.contains("plotly.js"), "snippet assumes plotly already loaded");
        assertTrue(Charts.label("a\\b\n<c>").equals("a∖b ‹c›"));
    }

    @Test
    void regeneratorSkipsCorruptAndForeignFiles() throws Exception {
        Path res = dir.resolve("results");
        ResultsFile.write(res.resolve("a.json"), ExampleResults.benchmark(4));
        ResultsFile.write(res.resolve("sub/b.json"), ExampleResults.modelCompare(5));
        Files.writeString(res.resolve("broken.json"), "{\"schema\":\"edgeai.results/v1\",");
        Files.writeString(res.resolve("package.json"), "{\"name\":\"x\"}");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ChartRegenerator.Outcome o =
                ChartRegenerator.regenerate(res, null, new PrintStream(err, true, StandardCharsets.UTF_8), true);
        assertEquals(2, o.written().size());
        assertTrue(Files.isRegularFile(res.resolve("a.html")));
        assertTrue(Files.isRegularFile(res.resolve("sub/b.html")));
        assertEquals(2, o.skipped().size());
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("broken.json") && e.contains("package.json"), e);
        String index = Files.readString(o.index());
        assertTrue(index.contains("href=\"a.html\"") && index.contains("href=\"sub/b.html\""), index);
        assertTrue(index.contains("broken.json"));
        if (!Files.isExecutable(ChartRegenerator.CHROMIUM)) assertTrue(o.png().isEmpty());

        Path out = dir.resolve("out");
        ChartRegenerator.Outcome o2 = ChartRegenerator.regenerate(res, out, null, false);
        assertTrue(Files.isRegularFile(out.resolve("sub/b.html")));
        assertEquals(2, o2.written().size());
    }

    @Test
    void shippedExamplesAreMarkedSynthetic() {
        for (String f : List.of("benchmark-example.json", "model_compare-example.json")) {
            RunResult r = ResultsFile.read(Path.of("..", "data", "results", "examples", f));
            assertEquals(Boolean.TRUE, r.meta().options().get("example"), f);
            assertTrue(r.note().contains("synthetic"), f);
            assertTrue(HtmlReport.isExample(r));
        }
    }

    @Test
    void figuresFromSeveralRuns() {
        String html = HtmlReport.render("two", List.of(ExampleResults.benchmark(1), ExampleResults.benchmark(2)));
        assertTrue(html.contains("phi-4-mini [2026-01-01T00:00:00Z]"), "same model in two runs gets run labels");
    }

    static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) n++;
        return n;
    }
}
