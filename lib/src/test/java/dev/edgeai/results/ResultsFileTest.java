package dev.edgeai.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.chat.BackendInfo;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.chat.FinishReason;
import dev.edgeai.chat.Timings;
import dev.edgeai.chat.Usage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsFileTest {
    @TempDir
    Path dir;

    static RunResult sample() {
        var ok = new ChatResult(
                "m",
                "hi there",
                FinishReason.STOP,
                new Usage(12, 5, false),
                new Timings(100, 180, List.of(20.0, 20.0, 20.0, 20.0), Double.NaN));
        var one = new ChatResult(
                "m", "x", FinishReason.STOP, new Usage(12, 1, true), new Timings(90, 90, List.of(), Double.NaN));
        List<Sample> samples = List.of(
                Sample.of("g", 0, true, 1, "p", ok),
                Sample.of("g", 1, false, 1, "p", ok),
                Sample.of("g", 2, false, 1, "p", one),
                Sample.failed("m", "g", 3, false, 1, "p", "boom"));
        RunMeta meta = new RunMeta(
                "test",
                "2026-11-27T10:00:00Z",
                Environment.current(),
                new BackendInfo("openai", "http://x/v1", null),
                List.of("m"),
                Map.of("rounds", 3));
        return RunResult.of(meta, samples);
    }

    @Test
    void roundTripsAndWritesNoNaN() throws Exception {
        Path f = ResultsFile.write(dir.resolve("r.json"), sample());
        String text = Files.readString(f);
        assertFalse(text.contains("NaN") || text.contains("Infinity"), "JSON must not contain NaN: " + text);
        RunResult back = ResultsFile.read(f);
        Summary s = back.summaries().get(0);
        assertEquals(2, s.ok());
        assertEquals(1, s.errors());
        assertEquals(95.0, s.metrics().get("ttft_ms").mean(), 1e-9);
        // TPOT exists only for the 5-token answer: (180-100)/4 = 20; a 1-sample stddev is 0, not NaN.
        assertEquals(20.0, s.metrics().get("tpot_ms").mean(), 1e-9);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temp file left behind");
        }
    }

    @Test
    void emptyStatsSurviveARoundTripAsNaN() throws Exception {
        RunResult r = sample();
        Path f = ResultsFile.write(dir.resolve("e.json"), r);
        RunResult back = ResultsFile.read(f);
        // the 1-token answer has no decode rate: excluded from the stats, not counted as 0
        assertEquals(1, back.summaries().get(0).metrics().get("decode_tps").n());
        // an empty Stats is written with nulls and must read back as NaN, never as a fake 0.0
        String json = ResultsFile.json().writeValueAsString(dev.edgeai.metrics.Stats.of(new double[0]));
        assertFalse(json.contains("NaN"), json);
        var empty = ResultsFile.json().readValue(json, dev.edgeai.metrics.Stats.class);
        assertTrue(Double.isNaN(empty.mean()) && Double.isNaN(empty.p95()), json);
    }

    @Test
    void foreignOrCorruptFilesAreNamed() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{not json");
        var e = assertThrows(IllegalArgumentException.class, () -> ResultsFile.read(bad));
        assertTrue(e.getMessage().contains("bad.json"), e.getMessage());
        Path foreign = Files.writeString(dir.resolve("other.json"), "{\"schema\":\"something/v9\"}");
        var e2 = assertThrows(IllegalArgumentException.class, () -> ResultsFile.read(foreign));
        assertTrue(e2.getMessage().contains("edgeai.results/v1"), e2.getMessage());
    }
}
