package dev.edgeai.client;

import java.time.Duration;

/**
 * How patient a client is: the knobs scripts expose as --connect-timeout, --timeout and --max-retries.
 * Defaults follow the official OpenAI SDKs where they apply (2 retries); the read timeout is a silence limit
 * (waiting for headers, and between two chunks of a stream), not a limit on a whole answer.
 */
public record ClientSettings(Duration connectTimeout, Duration readTimeout, int maxRetries) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(120);
    public static final int DEFAULT_MAX_RETRIES = 2;

    public ClientSettings {
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero())
            throw new IllegalArgumentException("--connect-timeout must be positive, was " + connectTimeout);
        if (readTimeout == null || readTimeout.isNegative() || readTimeout.isZero())
            throw new IllegalArgumentException("--timeout must be positive, was " + readTimeout);
        if (maxRetries < 0 || maxRetries > 20)
            throw new IllegalArgumentException("--max-retries must be 0..20, was " + maxRetries);
    }

    public static ClientSettings defaults() {
        return new ClientSettings(DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, DEFAULT_MAX_RETRIES);
    }

    /** A builder preset with these settings. */
    public OpenAiClient.Builder applyTo(OpenAiClient.Builder b) {
        return b.connectTimeout(connectTimeout).readTimeout(readTimeout).maxRetries(maxRetries);
    }
}
