///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Multi-agent orchestration: a planner, a researcher over data/docs, a writer and a reviewer on local models.
//JAVA 21+
//DEPS dev.edgeai:edgeai-cli:0.1.0
//RUNTIME_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn --enable-native-access=ALL-UNNAMED

import dev.edgeai.agents.AgentReport;
import dev.edgeai.agents.AgentRun;
import dev.edgeai.agents.Orchestrator;
import dev.edgeai.agents.Team;
import dev.edgeai.chat.ChatBackend;
import dev.edgeai.cli.BackendOptions;
import dev.edgeai.cli.Cli;
import dev.edgeai.cli.DocsOptions;
import dev.edgeai.cli.GenerationOptions;
import dev.edgeai.cli.ModelPairOptions;
import dev.edgeai.cli.ResultsOptions;
import dev.edgeai.discovery.Backends;
import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunResult;
import dev.edgeai.retrieval.Retriever;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "agents", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs a task through a small team of agents on a local OpenAI-compatible server: the planner (LLM) "
                + "splits it into sub-questions, the researcher (SLM) answers each from passages retrieved from --docs, "
                + "the writer (SLM) drafts, the reviewer (LLM) approves or sends the draft back (at most --rounds drafts). "
                + "Prints every step with its model, tokens, TTFT and E2E, then totals, and writes results JSON. With no "
                + "server found (or with --model-slm/--model-llm) the models run in-process on the embedded engine.",
        footer = {"", "Examples:",
                "  ./jbang scripts/agents.java",
                "  ./jbang scripts/agents.java \"Compare Foundry Local and Ollama for a laptop workshop\"",
                "  SLM_ALIAS=qwen2.5-0.5b LLM_ALIAS=qwen2.5-7b ./jbang scripts/agents.java --rounds 3",
                "  ./jbang scripts/agents.java --endpoint http://127.0.0.1:11434/v1 --slm qwen2.5:0.5b --llm qwen2.5:7b"})
public class agents implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "TASK", description = "The task (default: a latency and quantization briefing).")
    String task;

    @Mixin ModelPairOptions models;   // the small model researches and writes, the large one plans and reviews

    @Option(names = "--rounds", defaultValue = "${env:AGENTS_ROUNDS:-2}",
            description = "Drafts the writer may produce; the reviewer can send back rounds-1 times (env AGENTS_ROUNDS; default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--subtasks", defaultValue = "${env:AGENTS_SUBTASKS:-3}",
            description = "Sub-questions researched at most (env AGENTS_SUBTASKS; default: ${DEFAULT-VALUE}).")
    int subtasks;

    @Mixin DocsOptions docs;

    @Option(names = "--top-k", defaultValue = "3", description = "Passages per sub-question (default: ${DEFAULT-VALUE}).")
    int topK;

    @Mixin GenerationOptions gen = GenerationOptions.defaults(256, 0.0, null);

    @Mixin BackendOptions backendOptions;
    @Mixin ResultsOptions results;

    public static void main(String... args) {
        System.exit(Cli.execute(new agents(), args));
    }

    @Override
    public Integer call() throws Exception {
        String theTask = task == null ? Orchestrator.DEFAULT_TASK : task;
        var options = new Orchestrator.Options(rounds, subtasks, topK, 600);     // validate before any loading
        Team.of(models.slmName(), models.llmName(), subtasks, gen.maxTokens(), gen.temperature());
        Path docsDir = docs.dir();
        Path out = results.dir();
        Retriever retriever = Retriever.open(docsDir);
        System.err.println("docs: " + retriever.status().message());
        Backends.Chosen chosen = models.open(backendOptions, System.err);
        String slm = chosen.id(0);
        String llm = chosen.id(1);
        String started = Instant.now().toString();
        try (ChatBackend backend = chosen.backend()) {
            System.err.println("task: " + theTask);
            Team team = Team.of(slm, llm, subtasks, gen.maxTokens(), gen.temperature()).withSeed(gen.seed());
            AgentRun run = new Orchestrator(backend, team, retriever, options)
                    .run(theTask, step -> System.err.println(AgentReport.line(step)));
            System.out.print(AgentReport.table(run.steps()));
            System.out.println();
            System.out.println(run.accepted() ? "Answer (accepted by the reviewer after " + run.rounds() + " draft(s)):"
                    : run.ok() ? "Answer (NOT accepted: the round limit of " + run.maxRounds() + " was reached):" : "No accepted answer.");
            if (run.answer() != null) System.out.println(run.answer());
            Map<String, Object> recorded = new LinkedHashMap<>();
            recorded.put("slm", chosen.picks().get(0).label());
            recorded.put("llm", chosen.picks().get(1).label());
            recorded.put("max_tokens", gen.maxTokens());
            recorded.put("temperature", gen.temperature());
            if (gen.seed() != null) recorded.put("seed", gen.seed());
            recorded.put("docs", docsDir.toString());
            RunResult result = AgentReport.toResult("agents", run, backend.info(), recorded, started);
            System.err.println("results: " + ResultsFile.write(ResultsFile.newPath(out, "agents"), result));
            if (!run.ok()) System.err.println("error: " + run.error());
            return run.ok() ? 0 : 1;
        }
    }
}
