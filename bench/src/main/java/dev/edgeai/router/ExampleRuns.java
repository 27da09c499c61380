package dev.edgeai.router;

import dev.edgeai.agents.AgentReport;
import dev.edgeai.agents.AgentRun;
import dev.edgeai.agents.Orchestrator;
import dev.edgeai.agents.Team;
import dev.edgeai.chat.BackendInfo;
import dev.edgeai.client.OpenAiClient;
import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunMeta;
import dev.edgeai.results.RunResult;
import dev.edgeai.retrieval.Embedder;
import dev.edgeai.retrieval.Retriever;
import dev.edgeai.testkit.Script;
import dev.edgeai.testkit.ScriptedServer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * EXAMPLE results for the s05/s06 notebooks when no model server runs: the real orchestrator and router code
 * against the scripted stand-in server, with CPU-class delays (SLM: TTFT 150 ms, 20 ms/token; LLM: 400 ms, 50 ms/token).
 * The answers are canned, the timings are the stand-in's: every file says so in its note and backend kind "example".
 *
 * <p>{@code ExampleRuns [repo root]} writes {@code data/results/examples/agents-example.json} and {@code router-example.json}.
 */
public final class ExampleRuns {
    public static final String NOTE = "EXAMPLE — the real agents/router code against the scripted stand-in server "
            + "(dev.edgeai.router.ExampleRuns, canned answers, simulated CPU-class delays), not a model measurement";

    private ExampleRuns() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        String slm = "phi-4-mini", llm = "gpt-oss-20b";
        BackendInfo example = new BackendInfo("example", "scripted stand-in server", null);
        try (var server = ScriptedServer.builder()
                        .model(slm, Script.builder().ttftMs(150).itlMs(20).build())
                        .model(llm, Script.builder().ttftMs(400).itlMs(50).build())
                        .reply(
                                "Reviewer feedback",
                                "Measure TTFT from request to first token and TPOT over the rest [1]; int4 weights cut memory traffic, so decoding speeds up [2].")
                        .reply("int4 weights cut", "APPROVED")
                        .reply("Review the draft", "REVISE: say how int4 quantization changes the latency.")
                        .reply(
                                "Research notes",
                                "Measure TTFT from request to first token and TPOT over the remaining tokens [1].")
                        .reply(
                                "Sub-question",
                                "TTFT is measured from sending the request to the first streamed token; E2E to the last byte [1].")
                        .reply(
                                "Task:",
                                "1. How are TTFT, TPOT and E2E measured?\n2. How does int4 quantization change latency?")
                        .start();
                var client = OpenAiClient.builder().baseUrl(server.baseUrl()).build()) {
            AgentRun run = new Orchestrator(
                            client,
                            Team.of(slm, llm, 3, 256, 0.0),
                            Retriever.open(root.resolve("data/docs")),
                            Orchestrator.Options.defaults())
                    .run(Orchestrator.DEFAULT_TASK, s -> System.err.println(AgentReport.line(s)));
            write(
                    root,
                    "agents",
                    mark(AgentReport.toResult("agents", run, example, Map.of("example", true), null), example));

            var clf = new IntentClassifier(LabelledPrompt.load(root.resolve("data/router")), Embedder.miniLm());
            Router router = Router.of(ModelCatalog.load(root.resolve("data/models.json")), clf, slm, llm);
            RunResult r = RouterEval.measure(
                    client, router, RouterEval.classify(router), 128, Map.of("example", true), System.err::println);
            write(root, "router", mark(r, example));
        }
    }

    private static RunResult mark(RunResult r, BackendInfo example) {
        Map<String, Object> options = new LinkedHashMap<>(r.meta().options());
        options.put("synthetic", NOTE);
        RunMeta m = new RunMeta(
                r.meta().tool(),
                "2026-01-01T00:00:00Z",
                r.meta().environment(),
                example,
                r.meta().models(),
                options);
        return new RunResult(r.schema(), m, r.samples(), r.summaries(), true, NOTE);
    }

    private static void write(Path root, String tool, RunResult r) {
        System.err.println(
                "wrote " + ResultsFile.write(root.resolve("data/results/examples/" + tool + "-example.json"), r));
    }
}
