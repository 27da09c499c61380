///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Route prompts to a small or a large model by intent, explain each decision, measure accuracy, latency and cost.
//JAVA 21+
//DEPS dev.edgeai:edgeai-cli:0.1.0
//RUNTIME_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

import dev.edgeai.agents.AgentReport;
import dev.edgeai.agents.AgentRun;
import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.cli.BackendOptions;
import dev.edgeai.cli.Cli;
import dev.edgeai.cli.ResultsOptions;
import dev.edgeai.discovery.Backends;
import dev.edgeai.engine.hub.ModelStore;
import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunResult;
import dev.edgeai.retrieval.Embedder;
import dev.edgeai.router.IntentClassifier;
import dev.edgeai.router.LabelledPrompt;
import dev.edgeai.router.ModelCatalog;
import dev.edgeai.router.RoutedPipeline;
import dev.edgeai.router.Router;
import dev.edgeai.router.RouterEval;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "router", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Routes a prompt to the small (SLM) or the large (LLM) model by its intent — keyword and length rules "
                + "first, then MiniLM similarity to the labelled prompts — explains the decision and answers with the "
                + "chosen model. With no prompt it routes every labelled prompt in --labelled, prints the accuracy of "
                + "each strategy (leave-one-out), then answers each prompt with both models and compares latency and "
                + "emulated cost of routing with always-SLM and always-LLM (results JSON). --pipeline runs the prompt as "
                + "a task: plan, execute each step, review, each step on the model the router picks.",
        footer = {"", "Examples:",
                "  ./jbang scripts/router.java \"Write a Python function that reverses a list\"",
                "  ./jbang scripts/router.java --no-run          # accuracy only, no model needed",
                "  ./jbang scripts/router.java --limit 10        # live comparison on 10 of the labelled prompts",
                "  ./jbang scripts/router.java --pipeline \"Plan a local-LLM pilot for our support team\""})
