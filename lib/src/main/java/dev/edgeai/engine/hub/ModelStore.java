package dev.edgeai.engine.hub;

import dev.edgeai.chat.ChatException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns a {@code --model} value into a local model folder: a folder path, a Foundry Local cache id, or a Hugging
 * Face repo id {@code org/name[@revision]} that is downloaded once into the cache.
 */
public final class ModelStore {
    /** A model the workshop suggests, with its ONNX variant and roughly how much it downloads. */
    public record Suggested(String repo, String variant, String approxDownload, String why) {
        public String spec() {
            return repo;
        }
    }

    // Same family for both, so the compare shows the effect of size alone (same tokenizer, template and layout).
    // Sizes are approximate and were not verified from this machine (no hub access).
    /** Constant strings for annotations (picocli descriptions) and scripts. */
    public static final String DEFAULT_SLM_REPO = "onnx-community/Qwen2.5-0.5B-Instruct";

    public static final String DEFAULT_LLM_REPO = "onnx-community/Qwen2.5-1.5B-Instruct";
    public static final Suggested DEFAULT_SLM =
            new Suggested(DEFAULT_SLM_REPO, "q4", "~0.8 GB", "small model: fast on any laptop CPU");
    public static final Suggested DEFAULT_LLM =
            new Suggested(DEFAULT_LLM_REPO, "q4", "~1.6 GB", "larger sibling: better answers, about 3x slower");

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
        Path cache = cacheEnv != null ? Path.of(cacheEnv) : home.resolve(".cache/edgeai/models");
        String endpoint = Optional.ofNullable(System.getenv("HF_ENDPOINT")).orElse("https://huggingface.co");
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

    /** A local folder for {@code model}, downloading it first when it is a hub repo id not yet cached. */
    public Path resolve(String model) {
        Path asPath = Path.of(model);
        if (Files.isDirectory(asPath)) return asPath;
        Optional<Path> foundry = findFoundry(model);
        if (foundry.isPresent()) return foundry.get();
        Matcher m = REPO.matcher(model);
        if (m.matches() && !model.startsWith(".") && !model.startsWith("/")) {
            String repo = m.group(1);
            String rev = m.group(2) == null ? "main" : m.group(2);
            Path folder = cache.resolve(repo + (rev.equals("main") ? "" : "@" + rev.replace('/', '_')));
            if (Files.isDirectory(folder)) return folder;
            return downloader.download(repo, rev, folder);
        }
        throw new ChatException(
                ChatException.Kind.UNKNOWN_MODEL,
                "'" + model + "' is not a model folder, a Foundry Local" + " cache id under " + foundryCache
                        + ", nor a Hugging Face repo id like " + DEFAULT_SLM.repo());
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
}
