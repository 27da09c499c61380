///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Compare a small and a large language model on the same prompt: latency, tokens, answers side by side.
//JAVA 21+
//DEPS dev.edgeai:edgeai-cli:0.1.0
//RUNTIME_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

import dev.edgeai.chat.ChatBackend;
import dev.edgeai.cli.BackendOptions;
import dev.edgeai.cli.Cli;
import dev.edgeai.cli.ResultsOptions;
import dev.edgeai.cli.SaveOnInterrupt;
import dev.edgeai.chat.Terminal;
import dev.edgeai.compare.CompareOptions;
import dev.edgeai.compare.ModelCompare;
import dev.edgeai.discovery.Backends;
import dev.edgeai.engine.hub.ModelStore;
import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunLog;
import dev.edgeai.results.RunResult;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "model_compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Sends the same prompt to a small (SLM) and a large (LLM) model on a local OpenAI-compatible server, "
                + "streams each answer to time it, prints a side-by-side table and writes results JSON. With no server "
                + "found (or with --model-slm/--model-llm) both models run in-process on the embedded ONNX Runtime "
                + "engine.",
        footer = {"", "Examples:",
                "  ./jbang scripts/model_compare.java",
                "  SLM_ALIAS=phi-4-mini LLM_ALIAS=qwen2.5-7b ./jbang scripts/model_compare.java --rounds 5",
                "  ./jbang scripts/model_compare.java --endpoint http://127.0.0.1:11434/v1 --slm qwen2.5:0.5b --llm qwen2.5:7b",
                "  ./jbang scripts/model_compare.java --model-slm ~/models/Qwen2.5-0.5B-Instruct --model-llm microsoft/Phi-4-mini-instruct-onnx"})
public class model_compare implements Callable<Integer> {
    @Option(names = "--slm", defaultValue = "${env:SLM_ALIAS:-phi-4-mini}",
            description = "Small model id or alias (env SLM_ALIAS; default: ${DEFAULT-VALUE}).")
    String slm;

    @Option(names = "--llm", defaultValue = "${env:LLM_ALIAS:-gpt-oss-20b}",
            description = "Large model id or alias (env LLM_ALIAS; default: ${DEFAULT-VALUE}).")
    String llm;

    @Option(names = "--prompt", defaultValue = "${env:COMPARE_PROMPT:-Explain in three sentences why small language models suit on-device inference.}",
            description = "Prompt sent to both models (env COMPARE_PROMPT; default: ${DEFAULT-VALUE}).")
    String prompt;

    @Option(names = "--system", defaultValue = "${env:COMPARE_SYSTEM:-}",
            description = "Optional system prompt (env COMPARE_SYSTEM; default: none).")
    String system;

    @Option(names = "--rounds", defaultValue = "${env:COMPARE_ROUNDS:-3}",
            description = "Measured rounds per model (env COMPARE_ROUNDS; default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup", defaultValue = "${env:COMPARE_WARMUP:-1}",
            description = "Untimed warmup rounds per model (env COMPARE_WARMUP; default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--max-tokens", defaultValue = "${env:COMPARE_MAX_TOKENS:-256}",
            description = "Max tokens per answer (env COMPARE_MAX_TOKENS; default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--temperature", defaultValue = "${env:COMPARE_TEMPERATURE:-0}",
            description = "Sampling temperature, 0 = greedy (env COMPARE_TEMPERATURE; default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--model-slm", defaultValue = "${env:SLM_MODEL}",
            description = "Run the small model in-process (embedded ONNX Runtime): a model folder, a Foundry Local cache id or a "
                    + "Hugging Face repo id (env SLM_MODEL). Default when no server is found: " + ModelStore.DEFAULT_SLM_REPO + ".")
    String modelSlm;

    @Option(names = "--model-llm", defaultValue = "${env:LLM_MODEL}",
            description = "Run the large model in-process, like --model-slm (env LLM_MODEL). Default when no server is found: "
                    + ModelStore.DEFAULT_LLM_REPO + ".")
    String modelLlm;

    @Option(names = "--width", defaultValue = "48", description = "Width of each answer column (default: ${DEFAULT-VALUE}).")
    int width;

    @Mixin BackendOptions backendOptions;
    @Mixin ResultsOptions results;

    public static void main(String... args) {
        System.exit(Cli.execute(new model_compare(), args));
    }

    @Override
    public Integer call() {
        new CompareOptions(slm, llm, prompt, system, rounds, warmup, maxTokens, temperature); // validate before any loading
        Path out = results.dir();
        boolean embedded = modelSlm != null || modelLlm != null;
        String slmModel = modelSlm != null ? modelSlm : ModelStore.DEFAULT_SLM_REPO;
        String llmModel = modelLlm != null ? modelLlm : ModelStore.DEFAULT_LLM_REPO;
        List<String> modelOptions = List.of("--model-slm", "--model-llm");
        Backends.Selection selection = embedded ? Backends.embedded(List.of(slmModel, llmModel), modelOptions, System.err)
                : backendOptions.openOrEmbedded(List.of(slmModel, llmModel), modelOptions, System.err);
        ChatBackend backend = selection.backend();
        if (selection.embedded()) {   // in-process models are named after their folders
            slm = selection.modelIds().get(0);
            llm = selection.modelIds().get(1);
        }
        var options = new CompareOptions(slm, llm, prompt, system, rounds, warmup, maxTokens, temperature);
        Map<String, Object> recorded = new LinkedHashMap<>();
        recorded.put("slm", slm);
        recorded.put("llm", llm);
        recorded.put("max_tokens", maxTokens);
        recorded.put("temperature", temperature);
        RunLog log = new RunLog();
        Path file = ResultsFile.newPath(out, "model_compare");
        try (backend; SaveOnInterrupt guard = SaveOnInterrupt.install(file, log, System.err)) {
            RunResult result = ModelCompare.run(backend, options, recorded, System.err::println, log);
            if (guard.write(result) != null) System.err.println("results: " + file);   // saved before anything can fail
            System.out.print(Terminal.safe(ModelCompare.table(result, width)));
            RunLog.errorSummary(result.samples(), backendOptions.verbose).forEach(l -> System.err.println("error: " + Terminal.safe(l)));
            if (!result.complete()) {
                System.err.println("error: incomplete run, results kept and marked: " + Terminal.safe(result.note()));
                return 1;
            }
            return result.summaries().stream().allMatch(s -> s.errors() == 0) ? 0 : 1;
        }
    }
}