public class router implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "PROMPT", description = "A prompt to route (none: route the labelled set).")
    String prompt;

    @Option(names = "--slm", defaultValue = "${env:SLM_ALIAS:-phi-4-mini}", description = "Small model (env SLM_ALIAS; default: ${DEFAULT-VALUE}).")
    String slm;

    @Option(names = "--llm", defaultValue = "${env:LLM_ALIAS:-gpt-oss-20b}", description = "Large model (env LLM_ALIAS; default: ${DEFAULT-VALUE}).")
    String llm;

    @Option(names = "--pipeline", description = "Run PROMPT as a task: plan → execute each step → review, routing every step.")
    boolean pipeline;

    @Option(names = "--no-run", description = "Only classify and explain; send nothing to a model.")
    boolean noRun;

    @Option(names = "--limit", defaultValue = "${env:ROUTER_LIMIT:-0}",
            description = "Answer at most this many labelled prompts, spread over the set (env ROUTER_LIMIT; 0 = all).")
    int limit;

    @Option(names = "--max-tokens", defaultValue = "${env:ROUTER_MAX_TOKENS:-128}",
            description = "Max tokens per answer (env ROUTER_MAX_TOKENS; default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--catalog", defaultValue = "data/models.json", description = "Model catalog (default: ${DEFAULT-VALUE}).")
    Path catalog;

    @Option(names = "--labelled", defaultValue = "data/router", description = "Labelled prompts, a .jsonl file or a folder of them (default: ${DEFAULT-VALUE}).")
    Path labelled;

    @Option(names = "--model-slm", defaultValue = "${env:SLM_MODEL}", description = "Run the small model in-process (env SLM_MODEL). "
            + "Default when no server is found: " + ModelStore.DEFAULT_SLM_REPO + ".")
    String modelSlm;

    @Option(names = "--model-llm", defaultValue = "${env:LLM_MODEL}", description = "Run the large model in-process (env LLM_MODEL). "
            + "Default when no server is found: " + ModelStore.DEFAULT_LLM_REPO + ".")
    String modelLlm;

    @Mixin BackendOptions backendOptions;
    @Mixin ResultsOptions results;

    public static void main(String... args) {
        System.exit(Cli.execute(new router(), args));
    }

    @Override
    public Integer call() {
        if (pipeline && prompt == null) throw new IllegalArgumentException("--pipeline needs a task: router.java --pipeline \"TASK\"");
        ModelCatalog models = ModelCatalog.load(catalog);
        var classifier = new IntentClassifier(LabelledPrompt.load(labelled), Embedder.miniLm());
        Router router = Router.of(models, classifier, slm, llm);          // unknown models fail here, before any loading
        if (prompt != null && !pipeline) System.out.println(router.route(prompt).explain());
        RouterEval.Report report = prompt == null ? RouterEval.classify(router) : null;
        if (report != null) System.out.print(RouterEval.table(report));
        if (noRun) return 0;
        Path out = pipeline || prompt == null ? results.dir() : null;   // before loading: only these runs write results

        boolean embedded = modelSlm != null || modelLlm != null;
        List<String> fallback = List.of(modelSlm != null ? modelSlm : ModelStore.DEFAULT_SLM_REPO, modelLlm != null ? modelLlm : ModelStore.DEFAULT_LLM_REPO);
        List<String> modelOptions = List.of("--model-slm", "--model-llm");
        Backends.Selection sel = embedded ? Backends.embedded(fallback, modelOptions, System.err) : backendOptions.openOrEmbedded(fallback, modelOptions, System.err);
        if (sel.embedded()) router = Router.of(models, classifier, sel.modelIds().get(0), sel.modelIds().get(1));
        router = router.resolve(sel.backend().models());
        Map<String, Object> recorded = Map.of("slm", router.inPlay().get(0).name(), "llm", router.inPlay().get(1).name(), "labelled", labelled.toString());
        String started = Instant.now().toString();
        try (ChatBackend backend = sel.backend()) {
            if (pipeline) {
                AgentRun run = new RoutedPipeline(backend, router, 3, maxTokens).run(prompt, s -> System.err.println(AgentReport.line(s)));
                System.out.print(AgentReport.table(run.steps()));
                System.out.println((run.accepted() ? "\nResult (approved by the reviewer):\n" : "\nResult (not approved):\n") + run.answer());
                RunResult r = AgentReport.toResult("router_pipeline", run, backend.info(), recorded, started);
                System.err.println("results: " + ResultsFile.write(ResultsFile.newPath(out, "router_pipeline"), r));
                if (!run.ok()) System.err.println("error: " + run.error());
                return run.ok() ? 0 : 1;
            }
            if (prompt != null) {
                Router.Decision d = router.route(prompt);
                ChatResult r = backend.chat(ChatRequest.builder(d.target().name()).user(prompt).maxTokens(maxTokens).temperature(0.0).build());
                System.out.printf("%nanswer from %s (TTFT %.0f ms, E2E %.0f ms, tokens %d→%d%s, emulated cost $%.6f):%n%s%n", r.model(),
                        r.timings().ttftMs(), r.timings().e2eMs(), r.usage().promptTokens(), r.usage().completionTokens(),
                        r.usage().estimated() ? " est." : "", d.target().entry().cost(r.usage().promptTokens(), r.usage().completionTokens()),
                        r.text().replaceAll("[\\p{Cntrl}&&[^\\n\\t]]", ""));
                return 0;
            }
            RunResult run = RouterEval.measure(backend, router, report.spread(limit), maxTokens, recorded, System.err::println);
            System.out.println();
            System.out.print(RouterEval.costTable(RouterEval.compare(run)));
            System.err.println("results: " + ResultsFile.write(ResultsFile.newPath(out, "router"), run));
            return run.samples().stream().allMatch(s -> s.ok()) ? 0 : 1;
        }
    }
}
