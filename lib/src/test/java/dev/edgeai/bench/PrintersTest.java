package dev.edgeai.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeai.results.RunResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrintersTest {
    static RunResult known() {
        return TestResults.result(List.of(
                TestResults.summary(
                        "phi-4-mini",
                        1,
                        new double[] {10, 120.25, 5, 118, 130, 131.5},
                        new double[] {10, 25.5, 1, 25, 27.75, 28},
                        new double[] {10, 3300, 100, 3290, 3450, 3480},
                        new double[] {10, 39.2, 1.55, 40, 41, 41.5},
                        0.3,
                        33.3,
                        0),
                TestResults.summary(
                        "qwen2.5-7b",
                        4,
                        new double[] {9, 480, 40, 470, 560, 575},
                        new double[] {9, 70, 3, 69, 75, 76},
                        new double[] {9, 8800, 300, 8750, 9300, 9350},
                        new double[] {9, 14.3, 0.6, 14.5, 15, 15.2},
                        0.45,
                        50.0,
                        1)));
    }

    @Test
    void markdownTableMatchesExpected() {
        String expected = """
                | model            | group  |  c |   n | TTFT mean ms | TTFT p50 | TTFT p95 | TTFT p99 | TPOT mean ms | TPOT p95 | E2E mean ms |  E2E p95 |   decode t/s |  req/s | out t/s | errors |
                | ---------------- | ------ | -: | --: | -----------: | -------: | -------: | -------: | -----------: | -------: | ----------: | -------: | -----------: | -----: | ------: | -----: |
                | phi-4-mini       | short  |  1 |  10 |        120.3 |    118.0 |    130.0 |    131.5 |         25.5 |     27.8 |      3300.0 |   3450.0 |   39.2 ± 1.6 |   0.30 |    33.3 |      0 |
                | qwen2.5-7b       | short  |  4 |   9 |        480.0 |    470.0 |    560.0 |    575.0 |         70.0 |     75.0 |      8800.0 |   9300.0 |   14.3 ± 0.6 |   0.45 |    50.0 |      1 |
                """;
        assertEquals(expected, new MarkdownPrinter().print(known()));
    }

    @Test
    void markdownEscapesPipesAndFlagsIncomplete() {
        RunResult r = TestResults.result(List.of(TestResults.summary(
                        "a|b",
                        1,
                        new double[] {1, 1, 0, 1, 1, 1},
                        new double[] {0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN},
                        new double[] {1, 1, 0, 1, 1, 1},
                        new double[] {0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN},
                        null,
                        null,
                        0)))
                .incomplete("backend unreachable");
        String md = new MarkdownPrinter().print(r);
        assertTrue(md.contains("| a\\|b "), md);
        assertTrue(md.contains("**INCOMPLETE RUN**: backend unreachable"), md);
        assertTrue(md.lines().skip(2).findFirst().orElseThrow().contains("|            - |"), md);
    }

    @Test
    void csvParsesBack() {
        String csv = new CsvPrinter().print(known());
        List<List<String>> rows = parseCsv(csv);
        assertEquals(3, rows.size());
        List<String> head = rows.get(0);
        assertEquals(CsvPrinter.columns(), head);
        List<String> r1 = rows.get(1);
        assertEquals("phi-4-mini", r1.get(head.indexOf("model")));
        assertEquals("1", r1.get(head.indexOf("concurrency")));
        assertEquals(120.25, Double.parseDouble(r1.get(head.indexOf("ttft_ms_mean"))), 1e-9);
        assertEquals(27.75, Double.parseDouble(r1.get(head.indexOf("tpot_ms_p95"))), 1e-9);
        assertEquals(0.3, Double.parseDouble(r1.get(head.indexOf("requests_per_s"))), 1e-9);
        assertEquals("", r1.get(head.indexOf("itl_ms_mean")), "NaN is empty");
        assertEquals("1", rows.get(2).get(head.indexOf("errors")));
        for (List<String> r : rows) assertEquals(head.size(), r.size());
    }

    @Test
    void csvQuotesHostileText() {
        RunResult r = TestResults.result(List.of(TestResults.summary(
                "a,\"b\"\nc",
                1,
                new double[] {1, 1, 0, 1, 1, 1},
                new double[] {1, 1, 0, 1, 1, 1},
                new double[] {1, 1, 0, 1, 1, 1},
                new double[] {1, 1, 0, 1, 1, 1},
                1.0,
                1.0,
                0)));
        List<List<String>> rows = parseCsv(new CsvPrinter().print(r));
        assertEquals("a,\"b\"\nc", rows.get(1).get(CsvPrinter.columns().indexOf("model")));
    }

    @Test
    void jsonlOneObjectPerSummary() throws Exception {
        String out = new JsonlPrinter().print(known());
        List<String> lines = out.lines().toList();
        assertEquals(2, lines.size());
        JsonNode n = new ObjectMapper().readTree(lines.get(1));
        assertEquals("qwen2.5-7b", n.get("model").asText());
        assertEquals(470.0, n.get("metrics").get("ttft_ms").get("p50").asDouble(), 1e-9);
        assertTrue(n.get("metrics").get("itl_ms").get("mean").isNull());
        assertEquals("host1", n.get("host").asText());
    }

    @Test
    void formatsByName() {
        assertTrue(ResultPrinter.forFormat("md") instanceof MarkdownPrinter);
        assertTrue(ResultPrinter.forFormat("CSV") instanceof CsvPrinter);
        assertTrue(ResultPrinter.forFormat("json").print(known()).contains("\"schema\" : \"edgeai.results/v1\""));
    }

    /** A small RFC 4180 reader, independent of the printer. */
    static List<List<String>> parseCsv(String s) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean q = false;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (q) {
                if (ch == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (ch == '"') q = false;
                else f.append(ch);
            } else if (ch == '"') q = true;
            else if (ch == ',') {
                row.add(f.toString());
                f.setLength(0);
            } else if (ch == '\n') {
                row.add(f.toString());
                f.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else f.append(ch);
        }
        if (!f.isEmpty() || !row.isEmpty()) {
            row.add(f.toString());
            rows.add(row);
        }
        return rows;
    }
}
