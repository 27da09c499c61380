package dev.edgeai.engine;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeai.chat.ChatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a model folder in either layout. The config files say what the exporter meant; the session metadata says
 * what the graph really takes, so names and types are checked against (or inferred from) the session.
 */
public final class ModelFolder {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Which optimum ONNX file to prefer when several variants sit in onnx/: set to e.g. "q4", "int8", "fp16". */
    static final String VARIANT = System.getProperty("edgeai.onnx.variant", "");
    // CPU-friendly first: int4/int8 weights are smaller and faster on laptops; fp16 is slow on CPUs without
    // AVX512-FP16.
    private static final List<String> VARIANT_ORDER = List.of(
            "model_q4.onnx",
            "model_int8.onnx",
            "model_quantized.onnx",
            "model_uint8.onnx",
            "model.onnx",
            "model_q4f16.onnx",
            "model_fp16.onnx",
            "decoder_model_merged.onnx");

    private ModelFolder() {}

    /** The ONNX decoder file of a folder, from genai_config.json or the optimum naming. */
    public static Path findModelFile(Path folder) {
        if (!Files.isDirectory(folder))
            throw new ChatException(ChatException.Kind.MODEL_LOAD, "model folder " + folder + " does not exist");
        Path genai = folder.resolve("genai_config.json");
        if (Files.exists(genai)) {
            String name = required(readJson(genai), genai, "model", "decoder", "filename")
                    .asText();
            Path file = folder.resolve(name);
            if (!Files.exists(file))
                throw new ChatException(
                        ChatException.Kind.MODEL_LOAD,
                        "model file " + file + " named by " + genai + " (model.decoder.filename) is missing");
            return file;
        }
        if (!VARIANT.isEmpty()) {
            for (Path dir : List.of(folder.resolve("onnx"), folder)) {
                Path p = dir.resolve("model_" + VARIANT + ".onnx");
                if (Files.exists(p)) return p;
            }
        }
        for (Path dir : List.of(folder.resolve("onnx"), folder)) {
            for (String name : VARIANT_ORDER) if (Files.exists(dir.resolve(name))) return dir.resolve(name);
        }
        for (Path dir : List.of(folder.resolve("onnx"), folder)) {
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> s = Files.list(dir)) {
                var any = s.filter(p -> p.getFileName().toString().endsWith(".onnx"))
                        .sorted()
                        .findFirst();
                if (any.isPresent()) return any.get();
            } catch (IOException e) {
                throw new ChatException(ChatException.Kind.MODEL_LOAD, "cannot list " + dir + ": " + e.getMessage(), e);
            }
        }
        List<Path> builds = builds(folder);
        throw new ChatException(
                ChatException.Kind.MODEL_LOAD,
                "no genai_config.json and no .onnx file in " + folder
                        + " (expected genai_config.json + model.onnx, or onnx/model*.onnx + config.json)"
                        + (builds.isEmpty()
                                ? subfolders(folder)
                                : "; it holds the model builds " + names(folder, builds) + ": pass one of them"));
    }

    /** Describes the model from its config files and the session's input and output metadata. */
    public static ModelDescriptor describe(
            Path folder, Path modelFile, Map<String, NodeInfo> inputs, Map<String, NodeInfo> outputs) {
        Path genaiPath = folder.resolve("genai_config.json");
        boolean genai = Files.exists(genaiPath);
        JsonNode cfg = genai ? readJson(genaiPath).path("model") : optionalJson(folder.resolve("config.json"));
        JsonNode dec = cfg.path("decoder");

        String inputIds = genai ? dec.path("inputs").path("input_ids").asText("input_ids") : "input_ids";
        String mask = genai ? dec.path("inputs").path("attention_mask").asText("attention_mask") : "attention_mask";
        String pos = genai ? dec.path("inputs").path("position_ids").asText("position_ids") : "position_ids";
        String logits = genai ? dec.path("outputs").path("logits").asText("logits") : "logits";
        requireName(inputs, inputIds, folder, modelFile, "input");
        requireName(outputs, logits, folder, modelFile, "output");
        if (!inputs.containsKey(mask)) mask = null;
        if (!inputs.containsKey(pos)) pos = null;
        String useCache = inputs.containsKey("use_cache_branch") ? "use_cache_branch" : null;

        OnnxJavaType idType = tensor(inputs.get(inputIds)).type;
        TensorInfo logitsInfo = tensor(outputs.get(logits));
        long[] ls = logitsInfo.getShape();
        int vocab = ls[ls.length - 1] > 0
                ? (int) ls[ls.length - 1]
                : cfg.path("vocab_size").asInt(0);
        if (vocab <= 0)
            throw new ChatException(ChatException.Kind.MODEL_LOAD, "cannot tell the vocabulary size of " + modelFile);

        boolean shareBuffer = genai
                && readJson(genaiPath)
                        .path("search")
                        .path("past_present_share_buffer")
                        .asBoolean(false);
        KvCacheSpec kv = kvSpec(folder, modelFile, genai, cfg, dec, inputs, outputs, shareBuffer);

        int context = cfg.path("context_length").asInt(0);
        if (context <= 0) context = cfg.path("max_position_embeddings").asInt(0);
        if (context <= 0 && genai)
            context = readJson(genaiPath).path("search").path("max_length").asInt(0);
        if (context <= 0) context = 2048;

        List<Integer> eos = genai
                ? ids(required(readJson(genaiPath), genaiPath, "model", "eos_token_id"))
                : ids(cfg.path("eos_token_id"));
        if (!genai) {
            JsonNode gen = optionalJson(folder.resolve("generation_config.json"));
            for (int id : ids(gen.path("eos_token_id"))) if (!eos.contains(id)) eos.add(id);
        }
        return new ModelDescriptor(
                modelId(folder),
                folder,
                genai ? ModelDescriptor.Layout.GENAI : ModelDescriptor.Layout.OPTIMUM,
                modelFile,
                inputIds,
                mask,
                pos,
                useCache,
                idType,
                logits,
                logitsInfo.type,
                vocab,
                kv,
                context,
                eos);
    }

    // Foundry Local's cache and onnxruntime-genai repos keep each build in a subfolder named after its device and
    // precision (cpu-int4-rtn-block-32-acc-level-4, cpu_and_mobile/..., cuda-fp16): the model is the folder above.
    private static final Pattern VARIANT_FOLDER =
            Pattern.compile("(?i)(cpu|cuda|gpu|dml|directml|npu|webgpu|qnn|openvino|mobile)([-_].*)?");

    /** The id a model folder is served under: its name, or for a device/precision variant subfolder its model's name. */
    public static String modelId(Path folder) {
        Path f = folder.toAbsolutePath().normalize();
        while (f.getParent() != null
                && f.getParent().getFileName() != null
                && VARIANT_FOLDER.matcher(f.getFileName().toString()).matches()) {
            f = f.getParent();
        }
        return f.getFileName() == null ? folder.toString() : f.getFileName().toString();
    }

    private static KvCacheSpec kvSpec(
            Path folder,
            Path modelFile,
            boolean genai,
            JsonNode cfg,
            JsonNode dec,
            Map<String, NodeInfo> inputs,
            Map<String, NodeInfo> outputs,
            boolean shareBuffer) {
        List<String> past = new ArrayList<>();
        List<String> present = new ArrayList<>();
        KvCacheSpec.Layout layout;
        String pastFmt = genai ? dec.path("inputs").path("past_names").asText("") : "";
        if (!pastFmt.isEmpty() || inputs.containsKey("past_0")) {
            layout = KvCacheSpec.Layout.COMBINED;
            if (pastFmt.isEmpty()) pastFmt = "past_%d";
            String presentFmt =
                    genai ? dec.path("outputs").path("present_names").asText("present_%d") : "present_%d";
            for (int i = 0; inputs.containsKey(pastFmt.formatted(i)); i++) {
                past.add(pastFmt.formatted(i));
                present.add(presentFmt.formatted(i));
            }
        } else {
            layout = shareBuffer ? KvCacheSpec.Layout.SHARE_BUFFER : KvCacheSpec.Layout.PER_LAYER;
            String k = genai
                    ? dec.path("inputs").path("past_key_names").asText("past_key_values.%d.key")
                    : "past_key_values.%d.key";
            String v = genai
                    ? dec.path("inputs").path("past_value_names").asText("past_key_values.%d.value")
                    : "past_key_values.%d.value";
            String pk = genai ? dec.path("outputs").path("present_key_names").asText("present.%d.key") : null;
            String pv = genai ? dec.path("outputs").path("present_value_names").asText("present.%d.value") : null;
            for (int i = 0; inputs.containsKey(k.formatted(i)); i++) {
                past.add(k.formatted(i));
                past.add(v.formatted(i));
                present.add(pk != null ? pk.formatted(i) : presentName(k.formatted(i), outputs));
                present.add(pv != null ? pv.formatted(i) : presentName(v.formatted(i), outputs));
            }
        }
        if (past.isEmpty())
            throw new ChatException(
                    ChatException.Kind.MODEL_LOAD,
                    modelFile + " has no past key/value inputs "
                            + "(looked for past_key_values.N.key and past_N); only KV-cached decoders are supported");
        int declaredLayers = dec.path("num_hidden_layers")
                .asInt(cfg.path("num_hidden_layers").asInt(0));
        int layers = layout == KvCacheSpec.Layout.COMBINED ? past.size() : past.size() / 2;
        if (declaredLayers > 0 && declaredLayers != layers)
            throw new ChatException(
                    ChatException.Kind.MODEL_LOAD,
                    folder + ": config says " + declaredLayers + " layers but " + modelFile.getFileName()
                            + " has past inputs for " + layers);
        for (String p : present) requireName(outputs, p, folder, modelFile, "output");

        TensorInfo info = tensor(inputs.get(past.get(0)));
        long[] shape = info.getShape().clone();
        int seqAxis = shape.length - 2; // [..., seq, head_size] in every layout we know
        int heads = dec.path("num_key_value_heads")
                .asInt(cfg.path("num_key_value_heads")
                        .asInt(cfg.path("num_attention_heads").asInt(0)));
        int headSize = dec.path("head_size")
                .asInt(cfg.path("head_dim")
                        .asInt(
                                heads > 0 && cfg.path("hidden_size").asInt(0) > 0
                                        ? cfg.path("hidden_size").asInt()
                                                / cfg.path("num_attention_heads")
                                                        .asInt(heads)
                                        : 0));
        String[] dimNames = info.getDimensionNames();
        for (int i = 0; i < shape.length; i++) {
            if (i == seqAxis) shape[i] = 0;
            else if (shape[i] > 0) continue;
            else if (i == shape.length - 1 && headSize > 0) shape[i] = headSize;
            else if (dimNames != null
                    && i < dimNames.length
                    && dimNames[i].toLowerCase().contains("batch")) shape[i] = 1;
            else if (i == 0 || (layout == KvCacheSpec.Layout.COMBINED && i == 1)) shape[i] = 1;
            else if (heads > 0) shape[i] = heads;
            else
                throw new ChatException(
                        ChatException.Kind.MODEL_LOAD,
                        "cannot tell dimension " + i + " of " + past.get(0) + " in " + modelFile
                                + "; add num_key_value_heads/head_dim to the config");
        }
        return new KvCacheSpec(layout, past, present, shape, seqAxis, info.type);
    }

    private static final Pattern PAST = Pattern.compile("past_key_values\\.(\\d+)\\.(key|value)");

    /** Optimum exports name outputs present.N.key; a few older ones present_key_values.N.key. */
    private static String presentName(String pastName, Map<String, NodeInfo> outputs) {
        Matcher m = PAST.matcher(pastName);
        if (m.matches()) {
            for (String c : List.of(
                    "present." + m.group(1) + "." + m.group(2), "present_key_values." + m.group(1) + "." + m.group(2)))
                if (outputs.containsKey(c)) return c;
        }
        return pastName.replace("past_key_values", "present");
    }

    private static TensorInfo tensor(NodeInfo n) {
        return (TensorInfo) n.getInfo();
    }

    private static void requireName(Map<String, NodeInfo> names, String name, Path folder, Path file, String what) {
        if (!names.containsKey(name))
            throw new ChatException(
                    ChatException.Kind.MODEL_LOAD,
                    file.getFileName() + " in " + folder + " has no " + what + " named '" + name + "' (it has "
                            + names.keySet() + ")");
    }

    static List<Integer> ids(JsonNode n) {
        List<Integer> out = new ArrayList<>();
        if (n.isInt()) out.add(n.asInt());
        else if (n.isArray()) n.forEach(e -> out.add(e.asInt()));
        return out;
    }

    static JsonNode required(JsonNode root, Path file, String... path) {
        JsonNode n = root;
        for (String p : path) n = n.path(p);
        if (n.isMissingNode() || n.isNull())
            throw new ChatException(
                    ChatException.Kind.MODEL_LOAD,
                    file + " lacks the field " + String.join(".", path) + "; re-download the model folder or add it");
        return n;
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ChatException(ChatException.Kind.MODEL_LOAD, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static JsonNode optionalJson(Path file) {
        return Files.exists(file) ? readJson(file) : JSON.missingNode();
    }

    /** The folder that holds a model's files, and the line that says how it was chosen (null: given directly). */
    public record Build(Path folder, String note) {}

    /**
     * The model folder itself, or the build inside it: Foundry Local caches a model as
     * {@code <Publisher>/<model>/<build>/} (e.g. {@code cpu-int4-rtn-block-32-acc-level-4}) and onnxruntime-genai repos
     * keep builds as {@code cpu_and_mobile/cpu-int4-…/}. A folder with one build takes it; with several, the CPU one
     * (int4 first). With no model files anywhere, or only non-CPU builds to choose from, the error lists what is there.
     */
    public static Build pickBuild(Path folder) {
        if (!Files.isDirectory(folder))
            throw new ChatException(ChatException.Kind.MODEL_LOAD, "model folder " + folder + " does not exist");
        if (holdsModel(folder)) return new Build(folder, null);
        List<Path> builds = builds(folder);
        if (builds.isEmpty())
            throw new ChatException(
                    ChatException.Kind.MODEL_LOAD,
                    "no model in " + folder + ": no genai_config.json or .onnx file in it or in its subfolders"
                            + subfolders(folder));
        List<String> models = builds.stream()
                .filter(b -> b.getNameCount() - folder.getNameCount() == 2)
                .map(b -> b.getParent().getFileName().toString())
                .filter(top -> !VARIANT_FOLDER.matcher(top).matches())
                .distinct()
                .toList();
        if (models.size() > 1) // a Foundry publisher folder (Microsoft/) holds one folder per model
        throw new ChatException(
                    ChatException.Kind.MODEL_LOAD,
                    folder + " holds several models ("
                            + String.join(
                                    ", ", models.stream().map(m -> m + "/").toList())
                            + "); pass the folder of the one to use");
        if (builds.size() == 1)
            return new Build(
                    builds.get(0), "model folder " + folder + ": using its build " + rel(folder, builds.get(0)));
        List<Path> cpu = builds.stream()
                .filter(b -> rel(folder, b).toLowerCase(java.util.Locale.ROOT).contains("cpu"))
                .sorted(java.util.Comparator.comparing(
                                (Path b) -> !rel(folder, b).contains("int4"))
                        .thenComparing(b -> !rel(folder, b).contains("acc-level-4"))
                        .thenComparing(b -> rel(folder, b)))
                .toList();
        if (cpu.isEmpty())
            throw new ChatException(
                    ChatException.Kind.MODEL_LOAD,
                    folder + " holds the model builds " + names(folder, builds)
                            + " and none is for the CPU; pass the folder of the one to use");
        Path chosen = cpu.get(0);
        return new Build(
                chosen,
                "model folder " + folder + ": using the CPU build " + rel(folder, chosen) + " (of "
                        + names(folder, builds) + ")");
    }

    /** A folder the engine can open as it is: genai_config.json, onnx/*.onnx or *.onnx in it. */
    public static boolean holdsModel(Path folder) {
        if (Files.exists(folder.resolve("genai_config.json"))) return true;
        for (Path dir : List.of(folder.resolve("onnx"), folder)) {
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> s = Files.list(dir)) {
                if (s.anyMatch(p -> p.getFileName().toString().endsWith(".onnx"))) return true;
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }

    /** Subfolders up to two levels down that hold a model, sorted. */
    public static List<Path> builds(Path folder) {
        List<Path> out = new ArrayList<>();
        for (Path sub : subdirs(folder)) {
            if (holdsModel(sub)) out.add(sub);
            else for (Path subsub : subdirs(sub)) if (holdsModel(subsub)) out.add(subsub);
        }
        return out;
    }

    private static List<Path> subdirs(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(Files::isDirectory)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String subfolders(Path folder) {
        List<Path> subs = subdirs(folder);
        return subs.isEmpty() ? "" : "; its subfolders: " + names(folder, subs);
    }

    private static String names(Path folder, List<Path> dirs) {
        return String.join(", ", dirs.stream().map(d -> rel(folder, d) + "/").toList());
    }

    private static String rel(Path folder, Path sub) {
        return folder.relativize(sub).toString().replace('\\', '/');
    }
}
