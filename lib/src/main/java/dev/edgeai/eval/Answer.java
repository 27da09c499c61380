package dev.edgeai.eval;

import java.util.List;

/**
 * What a model or pipeline answered to one question, with every model call it made.
 *
 * @param escalated        a pipeline handed the question to the large model
 * @param escalationReason why (the rule that fired), or null
 */
public record Answer(String text, List<Stage> stages, boolean escalated, String escalationReason) {
    public Answer {
        stages = List.copyOf(stages);
    }

    /** Wall time of all stages, one after the other (they run sequentially). */
    public double e2eMs() {
        return stages.stream().mapToDouble(Stage::totalMs).sum();
    }

    /**
     * When the user sees the first token of the answer shown: all earlier stages, then the last stage's prep, send
     * and TTFT (a draft that gets refined is never shown). NaN when the last stage produced no token.
     */
    public double ttftMs() {
        if (stages.isEmpty()) return Double.NaN;
        double before = 0;
        for (int i = 0; i < stages.size() - 1; i++) before += stages.get(i).totalMs();
        Stage last = stages.get(stages.size() - 1);
        return before + last.prepMs() + last.sendMs() + last.ttftMs();
    }

    public int promptTokens() {
        return stages.stream().mapToInt(Stage::promptTokens).sum();
    }

    public int completionTokens() {
        return stages.stream().mapToInt(Stage::completionTokens).sum();
    }

    public boolean tokensEstimated() {
        return stages.stream().anyMatch(Stage::tokensEstimated);
    }

    /** NaN when any stage's CPU time was unreadable. */
    public double cpuMs() {
        return stages.stream().mapToDouble(Stage::cpuMs).sum();
    }
}
