package dev.edgeai.results;

import dev.edgeai.chat.ChatResult;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One measured request. Timings in milliseconds; NaN-able numbers are written as JSON null.
 *
 * @param group       what the sample belongs to besides the model ("slm"/"llm" in compare, a prompt id, ...)
 * @param warmup      warmup samples are kept for transparency but excluded from summaries
 * @param concurrency how many requests ran at once when this one ran
 * @param error       null on success, else the one-line error (the numbers are then NaN)
 * @param item        the id of the question or prompt the sample answers (evaluation runs; null elsewhere)
 * @param scores      quality scores of the answer by name (evaluation runs: "score", "keyword_recall", "brevity",
 *                    "grounding", "judge_factuality", ...); empty for runs that measure speed only
 * @param stagesMs    latency decomposition by stage, e.g. "draft.prep_ms", "draft.first_token_ms" (evaluation
 *                    pipelines); empty elsewhere. Files written before these three fields existed read as null/empty.
 */
public record Sample(
        String model,
        String group,
        int round,
        boolean warmup,
        int concurrency,
        Double ttftMs,
        Double e2eMs,
        Double tpotMs,
        Double decodeTps,
        Integer promptTokens,
        Integer completionTokens,
        boolean tokensEstimated,
        List<Double> itlMs,
        String prompt,
        String text,
        String finishReason,
        String error,
        String item,
        Map<String, Double> scores,
        Map<String, Double> stagesMs) {

    public Sample {
        itlMs = itlMs == null ? List.of() : List.copyOf(itlMs);
        scores = scores == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(scores));
        stagesMs = stagesMs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(stagesMs));
    }

    /** A speed-only sample (no question id, scores or stages): the shape every tool wrote before evaluation. */
    public Sample(
            String model,
            String group,
            int round,
            boolean warmup,
            int concurrency,
            Double ttftMs,
            Double e2eMs,
            Double tpotMs,
            Double decodeTps,
            Integer promptTokens,
            Integer completionTokens,
            boolean tokensEstimated,
            List<Double> itlMs,
            String prompt,
            String text,
            String finishReason,
            String error) {
        this(
                model,
                group,
                round,
                warmup,
                concurrency,
                ttftMs,
                e2eMs,
                tpotMs,
                decodeTps,
                promptTokens,
                completionTokens,
                tokensEstimated,
                itlMs,
                prompt,
                text,
                finishReason,
                error,
                null,
                null,
                null);
    }

    /** This sample with evaluation fields set. */
    public Sample withEvaluation(String item, Map<String, Double> scores, Map<String, Double> stagesMs) {
        return new Sample(
                model,
                group,
                round,
                warmup,
                concurrency,
                ttftMs,
                e2eMs,
                tpotMs,
                decodeTps,
                promptTokens,
                completionTokens,
                tokensEstimated,
                itlMs,
                prompt,
                text,
                finishReason,
                error,
                item,
                scores,
                stagesMs);
    }

    /** This sample under another model name (the name the user asked for, when a server answered with its own id). */
    public Sample withModel(String model) {
        return new Sample(
                model,
                group,
                round,
                warmup,
                concurrency,
                ttftMs,
                e2eMs,
                tpotMs,
                decodeTps,
                promptTokens,
                completionTokens,
                tokensEstimated,
                itlMs,
                prompt,
                text,
                finishReason,
                error,
                item,
                scores,
                stagesMs);
    }

    /** This sample with the prompt text it answered. */
    public Sample withPrompt(String prompt) {
        return new Sample(
                model,
                group,
                round,
                warmup,
                concurrency,
                ttftMs,
                e2eMs,
                tpotMs,
                decodeTps,
                promptTokens,
                completionTokens,
                tokensEstimated,
                itlMs,
                prompt,
                text,
                finishReason,
                error,
                item,
                scores,
                stagesMs);
    }

    public static Sample of(String group, int round, boolean warmup, int concurrency, String prompt, ChatResult r) {
        return new Sample(
                r.model(),
                group,
                round,
                warmup,
                concurrency,
                finite(r.timings().ttftMs()),
                finite(r.timings().e2eMs()),
                finite(r.tpotMs()),
                finite(r.decodeTokensPerSecond()),
                r.usage().promptTokens(),
                r.usage().completionTokens(),
                r.usage().estimated(),
                r.timings().chunkGapsMs(),
                prompt,
                r.text(),
                r.finishReason() == null ? null : r.finishReason().wireName(),
                null);
    }

    public static Sample failed(
            String model, String group, int round, boolean warmup, int concurrency, String prompt, String error) {
        return new Sample(
                model,
                group,
                round,
                warmup,
                concurrency,
                null,
                null,
                null,
                null,
                null,
                null,
                false,
                List.of(),
                prompt,
                null,
                null,
                error);
    }

    public boolean ok() {
        return error == null;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
