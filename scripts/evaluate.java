///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Which model for which job: QA scores (rubric, optional LLM judge), cost emulation, cold start and memory, hybrid and RAG-escalation pipelines.
//JAVA 21+
//DEPS dev.edgeai:edgeai-cli:0.1.0
//RUNTIME_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn --enable-native-access=ALL-UNNAMED

import dev.edgeai.charts.HtmlReport;
import dev.edgeai.cli.BackendOptions;
import dev.edgeai.cli.Cli;
import dev.edgeai.cli.DocsOptions;
import dev.edgeai.cli.GenerationOptions;
import dev.edgeai.cli.ModelPairOptions;
import dev.edgeai.cli.ResultsOptions;
import dev.edgeai.discovery.ModelChoice;
import dev.edgeai.eval.Costs;
import dev.edgeai.eval.EscalationRule;
import dev.edgeai.eval.EvalTable;
import dev.edgeai.eval.Evaluator;
import dev.edgeai.eval.Judge;
import dev.edgeai.eval.ModelCaller;
import dev.edgeai.eval.QaSet;
import dev.edgeai.eval.Serving;
import dev.edgeai.cli.Flags;
import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunResult;
import dev.edgeai.retrieval.Retriever;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Answers a QA set about data/docs/ with a small and a large model (temperature 0, fixed seed) and with "
                + "the hybrid pipeline (the SLM drafts, the LLM refines what the escalation rule flags); --rag gives every "
                + "system the retrieved context and adds RAG with LLM escalation. Scores each answer deterministically "
                + "(keyword recall, exact match, brevity, refusal, grounding) and optionally with an LLM judge (1-5 rubric). "
                + "Prints scores, latency, memory, cold start and what the run would cost in the cloud vs locally (an "
                + "energy estimate); writes results JSON and an HTML report.",
        footer = {"", "Examples:",
                "  ./jbang scripts/evaluate.java",
                "  ./jbang scripts/evaluate.java --rag --judge gpt-oss-20b",
                "  SLM_ALIAS=phi-4-mini LLM_ALIAS=qwen2.5-7b ./jbang scripts/evaluate.java --limit 10 --escalate-topics license,price",
                "  ./jbang scripts/evaluate.java --model-slm ~/models/Qwen2.5-0.5B-Instruct --model-llm onnx-community/Qwen2.5-1.5B-Instruct"})
public class evaluate implements Callable<Integer> {
    @Mixin ModelPairOptions pair;

    @Option(names = "--models", split = ",", defaultValue = "${env:EVAL_MODELS}", paramLabel = "MODEL",
            description = "Instead of --slm/--llm: models to evaluate, smallest first; the pipelines use the first and the last (env EVAL_MODELS).")
    List<String> models;

    @Option(names = "--qa", defaultValue = "${env:EVAL_QA:-data/qa/workshop.jsonl}", description = "QA set, JSON Lines (env EVAL_QA; default: ${DEFAULT-VALUE}).")
    Path qa;

    @Option(names = "--limit", defaultValue = "${env:EVAL_LIMIT:-0}", description = "Only the first N questions, 0 = all (env EVAL_LIMIT; default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--rag", arity = "0..1", fallbackValue = "true", defaultValue = "${env:EVAL_RAG:-false}", converter = Flags.Converter.class,
            description = "Give every system the retrieved context and add the RAG-escalation pipeline (env EVAL_RAG; default: ${DEFAULT-VALUE}).")
    boolean rag;

    @Option(names = "--hybrid", arity = "1", defaultValue = "${env:EVAL_HYBRID:-true}", converter = Flags.Converter.class,
            description = "Evaluate the hybrid draft-refine pipeline (env EVAL_HYBRID; default: ${DEFAULT-VALUE}).")
    boolean hybrid;

    @Option(names = "--judge", defaultValue = "${env:EVAL_JUDGE}", description = "Also grade every answer with this model (1-5 coherence/factuality/brevity; env EVAL_JUDGE).")
    String judge;

    @Option(names = "--judge-cache", defaultValue = "${env:EVAL_JUDGE_CACHE:-data/results/.judge-cache}",
            description = "Judge replies cached here by hash, so reruns are free (default: ${DEFAULT-VALUE}).")
    Path judgeCache;

    @Option(names = "--escalate-topics", split = ",", defaultValue = "${env:EVAL_ESCALATE_TOPICS}", description = "Escalate questions mentioning any of these words.")
    List<String> topics;

    @Option(names = "--escalate-min-chars", defaultValue = "2", description = "Escalate answers shorter than this, 0 = off (default: ${DEFAULT-VALUE}).")
    int minChars;

