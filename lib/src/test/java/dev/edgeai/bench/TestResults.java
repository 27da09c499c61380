package dev.edgeai.bench;

import dev.edgeai.chat.BackendInfo;
import dev.edgeai.metrics.Stats;
import dev.edgeai.results.Environment;
import dev.edgeai.results.RunMeta;
import dev.edgeai.results.RunResult;
import dev.edgeai.results.Sample;
import dev.edgeai.results.Summary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hand-built results with known numbers. */
final class TestResults {
    private TestResults() {}

    static RunMeta meta(String... models) {
        return new RunMeta(
                "benchmark",
                "2026-01-02T03:04:05Z",
                new Environment("host1", "Linux", "amd64", "cpu", 2, 1L << 30, "21", "vendor"),
                new BackendInfo("openai", "http://127.0.0.1:1234/v1", null),
                List.of(models),
                Map.of());
    }

    /** A summary whose TTFT/TPOT/E2E/decode stats are given as {n, mean, sd, p50, p95, p99}. */
    static Summary summary(
            String model,
            int c,
            double[] ttft,
            double[] tpot,
            double[] e2e,
            double[] decode,
            Double rps,
            Double tps,
            int errors) {
        Map<String, Stats> m = new LinkedHashMap<>();
        m.put("ttft_ms", st(ttft));
        m.put("e2e_ms", st(e2e));
        m.put("tpot_ms", st(tpot));
        m.put("decode_tps", st(decode));
        m.put("itl_ms", Stats.of());
        m.put("prompt_tokens", Stats.of(12, 12));
        m.put("completion_tokens", Stats.of(100, 120));
        return new Summary(model, "short", c, (int) ttft[0], errors, m, rps, tps);
    }

    static Stats st(double[] v) {
        return new Stats((int) v[0], v[1], v[2], v[3] * 0.9, v[3], v[4], v[5], v[5] * 1.1);
    }

    static RunResult result(List<Summary> summaries) {
        return new RunResult(RunResult.SCHEMA, meta("phi-4-mini"), List.<Sample>of(), summaries, true, null);
    }
}
