package dev.edgeai.results;

import dev.edgeai.chat.BackendInfo;
import java.util.List;
import java.util.Map;

/**
 * Who ran what, where: enough to tell two results files apart and to judge whether they are comparable.
 *
 * @param tool    the script or notebook that wrote the file ("model_compare", "benchmark", "rag_chat", ...)
 * @param time    ISO-8601 instant the run started
 * @param options the effective options (after env-var defaults), as plain JSON values
 */
public record RunMeta(
        String tool,
        String time,
        Environment environment,
        BackendInfo backend,
        List<String> models,
        Map<String, Object> options) {
    public RunMeta {
        models = List.copyOf(models);
        options = options == null ? Map.of() : Map.copyOf(options);
    }
}
