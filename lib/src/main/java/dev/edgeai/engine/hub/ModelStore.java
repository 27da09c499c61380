package dev.edgeai.engine.hub;

import dev.edgeai.chat.ChatException;
import dev.edgeai.engine.ModelFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The local model cache and the one way a model value becomes a folder: a folder path (a Foundry Local model folder
 * takes its CPU build), a Foundry Local cache id, a model in the cache by name (what {@code models import} placed),
 * a catalog name ({@link #CATALOG}) or a Hugging Face repo id {@code org/name[@revision]}, downloaded once. What the
 * {@code models} script lists, pulls, imports, verifies and removes lives here.
 *
 * <p>Layout: {@code <cache>/<org>/<name>[@rev]/} for hub repos (imports of a known repo land there too, so the
 * scripts' defaults find them), {@code <cache>/local/<name>/} for other imports; each with its
 * {@link Provenance} record.
 */
public final class ModelStore {
    /**
     * A model the kit knows by a short name.
     *
     * @param files the files a download fetches, as the hub repository names them (what to fetch by hand offline)
     */
    public record Suggested(
            String name, String repo, String variant, String approxDownload, String why, List<String> files) {
        public Suggested {
            files = List.copyOf(files);
        }

        public String spec() {
            return repo;
        }

        /** The repository's last path element, e.g. Qwen2.5-0.5B-Instruct. */
        public String baseName() {
            return repo.substring(repo.indexOf('/') + 1);
        }
    }

    // Same family for both, so the compare shows the effect of size alone (same tokenizer, template and layout).
    // Sizes are approximate and were not verified from this machine (no hub access).
    /** Constant strings for annotations (picocli descriptions) and scripts. */
    public static final String DEFAULT_SLM_REPO = "onnx-community/Qwen2.5-0.5B-Instruct";

    public static final String DEFAULT_LLM_REPO = "onnx-community/Qwen2.5-1.5B-Instruct";

    /** What a download of an onnx-community repo fetches with the default q4 variant (see HubDownloader.select). */
    private static final List<String> Q4_FILES = List.of(
            "onnx/model_q4.onnx", "config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json");

    public static final Suggested DEFAULT_SLM =
            new Suggested("qwen2.5-0.5b", DEFAULT_SLM_REPO, "q4", "~0.8 GB", "the default small model (SLM)", Q4_FILES);
    public static final Suggested DEFAULT_LLM = new Suggested(
            "qwen2.5-1.5b",
            DEFAULT_LLM_REPO,
            "q4",
            "~1.6 GB",
            "the default large model (LLM): better answers, about 3x slower",
            Q4_FILES);
    public static final Suggested PHI_4_MINI = new Suggested(
            "phi-4-mini",
            "microsoft/Phi-4-mini-instruct-onnx",
            "cpu-int4",
            "several GB",
            "Phi-4-mini as Foundry Local runs it (its CPU int4 build)",
            List.of("cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4/ (every file in it)"));

    /** Names {@code models pull} and every model option accept; "defaults" means the first two. */
    public static final List<Suggested> CATALOG = List.of(DEFAULT_SLM, DEFAULT_LLM, PHI_4_MINI);

    /** Where imports of models that are not hub repositories go. */
    static final String LOCAL = "local";

    private static final Pattern REPO = Pattern.compile("([A-Za-z0-9][\\w.-]*/[\\w.-]+)(?:@([\\w./-]+))?");

    private final Path cache;
    private final Path foundryCache;
    private final HubDownloader downloader;

    public ModelStore(Path cache, Path foundryCache, HubDownloader downloader) {
        this.cache = cache;
        this.foundryCache = foundryCache;
        this.downloader = downloader;
    }

    /**
     * From the environment: EDGEAI_MODEL_CACHE (default ~/.cache/edgeai/models), HF_ENDPOINT (default
     * https://huggingface.co), HF_TOKEN, EDGEAI_ONNX_VARIANT; Foundry's cache at ~/.foundry/cache/models.
     */
    public static ModelStore defaults() {
        Path home = Path.of(System.getProperty("user.home"));
        String cacheEnv = System.getenv("EDGEAI_MODEL_CACHE");
        Path cache = cacheEnv != null && !cacheEnv.isBlank() ? Path.of(cacheEnv) : home.resolve(".cache/edgeai/models");
        String endpoint = Optional.ofNullable(System.getenv("HF_ENDPOINT"))
                .filter(s -> !s.isBlank())
                .orElse("https://huggingface.co");
        String variant =
                Optional.ofNullable(System.getenv("EDGEAI_ONNX_VARIANT")).orElse("");
        return new ModelStore(
                cache,
                home.resolve(".foundry/cache/models"),
                new HubDownloader(URI.create(endpoint), System.getenv("HF_TOKEN"), true, variant));
    }

    public Path cache() {
        return cache;
    }

    public Path foundryCache() {
        return foundryCache;
    }

    public HubDownloader downloader() {
        return downloader;
    }

    /** A local folder for {@code model}, downloading it first when it is a hub repo id not yet cached. */
    public Path resolve(String model) {
        return resolve(model, line -> {});
    }

    /**
     * A local folder for {@code model}, downloading it first when it is a hub repo id (or catalog name) not yet
     * cached; {@code say} hears which build of a model folder was taken.
     */
    public Path resolve(String model, Consumer<String> say) {
        Optional<Path> here = find(model, say);
        if (here.isPresent()) return here.get();
        String repo = repoOf(model);
        if (repo != null) return download(repo);
        throw new ChatException(
                ChatException.Kind.UNKNOWN_MODEL,
                "'" + model + "' is not a model folder, a model in " + cache
                        + " (see `./jbang scripts/models.java list`),"
                        + " a Foundry Local cache id under " + foundryCache + ", nor a Hugging Face repo id like "
                        + DEFAULT_SLM.repo());
    }

    /** The folder for {@code model} if it is on this machine; nothing is downloaded. */
    public Optional<Path> find(String model) {
        return find(model, line -> {});
    }

    private Optional<Path> find(String model, Consumer<String> say) {
        if (model == null || model.isBlank()) return Optional.empty();
        Path asPath = Path.of(model);
        if (Files.isDirectory(asPath)) {
            // a folder without any model files is passed on as it is: loading it says what is missing
            if (ModelFolder.holdsModel(asPath) || ModelFolder.builds(asPath).isEmpty()) return Optional.of(asPath);
            ModelFolder.Build b = ModelFolder.pickBuild(asPath);
            if (b.note() != null) say.accept(b.note());
            return Optional.of(b.folder());
        }
        Optional<Path> foundry = findFoundry(model);
        if (foundry.isPresent()) return foundry;
        Optional<Path> named = findByName(model); // what `models import` placed, by the name it printed
        if (named.isPresent()) return named;
        Optional<Path> alias = findFoundryAlias(model, say);
        if (alias.isPresent()) return alias;
        String repo = repoOf(model);
        if (repo == null) return Optional.empty();
        Path folder = cacheFolder(repo);
        return Files.isDirectory(folder) ? Optional.of(folder) : Optional.empty();
    }

    /** The hub repo ({@code org/name[@rev]}) a value names, directly or as a catalog name; null for anything else. */
    public static String repoOf(String model) {
        if (model == null) return null;
        for (Suggested s : CATALOG) if (s.name().equalsIgnoreCase(model.strip())) return s.repo();
        Matcher m = REPO.matcher(model);
        return m.matches() && !model.startsWith(".") && !model.startsWith("/") ? model : null;
    }

    /** The catalog entry of a repo or name, or null. */
    public static Suggested known(String repoOrName) {
        for (Suggested s : CATALOG)
            if (s.repo().equalsIgnoreCase(repoOrName) || s.name().equalsIgnoreCase(repoOrName)) return s;
        return null;
    }

    /** Where a hub repo id ({@code org/name[@rev]}) lives in the cache. */
    public Path cacheFolder(String repoSpec) {
        Matcher m = REPO.matcher(repoSpec);
        if (!m.matches()) throw new IllegalArgumentException("not a repo id: " + repoSpec);
        String rev = m.group(2) == null ? "main" : m.group(2);
        return cache.resolve(m.group(1) + (rev.equals("main") ? "" : "@" + rev.replace('/', '_')));
    }

    /** Downloads (or resumes) a hub repo into the cache; returns its folder, at once when it is already complete. */
    public Path download(String repoSpec) {
        Matcher m = REPO.matcher(repoSpec);
        if (!m.matches()) throw new IllegalArgumentException("not a repo id: " + repoSpec);
        String rev = m.group(2) == null ? "main" : m.group(2);
        return downloader.download(m.group(1), rev, cacheFolder(repoSpec));
    }

    /** A cached model by its folder name (Qwen2.5-0.5B-Instruct, or what an import printed), when only one has it. */
    Optional<Path> findByName(String name) {
        if (name.contains("/") || name.contains("\\")) return Optional.empty();
        List<Path> hits = entries().stream()
                .map(Entry::folder)
                .filter(f -> f.getFileName().toString().equalsIgnoreCase(name))
                .toList();
        if (hits.size() > 1)
            throw new ChatException(
                    ChatException.Kind.UNKNOWN_MODEL,
                    "'" + name + "' names several cached models ("
                            + String.join(
                                    ", ",
                                    hits.stream()
                                            .map(h -> cache.relativize(h).toString())
                                            .toList()) + "); name one with its folder, e.g. "
                            + cache.relativize(hits.get(0)));
        return hits.stream().findFirst();
    }

    /** Foundry keeps models/<Publisher>/<id>/<variant>/genai_config.json; ids may be written with ':' or '-'. */
    Optional<Path> findFoundry(String id) {
        if (foundryCache == null || !Files.isDirectory(foundryCache) || id.contains("/")) return Optional.empty();
        String dashed = id.replace(':', '-');
        try (Stream<Path> s = Files.walk(foundryCache, 3)) {
            for (Path dir : s.filter(Files::isDirectory)
                    .filter(p -> {
                        String n = p.getFileName().toString();
                        return n.equalsIgnoreCase(id) || n.equalsIgnoreCase(dashed);
                    })
                    .toList()) {
                try (Stream<Path> inner = Files.walk(dir, 3)) {
                    Optional<Path> cfg = inner.filter(
                                    p -> p.getFileName().toString().equals("genai_config.json"))
                            .min(Comparator.comparingInt(Path::getNameCount));
                    if (cfg.isPresent()) return Optional.of(cfg.get().getParent());
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * A Foundry Local alias ({@code phi-4-mini}) when Foundry has that model cached: its model folder whose name
     * starts with the alias (a CPU one first, e.g. Phi-4-mini-instruct-generic-cpu-4), and that folder's CPU build.
     * Foundry's own copy beats downloading the same model again.
     */
    Optional<Path> findFoundryAlias(String alias, Consumer<String> say) {
        if (alias.contains("/") || alias.contains("\\") || alias.isBlank()) return Optional.empty();
        String prefix = alias.toLowerCase(Locale.ROOT) + "-";
        Optional<Path> model = foundryModels().stream()
                .filter(m -> m.getFileName().toString().toLowerCase(Locale.ROOT).startsWith(prefix))
                .min(Comparator.comparing((Path m) -> !m.getFileName()
                                .toString()
                                .toLowerCase(Locale.ROOT)
                                .contains("cpu"))
                        .thenComparing(m -> m.getFileName().toString().length()));
        if (model.isEmpty()) return Optional.empty();
        try {
            ModelFolder.Build b = ModelFolder.pickBuild(model.get());
            say.accept("model " + alias + ": Foundry Local's cached "
                    + model.get().getFileName() + " (" + b.folder() + ")");
            return Optional.of(b.folder());
        } catch (ChatException e) {
            return Optional.empty();
        }
    }

    // ---- what the models script shows and manages ----

    /**
     * One model folder in the cache.
     *
     * @param name     its path in the cache (org/name, local/name), which {@code models rm} and {@code verify} take
     * @param complete false for a download that stopped part-way (the {@code .incomplete} folder it resumes from)
     * @param source   where it came from, or null when it was placed by hand
     */
    public record Entry(String name, Path folder, long bytes, boolean complete, Provenance source) {
        /** "downloaded from …", "imported from …", or what is known of a folder placed by hand or a partial one. */
        public String origin() {
            if (!complete) return "partial download: `models pull` resumes it";
            return source == null ? "placed by hand (no checksums recorded)" : source.describe();
        }
    }

    /** Every model folder in the cache (complete or partial), sorted by name. */
    public List<Entry> entries() {
        if (!Files.isDirectory(cache)) return List.of();
        List<Entry> out = new ArrayList<>();
        for (Path org : dirs(cache)) {
            // a model folder placed by hand right in the cache, rather than under an org/ or local/ folder
            List<Path> models = ModelFolder.holdsModel(org) || Files.exists(org.resolve(Provenance.FILE))
                    ? List.of(org)
                    : dirs(org);
            for (Path f : models) {
                String n = f.getFileName().toString();
                boolean partial = n.endsWith(".incomplete");
                String name = cache.relativize(f).toString().replace('\\', '/');
                if (partial) name = name.substring(0, name.length() - ".incomplete".length());
                out.add(new Entry(name, f, bytes(f), !partial, partial ? null : Provenance.read(f)));
            }
        }
        out.sort(Comparator.comparing(Entry::name));
        return out;
    }

    /** Foundry Local's cached models (read-only here: Foundry manages them), as id → folder. */
    public List<Path> foundryModels() {
        if (foundryCache == null || !Files.isDirectory(foundryCache)) return List.of();
        List<Path> out = new ArrayList<>();
        for (Path publisher : dirs(foundryCache)) for (Path model : dirs(publisher)) out.add(model);
        return out;
    }

    /** A cache entry by its name (org/name, local/name) or by its folder name when that is unique. */
    public Entry entry(String name) {
        String n = name.strip().replace('\\', '/');
        String repo = repoOf(n);
        List<Entry> all = entries();
        List<Entry> hits = all.stream()
                .filter(e -> e.name().equalsIgnoreCase(n)
                        || (repo != null && e.folder().equals(cacheFolder(repo)))
                        || (repo != null
                                && e.folder()
                                        .equals(cacheFolder(repo)
                                                .resolveSibling(
                                                        cacheFolder(repo).getFileName() + ".incomplete"))))
                .toList();
        if (hits.isEmpty())
            hits = all.stream()
                    .filter(e ->
                            e.name().substring(e.name().lastIndexOf('/') + 1).equalsIgnoreCase(n))
                    .toList();
        if (hits.size() == 1) return hits.get(0);
        if (hits.isEmpty())
            throw new ChatException(
                    ChatException.Kind.UNKNOWN_MODEL,
                    "no model '" + name + "' in " + cache
                            + (all.isEmpty()
                                    ? " (it is empty)"
                                    : "; it has "
                                            + String.join(
                                                    ", ",
                                                    all.stream()
                                                            .map(Entry::name)
                                                            .toList())));
        throw new ChatException(
                ChatException.Kind.UNKNOWN_MODEL,
                "'" + name + "' matches "
                        + String.join(", ", hits.stream().map(Entry::name).toList()) + "; name one of them");
    }

    /**
     * Checks a cached model: every recorded file against its checksum, and that the folder opens as a model (a
     * decoder file and tokenizer.json). Returns one line per problem; empty when all is well.
     */
    public List<String> verify(Entry e) {
        List<String> problems = new ArrayList<>();
        if (!e.complete()) {
            problems.add(
                    "the download stopped part-way; `./jbang scripts/models.java pull " + e.name() + "` resumes it");
            return problems;
        }
        if (e.source() != null) problems.addAll(e.source().verify(e.folder()));
        problems.addAll(structure(e.folder()));
        return problems;
    }

    /** What keeps {@code folder} from loading as a model, without loading it: one line per problem. */
    public static List<String> structure(Path folder) {
        List<String> problems = new ArrayList<>();
        Path model = folder;
        try {
            ModelFolder.Build b = ModelFolder.pickBuild(folder);
            model = b.folder();
            ModelFolder.findModelFile(model);
        } catch (ChatException ex) {
            problems.add(ex.getMessage());
            return problems;
        }
        if (!Files.isRegularFile(model.resolve("tokenizer.json")))
            problems.add("tokenizer.json is missing in " + model);
        if (!Files.isRegularFile(model.resolve("genai_config.json"))
                && !Files.isRegularFile(model.resolve("config.json")))
            problems.add("neither genai_config.json nor config.json in " + model);
        return problems;
    }

    /** Deletes a cached model (or a partial download) and its lock file; returns the folder removed. */
    public Path remove(Entry e) {
        Path f = e.folder().toAbsolutePath().normalize();
        if (!f.startsWith(cache.toAbsolutePath().normalize())
                || f.equals(cache.toAbsolutePath().normalize()))
            throw new IllegalArgumentException(f + " is not inside the model cache " + cache + "; not removing it");
        deleteTree(f);
        String base = e.complete()
                ? f.getFileName().toString()
                : e.name().substring(e.name().lastIndexOf('/') + 1);
        try {
            Files.deleteIfExists(f.resolveSibling(base + ".lock"));
            Path org = f.getParent();
            try (Stream<Path> left = Files.list(org)) {
                if (left.findAny().isEmpty() && !org.equals(cache)) Files.delete(org);
            }
        } catch (IOException ignored) {
            // a leftover lock file or empty folder is harmless
        }
        return f;
    }

    /**
     * What {@code models import} placed.
     *
     * @param name    its name in the cache (org/name or local/name)
     * @param id      the name the scripts find it by and serve it under (its folder name)
     * @param checked what was checked on the way in
     */
    public record Imported(Path folder, String name, String id, int files, long bytes, String checked) {}

    /**
     * Copies a model folder, Foundry Local model folder, Hugging Face cache folder or snapshot, or an archive of
     * one into the cache (see {@link Importer}).
     *
     * @param as its name in the cache (NAME or ORG/NAME), or null to take it from the source
     */
    public Imported importFrom(Path source, String as, Consumer<String> say) {
        return new Importer(this, say).run(source, as);
    }

    /** Total size of the regular files under {@code folder}. */
    public static long bytes(Path folder) {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(Files::isRegularFile)
                    .mapToLong(p -> {
                        try {
                            return Files.size(p);
                        } catch (IOException e) {
                            return 0;
                        }
                    })
                    .sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /** "786.0 MiB", "1.6 GiB". */
    public static String size(long bytes) {
        if (bytes >= 1L << 30) return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        if (bytes >= 1L << 20) return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }

    static List<Path> dirs(Path folder) {
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(Files::isDirectory)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * The error for models that are not on this machine and cannot be downloaded: names every one of {@code specs}
     * that is missing, where its files go and where they come from, for {@link ModelsUnavailable#guide}.
     *
     * @param options the option each spec came from (e.g. --model-slm), in the same order; may be shorter
     */
    public ModelsUnavailable unavailable(List<String> specs, List<String> options, ChatException cause) {
        List<ModelsUnavailable.Missing> missing = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            String spec = specs.get(i);
            Optional<Path> here;
            try {
                here = find(spec);
            } catch (ChatException e) {
                here = Optional.empty();
            }
            String repo = repoOf(spec);
            if (here.isPresent() || repo == null) continue;
            String bare = repo.contains("@") ? repo.substring(0, repo.indexOf('@')) : repo;
            String rev = repo.contains("@") ? repo.substring(repo.indexOf('@') + 1) : "main";
            Suggested s = known(bare);
            if (missing.stream().anyMatch(m -> m.repo().equals(bare))) continue;
            missing.add(new ModelsUnavailable.Missing(
                    i < options.size() ? options.get(i) : null, bare, rev, s, cacheFolder(repo)));
        }
        return new ModelsUnavailable(
                missing, specs, options, downloader.endpoint().toString(), cache, cause);
    }
}
