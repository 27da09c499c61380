package dev.edgeai.chat;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to generate. Boxed knobs: {@code null} means "backend default", which is not the same as 0.
 *
 * @param model       model id or alias as the backend knows it (resolved by {@link ModelResolver})
 * @param maxTokens   upper bound on generated tokens
 * @param temperature 0 means greedy
 * @param seed        makes sampling repeatable where the backend supports it
 * @param stop        stop strings; generation ends before any of them
 * @param minP        drop tokens less likely than minP times the most likely one (0 or null: off)
 * @param frequencyPenalty subtracted from a token's logit once per time it was generated (OpenAI's -2..2)
 * @param presencePenalty  subtracted from a token's logit once it was generated at all (OpenAI's -2..2)
 * @param repetitionPenalty a logit of a token in the prompt or the answer is divided by it when positive, multiplied
 *                    when negative (Hugging Face's; 1 or null: off)
 * @param logitBias   token id to a value added to its logit (OpenAI's -100..100); empty when none
 */
public record ChatRequest(
        String model,
        List<ChatMessage> messages,
        Integer maxTokens,
        Double temperature,
        Double topP,
        Integer topK,
        Long seed,
        List<String> stop,
        Double minP,
        Double frequencyPenalty,
        Double presencePenalty,
        Double repetitionPenalty,
        Map<Integer, Double> logitBias) {
    public ChatRequest {
        Objects.requireNonNull(model, "model");
        messages = List.copyOf(messages);
        stop = stop == null ? List.of() : List.copyOf(stop);
        if (messages.isEmpty()) throw new IllegalArgumentException("a chat request needs at least one message");
        if (maxTokens != null && maxTokens < 1)
            throw new IllegalArgumentException("maxTokens must be >= 1, was " + maxTokens);
        if (temperature != null && temperature < 0)
            throw new IllegalArgumentException("temperature must be >= 0, was " + temperature);
        if (repetitionPenalty != null && !(repetitionPenalty > 0))
            throw new IllegalArgumentException("repetitionPenalty must be > 0, was " + repetitionPenalty);
        if (minP != null && !(minP >= 0 && minP <= 1))
            throw new IllegalArgumentException("minP must be between 0 and 1, was " + minP);
        logitBias = logitBias == null ? Map.of() : Map.copyOf(logitBias);
    }

    /** The knobs every chat request had before penalties and biases existed. */
    public ChatRequest(
            String model,
            List<ChatMessage> messages,
            Integer maxTokens,
            Double temperature,
            Double topP,
            Integer topK,
            Long seed,
            List<String> stop) {
        this(model, messages, maxTokens, temperature, topP, topK, seed, stop, null, null, null, null, null);
    }

    public static ChatRequest of(String model, String userPrompt) {
        return builder(model).user(userPrompt).build();
    }

    public static Builder builder(String model) {
        return new Builder(model);
    }

    public Builder toBuilder() {
        Builder b = new Builder(model);
        b.messages.addAll(messages);
        b.maxTokens = maxTokens;
        b.temperature = temperature;
        b.topP = topP;
        b.topK = topK;
        b.seed = seed;
        b.stop = stop;
        b.minP = minP;
        b.frequencyPenalty = frequencyPenalty;
        b.presencePenalty = presencePenalty;
        b.repetitionPenalty = repetitionPenalty;
        b.logitBias = logitBias;
        return b;
    }

    public static final class Builder {
        private String model;
        private final java.util.ArrayList<ChatMessage> messages = new java.util.ArrayList<>();
        private Integer maxTokens;
        private Double temperature;
        private Double topP;
        private Integer topK;
        private Long seed;
        private List<String> stop = List.of();
        private Double minP;
        private Double frequencyPenalty;
        private Double presencePenalty;
        private Double repetitionPenalty;
        private Map<Integer, Double> logitBias = Map.of();

        private Builder(String model) {
            this.model = model;
        }

        public Builder model(String model) {
            this.model = model;
            return this;
        }

        public Builder system(String text) {
            messages.add(ChatMessage.system(text));
            return this;
        }

        public Builder user(String text) {
            messages.add(ChatMessage.user(text));
            return this;
        }

        public Builder assistant(String text) {
            messages.add(ChatMessage.assistant(text));
            return this;
        }

        public Builder messages(List<ChatMessage> all) {
            messages.addAll(all);
            return this;
        }

        public Builder maxTokens(Integer v) {
            maxTokens = v;
            return this;
        }

        public Builder temperature(Double v) {
            temperature = v;
            return this;
        }

        public Builder topP(Double v) {
            topP = v;
            return this;
        }

        public Builder topK(Integer v) {
            topK = v;
            return this;
        }

        public Builder seed(Long v) {
            seed = v;
            return this;
        }

        public Builder stop(List<String> v) {
            stop = v;
            return this;
        }

        public Builder minP(Double v) {
            minP = v;
            return this;
        }

        public Builder frequencyPenalty(Double v) {
            frequencyPenalty = v;
            return this;
        }

        public Builder presencePenalty(Double v) {
            presencePenalty = v;
            return this;
        }

        public Builder repetitionPenalty(Double v) {
            repetitionPenalty = v;
            return this;
        }

        public Builder logitBias(Map<Integer, Double> v) {
            logitBias = v;
            return this;
        }

        public ChatRequest build() {
            return new ChatRequest(
                    model,
                    messages,
                    maxTokens,
                    temperature,
                    topP,
                    topK,
                    seed,
                    stop,
                    minP,
                    frequencyPenalty,
                    presencePenalty,
                    repetitionPenalty,
                    logitBias);
        }
    }
}
