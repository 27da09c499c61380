///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Compare a small and a large language model on the same prompt: latency, tokens, answers side by side.
//JAVA 21+
//DEPS dev.edgeai:edgeai-cli:0.1.0
//RUNTIME_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn --enable-native-access=ALL-UNNAMED

import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.Terminal;
import dev.edgeai.cli.BackendOptions;
import dev.edgeai.cli.Cli;
import dev.edgeai.cli.GenerationOptions;
import dev.edgeai.cli.ModelPairOptions;
import dev.edgeai.cli.ResultsOptions;
import dev.edgeai.cli.SaveOnInterrupt;
import dev.edgeai.compare.CompareOptions;
import dev.edgeai.compare.ModelCompare;
import dev.edgeai.discovery.Backends;
import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunLog;
import dev.edgeai.results.RunResult;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "model_compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Sends the same prompt to a small (SLM) and a large (LLM) model on a local OpenAI-compatible "
                + "server, streams each answer to time it, prints a side-by-side table and writes results JSON. "
                + "Without --slm/--llm it takes phi-4-mini and gpt-oss-20b, or else the smallest and largest models "
                + "the server has. With no server found (or with --model-slm/--model-llm) both models run in-process "
                + "on the embedded ONNX Runtime engine.",
        footer = {"", "Examples:",
                "  ./jbang scripts/model_compare.java",
                "  SLM_ALIAS=phi-4-mini LLM_ALIAS=qwen2.5-7b ./jbang scripts/model_compare.java --rounds 5",
                "  ./jbang scripts/model_compare.java --endpoint http://127.0.0.1:11434/v1 --slm qwen2.5:0.5b --llm qwen2.5:7b",
                "  ./jbang scripts/model_compare.java --model-slm ~/models/Qwen2.5-0.5B-Instruct --model-llm microsoft/Phi-4-mini-instruct-onnx"})
public class model_compare implements Callable<Integer> {
    @Mixin ModelPairOptions models;

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

    @Mixin GenerationOptions gen = GenerationOptions.defaults(256, 0.0, null);

    @Option(names = "--width", defaultValue = "48", description = "Width of each answer column (default: ${DEFAULT-VALUE}).")
    int width;

    @Mixin BackendOptions backendOptions;
    @Mixin ResultsOptions results;

    public static void main(String... args) {
        System.exit(Cli.execute(new model_compare(), args));
    }

    @Override
    public Integer call() {
        new CompareOptions(models.slmName(), models.llmName(), prompt, system, rounds, warmup, gen.maxTokens(),
                gen.temperature(), gen.seed());   // validate before any loading
        Path out = results.dir();
        Backends.Chosen chosen = models.open(backendOptions, System.err);
        var options = new CompareOptions(chosen.id(0), chosen.id(1), prompt, system, rounds, warmup, gen.maxTokens(),
                gen.temperature(), gen.seed());
        Map<String, Object> recorded = new LinkedHashMap<>();
        recorded.put("slm", chosen.picks().get(0).label());
        recorded.put("llm", chosen.picks().get(1).label());
        recorded.put("max_tokens", gen.maxTokens());
        recorded.put("temperature", gen.temperature());
        if (gen.seed() != null) recorded.put("seed", gen.seed());
        RunLog log = new RunLog();
        Path file = ResultsFile.newPath(out, "model_compare");
        try (ChatBackend backend = chosen.backend();
                SaveOnInterrupt guard = SaveOnInterrupt.install(file, log, System.err)) {
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
