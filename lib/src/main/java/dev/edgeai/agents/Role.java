package dev.edgeai.agents;

import java.util.Objects;

/**
 * One agent: a name, the model it runs on and the system prompt that makes it a specialist.
 *
 * @param model       model id or alias (resolved against the backend's list by {@link Team#resolve})
 * @param maxTokens   upper bound on each answer
 * @param temperature 0 means greedy: the same task gives the same flow on a deterministic backend
 * @param seed        sampling seed where the backend supports it; null: none sent
 */
public record Role(String name, String model, String systemPrompt, int maxTokens, double temperature, Long seed) {
    public Role {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(systemPrompt, "systemPrompt");
        if (model == null || model.isBlank()) throw new IllegalArgumentException("role '" + name + "' needs a model");
        if (maxTokens < 1)
            throw new IllegalArgumentException("role '" + name + "': max tokens must be >= 1, was " + maxTokens);
        if (temperature < 0)
            throw new IllegalArgumentException("role '" + name + "': temperature must be >= 0, was " + temperature);
    }

    public Role(String name, String model, String systemPrompt, int maxTokens, double temperature) {
        this(name, model, systemPrompt, maxTokens, temperature, null);
    }

    public Role withModel(String m) {
        return new Role(name, m, systemPrompt, maxTokens, temperature, seed);
    }

    public Role withSeed(Long s) {
        return new Role(name, model, systemPrompt, maxTokens, temperature, s);
    }
}
