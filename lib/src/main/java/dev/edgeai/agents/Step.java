package dev.edgeai.agents;

import dev.edgeai.results.Sample;

/**
 * One model call of a multi-step flow: which role (or pipeline stage) made it, in which review round, and what it
 * cost. {@code sample} carries model, input, output, tokens, TTFT and E2E in the shared results schema (its group
 * is the role, its round the review round); a failed call has {@code sample.error()} set.
 *
 * @param index 1-based position in the flow
 * @param note  what else happened in the step: retrieval hits, the reviewer's verdict, the router's reason
 */
public record Step(int index, String role, int round, Sample sample, String note) {
    public boolean ok() {
        return sample.ok();
    }

    public String model() {
        return sample.model();
    }

    public double ttftMs() {
        return sample.ttftMs() == null ? Double.NaN : sample.ttftMs();
    }

    public double e2eMs() {
        return sample.e2eMs() == null ? Double.NaN : sample.e2eMs();
    }

    public int promptTokens() {
        return sample.promptTokens() == null ? 0 : sample.promptTokens();
    }

    public int completionTokens() {
        return sample.completionTokens() == null ? 0 : sample.completionTokens();
    }
}
