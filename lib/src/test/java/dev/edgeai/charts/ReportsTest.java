package dev.edgeai.charts;

import static org.junit.jupiter.api.Assertions.*;

import dev.edgeai.chat.BackendInfo;
import dev.edgeai.results.Environment;
import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunMeta;
import dev.edgeai.results.RunResult;
import dev.edgeai.results.Sample;
import dev.edgeai.results.SystemReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What people look at in the reports and the index: readable options, seconds, 0..1 scores, marked stand-ins. */
class ReportsTest {
    @TempDir
    Path tmp;

    static RunResult run(String kind, String time, Map<String, Object> options, List<SystemReport> reports) {
        RunMeta meta = new RunMeta(
                "evaluate",
                time,
                Environment.current(),
                new BackendInfo(kind, "http://127.0.0.1:8099/v1", null),
                List.of("phi-4-mini", "gpt-oss-20b"),
                options);
        List<Sample> none = List.of();
        return new RunResult(RunResult.SCHEMA, meta, none, List.of(), true, null, reports);
    }

    static SystemReport zero(String system) {
        return new SystemReport(system, "model", Map.of("score", 0.0, "e2e_ms", 120.0, "n", 3.0), Map.of());
    }

    @Test
    void optionsReadAsSettingsAndTimesToTheSecond() {
        Map<String, Object> options = new java.util.LinkedHashMap<>();
        options.put("max_tokens", 256);
        options.put("escalation", "refusal; longer than 80 words");
        options.put("topics", List.of("license", "price"));
        options.put("prices", List.of(price("gpt-4o", 2.5), price("gpt-4o-mini", 0.15)));
        String html = HtmlReport.render(
                "r", List.of(run("openai", "2026-12-03T10:11:12.123456789Z", options, List.of(zero("a")))), "p.js");
        assertTrue(html.contains("<tr><th>time</th><td>2026-12-03 10:11:12 UTC</td></tr>"), html);
        assertTrue(html.contains("<tr><th>max_tokens</th><td>256</td></tr>"), html);
        assertTrue(html.contains("<tr><th>topics</th><td>license, price</td></tr>"), html);
        assertTrue(html.contains("name: gpt-4o, input_per_1m: 2.5<br>name: gpt-4o-mini"), html);
        assertFalse(html.contains("{&quot;") || html.contains("{\"max_tokens"), "no raw JSON");
        assertTrue(html.contains("<script src=\"p.js\"></script>"));
        assertFalse(html.contains("SCRIPTED SERVER"), "a real server's run is not marked");
    }

    static Map<String, Object> price(String name, double in) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("name", name);
        m.put("input_per_1m", in);
        return m;
    }

    @Test
    void scoreAxesRunFromZeroToOneEvenWhenEveryScoreIsZero() {
        RunResult r = run("openai", "2026-12-03T10:11:12Z", Map.of(), List.of(zero("a"), zero("b")));
        String js = Charts.scoreVsLatency(r).asJavascript("d");
        // tablesaw writes the numbers quoted; plotly reads them as numbers (ChartsBrowserTest checks the drawn axis)
        assertTrue(js.contains("range: [\"-0.02\",\"1.02\"]"), js);
    }

    @Test
    void theIndexMarksScriptedRunsAndTheFolderSharesOnePlotly() throws Exception {
        Path results = Files.createDirectories(tmp.resolve("results/sub"));
        ResultsFile.write(
                results.getParent().resolve("evaluate-a.json"),
                run("scripted", "2026-12-03T10:11:12.987654Z", Map.of(), List.of(zero("a"))));
        ResultsFile.write(
                results.resolve("evaluate-b.json"),
                run("openai", "2026-12-03T11:00:00Z", Map.of(), List.of(zero("b"))));
        var o = ChartRegenerator.regenerate(results.getParent(), null, null, false);
        assertEquals(2, o.written().size());
        String index = Files.readString(o.index());
        assertTrue(index.contains("2026-12-03 10:11:12 UTC") && !index.contains("10:11:12.98"), index);
        assertTrue(index.contains("complete, scripted server (canned answers, not a model)"), index);
        assertEquals(1, index.split("scripted server").length - 1, "only the scripted run is marked: " + index);
        try (Stream<Path> s = Files.walk(results.getParent())) {
            assertEquals(
                    List.of(Charts.PLOTLY_FILE),
                    s.filter(p -> p.getFileName().toString().endsWith(".js"))
                            .map(p -> p.getFileName().toString())
                            .toList(),
                    "one plotly for the whole results folder");
        }
        String a = Files.readString(results.getParent().resolve("evaluate-a.html"));
        String b = Files.readString(results.resolve("evaluate-b.html"));
        assertTrue(a.contains("<script src=\"" + Charts.PLOTLY_FILE + "\"></script>"));
        assertTrue(
                b.contains("<script src=\"../" + Charts.PLOTLY_FILE + "\"></script>"),
                "a subfolder's report shares it");
        assertTrue(a.length() < 200_000 && b.length() < 200_000, "no report inlines its own copy");
        assertTrue(a.contains("SCRIPTED SERVER"), "the scripted run's report says so");
        assertFalse(b.contains("SCRIPTED SERVER"));
    }
}
