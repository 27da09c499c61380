///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Serving-grade latency/throughput benchmark of local models: TTFT, TPOT, ITL, E2E percentiles, concurrency sweep.
//JAVA 21+
//DEPS dev.edgeai:edgeai-cli:0.1.0
//RUNTIME_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn --enable-native-access=ALL-UNNAMED

import dev.edgeai.bench.BenchCompare;
import dev.edgeai.bench.BenchConfig;
import dev.edgeai.bench.BenchmarkRunner;
import dev.edgeai.bench.ProgressBars;
import dev.edgeai.bench.PromptSet;
import dev.edgeai.bench.ResultPrinter;
import dev.edgeai.chat.ChatBackend;
import dev.edgeai.charts.HtmlReport;
import dev.edgeai.chat.Terminal;
import dev.edgeai.cli.BackendOptions;
import dev.edgeai.cli.Cli;
import dev.edgeai.cli.Durations;
import dev.edgeai.cli.GenerationOptions;
import dev.edgeai.cli.ModelPairOptions;
import dev.edgeai.cli.ResultsOptions;
import dev.edgeai.cli.SaveOnInterrupt;
import dev.edgeai.client.NonStreamingBackend;
import dev.edgeai.discovery.Backends;
import dev.edgeai.discovery.ModelChoice;
import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunLog;
import dev.edgeai.results.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Benchmarks models on a local OpenAI-compatible server. Every figure comes from one streamed request: "
                + "TTFT (first token), TPOT and ITL (per output token), E2E; decode tok/s never counts prompt tokens. "
                + "Warmup requests are excluded. Not timed: nothing client-side besides the HTTP exchange itself.",
        footer = {"", "Examples:",
                "  ./jbang scripts/benchmark.java",
                "  BENCH_MODELS=phi-4-mini,qwen2.5-7b BENCH_ROUNDS=5 ./jbang scripts/benchmark.java --concurrency 1,2,4,8",
                "  ./jbang scripts/benchmark.java --prompts data/prompts/long.jsonl --requests 20",
                "  ./jbang scripts/benchmark.java --embedded --models ~/models/Qwen2.5-0.5B-Instruct,onnx-community/Qwen2.5-1.5B-Instruct",
                "  ./jbang scripts/benchmark.java --compare data/results/old.json data/results/new.json"})
public class benchmark implements Callable<Integer> {
    @Option(names = "--models", split = ",", defaultValue = "${env:BENCH_MODELS}", paramLabel = "MODEL",
            description = "Comma-separated model ids or aliases, instead of the --slm/--llm pair (env BENCH_MODELS).")
    List<String> models;

    @Mixin ModelPairOptions pair;

    @Option(names = "--rounds", defaultValue = "${env:BENCH_ROUNDS:-3}",
            description = "Measured rounds over the prompt set per model and concurrency (env BENCH_ROUNDS; default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--requests", description = "Instead of rounds: exactly N measured requests per model and concurrency.")
    Integer requests;

    @Option(names = "--duration", description = "Instead of rounds: keep sending for this long per cell, e.g. PT30S or 30s.",
            converter = Durations.class)
    Duration duration;

    @Option(names = "--prompt", defaultValue = "${env:BENCH_PROMPT}",
            description = "A single prompt to benchmark (env BENCH_PROMPT); without it the --prompts file is used.")
    String prompt;

    @Option(names = "--prompts", defaultValue = "data/prompts/short.jsonl",
            description = "Prompt set, one JSON object per line: {\"id\",\"prompt\",\"max_tokens\"} (default: ${DEFAULT-VALUE}).")
    Path prompts;

    @Option(names = "--stream", defaultValue = "${env:BENCH_STREAM:-true}", arity = "1",
            description = "Stream responses: 1/0, true/false, yes/no, on/off (env BENCH_STREAM; default: ${DEFAULT-VALUE}). Off measures E2E only: no TTFT/TPOT.")
    boolean stream;

