package dev.edgeai.cli;

import dev.edgeai.client.ClientSettings;
import dev.edgeai.client.EndpointUrl;
import dev.edgeai.discovery.Backends;
import dev.edgeai.discovery.ModelChoice;
import dev.edgeai.router.ModelCatalog;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Option;

/**
 * The backend options every script shares, defined once: {@code @Mixin BackendOptions backend;} in a script, then
 * {@code backend.choose(...)} (or a model option group's {@code open(backend, ...)}) instead of calling
 * {@link Backends} directly.
 */
public class BackendOptions {
    @Option(
            names = "--endpoint",
            paramLabel = "URL",
            description = "OpenAI-compatible base URL, e.g. http://127.0.0.1:5273/v1 "
                    + "(else FOUNDRY_LOCAL_ENDPOINT, OPENAI_BASE_URL, Foundry Local's CLI, Ollama, in that order).")
    public String endpoint;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "${env:EDGEAI_TIMEOUT:-120s}",
            converter = Durations.class,
            description =
                    "Longest silence from the server: waiting for an answer to start, and between two streamed chunks "
                            + "(env EDGEAI_TIMEOUT; default: ${DEFAULT-VALUE}).")
    public Duration timeout;

    @Option(
            names = "--connect-timeout",
            paramLabel = "DURATION",
            defaultValue = "${env:EDGEAI_CONNECT_TIMEOUT:-5s}",
            converter = Durations.class,
            description = "Longest wait to connect (env EDGEAI_CONNECT_TIMEOUT; default: ${DEFAULT-VALUE}).")
    public Duration connectTimeout;

    @Option(
            names = "--max-retries",
            paramLabel = "N",
            defaultValue = "${env:EDGEAI_MAX_RETRIES:-2}",
            description =
                    "Retries of a request that failed before any answer arrived (connection refused, HTTP 408, 409, 429, "
                            + "5xx), with exponential backoff that honours Retry-After, as the OpenAI SDKs do "
                            + "(env EDGEAI_MAX_RETRIES; default: ${DEFAULT-VALUE}).")
    public int maxRetries;

    @Option(
            names = {"-v", "--verbose"},
            description = "Show every discovery step, every failed request and full errors.")
    public boolean verbose;

    /** The timeouts and retries, and --endpoint, validated: a bad value fails before any request. */
    public ClientSettings client() {
        EndpointUrl.check(endpoint);
        return new ClientSettings(connectTimeout, timeout, maxRetries);
    }

    /**
     * The backend and a model for every part (see {@link Backends#choose}); served models are sized with the
     * catalog in data/models.json when it is there.
     */
    public Backends.Chosen choose(List<ModelChoice.Want> wants, PrintStream log) {
        return choose(wants, ModelCatalog.sizes(Path.of("data/models.json")), log);
    }

    public Backends.Chosen choose(List<ModelChoice.Want> wants, ToDoubleFunction<String> knownSize, PrintStream log) {
        return Backends.choose(endpoint, client(), wants, knownSize, verbose, log);
    }
}
