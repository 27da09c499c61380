package dev.edgeai.chat;

import java.util.List;
import java.util.Objects;

/**
 * What to generate. Boxed knobs: {@code null} means "backend default", which is not the same as 0.
 *
 * @param model       model id or alias as the backend knows it (resolved by {@link ModelResolver})
 * @param maxTokens   upper bound on generated tokens
 * @param temperature 0 means greedy
 * @param seed        makes sampling repeatable where the backend supports it
 * @param stop        stop strings; generation ends before any of them
 */
public record ChatRequest(
        String model,
        List<ChatMessage> messages,
        Integer maxTokens,
        Double temperature,
        Double topP,
        Integer topK,
        Long seed,
        List<String> stop) {
    public ChatRequest {
        Objects.requireNonNull(model, "model");
        messages = List.copyOf(messages);
        stop = stop == null ? List.of() : List.copyOf(stop);
        if (messages.isEmpty()) throw new IllegalArgumentException("a chat request needs at least one message");
        if (maxTokens != null && maxTokens < 1)
            throw new IllegalArgumentException("maxTokens must be >= 1, was " + maxTokens);
        if (temperature != null && temperature < 0)
            throw new IllegalArgumentException("temperature must be >= 0, was " + temperature);
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

        public ChatRequest build() {
            return new ChatRequest(model, messages, maxTokens, temperature, topP, topK, seed, stop);
        }
    }
}
