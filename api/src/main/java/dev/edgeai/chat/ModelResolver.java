package dev.edgeai.chat;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Resolves what a user typed ("phi-4-mini", "qwen2.5-7b") to a model id a server lists, the way Foundry Local
 * does: exact id, then id without its version suffix, then alias prefix. A last step ignores punctuation so the
 * workshop's Foundry-style aliases also find Ollama tags ("qwen2.5-7b" → "qwen2.5:7b").
 */
public final class ModelResolver {
    private ModelResolver() {}

    public static String resolve(String requested, List<ModelInfo> available) {
        return find(requested, available.stream().map(ModelInfo::id).toList())
                .orElseThrow(() -> unknown(requested, available));
    }

    public static Optional<String> find(String requested, List<String> ids) {
        if (requested == null || requested.isBlank()) return Optional.empty();
        String want = requested.trim();
        for (String id : ids) if (id.equals(want)) return Optional.of(id);
        for (String id : ids) if (id.equalsIgnoreCase(want)) return Optional.of(id);
        String wantBase = stripVersion(want).toLowerCase(Locale.ROOT);
        List<String> sameBase = ids.stream()
                .filter(id -> stripVersion(id).toLowerCase(Locale.ROOT).equals(wantBase))
                .toList();
        if (!sameBase.isEmpty()) return Optional.of(best(sameBase));
        List<String> prefixed = ids.stream()
                .filter(id -> id.toLowerCase(Locale.ROOT).startsWith(wantBase + "-"))
                .toList();
        if (!prefixed.isEmpty()) return Optional.of(best(prefixed));
        String loose = squash(wantBase);
        if (loose.isEmpty()) return Optional.empty(); // "!!!", "模型": no letters to match, and "" prefixes every id
        List<String> looseMatches = ids.stream()
                .filter(id -> squash(stripVersion(id)).equals(loose)
                        || squash(id).equals(loose)
                        || squash(id).startsWith(loose))
                .toList();
        return looseMatches.isEmpty() ? Optional.empty() : Optional.of(best(looseMatches));
    }

    public static ChatException unknown(String requested, List<ModelInfo> available) {
        String ids = available.isEmpty()
                ? "none (no model is loaded: e.g. `foundry model run phi-4-mini` or `ollama pull qwen2.5:7b`)"
                : String.join(", ", available.stream().map(ModelInfo::id).toList());
        return new ChatException(
                ChatException.Kind.UNKNOWN_MODEL, "unknown model '" + requested + "'; available: " + ids);
    }

    /** "Phi-4-mini-instruct-generic-cpu:4" → "Phi-4-mini-instruct-generic-cpu"; "llama3.2:latest" → "llama3.2". */
    static String stripVersion(String id) {
        int colon = id.lastIndexOf(':');
        return colon > 0 ? id.substring(0, colon) : id;
    }

    private static String squash(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    /**
     * Several variants match an alias: prefer an accelerated one (gpu/cuda/npu, as Foundry does when it has the
     * device — a server only lists what it can run), then the highest version suffix, then the shortest id.
     */
    private static String best(List<String> ids) {
        return ids.stream()
                .min(Comparator.comparingInt((String id) -> accelerated(id) ? 0 : 1)
                        .thenComparing(id -> -version(id))
                        .thenComparingInt(String::length)
                        .thenComparing(Comparator.naturalOrder()))
                .orElseThrow();
    }

    private static boolean accelerated(String id) {
        String l = id.toLowerCase(Locale.ROOT);
        return l.contains("-gpu") || l.contains("-cuda") || l.contains("-npu");
    }

    private static int version(String id) {
        int colon = id.lastIndexOf(':');
        if (colon < 0) return 0;
        try {
            return Integer.parseInt(id.substring(colon + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
