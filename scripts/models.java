///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION The models the scripts run in-process: list, pull, import from a USB stick or folder, verify, rm.
//JAVA 21+
//DEPS dev.edgeai:edgeai-cli:0.1.0
//RUNTIME_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn --enable-native-access=ALL-UNNAMED

import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.Terminal;
import dev.edgeai.cli.BackendOptions;
import dev.edgeai.cli.Cli;
import dev.edgeai.discovery.Backends;
import dev.edgeai.discovery.Discovery;
import dev.edgeai.engine.hub.ModelStore;
import dev.edgeai.engine.hub.ModelsUnavailable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "models", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = {models.ListCmd.class, models.Pull.class, models.Import.class, models.Verify.class,
                models.Remove.class},
        description = "The model cache the scripts run models from when no server is found (or with --model-slm, "
                + "--model-llm, --model): ~/.cache/edgeai/models, or EDGEAI_MODEL_CACHE. Without a command: list.",
        footer = {"", "Examples:",
                "  ./jbang scripts/models.java list",
                "  ./jbang scripts/models.java pull defaults          # the default pair: qwen2.5-0.5b, qwen2.5-1.5b",
                "  ./jbang scripts/models.java import /media/usb/Qwen2.5-0.5B-Instruct",
                "  ./jbang scripts/models.java import ~/Downloads/phi-4-mini.zip --as phi-4-mini",
                "  ./jbang scripts/models.java verify",
                "  ./jbang scripts/models.java rm local/phi-4-mini"})
public class models implements Callable<Integer> {
    public static void main(String... args) {
        System.exit(Cli.execute(new models(), args));
    }

    @Override
    public Integer call() {
        return new ListCmd().call();
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "The cached models with their sizes and where each came from, the default pair's state, "
                    + "Foundry Local's cache, and what a model server found right now serves.")
    static class ListCmd implements Callable<Integer> {
        @Option(names = "--no-server", description = "Do not look for a model server.")
        boolean noServer;

        @Mixin BackendOptions backend = new BackendOptions();

        @Override
        public Integer call() {
            ModelStore store = ModelStore.defaults();
            System.out.println("Model cache: " + store.cache() + " (EDGEAI_MODEL_CACHE)");
            List<ModelStore.Entry> entries = store.entries();
            if (entries.isEmpty()) {
                System.out.println("  (empty)");
            } else {
                int w = entries.stream().mapToInt(e -> e.name().length()).max().orElse(4);
                System.out.printf("  %-" + w + "s  %10s  %s%n", "NAME", "SIZE", "SOURCE");
                for (ModelStore.Entry e : entries) {
                    ModelStore.Suggested known = ModelStore.known(e.name());
                    System.out.printf("  %-" + w + "s  %10s  %s%s%n", e.name(), ModelStore.size(e.bytes()), e.origin(),
                            known == null ? "" : "  [" + known.name() + "]");
                }
            }
            for (String line : defaultPair(store)) System.out.println(line);
            List<Path> foundry = store.foundryModels();
            if (!foundry.isEmpty()) {
                System.out.println("Foundry Local cache: " + store.foundryCache()
                        + " (pass a folder or its id as a model)");
                for (Path f : foundry)
                    System.out.printf("  %s  %s%n", f.getFileName(), ModelStore.size(ModelStore.bytes(f)));
            }
            if (!noServer) server();
            System.out.println("Scripts take a NAME above (or its last part) as --model-slm, --model-llm or --model.");
            return 0;
        }

        static List<String> defaultPair(ModelStore store) {
            List<String> out = new ArrayList<>();
            out.add("Default pair (run in-process when no server is found):");
            for (ModelStore.Suggested s : List.of(ModelStore.DEFAULT_SLM, ModelStore.DEFAULT_LLM)) {
                boolean here = store.find(s.repo()).isPresent();
                out.add("  " + s.name() + " = " + s.repo() + ": " + (here ? "here"
                        : "missing (" + s.approxDownload() + "): `./jbang scripts/models.java pull " + s.name()
                                + "`, or `import` a copy"));
            }
            return out;
        }

        void server() {
            try {
                Discovery.Found found = Discovery.discover(Discovery.Options.of(backend.endpoint));
                var ids = found.models().stream().map(m -> m.id()).toList();
                System.out.println("Server: " + found.backend().kind() + " at " + found.backend().url()
                        + (Backends.scripted(found.models()) ? " (the scripted stand-in)" : "") + " serves "
                        + (ids.isEmpty() ? "no model yet" : Terminal.safe(String.join(", ", ids))));
            } catch (ChatException e) {
                System.out.println("Server: none found (Foundry Local, Ollama, serve.java on 127.0.0.1:5273; "
                        + "--verbose on other scripts shows each probe)");
            }
        }
    }

