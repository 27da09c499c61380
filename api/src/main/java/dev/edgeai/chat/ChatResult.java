package dev.edgeai.chat;

/**
 * The outcome of one chat request, blocking or streamed: the text, why it ended, usage and timings.
 *
 * @param model        the model id that actually answered (resolved, e.g. "Phi-4-mini-instruct-generic-cpu:4")
 * @param finishReason why it ended; null when the backend did not say
 */
public record ChatResult(String model, String text, FinishReason finishReason, Usage usage, Timings timings) {
    public double tpotMs() {
        return timings.tpotMs(usage.completionTokens());
    }

    public double decodeTokensPerSecond() {
        return timings.decodeTokensPerSecond(usage.completionTokens());
    }
}
