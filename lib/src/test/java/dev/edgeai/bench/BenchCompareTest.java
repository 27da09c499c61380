package dev.edgeai.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCompareTest {
    @TempDir
    Path dir;

    static RunResult old() {
        return TestResults.result(List.of(
                TestResults.summary(
                        "phi-4-mini",
                        1,
                        new double[] {10, 100, 10, 100, 120, 125},
                        new double[] {10, 20, 2, 20, 22, 23},
                        new double[] {10, 2000, 100, 2000, 2100, 2150},
                        new double[] {10, 50, 5, 50, 52, 53},
                        0.5,
                        25.0,
                        0),
                TestResults.summary(
                        "only-old",
                        1,
                        new double[] {1, 1, 0, 1, 1, 1},
                        new double[] {1, 1, 0, 1, 1, 1},
                        new double[] {1, 1, 0, 1, 1, 1},
                        new double[] {1, 1, 0, 1, 1, 1},
                        1.0,
                        1.0,
                        0)));
    }

    static RunResult neu() {
        return TestResults.result(List.of(TestResults.summary(
                "phi-4-mini",
                1,
                new double[] {10, 150, 15, 130, 160, 170},
                new double[] {10, 20, 3, 21, 23, 24},
                new double[] {10, 2000, 100, 1900, 2100, 2150},
                new double[] {10, 40, 4, 41, 42, 43},
                0.5,
                25.0,
                0)));
    }

    @Test
    void ratiosAndRegressions() {
        BenchCompare.Comparison c = BenchCompare.compare(old(), neu(), 0.10);
        assertEquals(1, c.cells().size());
        assertEquals(List.of("only-old/short/c=1"), c.onlyOld());
        BenchCompare.CellDelta d = c.cells().get(0);
        BenchCompare.MetricDelta ttft = d.metric("ttft_ms");
        assertEquals(1.3, ttft.ratio(), 1e-12); // p50 130 / 100
        assertEquals(1.5, ttft.meanRatio(), 1e-12); // mean 150 / 100
        assertEquals(1.5 * Math.sqrt(0.1 * 0.1 + 0.1 * 0.1), ttft.spread(), 1e-12);
        assertTrue(ttft.regression());
        assertEquals(1.05, d.metric("tpot_ms").ratio(), 1e-12);
        assertFalse(d.metric("tpot_ms").regression(), "5% is within the 10% threshold");
        assertEquals(0.95, d.metric("e2e_ms").ratio(), 1e-12);
        assertFalse(d.metric("e2e_ms").regression());
        BenchCompare.MetricDelta dec = d.metric("decode_tps");
        assertEquals(0.8, dec.ratio(), 1e-12); // mean 40 / 50: slower decoding
        assertEquals(0.8 * Math.sqrt(0.01 + 0.01), dec.spread(), 1e-12);
        assertTrue(dec.regression());
        assertTrue(c.anyRegression());
        String md = c.toMarkdown();
        assertTrue(md.contains("| phi-4-mini | short | 1 | 1.300 (±0.212) ▲ | 1.050"), md);
        assertTrue(md.contains("REGRESSION"), md);
    }

    @Test
    void compareFilesAndCorruptFileNamed() throws Exception {
        Path a = ResultsFile.write(dir.resolve("a.json"), old());
        Path b = ResultsFile.write(dir.resolve("b.json"), neu());
        assertEquals(1, BenchCompare.compare(a, b, 0.1).cells().size());
        Path bad = dir.resolve("corrupt.json");
        Files.writeString(bad, "{\"schema\": \"edgeai.results/v1\", \"meta\": ");
        var e = assertThrows(BenchCompare.ResultsLoadException.class, () -> BenchCompare.compare(a, bad, 0.1));
        assertEquals(bad, e.file());
        assertTrue(e.getMessage().contains("corrupt.json"), e.getMessage());
        Path foreign = dir.resolve("package.json");
        Files.writeString(foreign, "{\"name\": \"x\", \"version\": \"1\"}");
        e = assertThrows(BenchCompare.ResultsLoadException.class, () -> BenchCompare.load(foreign));
        assertTrue(e.getMessage().contains("package.json"), e.getMessage());
    }
}