    @Command(name = "pull", mixinStandardHelpOptions = true,
            description = "Downloads models into the cache, with a progress bar on a terminal, resuming an interrupted "
                    + "download and checking every file against the hub's checksums. HF_ENDPOINT and HF_TOKEN are "
                    + "honoured.",
            footer = {"", "Names: defaults (both), qwen2.5-0.5b, qwen2.5-1.5b, phi-4-mini; or any ONNX repo id, "
                    + "e.g. onnx-community/SmolLM2-360M-Instruct"})
    static class Pull implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "NAME|REPO", description = "A catalog name or a Hugging Face repo id.")
        List<String> names;

        @Override
        public Integer call() {
            ModelStore store = ModelStore.defaults();
            List<String> repos = new ArrayList<>();
            for (String n : names) {
                if (n.equalsIgnoreCase("defaults") || n.equalsIgnoreCase("default")) {
                    repos.add(ModelStore.DEFAULT_SLM_REPO);
                    repos.add(ModelStore.DEFAULT_LLM_REPO);
                } else {
                    String repo = ModelStore.repoOf(n);
                    if (repo == null)
                        throw new IllegalArgumentException("'" + n + "' is neither a catalog name (defaults, "
                                + String.join(", ",
                                        ModelStore.CATALOG.stream().map(ModelStore.Suggested::name).toList())
                                + ") nor a Hugging Face repo id like " + ModelStore.DEFAULT_SLM_REPO);
                    repos.add(repo);
                }
            }
            for (String repo : repos) {
                boolean here = store.find(repo).isPresent();
                if (here) {
                    System.out.println("already here: " + repo + " in " + store.cacheFolder(repo)
                            + " (`./jbang scripts/models.java verify " + repo + "` rechecks it)");
                    continue;
                }
                System.err.println("pulling " + repo + " from " + store.downloader().endpoint() + " into "
                        + store.cacheFolder(repo));
                try {
                    Path folder = store.download(repo);
                    System.out.println("pulled " + repo + ": " + ModelStore.size(ModelStore.bytes(folder))
                            + ", every file matched the hub's checksum; scripts find it as " + repo);
                } catch (ChatException e) {
                    if (e.kind() != ChatException.Kind.UNREACHABLE) throw e;
                    ModelsUnavailable u = store.unavailable(List.of(repo), List.of(), e);
                    System.err.println("error: " + Terminal.safe(u.getMessage()));
                    u.howToGetThem().forEach(l -> System.err.println("  " + l));
                    return 1;
                }
            }
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Copies a model into the cache where every script finds it: a model folder, a Foundry Local "
                    + "model folder (its CPU build is taken), a Hugging Face cache folder or snapshot, or a zip, tar "
                    + "or tar.gz archive of one. Only the files the engine loads are copied, each checked against the "
                    + "checksums that came with it and re-read; a copy of the default pair's folders makes the "
                    + "default run work offline.")
    static class Import implements Callable<Integer> {
        @Parameters(arity = "1", paramLabel = "FOLDER|ARCHIVE", description = "What to import.")
        Path source;

        @Option(names = "--as", paramLabel = "NAME",
                description = "Its name in the cache, NAME or ORG/NAME (default: the hub repo it is, else its "
                        + "folder name).")
        String as;

        @Override
        public Integer call() {
            ModelStore store = ModelStore.defaults();
            ModelStore.Imported i = store.importFrom(source, as, line -> System.err.println(line));
            System.out.println("imported " + source + " as " + i.name() + ": " + i.files() + " files, "
                    + ModelStore.size(i.bytes()) + " in " + i.folder());
            System.out.println("  checked: " + i.checked());
            System.out.println("  scripts find it as " + i.id()
                    + ", e.g. ./jbang scripts/model_compare.java --model-slm " + i.id());
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Checks cached models: every file against the checksum recorded when it was pulled or "
                    + "imported, and that the folder opens as a model. Exit status 1 when any fails.")
    static class Verify implements Callable<Integer> {
        @Parameters(arity = "0..*", paramLabel = "NAME", description = "Models to check (default: all).")
        List<String> names = new ArrayList<>();

        @Override
        public Integer call() {
            ModelStore store = ModelStore.defaults();
            List<ModelStore.Entry> entries =
                    names.isEmpty() ? store.entries() : names.stream().map(store::entry).toList();
            if (entries.isEmpty()) {
                System.out.println("nothing to verify: " + store.cache() + " holds no model");
                return 0;
            }
            int bad = 0;
            for (ModelStore.Entry e : entries) {
                List<String> problems = store.verify(e);
                if (problems.isEmpty()) {
                    int files = e.source() == null ? 0 : e.source().files().size();
                    System.out.println("ok    " + e.name() + " (" + (files > 0
                            ? files + " files match their checksums"
                            : "no checksums recorded: placed by hand") + "; opens as a model)");
                } else {
                    bad++;
                    System.out.println("FAIL  " + e.name() + ": " + String.join("; ", problems));
                }
            }
            if (bad > 0)
                System.err.println("error: " + bad + " of " + entries.size()
                        + " models failed; pull or import them again (rm first)");
            return bad > 0 ? 1 : 0;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true,
            description = "Removes models from the cache (Foundry Local's own cache is left alone).")
    static class Remove implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "NAME", description = "Names as `list` shows them.")
        List<String> names;

        @Override
        public Integer call() {
            ModelStore store = ModelStore.defaults();
            for (String n : names) {
                ModelStore.Entry e = store.entry(n);
                store.remove(e);
                System.out.println("removed " + e.name() + " (" + ModelStore.size(e.bytes()) + ")");
            }
            return 0;
        }
    }
}
