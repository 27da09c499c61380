package dev.edgeai.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.agents.AgentRun;
import dev.edgeai.agents.Step;
import dev.edgeai.client.OpenAiClient;
import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunResult;
import dev.edgeai.retrieval.Embedder;
import dev.edgeai.testkit.Script;
import dev.edgeai.testkit.ScriptedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Catalog, classifier (real MiniLM), router and the routed pipeline, the last two against a real HTTP server. */
class RouterTest {
    /** lib's tests run with lib/ as working directory. */
    static final Path DATA = Path.of("").toAbsolutePath().getParent().resolve("data");

    static final String SLM = "phi-4-mini";
    static final String LLM = "gpt-oss-20b";
    static ModelCatalog catalog;
    static IntentClassifier labelled;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() {
        catalog = ModelCatalog.load(DATA.resolve("models.json"));
        labelled = new IntentClassifier(LabelledPrompt.load(DATA.resolve("router")), Embedder.miniLm());
    }

    @Test
    void accuracyOnTheLabelledSetIsComputedLeaveOneOutAndPrinted() {
        Router router = Router.of(catalog, labelled, SLM, LLM);
        RouterEval.Report rep = RouterEval.classify(router);
        System.out.print(RouterEval.table(rep));
        assertTrue(rep.rows().size() >= 40, "at least 40 labelled prompts");
        for (Intent i : Intent.values())
            assertTrue(rep.rows().stream().anyMatch(r -> r.item().intent() == i), "labels cover " + i);
        assertEquals(4, rep.accuracy().size());
        for (RouterEval.Accuracy a : rep.accuracy()) {
            assertEquals(rep.rows().size(), a.total());
            assertTrue(a.correct() >= 0 && a.correct() <= a.total());
        }
        int confused = rep.confusion().values().stream()
                .mapToInt(m -> m.values().stream().mapToInt(Integer::intValue).sum())
                .sum();
        assertEquals(rep.rows().size(), confused);
        for (RouterEval.Row r : rep.rows()) {
            // leave-one-out: a prompt never finds itself among its nearest examples
            assertTrue(
                    r.similarityOnly().nearest().stream().noneMatch(n -> n.example() == r.item()),
                    r.item().source());
            assertEquals(1.0, r.similarityOnly().nearest().get(0).similarity() <= 1.0001 ? 1.0 : 0.0);
        }
    }

    @Test
    void rulesDecideFirstAndSayWhichRuleMatched() {
        var c = labelled.classify("Write a Python function that summarizes a list of numbers");
        assertEquals(Intent.CODE, c.intent(), "code beats summary: rules are ordered");
        assertEquals(IntentClassifier.Method.RULE, c.method());
        assertTrue(c.reason().contains("\"Python\""), c.reason());
        assertTrue(c.nearest().isEmpty());
        assertEquals(Intent.CHAT, labelled.classify("hello there").intent());
        assertEquals(
                IntentClassifier.Method.LENGTH, labelled.classify("hello there").method());
        String longText = "word ".repeat(IntentClassifier.LONG_WORDS + 1);
        assertEquals(Intent.SUMMARIZE, labelled.classify(longText).intent());
        assertFalse(
                IntentClassifier.RULES
                        .get(0)
                        .pattern()
                        .matcher("a decoder block")
                        .find(),
                "whole words only: 'code' in 'decoder'");
    }

