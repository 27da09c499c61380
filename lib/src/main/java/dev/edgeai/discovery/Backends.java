package dev.edgeai.discovery;

import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.Terminal;
import dev.edgeai.client.ClientSettings;
import dev.edgeai.client.OpenAiClient;
import dev.edgeai.engine.EmbeddedBackend;
import dev.edgeai.engine.ModelFolder;
import dev.edgeai.engine.hub.ModelStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** The one call scripts and notebooks make to get a backend: discovery, then the matching client or engine. */
public final class Backends {
    private Backends() {}

    /**
     * Finds a server (see {@link Discovery}) and connects to it; fails with what was tried when there is none.
     *
     * @param endpoint the --endpoint option, or null to discover
     * @param verbose  print every discovery step, not just the outcome
     * @param log      where to say what was chosen (stderr in scripts)
     */
    public static ChatBackend open(String endpoint, boolean verbose, PrintStream log) {
        return open(endpoint, ClientSettings.defaults(), verbose, log);
    }

    /** {@link #open(String, boolean, PrintStream)} with the client's timeouts and retries. */
    public static ChatBackend open(String endpoint, ClientSettings settings, boolean verbose, PrintStream log) {
        return connect(discover(endpoint, settings, false, verbose, log), settings);
    }

    /**
     * Like {@link #open} but, when no server is found, runs {@code fallbackModels} inside this JVM (each a model
     * folder, a Foundry Local cache id or a Hugging Face repo id, downloaded on first use). The selection's ids are
     * the embedded models' ids in the order given, or empty for a server (ask it with the names you have).
     */
    public static Selection openOrEmbedded(
            String endpoint, List<String> fallbackModels, boolean verbose, PrintStream log) {
        return openOrEmbedded(endpoint, ClientSettings.defaults(), fallbackModels, List.of(), verbose, log);
    }

    /**
     * @param modelOptions the option that names each fallback model (e.g. {@code --model-slm}), quoted when a model
     *                     cannot be downloaded so the user knows where to pass a folder placed by hand
     */
    public static Selection openOrEmbedded(
            String endpoint,
            ClientSettings settings,
            List<String> fallbackModels,
            List<String> modelOptions,
            boolean verbose,
            PrintStream log) {
        Discovery.Found found = discover(endpoint, settings, true, verbose, log);
        if (!found.embedded()) return new Selection(connect(found, settings), List.of());
        log.println("backend: embedded ONNX Runtime engine with " + String.join(", ", fallbackModels)
                + " (no server found; --verbose shows what was tried)");
        return embedded(fallbackModels, modelOptions, log);
    }

    /** A backend and the ids to ask it for, in the order the models were given. */
    public record Selection(ChatBackend backend, List<String> modelIds) {
        public boolean embedded() {
            return backend instanceof EmbeddedBackend;
        }
    }

    /**
     * For scripts that take a model list: with {@code embedded} (or when every model is a local folder) the models
     * run in-process and are named after their folders; otherwise a server is discovered and the names are passed
     * on as given (aliases are resolved against its model list later).
     */
    public static Selection select(
            String endpoint, List<String> models, boolean embedded, boolean verbose, PrintStream log) {
        return select(endpoint, ClientSettings.defaults(), models, null, embedded, verbose, log);
    }

    /** @param modelOption how the user names these models (e.g. {@code --model}), quoted in the offline hint */
    public static Selection select(
            String endpoint,
            ClientSettings settings,
            List<String> models,
            String modelOption,
            boolean embedded,
            boolean verbose,
            PrintStream log) {
        boolean folders =
                !models.isEmpty() && models.stream().allMatch(m -> java.nio.file.Files.isDirectory(Path.of(m)));
        if (embedded || folders) {
            return embedded(
                    models,
                    modelOption == null ? List.of() : java.util.Collections.nCopies(models.size(), modelOption),
                    log);
        }
        return new Selection(open(endpoint, settings, verbose, log), List.copyOf(models));
    }

    /**
     * Loads models into the embedded engine (each resolved once: folder, Foundry cache id or hub repo); the same
     * model given twice is loaded once. In-process models are named after their folders.
     */
    public static Selection embedded(List<String> models, PrintStream log) {
        return embedded(models, List.of(), log);
    }

    /** @param modelOptions the option each model was given with, named when a download fails (may be empty) */
    public static Selection embedded(List<String> models, List<String> modelOptions, PrintStream log) {
        ModelStore store = ModelStore.defaults();
        List<Path> resolved = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            try {
                resolved.add(store.resolve(models.get(i)).toAbsolutePath().normalize());
            } catch (ChatException e) {
                if (i >= modelOptions.size() || e.kind() != ChatException.Kind.UNREACHABLE) throw e;
                throw new ChatException(e.kind(), e.getMessage() + ": " + modelOptions.get(i) + " <that folder>", e);
            }
        }
        EmbeddedBackend b = EmbeddedBackend.load(new ArrayList<>(new LinkedHashSet<>(resolved)));
        log.println("backend: embedded (" + b.info().version() + "), models: "
                + String.join(", ", b.models().stream().map(m -> m.id()).toList()));
        return new Selection(b, resolved.stream().map(ModelFolder::modelId).toList());
    }

    private static Discovery.Found discover(
            String endpoint, ClientSettings settings, boolean embeddedFallback, boolean verbose, PrintStream log) {
        Discovery.Found found;
        try {
            found = Discovery.discover(
                    Discovery.Options.of(endpoint).withClient(settings).withEmbeddedFallback(embeddedFallback));
        } catch (Discovery.NotFound e) {
            if (verbose) e.trace().forEach(t -> log.println("discovery: " + Terminal.safe(t)));
            throw e;
        }
        if (verbose) found.trace().forEach(t -> log.println("discovery: " + Terminal.safe(t)));
        if (!found.embedded()) {
            log.println("backend: " + found.backend().kind() + " at "
                    + found.backend().url()
                    + (found.models().isEmpty() ? "" : " (" + found.models().size() + " models)"));
        }
        return found;
    }

    public static ChatBackend connect(Discovery.Found found) {
        return connect(found, ClientSettings.defaults());
    }

    public static ChatBackend connect(Discovery.Found found, ClientSettings settings) {
        return settings.applyTo(OpenAiClient.builder())
                .baseUrl(found.backend().url())
                .kind(found.backend().kind())
                .apiKeyFromEnv()
                .build();
    }
}
