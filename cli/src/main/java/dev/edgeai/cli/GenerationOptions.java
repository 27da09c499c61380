package dev.edgeai.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * How answers are generated, declared once with one environment prefix: {@code @Mixin GenerationOptions gen =
 * GenerationOptions.defaults(256, 0.0, null);}. Each script keeps its own defaults (an option or EDGEAI_* variable
 * overrides them); help shows them, because {@link Cli} asks this mixin for its defaults.
 */
public class GenerationOptions implements CommandLine.IDefaultValueProvider {
    @Option(
            names = "--max-tokens",
            paramLabel = "N",
            description = "Max tokens per answer (env EDGEAI_MAX_TOKENS; default: ${DEFAULT-VALUE}).")
    Integer maxTokens;

    @Option(
            names = "--temperature",
            paramLabel = "T",
            description = "Sampling temperature, 0 = greedy (env EDGEAI_TEMPERATURE; default: ${DEFAULT-VALUE}).")
    Double temperature;

    @Option(
            names = "--seed",
            paramLabel = "N",
            converter = Seed.class,
            description = "Sampling seed, for repeatable answers where the backend supports it; none = send no seed "
                    + "(env EDGEAI_SEED; default: ${DEFAULT-VALUE}).")
    Long seed;

    private final int defaultMaxTokens;
    private final double defaultTemperature;
    private final Long defaultSeed;

    /** 256 tokens, greedy, no seed. */
    public GenerationOptions() {
        this(256, 0.0, null);
    }

    private GenerationOptions(int maxTokens, double temperature, Long seed) {
        this.defaultMaxTokens = maxTokens;
        this.defaultTemperature = temperature;
        this.defaultSeed = seed;
    }

    /** A script's defaults; a null seed sends none. */
    public static GenerationOptions defaults(int maxTokens, double temperature, Long seed) {
        return new GenerationOptions(maxTokens, temperature, seed);
    }

    /** Max tokens per answer, checked. */
    public int maxTokens() {
        if (maxTokens != null && maxTokens < 1)
            throw new IllegalArgumentException("--max-tokens must be at least 1, was " + maxTokens);
        return maxTokens != null ? maxTokens : defaultMaxTokens;
    }

    public double temperature() {
        if (temperature != null && (temperature < 0 || temperature.isNaN()))
            throw new IllegalArgumentException("--temperature must be 0 or more, was " + temperature);
        return temperature != null ? temperature : defaultTemperature;
    }

    /** The seed, or null to send none. */
    public Long seed() {
        return seed;
    }

    /** Env variable, else the script's default, for this group's options; null for any other option. */
    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec o)) return null;
        return switch (o.longestName()) {
            case "--max-tokens" -> env("EDGEAI_MAX_TOKENS", defaultMaxTokens);
            case "--temperature" -> env("EDGEAI_TEMPERATURE", defaultTemperature);
            case "--seed" -> env("EDGEAI_SEED", defaultSeed == null ? "none" : defaultSeed);
            default -> null;
        };
    }

    private static String env(String name, Object fallback) {
        String v = System.getenv(name);
        if (v != null && !v.isBlank()) return v.strip();
        return fallback.toString();
    }

    /** A seed as a number, or "none" for no seed. */
    public static final class Seed implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            if (value.strip().equalsIgnoreCase("none")) return null;
            try {
                return Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not a seed (a whole number, or none)");
            }
        }
    }
}
