package dev.edgeai.web;

import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ModelInfo;
import dev.edgeai.engine.EmbeddedBackend;
import dev.edgeai.engine.ModelFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The model folders a server runs, as the demo page may fetch them to run a model itself: only folders in the
 * onnx-community (Hugging Face optimum) layout qualify, and of each only the files generation needs — the ONNX file
 * the engine runs (and its external data), config.json, generation_config.json, tokenizer.json and
 * tokenizer_config.json. Names are looked up in that allow-list, never resolved against the folder, so no request can
 * reach another file. Folders that do not qualify are listed with the reason, for the page to show.
 */
public final class PageModels {
    /**
     * One served model as the page sees it.
     *
     * @param id      the served id (the folder name)
     * @param problem why the page cannot run it (one actionable line), or null
     * @param bytes   the ONNX file and its external data together: what the browser has to hold
     * @param onnx    the ONNX file, relative to the folder ({@code onnx/model_q4.onnx}); null with a problem
     * @param externalData its external data files (relative), in order
     * @param files   every file the page may fetch, relative to the folder
     */
    public record Model(
            String id,
            String problem,
            long bytes,
            String onnx,
            List<String> externalData,
            List<String> files,
            Map<String, Path> paths) {
        public Model {
            externalData = List.copyOf(externalData);
            files = List.copyOf(files);
            paths = Map.copyOf(paths);
        }

        static Model unusable(String id, String problem) {
            return new Model(id, problem, 0, null, List.of(), List.of(), Map.of());
        }
    }

    static final List<String> REQUIRED = List.of("config.json", "tokenizer.json", "tokenizer_config.json");
    static final List<String> OPTIONAL = List.of("generation_config.json", "chat_template.jinja");
    private static final String LAYOUT = "the page runs folders in the onnx-community layout (onnx/model_q4.onnx,"
            + " config.json, tokenizer.json, tokenizer_config.json), e.g. serve.java --model"
            + " onnx-community/Qwen2.5-0.5B-Instruct";

    private final Map<String, Model> models;

    private PageModels(Map<String, Model> models) {
        this.models = models;
    }

    public static PageModels none() {
        return new PageModels(Map.of());
    }

    /** The folders of an embedded backend (serve.java's); any other backend has none the page could fetch. */
    public static PageModels of(ChatBackend backend) {
        if (!(backend instanceof EmbeddedBackend embedded)) return none();
        Map<String, Path> folders = new LinkedHashMap<>();
        for (ModelInfo m : embedded.models())
            folders.put(m.id(), embedded.model(m.id()).descriptor().folder());
        return of(folders);
    }

    /** @param folders served id → model folder */
    public static PageModels of(Map<String, Path> folders) {
        Map<String, Model> out = new LinkedHashMap<>();
        folders.forEach(
                (id, folder) -> out.put(id, inspect(id, folder.toAbsolutePath().normalize())));
        return new PageModels(out);
    }

    public List<Model> list() {
        return List.copyOf(models.values());
    }

    /** A file of a usable model by its name in {@link Model#files()}; empty for anything else. */
    public Optional<Path> file(String id, String name) {
        Model m = models.get(id);
        if (m == null || m.problem() != null) return Optional.empty();
        return Optional.ofNullable(m.paths().get(name)).filter(Files::isRegularFile);
    }

    static Model inspect(String id, Path folder) {
        if (Files.exists(folder.resolve("genai_config.json")))
            return Model.unusable(
                    id,
                    id + " is an onnxruntime-genai folder (genai_config.json, as Foundry Local and Microsoft's ONNX"
                            + " repositories ship them), not an onnx-community export: " + LAYOUT + ".");
        Path onnx;
        try {
            onnx = ModelFolder.findModelFile(folder);
        } catch (ChatException e) {
            return Model.unusable(id, e.getMessage() + "; " + LAYOUT + ".");
        }
        if (!folder.resolve("onnx").equals(onnx.getParent()))
            return Model.unusable(
                    id, id + " keeps " + onnx.getFileName() + " beside its config, not in onnx/: " + LAYOUT + ".");
        List<String> missing = REQUIRED.stream()
                .filter(f -> !Files.isRegularFile(folder.resolve(f)))
                .toList();
        if (!missing.isEmpty())
            return Model.unusable(id, id + " lacks " + String.join(", ", missing) + ": " + LAYOUT + ".");

        Map<String, Path> paths = new LinkedHashMap<>();
        for (String f : REQUIRED) paths.put(f, folder.resolve(f));
        for (String f : OPTIONAL) if (Files.isRegularFile(folder.resolve(f))) paths.put(f, folder.resolve(f));
        String onnxName = "onnx/" + onnx.getFileName();
        paths.put(onnxName, onnx);
        List<String> data = externalData(onnx);
        for (String d : data) paths.put("onnx/" + d, onnx.resolveSibling(d));
        long bytes = size(onnx);
        for (String d : data) bytes += size(onnx.resolveSibling(d));
        return new Model(
                id,
                null,
                bytes,
                onnxName,
                data.stream().map(d -> "onnx/" + d).toList(),
                new ArrayList<>(paths.keySet()),
                paths);
    }

    /**
     * External weights beside the graph, as exporters name them: optimum's {@code model.onnx_data} (large models
     * split into {@code model.onnx_data_1}, ...), and {@code model.onnx.data}.
     */
    static List<String> externalData(Path onnx) {
        String base = onnx.getFileName().toString();
        Pattern p = Pattern.compile(Pattern.quote(base) + "(_data(_\\d+)?|\\.data)");
        try (Stream<Path> s = Files.list(onnx.getParent())) {
            return s.map(f -> f.getFileName().toString())
                    .filter(n -> p.matcher(n).matches())
                    .sorted((a, b) ->
                            a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