    @Option(names = "--escalate-max-words", defaultValue = "80", description = "Escalate answers longer than this many words, 0 = off (default: ${DEFAULT-VALUE}).")
    int maxWords;

    @Option(names = "--escalate-grounding", defaultValue = "0.5", description = "With --rag: escalate answers with grounding below this, NaN = off (default: ${DEFAULT-VALUE}).")
    double minGrounding;

    @Option(names = "--escalate-judge", defaultValue = "NaN", description = "With --judge: escalate drafts whose factuality grade is below this (1-5; default: off).")
    double minJudge;

    @Option(names = "--escalate-refusal", arity = "1", defaultValue = "true", converter = Flags.Converter.class, description = "Escalate refusals (default: ${DEFAULT-VALUE}).")
    boolean onRefusal;

    @Mixin GenerationOptions gen = GenerationOptions.defaults(256, 0.0, 42L);

    @Option(names = "--prices", defaultValue = "data/prices.json", description = "Cloud prices per 1M tokens (default: ${DEFAULT-VALUE}).")
    Path prices;

    @Option(names = "--watts", defaultValue = "${env:EVAL_WATTS:-15}", description = "Local energy estimate: watts per busy CPU core (env EVAL_WATTS; default: ${DEFAULT-VALUE}).")
    double watts;

    @Option(names = "--kwh-price", defaultValue = "${env:EVAL_KWH_PRICE:-0.30}", description = "Electricity price, USD per kWh (env EVAL_KWH_PRICE; default: ${DEFAULT-VALUE}).")
    double kwhPrice;

    @Mixin DocsOptions docs;

    @Mixin BackendOptions backendOptions;
    @Mixin ResultsOptions results;

    public static void main(String... args) {
        System.exit(Cli.execute(new evaluate(), args));
    }

    @Override
    public Integer call() throws Exception {
        var items = QaSet.first(QaSet.load(qa), limit);
        var rule = new EscalationRule(onRefusal, minChars, maxWords, topics, minGrounding, minJudge);
        var costs = Costs.load(prices, watts, kwhPrice);
        Path out = results.dir();
        Path docsDir = docs.dir();
        int maxTokens = gen.maxTokens();
        double temperature = gen.temperature();
        if (gen.seed() == null)
            throw new IllegalArgumentException("--seed none: an evaluation needs a seed (repeatable answers)");
        long seed = gen.seed();
        List<ModelChoice.Want> wants = models != null && !models.isEmpty()
                ? models.stream()
                        .map(m -> ModelChoice.Want.of("model", ModelChoice.Size.SMALL, m.trim(), null, "--models"))
                        .toList()
                : pair.wants();
        Serving serving = Serving.open(() -> backendOptions.choose(wants, System.err), System.err);
        try (var backend = serving.backend()) {
            Retriever retriever = Retriever.open(docsDir);
            var caller = new ModelCaller(backend, maxTokens, temperature, seed, serving.process());
            Judge j = judge == null || judge.isBlank() ? null : new Judge(caller, judge, judgeCache);
            Map<String, Object> recorded = new LinkedHashMap<>();
            recorded.put("qa", qa.toString());
            recorded.put("limit", limit);
            recorded.put("max_tokens", maxTokens);
            recorded.put("temperature", temperature);
            recorded.put("seed", seed);
            recorded.put("docs", docsDir.toString());
            var cfg = new Evaluator.Config(items, serving.models(), hybrid, rag, rule, serving.loads());
            RunResult result = Evaluator.run(caller, retriever, j, costs, cfg, recorded, System.err::println);
            System.out.println("Scores (means over " + items.size() + " questions; score = correct answer, or refusal for traps)");
            System.out.println(EvalTable.scores(result));
            System.out.println("Cost of this run (USD)");
            System.out.println(EvalTable.costs(result));
            System.out.println("Which model for which job (measured in this run)");
            System.out.println(EvalTable.session(result));
            if (j != null) System.err.println("judge: " + j.calls() + " calls, " + j.cacheHits() + " cached replies (" + judgeCache + ")");
            Path file = ResultsFile.write(ResultsFile.newPath(out, "evaluate"), result);
            Path html = HtmlReport.write(Path.of(file.toString().replaceFirst("\\.json$", ".html")), "evaluate — " + file.getFileName(), result);
            System.err.println("results: " + file + "\nreport:  " + html);
            return result.samples().stream().allMatch(s -> s.ok()) ? 0 : 1;
        }
    }
}