    @Test
    void withoutARuleTheNearestLabelledExamplesDecideAndAreNamed() {
        var examples = List.of(
                new LabelledPrompt(
                        "Return the invoice number and the total amount from this invoice text", Intent.EXTRACT, "t:1"),
                new LabelledPrompt("Give me the order id and price from this receipt", Intent.EXTRACT, "t:2"),
                new LabelledPrompt("Tell me a joke about cats and dogs", Intent.CHAT, "t:3"),
                new LabelledPrompt("A fun fact about penguins, please", Intent.CHAT, "t:4"));
        var c = new IntentClassifier(examples, Embedder.miniLm());
        var got = c.classify("Get the receipt number and the amount paid from this bill text");
        assertEquals(IntentClassifier.Method.SIMILARITY, got.method(), got.reason());
        assertEquals(Intent.EXTRACT, got.intent(), got.reason());
        assertEquals(IntentClassifier.K, got.nearest().size());
        assertTrue(got.reason().startsWith("nearest examples:") && got.reason().contains("extract"), got.reason());
        assertTrue(got.nearest().get(0).similarity() >= got.nearest().get(1).similarity());
        var far = c.classify("Quantum chromodynamics lattice gauge computations on supercomputers");
        assertTrue(
                far.method() == IntentClassifier.Method.DEFAULT || far.method() == IntentClassifier.Method.SIMILARITY,
                far.reason());
    }

    @Test
    void theRouterPicksTheCheapestModelStrongAtTheIntentAndExplainsIt() {
        Router router = Router.of(catalog, labelled, SLM, LLM);
        assertEquals(SLM, router.choose(Intent.SUMMARIZE).name());
        assertEquals(SLM, router.choose(Intent.CHAT).name());
        assertEquals(LLM, router.choose(Intent.CODE).name());
        assertEquals(LLM, router.choose(Intent.REASONING).name());
        Router.Decision d = router.route("Write a SQL query that counts orders per day");
        assertEquals(LLM, d.target().name());
        assertTrue(
                d.explain().contains("rule 'code keyword'") && d.explain().contains("→ gpt-oss-20b [llm]"),
                d.explain());
        // two small models: the cheaper one strong at chat wins; nobody strong at code → the pricier one
        Router smalls = Router.of(catalog, labelled, "qwen2.5-0.5b", SLM);
        assertEquals("qwen2.5-0.5b", smalls.choose(Intent.CHAT).name());
        assertEquals(SLM, smalls.choose(Intent.CODE).name());
        assertTrue(
                smalls.decide("x", labelled.classify("Write Java code")).why().contains("no model in play"));
    }

    @Test
    void catalogEntriesAreFoundByServerIdsAndUnknownModelsSayWhatToAdd() throws Exception {
        assertEquals(
                SLM,
                catalog.find("Phi-4-mini-instruct-generic-cpu:4").orElseThrow().alias());
        assertEquals("qwen2.5-7b", catalog.find("qwen2.5:7b").orElseThrow().alias());
        assertEquals(
                "qwen2.5-0.5b",
                catalog.find("Qwen2.5-0.5B-Instruct").orElseThrow().alias());
        var e = assertThrows(IllegalArgumentException.class, () -> catalog.require("llama-9000"));
        assertTrue(e.getMessage().contains("data/models.json"), e.getMessage());
        Path bad = Files.writeString(
                tmp.resolve("m.json"),
                "{\"models\":[{\"alias\":\"x\",\"size_class\":\"huge\",\"strengths\":[],"
                        + "\"cost_per_1m_input\":0,\"cost_per_1m_output\":0}]}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelCatalog.load(bad))
                .getMessage()
                .contains("size_class"));
        Path badLabel = Files.writeString(tmp.resolve("l.jsonl"), "{\"prompt\":\"hi\",\"intent\":\"poetry\"}\n");
        var le = assertThrows(IllegalArgumentException.class, () -> LabelledPrompt.load(badLabel));
        assertTrue(
                le.getMessage().contains("l.jsonl:1") && le.getMessage().contains("unknown intent 'poetry'"),
                le.getMessage());
    }

    static OpenAiClient client(ScriptedServer s) {
        return OpenAiClient.builder()
                .baseUrl(s.baseUrl())
                .backoffBase(Duration.ofMillis(5))
                .build();
    }