    @Option(names = "--warmup", defaultValue = "1", description = "Untimed warmup requests per model (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Mixin GenerationOptions gen = GenerationOptions.defaults(128, 0.0, null);   // max tokens override the prompt set

    @Option(names = "--concurrency", split = ",", defaultValue = "1",
            description = "Concurrency levels to sweep, e.g. 1,2,4,8 (default: ${DEFAULT-VALUE}).")
    List<Integer> concurrency;

    @Option(names = "--embedded", description = "Run the models in-process on the embedded ONNX Runtime engine: --models are then "
            + "model folders, Foundry Local cache ids or Hugging Face repo ids (implied when every model is a folder); "
            + "without --models, the pair's in-process defaults.")
    boolean embedded;

    @Option(names = {"-o", "--format"}, defaultValue = "md", description = "Console table: md, csv, json or jsonl (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--compare", arity = "2", paramLabel = "FILE",
            description = "Compare two results files (old new) and print the regression table instead of running.")
    List<Path> compare;

    @Option(names = "--threshold", defaultValue = "0.10", description = "Regression threshold for --compare (default: ${DEFAULT-VALUE} = 10%%).")
    double threshold;

    @Option(names = "--no-progress", description = "No progress bar on stderr.")
    boolean noProgress;

    @Mixin BackendOptions backend;
    @Mixin ResultsOptions results;

    public static void main(String... args) {
        System.exit(Cli.execute(new benchmark(), args));
    }

    @Override
    public Integer call() throws Exception {
        if (compare != null) {
            var c = BenchCompare.compare(compare.get(0), compare.get(1), threshold);
            System.out.print(c.toMarkdown());
            return 0;
        }
        if (models != null && (models.isEmpty() || models.stream().anyMatch(String::isBlank))) {
            throw new IllegalArgumentException("no models given: set --models or BENCH_MODELS, e.g. phi-4-mini,qwen2.5-7b");
        }
        PromptSet set = prompt != null && !prompt.isBlank()
                ? PromptSet.single("bench", prompt, gen.maxTokens()) : PromptSet.load(prompts);
        ResultPrinter printer = ResultPrinter.forFormat(format);
        config(set, models != null ? models : List.of(pair.slmName(), pair.llmName()));   // fails before any request
        Path out = results.dir();
        List<ModelChoice.Want> wants = models == null ? pair.wants(embedded) : models.stream()
                .map(m -> ModelChoice.Want.of("model", ModelChoice.Size.SMALL, m.trim(), null, "--models")
                        .inProcess(embedded ? m.trim() : null, "--embedded --models"))
                .toList();
        Backends.Chosen chosen = backend.choose(wants, System.err);
        try (ChatBackend found = chosen.backend()) {
            List<String> ids = chosen.ids().stream().distinct().toList();
            ChatBackend chat = stream ? found : new NonStreamingBackend(found);
            BenchConfig cfg = config(set, ids);

            RunLog log = new RunLog();
            Path json = ResultsFile.newPath(out, "benchmark");
            try (SaveOnInterrupt guard = SaveOnInterrupt.install(json, log, System.err)) {
                var runner = new BenchmarkRunner(chat).log(log);
                RunResult result;
                if (noProgress) {
                    result = runner.run(cfg);
                } else {
                    try (ProgressBars bar = ProgressBars.stderr("benchmark")) {
                        result = runner.progress(bar).run(cfg);
                    }
                }
                if (guard.write(result) == null) return 130;   // the Ctrl-C handler saved the snapshot already
                if (guard.interrupted()) result = result.incomplete(SaveOnInterrupt.REASON);
                String base = json.getFileName().toString().replaceFirst("\\.json$", "");
                Path csv = json.resolveSibling(base + ".csv");
                Files.writeString(csv, ResultPrinter.forFormat("csv").print(result));
                Path html = HtmlReport.write(json.resolveSibling(base + ".html"), "Benchmark " + String.join(" vs ", ids), result);
                System.err.println("results: " + json + "\n         " + csv + "\n         " + html);
                System.out.print(Terminal.safe(printer.print(result)));   // model ids come from the server
                RunLog.errorSummary(result.samples(), backend.verbose).forEach(l -> System.err.println("error: " + Terminal.safe(l)));
                if (result.samples().stream().noneMatch(s -> s.ok() && !s.warmup())) {
                    System.err.println("error: every request failed" + (result.note() == null ? "" : ": " + Terminal.safe(result.note())));
                    return 1;
                }
                if (!result.complete()) {
                    System.err.println("error: the run stopped early and is marked incomplete: " + Terminal.safe(result.note()));
                    return 1;
                }
                return result.summaries().stream().anyMatch(s -> s.errors() > 0) ? 1 : 0;
            }
        }
    }

    BenchConfig config(PromptSet set, List<String> ids) {
        BenchConfig.Builder b = BenchConfig.builder(set, ids).warmup(warmup).maxTokens(gen.maxTokens())
                .temperature(gen.temperature()).seed(gen.seed()).concurrency(concurrency).tool("benchmark");
        if (requests != null) b.rounds(null).requests(requests);
        else if (duration != null) b.rounds(null).duration(duration);
        else b.rounds(rounds);
        return b.build();
    }
}
