///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Route prompts to a small or a large model by intent, explain each decision, measure accuracy, latency and cost.
//JAVA 21+
//DEPS dev.edgeai:edgeai-cli:0.1.0
//RUNTIME_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn --enable-native-access=ALL-UNNAMED

import dev.edgeai.agents.AgentReport;
import dev.edgeai.agents.AgentRun;
import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.cli.BackendOptions;
import dev.edgeai.cli.Cli;
import dev.edgeai.cli.GenerationOptions;
import dev.edgeai.cli.ModelPairOptions;
import dev.edgeai.cli.ResultsOptions;
import dev.edgeai.discovery.Backends;
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

    @Mixin ModelPairOptions models;

    @Option(names = "--pipeline", description = "Run PROMPT as a task: plan → execute each step → review, routing every step.")
    boolean pipeline;

    @Option(names = "--no-run", description = "Only classify and explain; send nothing to a model.")
    boolean noRun;

    @Option(names = "--limit", defaultValue = "${env:ROUTER_LIMIT:-0}",
            description = "Answer at most this many labelled prompts, spread over the set (env ROUTER_LIMIT; 0 = all).")
    int limit;

    @Mixin GenerationOptions gen = GenerationOptions.defaults(128, 0.0, null);

    @Option(names = "--catalog", defaultValue = "data/models.json",
            description = "Model catalog; a served model it lacks gets a default entry, costs unknown "
                    + "(default: ${DEFAULT-VALUE}).")
    Path catalog;

    @Option(names = "--labelled", defaultValue = "data/router", description = "Labelled prompts, a .jsonl file or a folder of them (default: ${DEFAULT-VALUE}).")
    Path labelled;

    @Mixin BackendOptions backendOptions;
    @Mixin ResultsOptions results;

    public static void main(String... args) {
        System.exit(Cli.execute(new router(), args));
    }

    @Override
    public Integer call() {
        if (pipeline && prompt == null) throw new IllegalArgumentException("--pipeline needs a task: router.java --pipeline \"TASK\"");
        ModelCatalog catalog = ModelCatalog.load(this.catalog);
        var classifier = new IntentClassifier(LabelledPrompt.load(labelled), Embedder.miniLm());
        int maxTokens = gen.maxTokens();
        double temperature = gen.temperature();
        if (noRun) {   // no server asked: the models are the catalog's (an unknown name fails here)
            Router router = Router.of(catalog, classifier, models.slmName(), models.llmName());
            if (prompt != null && !pipeline) System.out.println(router.route(prompt).explain());
            if (prompt == null) System.out.print(RouterEval.table(RouterEval.classify(router)));
            return 0;
        }
        Path out = pipeline || prompt == null ? results.dir() : null;   // before loading: only these runs write results
        Backends.Chosen chosen = backendOptions.choose(models.wants(), catalog::paramsB, System.err);
        // Named as asked (phi-4-mini) or as picked (the served id); a model the catalog lacks gets a default entry.
        Router router =
                Router.forServed(catalog, classifier, chosen.picks().get(0).label(), chosen.picks().get(1).label());
        if (prompt != null && !pipeline) System.out.println(router.route(prompt).explain());
        RouterEval.Report report = prompt == null ? RouterEval.classify(router) : null;
        if (report != null) System.out.print(RouterEval.table(report));
        router = router.resolve(chosen.backend().models());
        Map<String, Object> recorded = Map.of("slm", router.inPlay().get(0).name(), "llm", router.inPlay().get(1).name(), "labelled", labelled.toString());
        String started = Instant.now().toString();
        try (ChatBackend backend = chosen.backend()) {
            if (pipeline) {
                AgentRun run = new RoutedPipeline(backend, router, 3, maxTokens, temperature, gen.seed())
                        .run(prompt, s -> System.err.println(AgentReport.line(s)));
                System.out.print(AgentReport.table(run.steps()));
                System.out.println((run.accepted() ? "\nResult (approved by the reviewer):\n" : "\nResult (not approved):\n") + run.answer());
                RunResult r = AgentReport.toResult("router_pipeline", run, backend.info(), recorded, started);
                System.err.println("results: " + ResultsFile.write(ResultsFile.newPath(out, "router_pipeline"), r));
                if (!run.ok()) System.err.println("error: " + run.error());
                return run.ok() ? 0 : 1;
            }
            if (prompt != null) {
                Router.Decision d = router.route(prompt);
                ChatResult r = backend.chat(ChatRequest.builder(d.target().name()).user(prompt).maxTokens(maxTokens)
                        .temperature(temperature).seed(gen.seed()).build());
                double cost = d.target().entry().cost(r.usage().promptTokens(), r.usage().completionTokens());
                System.out.printf("%nanswer from %s (TTFT %.0f ms, E2E %.0f ms, tokens %d→%d%s, emulated cost %s):"
                                + "%n%s%n",
                        r.model(), r.timings().ttftMs(), r.timings().e2eMs(), r.usage().promptTokens(),
                        r.usage().completionTokens(), r.usage().estimated() ? " est." : "",
                        Double.isNaN(cost) ? "unknown" : String.format("$%.6f", cost),
                        r.text().replaceAll("[\\p{Cntrl}&&[^\\n\\t]]", ""));
                return 0;
            }
            RunResult run = RouterEval.measure(backend, router, report.spread(limit), maxTokens, temperature,
                    gen.seed(), recorded, System.err::println);
            System.out.println();
            System.out.print(RouterEval.costTable(RouterEval.compare(run)));
            System.err.println("results: " + ResultsFile.write(ResultsFile.newPath(out, "router"), run));
            return run.samples().stream().allMatch(s -> s.ok()) ? 0 : 1;
        }
    }
}
