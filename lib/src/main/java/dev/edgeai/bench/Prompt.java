package dev.edgeai.bench;

import java.util.Objects;

/**
 * One benchmark prompt, as a line of a {@code data/prompts/*.jsonl} file:
 * {@code {"id":"short-1","prompt":"...","max_tokens":128}}.
 *
 * @param maxTokens the prompt's own generation limit, or null for "use the run's --max-tokens / backend default"
 */
public record Prompt(String id, String prompt, Integer maxTokens) {
    public Prompt {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prompt, "prompt");
    }
}
