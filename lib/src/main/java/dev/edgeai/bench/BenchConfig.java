package dev.edgeai.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link BenchmarkRunner} runs. Every (model, concurrency) pair is one cell; each cell gets its own warmups
 * and its own budget, which is exactly one of:
 * <ul>
 *   <li>{@code rounds} R (default 3): every prompt of the set R times, i.e. R × prompts requests;</li>
 *   <li>{@code requests} N: exactly N requests, prompts taken in turn;</li>
 *   <li>{@code duration} D: new requests are started until D has passed (in-flight ones finish and count).</li>
 * </ul>
 *
 * @param warmup               untimed requests per cell before measuring (kept in the samples, marked warmup)
 * @param maxTokens            overrides each prompt's own max_tokens when not null
 * @param temperature          0 = greedy (the default: repeatable)
 * @param concurrency          requests kept in flight at once, swept in order, e.g. [1, 2, 4, 8]
 * @param maxConsecutiveErrors stop the run (incomplete) after this many failures in a row; 0 = never
 * @param systemPrompt         optional system message sent with every prompt
 * @param groups               each model's sample group, in the order of {@code models} (model_compare: "slm",
 *                             "llm"); null: the prompt set's name for every model
 * @param seed                 sampling seed sent with every request where the backend supports it; null: none
 * @param skipFailedWarmup     a model whose every warmup request failed is not measured (skipped, named in the
 *                             note), whatever the error; otherwise only unknown models are skipped
 */
public record BenchConfig(
        List<String> models,
        PromptSet prompts,
        int warmup,
        Integer rounds,
        Integer requests,
        Duration duration,
        Integer maxTokens,
        double temperature,
        List<Integer> concurrency,
        int maxConsecutiveErrors,
        String systemPrompt,
        String tool,
        List<String> groups,
        Long seed,
        boolean skipFailedWarmup) {

    public static final int DEFAULT_ROUNDS = 3;
    public static final int DEFAULT_WARMUP = 1;
    public static final int DEFAULT_MAX_CONSECUTIVE_ERRORS = 10;

    public BenchConfig {
        models = List.copyOf(models);
        Objects.requireNonNull(prompts, "prompts");
        concurrency = concurrency == null || concurrency.isEmpty() ? List.of(1) : List.copyOf(concurrency);
        if (models.isEmpty()) throw new IllegalArgumentException("no models to benchmark");
        if (warmup < 0) throw new IllegalArgumentException("warmup must be >= 0, was " + warmup);
        int budgets = (rounds != null ? 1 : 0) + (requests != null ? 1 : 0) + (duration != null ? 1 : 0);
        if (budgets > 1) throw new IllegalArgumentException("give only one of rounds, requests, duration");
        if (budgets == 0) rounds = DEFAULT_ROUNDS;
        if (rounds != null && rounds < 1) throw new IllegalArgumentException("rounds must be >= 1, was " + rounds);
        if (requests != null && requests < 1)
            throw new IllegalArgumentException("requests must be >= 1, was " + requests);
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("duration must be > 0, was " + duration);
        }
        for (int c : concurrency) if (c < 1) throw new IllegalArgumentException("concurrency must be >= 1, was " + c);
        if (maxTokens != null && maxTokens < 1)
            throw new IllegalArgumentException("maxTokens must be >= 1, was " + maxTokens);
        if (temperature < 0) throw new IllegalArgumentException("temperature must be >= 0, was " + temperature);
        if (maxConsecutiveErrors < 0) throw new IllegalArgumentException("maxConsecutiveErrors must be >= 0");
        if (tool == null) tool = "benchmark";
        if (groups != null) {
            groups = List.copyOf(groups);
            if (groups.size() != models.size())
                throw new IllegalArgumentException("one group per model: " + groups + " for " + models);
        }
    }

    /** The sample group of the {@code i}-th model. */
    public String group(int i) {
        return groups == null ? prompts.name() : groups.get(i);
    }

    /** Measured requests per cell, or -1 when the budget is a duration. */
    public int requestsPerCell() {
        if (requests != null) return requests;
        if (rounds != null) return rounds * prompts.prompts().size();
        return -1;
    }

    /** The effective options as plain JSON values, for RunMeta.options. */
    public Map<String, Object> asOptions() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prompt_set", prompts.name());
        m.put("warmup", warmup);
        if (rounds != null) m.put("rounds", rounds);
        if (requests != null) m.put("requests", requests);
        if (duration != null) m.put("duration_s", duration.toMillis() / 1000.0);
        if (maxTokens != null) m.put("max_tokens", maxTokens);
        m.put("temperature", temperature);
        if (seed != null) m.put("seed", seed);
        m.put("concurrency", concurrency);
        m.put("max_consecutive_errors", maxConsecutiveErrors);
        m.put("stream", true);
        if (systemPrompt != null) m.put("system_prompt", systemPrompt);
        m.put("prompts", prompts.texts());
        return m;
    }

    public static Builder builder(PromptSet prompts, String... models) {
        return new Builder(prompts, List.of(models));
    }

    public static Builder builder(PromptSet prompts, List<String> models) {
        return new Builder(prompts, models);
    }

    public static final class Builder {
        private final PromptSet prompts;
        private final List<String> models;
        private int warmup = DEFAULT_WARMUP;
        private Integer rounds;
        private Integer requests;
        private Duration duration;
        private Integer maxTokens;
        private double temperature = 0;
        private List<Integer> concurrency = List.of(1);
        private int maxConsecutiveErrors = DEFAULT_MAX_CONSECUTIVE_ERRORS;
        private String systemPrompt;
        private String tool = "benchmark";
        private List<String> groups;
        private Long seed;
        private boolean skipFailedWarmup;

        private Builder(PromptSet prompts, List<String> models) {
            this.prompts = prompts;
            this.models = models;
        }

        public Builder warmup(int v) {
            warmup = v;
            return this;
        }

        public Builder rounds(Integer v) {
            rounds = v;
            return this;
        }

        public Builder requests(Integer v) {
            requests = v;
            return this;
        }

        public Builder duration(Duration v) {
            duration = v;
            return this;
        }

        public Builder maxTokens(Integer v) {
            maxTokens = v;
            return this;
        }

        public Builder temperature(double v) {
            temperature = v;
            return this;
        }

        public Builder concurrency(List<Integer> v) {
            concurrency = v;
            return this;
        }

        public Builder concurrency(Integer... v) {
            concurrency = List.of(v);
            return this;
        }

        public Builder maxConsecutiveErrors(int v) {
            maxConsecutiveErrors = v;
            return this;
        }

        public Builder systemPrompt(String v) {
            systemPrompt = v;
            return this;
        }

        public Builder tool(String v) {
            tool = v;
            return this;
        }

        /** Each model's sample group, in model order (default: the prompt set's name). */
        public Builder groups(List<String> v) {
            groups = v;
            return this;
        }

        public Builder seed(Long v) {
            seed = v;
            return this;
        }

        public Builder skipFailedWarmup(boolean v) {
            skipFailedWarmup = v;
            return this;
        }

        public BenchConfig build() {
            return new BenchConfig(
                    models,
                    prompts,
                    warmup,
                    rounds,
                    requests,
                    duration,
                    maxTokens,
                    temperature,
                    concurrency,
                    maxConsecutiveErrors,
                    systemPrompt,
                    tool,
                    groups,
                    seed,
                    skipFailedWarmup);
        }
    }
}
