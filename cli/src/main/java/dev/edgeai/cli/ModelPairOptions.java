package dev.edgeai.cli;

import static dev.edgeai.discovery.ModelChoice.DEFAULT_LLM;
import static dev.edgeai.discovery.ModelChoice.DEFAULT_SLM;

import dev.edgeai.discovery.Backends;
import dev.edgeai.discovery.ModelChoice;
import dev.edgeai.engine.hub.ModelStore;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The small and the large model, declared once for every script that uses a pair: {@code @Mixin ModelPairOptions
 * models;} then {@code models.open(backend, System.err)}. What each option means (named, default alias, picked by
 * size, in-process, embedded fallback) is decided in {@link Backends#choose}.
 */
public class ModelPairOptions {
    @Option(
            names = "--slm",
            paramLabel = "MODEL",
            defaultValue = "${env:SLM_ALIAS}",
            description = "Small model, as the server names it or an alias (phi-4-mini, qwen2.5:0.5b) "
                    + "(env SLM_ALIAS; default: " + DEFAULT_SLM + " when served, else the smallest served model).")
    public String slm;

    @Option(
            names = "--llm",
            paramLabel = "MODEL",
            defaultValue = "${env:LLM_ALIAS}",
            description = "Large model, like --slm (env LLM_ALIAS; default: " + DEFAULT_LLM
                    + " when served, else the largest served model).")
    public String llm;

    @Option(
            names = "--model-slm",
            paramLabel = "MODEL",
            defaultValue = "${env:SLM_MODEL}",
            description = "Run the small model in-process on the embedded ONNX Runtime engine: a model folder, a "
                    + "Foundry Local cache id or a Hugging Face repo id (env SLM_MODEL). With no server found: "
                    + ModelStore.DEFAULT_SLM_REPO + ".")
    public String modelSlm;

    @Option(
            names = "--model-llm",
            paramLabel = "MODEL",
            defaultValue = "${env:LLM_MODEL}",
            description = "Run the large model in-process, like --model-slm (env LLM_MODEL). With no server found: "
                    + ModelStore.DEFAULT_LLM_REPO + ".")
    public String modelLlm;

    /** The small model as asked for: the name given, else the default alias (for work before any server is asked). */
    public String slmName() {
        return slm == null || slm.isBlank() ? DEFAULT_SLM : slm.strip();
    }

    public String llmName() {
        return llm == null || llm.isBlank() ? DEFAULT_LLM : llm.strip();
    }

    /** The two parts, small then large, as {@link Backends#choose} takes them. */
    public List<ModelChoice.Want> wants() {
        return wants(false);
    }

    /** @param inProcess run both in-process even when neither --model-slm nor --model-llm is given (the defaults) */
    public List<ModelChoice.Want> wants(boolean inProcess) {
        return List.of(
                ModelChoice.Want.of("slm", ModelChoice.Size.SMALL, slm, DEFAULT_SLM, "--slm")
                        .inProcess(
                                modelSlm != null ? modelSlm : inProcess ? ModelStore.DEFAULT_SLM_REPO : null,
                                "--model-slm")
                        .fallback(ModelStore.DEFAULT_SLM_REPO),
                ModelChoice.Want.of("llm", ModelChoice.Size.LARGE, llm, DEFAULT_LLM, "--llm")
                        .inProcess(
                                modelLlm != null ? modelLlm : inProcess ? ModelStore.DEFAULT_LLM_REPO : null,
                                "--model-llm")
                        .fallback(ModelStore.DEFAULT_LLM_REPO));
    }

    /** The backend and both models: {@code chosen.id(0)} is the small one, {@code chosen.id(1)} the large one. */
    public Backends.Chosen open(BackendOptions backend, PrintStream log) {
        return backend.choose(wants(), log);
    }
}