    @Test
    void measuringComparesRoutedWithAlwaysSmallAndAlwaysLargeOnTheSameAnswers() throws Exception {
        var few = List.of(
                new LabelledPrompt("Hi there!", Intent.CHAT, "a:1"),
                new LabelledPrompt("Summarize this: the meeting moved to Friday.", Intent.SUMMARIZE, "a:2"),
                new LabelledPrompt("Write a Python function to add two numbers.", Intent.CODE, "a:3"),
                new LabelledPrompt("Prove that 2 + 2 = 4 step by step.", Intent.REASONING, "a:4"));
        Router router = Router.of(catalog, new IntentClassifier(few, Embedder.miniLm()), SLM, LLM);
        String slmId = "Phi-4-mini-instruct-generic-cpu:4", llmId = "gpt-oss-20b-generic-cpu:1";
        try (var server = ScriptedServer.builder()
                        .model(
                                slmId,
                                Script.builder()
                                        .ttftMs(10)
                                        .itlMs(1)
                                        .tokenCount(5)
                                        .build())
                        .model(
                                llmId,
                                Script.builder()
                                        .ttftMs(60)
                                        .itlMs(3)
                                        .tokenCount(20)
                                        .build())
                        .start();
                var client = client(server)) {
            RouterEval.Report rep = RouterEval.classify(router); // decided with the aliases...
            Router live = router.resolve(client.models()); // ...measured with the server's ids
            assertEquals(
                    List.of(slmId, llmId),
                    live.inPlay().stream().map(Router.Target::name).toList());
            RunResult run = RouterEval.measure(client, live, rep, 64, Map.of(), s -> {});
            assertEquals(8, run.samples().size(), "every prompt on both models");
            List<RouterEval.StrategyCost> costs = RouterEval.compare(run);
            System.out.print(RouterEval.costTable(costs));
            var always = costs.stream()
                    .filter(c -> c.strategy().startsWith("always"))
                    .toList();
            assertEquals(
                    List.of("always " + slmId, "always " + llmId),
                    always.stream().map(RouterEval.StrategyCost::strategy).toList());
            assertTrue(always.get(0).e2eMsTotal() < always.get(1).e2eMsTotal(), "the scripted small model is faster");
            assertTrue(always.get(0).costUsd() < always.get(1).costUsd());
            var truth = costs.stream()
                    .filter(c -> c.strategy().equals("routed (true labels)"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(Map.of(slmId, 2, llmId, 2), truth.perModel());
            var routed = costs.stream()
                    .filter(c -> c.strategy().equals("routed"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(0, routed.failed(), "every routed prompt found its answer");
            assertTrue(truth.costUsd() > always.get(0).costUsd()
                    && truth.costUsd() < always.get(1).costUsd());
            // the comparison comes back the same from the saved file
            RunResult back = ResultsFile.read(ResultsFile.write(tmp.resolve("router.json"), run));
            assertEquals(costs, RouterEval.compare(back));
        }
    }

    @Test
    void thePipelineRoutesEveryStepOnItsOwn() {
        Router router = Router.of(catalog, labelled, SLM, LLM);
        try (var server = ScriptedServer.builder()
                        .model(SLM, Script.builder().ttftMs(5).build())
                        .model(LLM, Script.builder().ttftMs(5).build())
                        .reply("Results of the steps", "APPROVED")
                        .reply("Now do this step", "done.")
                        .reply(
                                "Task:",
                                "1. Summarize the meeting notes\n2. Write a Python function that parses the dates")
                        .start();
                var client = client(server)) {
            AgentRun run = new RoutedPipeline(client, router, 3, 64)
                    .run("Plan how to turn our meeting notes into a calendar", s -> {});
            assertEquals(null, run.error());
            assertTrue(run.accepted());
            assertEquals(
                    List.of("planner", "executor", "executor", "reviewer"),
                    run.steps().stream().map(Step::role).toList());
            assertEquals(
                    List.of(LLM, SLM, LLM, LLM),
                    run.steps().stream().map(Step::model).toList(),
                    "plan: reasoning; summary: small; code: large");
            assertEquals(
                    List.of(LLM, SLM, LLM, LLM),
                    server.requests().stream()
                            .filter(r -> r.path().endsWith("/chat/completions"))
                            .map(r -> r.json().path("model").asText())
                            .toList());
            assertTrue(
                    run.steps().get(1).note().startsWith("routed: summarize via rule → slm"),
                    run.steps().get(1).note());
        }
    }
}
