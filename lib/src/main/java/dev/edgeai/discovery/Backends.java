package dev.edgeai.discovery;

import dev.edgeai.chat.ChatBackend;
import dev.edgeai.client.OpenAiClient;
import java.io.PrintStream;

/** The one call scripts and notebooks make to get a backend: discovery, then the matching client. */
public final class Backends {
    private Backends() {}

    /**
     * Finds a backend (see {@link Discovery}) and connects to it.
     *
     * @param endpoint the --endpoint option, or null to discover
     * @param verbose  print every discovery step, not just the outcome
     * @param log      where to say what was chosen (stderr in scripts)
     */
    public static ChatBackend open(String endpoint, boolean verbose, PrintStream log) {
        Discovery.Found found;
        try {
            found = Discovery.discover(Discovery.Options.of(endpoint));
        } catch (Discovery.NotFound e) {
            if (verbose) e.trace().forEach(t -> log.println("discovery: " + t));
            throw e;
        }
        if (verbose) found.trace().forEach(t -> log.println("discovery: " + t));
        log.println("backend: " + found.backend().kind() + " at " + found.backend().url()
                + (found.models().isEmpty() ? "" : " (" + found.models().size() + " models)"));
        return connect(found);
    }

    public static ChatBackend connect(Discovery.Found found) {
        return OpenAiClient.builder().baseUrl(found.backend().url()).kind(found.backend().kind()).apiKeyFromEnv().build();
    }
}
