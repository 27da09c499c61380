///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Multi-agent orchestration: a planner, a researcher over data/docs, a writer and a reviewer on local models.
//JAVA 21+
//DEPS dev.edgeai:edgeai-cli:0.1.0
//RUNTIME_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

import dev.edgeai.agents.AgentReport;
import dev.edgeai.agents.AgentRun;
import dev.edgeai.agents.Orchestrator;
import dev.edgeai.agents.Team;
import dev.edgeai.chat.ChatBackend;
import dev.edgeai.cli.BackendOptions;
import dev.edgeai.cli.Cli;
import dev.edgeai.cli.ResultsOptions;
import dev.edgeai.discovery.Backends;
import dev.edgeai.engine.hub.ModelStore;
import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunResult;
import dev.edgeai.retrieval.Retriever;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
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

    @Option(names = "--slm", defaultValue = "${env:SLM_ALIAS:-phi-4-mini}",
            description = "Small model: researcher and writer (env SLM_ALIAS; default: ${DEFAULT-VALUE}).")
    String slm;

    @Option(names = "--llm", defaultValue = "${env:LLM_ALIAS:-gpt-oss-20b}",
            description = "Large model: planner and reviewer (env LLM_ALIAS; default: ${DEFAULT-VALUE}).")
    String llm;

    @Option(names = "--rounds", defaultValue = "${env:AGENTS_ROUNDS:-2}",
            description = "Drafts the writer may produce; the reviewer can send back rounds-1 times (env AGENTS_ROUNDS; default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--subtasks", defaultValue = "${env:AGENTS_SUBTASKS:-3}",
            description = "Sub-questions researched at most (env AGENTS_SUBTASKS; default: ${DEFAULT-VALUE}).")
    int subtasks;

    @Option(names = "--docs", defaultValue = "${env:DOCS_DIR:-data/docs}",
            description = "Folder the researcher retrieves from (env DOCS_DIR; default: ${DEFAULT-VALUE}).")
    Path docs;

    @Option(names = "--top-k", defaultValue = "3", description = "Passages per sub-question (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--max-tokens", defaultValue = "${env:AGENTS_MAX_TOKENS:-256}",
            description = "Max tokens per step (env AGENTS_MAX_TOKENS; default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--temperature", defaultValue = "0", description = "Sampling temperature, 0 = greedy (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--model-slm", defaultValue = "${env:SLM_MODEL}", description = "Run the small model in-process: a folder, "
            + "Foundry cache id or hub repo (env SLM_MODEL). Default when no server is found: " + ModelStore.DEFAULT_SLM_REPO + ".")
    String modelSlm;

    @Option(names = "--model-llm", defaultValue = "${env:LLM_MODEL}", description = "Run the large model in-process, like "
            + "--model-slm (env LLM_MODEL). Default when no server is found: " + ModelStore.DEFAULT_LLM_REPO + ".")
    String modelLlm;

    @Mixin BackendOptions backendOptions;
    @Mixin ResultsOptions results;

    public static void main(String... args) {
        System.exit(Cli.execute(new agents(), args));
    }

    @Override
    public Integer call() throws Exception {
        String theTask = task == null ? Orchestrator.DEFAULT_TASK : task;
        var options = new Orchestrator.Options(rounds, subtasks, topK, 600);     // validate before any loading
        Team.of(slm, llm, subtasks, maxTokens, temperature);
        if (!Files.isDirectory(docs)) throw new IllegalArgumentException("docs folder not found: " + docs + " (use --docs DIR)");
        Path out = results.dir();
        Retriever retriever = Retriever.open(docs);
        System.err.println("docs: " + retriever.status().message());
        boolean embedded = modelSlm != null || modelLlm != null;
        List<String> fallback = List.of(modelSlm != null ? modelSlm : ModelStore.DEFAULT_SLM_REPO,
                modelLlm != null ? modelLlm : ModelStore.DEFAULT_LLM_REPO);
        List<String> modelOptions = List.of("--model-slm", "--model-llm");
        Backends.Selection sel = embedded ? Backends.embedded(fallback, modelOptions, System.err)
                : backendOptions.openOrEmbedded(fallback, modelOptions, System.err);
        if (sel.embedded()) { slm = sel.modelIds().get(0); llm = sel.modelIds().get(1); }
        String started = Instant.now().toString();
        try (ChatBackend backend = sel.backend()) {
            System.err.println("task: " + theTask);
            AgentRun run = new Orchestrator(backend, Team.of(slm, llm, subtasks, maxTokens, temperature), retriever, options)
                    .run(theTask, step -> System.err.println(AgentReport.line(step)));
            System.out.print(AgentReport.table(run.steps()));
            System.out.println();
            System.out.println(run.accepted() ? "Answer (accepted by the reviewer after " + run.rounds() + " draft(s)):"
                    : run.ok() ? "Answer (NOT accepted: the round limit of " + run.maxRounds() + " was reached):" : "No accepted answer.");
            if (run.answer() != null) System.out.println(run.answer());
            Map<String, Object> recorded = new LinkedHashMap<>();
            recorded.put("slm", slm);
            recorded.put("llm", llm);
            recorded.put("max_tokens", maxTokens);
            recorded.put("temperature", temperature);
            recorded.put("docs", docs.toString());
            RunResult result = AgentReport.toResult("agents", run, backend.info(), recorded, started);
            System.err.println("results: " + ResultsFile.write(ResultsFile.newPath(out, "agents"), result));
            if (!run.ok()) System.err.println("error: " + run.error());
            return run.ok() ? 0 : 1;
        }
    }
}
