package dev.edgeai.engine.hub;

import dev.edgeai.chat.ChatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The models to run in-process are not on this machine and the hub cannot be reached (offline, a workshop Wi-Fi, a
 * proxy). The message is the usual one line; {@link #guide} is what to do next, said the same way by every script:
 * the exact files and URLs of every missing model and the folder they go in, the {@code models import} command for a
 * copy on a USB stick, and two ways to try the mechanics at once (the tiny test models, the scripted server).
 */
public final class ModelsUnavailable extends ChatException {
    /** Tiny models shipped with the kit (random weights), small first: they stand in for the missing pair. */
    static final List<String> TINY =
            List.of("tiny-random-qwen2.5-instruct-q4", "tiny-random-phi-4-mini-instruct-generic-cpu");

    /** The port the guide suggests for the scripted server (any free one works). */
    static final int FAKE_PORT = 8099;

    /**
     * One model that is missing.
     *
     * @param option the option it came from (--model-slm), or null for a default
     * @param known  the catalog entry when the kit knows the repository's files, else null
     * @param folder where its files go
     */
    public record Missing(String option, String repo, String revision, ModelStore.Suggested known, Path folder) {}

    private final List<Missing> missing;
    private final List<String> specs;
    private final List<String> options;
    private final String endpoint;

    ModelsUnavailable(
            List<Missing> missing,
            List<String> specs,
            List<String> options,
            String endpoint,
            Path cache,
            ChatException cause) {
        super(Kind.UNREACHABLE, message(missing, cache, cause), cause);
        this.missing = List.copyOf(missing);
        this.specs = List.copyOf(specs);
        this.options = List.copyOf(options);
        this.endpoint = endpoint;
    }

    public List<Missing> missing() {
        return missing;
    }

    private static String message(List<Missing> missing, Path cache, ChatException cause) {
        String why = cause.getMessage();
        int cut = why.indexOf(". If you are offline");
        if (cut > 0) why = why.substring(0, cut);
        List<String> repos = missing.stream().map(Missing::repo).toList();
        return "the model" + (repos.size() == 1 ? " " : "s ") + String.join(" and ", repos)
                + (repos.size() == 1 ? " is" : " are") + " not in " + cache + " and cannot be downloaded: " + why;
    }

    /**
     * What to do next, one line each (indented two spaces per level), for the script that hit it.
     *
     * @param script      the script's name (model_compare), for the commands to paste
     * @param hasEndpoint whether the script takes --endpoint (else the scripted-server example uses model_compare)
     */
    public List<String> guide(String script, boolean hasEndpoint) {
        List<String> out = new ArrayList<>(howToGetThem());
        out.add("Or start a model server the scripts find by themselves: `foundry model run phi-4-mini`, `ollama serve`"
                + (hasEndpoint ? ", or pass --endpoint URL" : "") + ".");
        out.add("Try the mechanics right now, offline:");
        String tiny = tinyArgs();
        if (tiny != null) {
            out.add("  ./jbang scripts/" + script + ".java " + tiny);
            out.add(
                    "      (tiny test models with random weights: gibberish answers, real loading, streaming and timing)");
        }
        String url = "http://127.0.0.1:" + FAKE_PORT + "/v1";
        out.add("  ./jbang scripts/fake_server.java --port " + FAKE_PORT
                + "      # a scripted stand-in server; then, in a second terminal:");
        out.add("  ./jbang scripts/" + (hasEndpoint ? script : "model_compare") + ".java --endpoint " + url);
        return out;
    }

    /** The files and URLs of every missing model, the folders they go in, and the import command for a copy. */
    public List<String> howToGetThem() {
        List<String> out = new ArrayList<>();
        out.add("To run " + (missing.size() == 1 ? "it" : "them") + " in-process, download "
                + (missing.size() == 1 ? "its files" : "each model's files") + " on a connected machine into "
                + (missing.size() == 1 ? "this folder" : "these folders") + ", then run again:");
        for (Missing m : missing) {
            out.add("  " + m.repo()
                    + (m.known() == null
                            ? ""
                            : " (" + m.known().approxDownload() + ", "
                                    + m.known().why() + ")")
                    + " -> " + m.folder() + "/");
            String base = endpoint + "/" + m.repo() + "/resolve/" + m.revision() + "/";
            if (m.known() != null) {
                for (String f : m.known().files()) {
                    if (f.contains(" ")) { // a whole folder, described
                        out.add("    " + endpoint + "/" + m.repo() + "/tree/" + m.revision() + "/" + f);
                    } else {
                        int slash = f.lastIndexOf('/');
                        out.add("    " + base + f + (slash > 0 ? "   (into " + f.substring(0, slash + 1) + ")" : ""));
                    }
                }
            } else {
                out.add("    from " + endpoint + "/" + m.repo() + "/tree/" + m.revision()
                        + ": the .onnx decoder (onnx/model_q4.onnx or genai_config.json + model.onnx, with its .data"
                        + " file), tokenizer.json, tokenizer_config.json, config.json, generation_config.json");
            }
        }
        out.add("Or copy them from a USB stick or a shared folder (a model folder, a Foundry Local model folder, a"
                + " Hugging Face snapshot, or a .zip/.tar.gz of one):");
        for (Missing m : missing)
            out.add("  ./jbang scripts/models.java import /media/usb/"
                    + m.repo().substring(m.repo().indexOf('/') + 1));
        return out;
    }

    /** The script's model options pointed at the tiny test models, or null when this is not the kit's checkout. */
    String tinyArgs() {
        return tinyArgsFrom(Path.of(""));
    }

    /** {@link #tinyArgs()} for a run from {@code root} (the scripts run from the kit's checkout). */
    String tinyArgsFrom(Path root) {
        Path dir = Path.of("testdata", "models");
        if (!Files.isDirectory(root.resolve(dir).resolve(TINY.get(0)))) return null;
        List<String> args = new ArrayList<>();
        int n = Math.max(1, specs.size());
        String option = options.isEmpty() ? null : options.get(0);
        if (option != null && option.contains("--models")) { // benchmark: --embedded --models a,b
            List<String> list = new ArrayList<>();
            for (int i = 0; i < n; i++) list.add(tiny(dir, i));
            return option + " " + String.join(",", list);
        }
        for (int i = 0; i < n; i++) {
            String o = i < options.size() && options.get(i) != null ? options.get(i) : "--model";
            args.add(o + " " + tiny(dir, i));
        }
        return String.join(" ", args);
    }

    private static String tiny(Path dir, int i) {
        return dir.resolve(TINY.get(Math.min(i, TINY.size() - 1))).toString().replace('\\', '/');
    }
}
