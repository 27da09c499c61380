package dev.edgeai.discovery;

import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ModelInfo;
import dev.edgeai.chat.Terminal;
import dev.edgeai.client.ClientSettings;
import dev.edgeai.client.OpenAiClient;
import dev.edgeai.engine.EmbeddedBackend;
import dev.edgeai.engine.ModelFolder;
import dev.edgeai.engine.hub.ModelStore;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The one place that turns "endpoint, models" into a backend: discovery, then the matching client or engine, and
 * which model plays which part ({@link #choose}). Scripts reach it through the cli option groups; notebooks call
 * {@link #open}.
 */
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
     * The one way scripts get a backend and their models. Each {@link ModelChoice.Want} is one part (small model,
     * large model, "the" model):
     * <ol>
     *   <li>when a part asks to run in-process, or every part names a model folder, all parts load into this JVM
     *       (a part without a spec of its own loads its fallback);</li>
     *   <li>otherwise a server is discovered (see {@link Discovery}); when none is found and every part has a
     *       fallback, the fallbacks load into this JVM, else the error says what was tried;</li>
     *   <li>on a server, {@link ModelChoice#choose} assigns a served model to every part; when it had to pick, one
     *       line on {@code log} says which.</li>
     * </ol>
     *
     * @param knownSize parameter count in billions of ids the caller knows (the model catalog), NaN for others
     */
    public static Chosen choose(
            String endpoint,
            ClientSettings settings,
            List<ModelChoice.Want> wants,
            ToDoubleFunction<String> knownSize,
            boolean verbose,
            PrintStream log) {
        if (wants.isEmpty()) throw new IllegalArgumentException("no models asked for");
        boolean folders = wants.stream().allMatch(w -> w.named() && Files.isDirectory(Path.of(w.name())));
        if (folders) return load(wants.stream().map(ModelChoice.Want::name).toList(), wants, log);
        if (wants.stream().anyMatch(w -> w.inProcess() != null)) {
            List<String> specs = new ArrayList<>();
            for (ModelChoice.Want w : wants) {
                String spec = w.inProcess() != null ? w.inProcess() : w.fallback();
                if (spec == null)
                    throw new IllegalArgumentException("the " + w.part() + " model cannot run in-process with the "
                            + "others: name a model folder for it too");
                specs.add(spec);
            }
            return load(specs, wants, log);
        }
        boolean fallback = wants.stream().allMatch(w -> w.fallback() != null);
        Discovery.Found found = discover(endpoint, settings, fallback, verbose, log);
        if (found.embedded()) {
            List<String> specs = wants.stream().map(ModelChoice.Want::fallback).toList();
            log.println("backend: embedded ONNX Runtime engine with " + String.join(", ", new LinkedHashSet<>(specs))
                    + " (no server found; --verbose shows what was tried)");
            return load(specs, wants, log);
        }
        ChatBackend backend = connect(found, settings);
        try {
            List<String> served = (found.models().isEmpty() ? backend.models() : found.models())
                    .stream().map(ModelInfo::id).toList();
            String where = found.backend().url();
            List<ModelChoice.Pick> picks = ModelChoice.choose(wants, served, knownSize, where);
            String line = ModelChoice.describe(picks, where);
            if (line != null) log.println(Terminal.safe(line));
            return new Chosen(backend, picks);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /** A backend and the model of every part, in the order asked. */
    public record Chosen(ChatBackend backend, List<ModelChoice.Pick> picks) {
        public Chosen {
            picks = List.copyOf(picks);
        }

        public boolean embedded() {
            return backend instanceof EmbeddedBackend;
        }

        /** The id to send for part {@code i}. */
        public String id(int i) {
            return picks.get(i).id();
        }

        public List<String> ids() {
            return picks.stream().map(ModelChoice.Pick::id).toList();
        }
    }

    private static Chosen load(List<String> specs, List<ModelChoice.Want> wants, PrintStream log) {
        List<String> options = wants.stream()
                .map(w -> w.inProcessOption() != null ? w.inProcessOption() : w.option())
                .toList();
        Selection s = embedded(specs, options, log);
        List<ModelChoice.Pick> picks = new ArrayList<>();
        for (int i = 0; i < wants.size(); i++)
            picks.add(new ModelChoice.Pick(
                    wants.get(i), specs.get(i), s.modelIds().get(i), ModelChoice.How.EMBEDDED));
        return new Chosen(s.backend(), picks);
    }

    /** A backend and the ids to ask it for, in the order the models were given. */
    public record Selection(ChatBackend backend, List<String> modelIds) {
        public boolean embedded() {
            return backend instanceof EmbeddedBackend;
        }
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
        for (String model : models) {
            try {
                resolved.add(store.resolve(model, log::println).toAbsolutePath().normalize());
            } catch (ChatException e) {
                // offline: name every model that is missing, not just the first, and what to do about it
                if (e.kind() != ChatException.Kind.UNREACHABLE) throw e;
                var unavailable = store.unavailable(models, modelOptions, e);
                throw unavailable.missing().isEmpty() ? e : unavailable;
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
                    + (found.models().isEmpty() ? "" : " (" + found.models().size() + " models)")
                    + (scripted(found.models()) ? ", the scripted stand-in: canned answers, results marked so" : ""));
        }
        return found;
    }

    /**
     * The backend kind recorded for the testkit's scripted server (fake_server.java): its answers are canned, so
     * reports and the results index mark such runs instead of showing them as measurements of a model.
     */
    public static final String SCRIPTED = "scripted";

    /** Every model is the scripted server's (it lists them as owned_by "scripted"). */
    public static boolean scripted(List<ModelInfo> models) {
        return !models.isEmpty() && models.stream().allMatch(m -> SCRIPTED.equals(m.ownedBy()));
    }

    public static ChatBackend connect(Discovery.Found found) {
        return connect(found, ClientSettings.defaults());
    }

    public static ChatBackend connect(Discovery.Found found, ClientSettings settings) {
        return settings.applyTo(OpenAiClient.builder())
                .baseUrl(found.backend().url())
                .kind(scripted(found.models()) ? SCRIPTED : found.backend().kind())
                .apiKeyFromEnv()
                .build();
    }
}
