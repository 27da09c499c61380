package dev.edgeai.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.GenerationDefaults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The sampling defaults of a model folder: its {@code generation_config.json} (temperature, top_p, top_k, min_p,
 * repetition_penalty), read the way vLLM reads it: the values apply whenever the file has them, except that
 * {@code "do_sample": false} means greedy, as in transformers. Without the file, or for what it leaves out, the
 * engine's own defaults hold: greedy (temperature 0), no top-k, top-p or min-p, no penalty.
 */
final class GenerationConfig {
    static final String FILE = "generation_config.json";

    /** The engine's defaults, for a folder without the file. */
    static final String ENGINE = "engine defaults (greedy)";

    private GenerationConfig() {}

    static GenerationDefaults read(Path folder, int vocabSize) {
        Path file = folder.resolve(FILE);
        if (!Files.isRegularFile(file)) return new GenerationDefaults(null, null, null, null, null, vocabSize, ENGINE);
        JsonNode g;
        try {
            g = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ChatException(
                    ChatException.Kind.MODEL_LOAD, file + " is not valid JSON; fix or delete it: " + e.getMessage());
        }
        if (g == null || !g.isObject()) return new GenerationDefaults(null, null, null, null, null, vocabSize, ENGINE);
        boolean greedy = g.path("do_sample").isBoolean() && !g.path("do_sample").asBoolean();
        Double temperature = greedy ? Double.valueOf(0) : positive(g, "temperature", 2);
        Double topP = greedy ? null : positive(g, "top_p", 1);
        Integer topK =
                greedy || !g.path("top_k").canConvertToInt() || g.path("top_k").asInt() <= 0
                        ? null
                        : g.path("top_k").asInt();
        Double minP = greedy ? null : positive(g, "min_p", 1);
        Double repetition = positive(g, "repetition_penalty", 2);
        return new GenerationDefaults(temperature, topP, topK, minP, repetition, vocabSize, FILE);
    }

    /** A number in [0, max] (0 excluded where it is not meaningful), else null: the engine's default. */
    private static Double positive(JsonNode g, String field, double max) {
        JsonNode v = g.get(field);
        if (v == null || !v.isNumber()) return null;
        double d = v.asDouble();
        if (field.equals("temperature") ? d < 0 || d > max : d <= 0 || d > max) return null;
        return d;
    }
}
