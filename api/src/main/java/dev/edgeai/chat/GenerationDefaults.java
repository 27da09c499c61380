package dev.edgeai.chat;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a backend uses for the sampling knobs a request leaves out, for one model: the model folder's
 * {@code generation_config.json} where it has one (as vLLM and transformers do), else the backend's own defaults.
 * A server fills a request in with these before it runs, so its log and {@code /v1/models} say what was used.
 *
 * @param temperature       0 is greedy
 * @param topK              null or 0: off
 * @param repetitionPenalty null or 1: off
 * @param vocabSize         token ids a {@code logit_bias} may name are 0..vocabSize-1; null when unknown
 * @param source            where the values come from, in words (e.g. "generation_config.json")
 */
public record GenerationDefaults(
        Double temperature,
        Double topP,
        Integer topK,
        Double minP,
        Double repetitionPenalty,
        Integer vocabSize,
        String source) {
    /** A backend that says nothing: requests pass through unchanged. */
    public static final GenerationDefaults NONE = new GenerationDefaults(null, null, null, null, null, null, "backend");

    /** The request with each knob it left out (null) set to this default; what it gave is kept. */
    public ChatRequest applyTo(ChatRequest r) {
        return r.toBuilder()
                .temperature(r.temperature() != null ? r.temperature() : temperature)
                .topP(r.topP() != null ? r.topP() : topP)
                .topK(r.topK() != null ? r.topK() : topK)
                .minP(r.minP() != null ? r.minP() : minP)
                .repetitionPenalty(r.repetitionPenalty() != null ? r.repetitionPenalty() : repetitionPenalty)
                .build();
    }

    /** The defaults that are set, by their OpenAI-style names, in a fixed order (for /v1/models and banners). */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (temperature != null) m.put("temperature", temperature);
        if (topP != null) m.put("top_p", topP);
        if (topK != null) m.put("top_k", topK);
        if (minP != null) m.put("min_p", minP);
        if (repetitionPenalty != null) m.put("repetition_penalty", repetitionPenalty);
        m.put("source", source);
        return m;
    }
}
