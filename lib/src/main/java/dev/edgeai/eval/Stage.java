package dev.edgeai.eval;

/**
 * One model call inside an answer, with its latency decomposition (all ms):
 * input prep (retrieval and prompt building), request send (client time before the request clock starts:
 * serialising, connecting), first token (request sent → first token), completion (first token → last byte).
 *
 * @param name   "answer", "draft", "refine", "fallback", "judge"
 * @param ttftMs NaN when no token came (an empty answer)
 * @param cpuMs  CPU time of the process serving the model during the call; NaN when it cannot be read
 */
public record Stage(
        String name,
        String model,
        double prepMs,
        double sendMs,
        double ttftMs,
        double e2eMs,
        int promptTokens,
        int completionTokens,
        boolean tokensEstimated,
        double cpuMs) {

    /** Wall time of the whole stage: prep + send + E2E. */
    public double totalMs() {
        return prepMs + sendMs + e2eMs;
    }

    /** First token − nothing when none came. */
    public double completionMs() {
        return Double.isNaN(ttftMs) ? e2eMs : e2eMs - ttftMs;
    }
}
