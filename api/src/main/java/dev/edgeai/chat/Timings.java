package dev.edgeai.chat;

import java.util.List;

/**
 * Wall-clock timings of one request, all in milliseconds from the moment the request was sent.
 *
 * @param ttftMs       request sent until the first content token arrived ({@code NaN} when none arrived)
 * @param e2eMs        request sent until the last byte
 * @param chunkGapsMs  gaps between successive content chunks (ITL); its size is chunks - 1
 * @param prefillMs    time spent preparing the prompt before decoding (embedded engine: tokenize + prefill);
 *                     {@code NaN} when the backend cannot tell
 */
public record Timings(double ttftMs, double e2eMs, List<Double> chunkGapsMs, double prefillMs) {
    public Timings {
        chunkGapsMs = List.copyOf(chunkGapsMs);
    }

    /** Time per output token after the first: (E2E - TTFT) / (tokens - 1); NaN when fewer than 2 tokens. */
    public double tpotMs(int completionTokens) {
        if (completionTokens < 2 || Double.isNaN(ttftMs)) return Double.NaN;
        return (e2eMs - ttftMs) / (completionTokens - 1);
    }

    /** Decode rate that never counts prompt tokens as generated: (tokens - 1) / (E2E - TTFT). */
    public double decodeTokensPerSecond(int completionTokens) {
        double tpot = tpotMs(completionTokens);
        return Double.isNaN(tpot) || tpot <= 0 ? Double.NaN : 1000.0 / tpot;
    }
}
