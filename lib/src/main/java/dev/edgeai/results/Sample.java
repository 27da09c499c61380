package dev.edgeai.results;

import dev.edgeai.chat.ChatResult;
import java.util.List;

/**
 * One measured request. Timings in milliseconds; NaN-able numbers are written as JSON null.
 *
 * @param group       what the sample belongs to besides the model ("slm"/"llm" in compare, a prompt id, ...)
 * @param warmup      warmup samples are kept for transparency but excluded from summaries
 * @param concurrency how many requests ran at once when this one ran
 * @param error       null on success, else the one-line error (the numbers are then NaN)
 */
public record Sample(String model, String group, int round, boolean warmup, int concurrency,
                     Double ttftMs, Double e2eMs, Double tpotMs, Double decodeTps,
                     Integer promptTokens, Integer completionTokens, boolean tokensEstimated,
                     List<Double> itlMs, String prompt, String text, String finishReason, String error) {

    public Sample {
        itlMs = itlMs == null ? List.of() : List.copyOf(itlMs);
    }

    public static Sample of(String group, int round, boolean warmup, int concurrency, String prompt, ChatResult r) {
        return new Sample(r.model(), group, round, warmup, concurrency, finite(r.timings().ttftMs()),
                finite(r.timings().e2eMs()), finite(r.tpotMs()), finite(r.decodeTokensPerSecond()),
                r.usage().promptTokens(), r.usage().completionTokens(), r.usage().estimated(),
                r.timings().chunkGapsMs(), prompt, r.text(), r.finishReason(), null);
    }

    public static Sample failed(String model, String group, int round, boolean warmup, int concurrency,
                                String prompt, String error) {
        return new Sample(model, group, round, warmup, concurrency, null, null, null, null, null, null, false,
                List.of(), prompt, null, null, error);
    }

    public boolean ok() { return error == null; }

    private static Double finite(double v) { return Double.isFinite(v) ? v : null; }
}
