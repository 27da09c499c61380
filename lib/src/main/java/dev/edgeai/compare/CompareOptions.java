package dev.edgeai.compare;

/**
 * One SLM-vs-LLM comparison: the same prompt to both models, {@code warmup} untimed rounds each, then
 * {@code rounds} measured ones.
 *
 * @param seed sampling seed where the backend supports it; null: none sent
 */
public record CompareOptions(
        String slm,
        String llm,
        String prompt,
        String system,
        int rounds,
        int warmup,
        Integer maxTokens,
        Double temperature,
        Long seed) {
    public CompareOptions {
        if (slm == null || slm.isBlank())
            throw new IllegalArgumentException("no small model given (--slm or SLM_ALIAS)");
        if (llm == null || llm.isBlank())
            throw new IllegalArgumentException("no large model given (--llm or LLM_ALIAS)");
        if (prompt == null || prompt.isBlank()) {
            throw new IllegalArgumentException(
                    "the prompt is empty: pass --prompt TEXT or set COMPARE_PROMPT to a non-empty value");
        }
        if (rounds < 1) throw new IllegalArgumentException("--rounds must be at least 1, was " + rounds);
        if (warmup < 0) throw new IllegalArgumentException("--warmup must be 0 or more, was " + warmup);
        if (maxTokens != null && maxTokens < 1)
            throw new IllegalArgumentException("--max-tokens must be at least 1, was " + maxTokens);
    }

    /** Without a seed. */
    public CompareOptions(
            String slm,
            String llm,
            String prompt,
            String system,
            int rounds,
            int warmup,
            Integer maxTokens,
            Double temperature) {
        this(slm, llm, prompt, system, rounds, warmup, maxTokens, temperature, null);
    }
}
