package dev.edgeai.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.client.OpenAiClient;
import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunResult;
import dev.edgeai.results.Sample;
import dev.edgeai.results.SystemReport;
import dev.edgeai.testkit.Script;
import dev.edgeai.testkit.ScriptedServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole evaluation run against the scripted server, checked against hand-computed scores and sums. */
class EvaluatorTest {
    static final Path ROOT = Path.of(System.getProperty("basedir", "."))
            .toAbsolutePath()
            .resolve("..")
            .normalize();
    static final List<QaItem> ITEMS = List.of(ScoringTest.PORT, ScoringTest.BM25, ScoringTest.TRAP);
    static ScriptedServer server;
    static ModelCaller caller;
    static Costs costs;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        server = ScriptedServer.builder()
                .model(
                        "slm",
                        Script.builder()
                                .ttftMs(10)
                                .itlMs(1)
                                .reply("port", "11434")
                                .reply("BM25", "I don't know.")
                                .reply("H100", "I don't know based on the provided documents.")
                                .build())
                .model(
                        "llm",
                        Script.builder()
                                .ttftMs(30)
                                .itlMs(2)
                                .reply("port", "Ollama listens on port 11434.")
                                .reply("k1 and b", "k1 = 1.2 and b = 0.75.")
                                .reply("H100", "About 2 dollars per hour.")
                                .build())
                .model(
                        "judge",
                        Script.builder()
                                .tokens("{\"coherence\": 4, \"factuality\": 3, \"brevity\": 5}")
                                .build())
                .start();
        caller = new ModelCaller(OpenAiClient.of(server.baseUrl()), 64, 0, 42, ServingProcess.forUrl(server.baseUrl()));
        costs = Costs.load(ROOT.resolve("data/prices.json"), 15, 0.30);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static SystemReport report(RunResult r, String system) {
        return r.reports().stream()
                .filter(x -> x.system().equals(system))
                .findFirst()
                .orElseThrow();
    }

    static List<Sample> samples(RunResult r, String system) {
        return r.samples().stream()
                .filter(s -> !s.warmup() && s.model().equals(system))
                .toList();
    }

    @Test
    void modelsAndHybridScoresCostsAndRoundTrip() {
        var cfg = new Evaluator.Config(ITEMS, List.of("slm", "llm"), true, false, EscalationRule.defaults(), Map.of());
        List<String> progress = new ArrayList<>();
        RunResult r = Evaluator.run(caller, null, null, costs, cfg, Map.of("seed", 42), progress::add);

        assertEquals("evaluate", r.meta().tool());
        assertEquals(
                List.of("slm", "llm", "hybrid"),
                r.reports().stream().map(SystemReport::system).toList());
        assertEquals(
                2,
                r.samples().stream()
                        .filter(s -> s.warmup() && s.group().equals("cold"))
                        .count(),
                "one cold request per model");
        assertEquals(2 + 3 * 3, r.samples().size());

        // hand-computed: slm 11434 ✓, "I don't know." on BM25 ✗, refuses the trap ✓
        assertEquals(
                List.of(1.0, 0.0, 1.0),
                samples(r, "slm").stream().map(s -> s.scores().get("score")).toList());
        // llm answers all three, so the trap is wrong
        assertEquals(
                List.of(1.0, 1.0, 0.0),
                samples(r, "llm").stream().map(s -> s.scores().get("score")).toList());
        // hybrid: keeps 11434, refines the BM25 refusal (✓) and the trap refusal (the LLM then answers it: ✗)
        assertEquals(
                List.of(1.0, 1.0, 0.0),
                samples(r, "hybrid").stream().map(s -> s.scores().get("score")).toList());
        assertEquals(
                List.of(0.0, 1.0, 1.0),
                samples(r, "hybrid").stream()
                        .map(s -> s.scores().get("escalated"))
                        .toList());
        assertEquals(2 / 3.0, report(r, "slm").value("score"), 1e-9);
        assertEquals(2 / 3.0, report(r, "hybrid").value("escalated_share"), 1e-9);
        assertEquals(2 / 3.0, report(r, "slm").value("refusal"), 1e-9, "refused BM25 and the trap");

        // blended numbers add up: hybrid tokens = the SLM's (same prompts) + the refine stages'
        SystemReport slm = report(r, "slm"), hybrid = report(r, "hybrid");
        double refinePrompt = 0, refineCompletion = 0, draftCpuMs = 0;
        for (Sample s : samples(r, "hybrid")) {
            refinePrompt += s.stagesMs().getOrDefault("refine.prompt_tokens", 0.0);
            refineCompletion += s.stagesMs().getOrDefault("refine.completion_tokens", 0.0);
            draftCpuMs += s.stagesMs().get("draft.cpu_ms");
            assertEquals(
                    s.e2eMs(),
                    s.stagesMs().entrySet().stream()
                            .filter(e -> e.getKey().matches(".*\\.(prep|send|first_token|completion)_ms"))
                            .mapToDouble(Map.Entry::getValue)
                            .sum(),
                    1e-6,
                    "E2E = the sum of its stages");
        }
        assertEquals(
                7 + 5,
                refineCompletion,
                1e-9,
                "\"k1 = 1.2 and b = 0.75.\" is 7 chunks, \"About 2 dollars per hour.\" 5");
        assertEquals(
                slm.value("completion_tokens_total") + refineCompletion, hybrid.value("completion_tokens_total"), 1e-9);
        assertEquals(slm.value("prompt_tokens_total") + refinePrompt, hybrid.value("prompt_tokens_total"), 1e-9);
        for (Costs.Price p : costs.prices()) {
            assertEquals(
                    p.usd((long) hybrid.value("prompt_tokens_total"), (long) hybrid.value("completion_tokens_total")),
                    hybrid.value("cost_usd:" + p.name()),
                    1e-15);
            double blended = p.usd((long) refinePrompt, (long) refineCompletion) + costs.localUsd(draftCpuMs / 1000);
            assertEquals(blended, hybrid.value("blended_cost_usd:" + p.name()), 1e-12, "SLM local + LLM in the cloud");
            assertTrue(Double.isNaN(slm.value("blended_cost_usd:" + p.name())), "a single model has no blend");
        }
        // the server runs in this JVM, found by its port: memory and CPU are real readings
        assertTrue(slm.value("rss_mb") > 10, () -> slm.values() + " " + slm.notes());
        assertTrue(
                slm.value("cpu_s") >= 0 && slm.value("local_energy_wh") == slm.value("cpu_s") * 15 / 3600,
                slm::toString);
        assertTrue(slm.value("cold_ttft_ms") >= 10 && report(r, "llm").value("cold_ttft_ms") >= 30);
        assertTrue(slm.notes().get("load_ms").startsWith("n/a: the server loaded"));
        assertTrue(EvalTable.scores(r).contains("67%"), EvalTable.scores(r));
        assertTrue(EvalTable.costs(r).contains("gpt-4o, blend"), EvalTable.costs(r));
        assertTrue(EvalTable.session(r).contains("grounding n/a"), EvalTable.session(r));
    }

    @Test
    void coldTtftIsOneNumberInTheLogTheTablesAndTheReport() {
        var cfg = new Evaluator.Config(
                List.of(ScoringTest.PORT), List.of("slm", "llm"), false, false, EscalationRule.defaults(), Map.of());
        List<String> progress = new ArrayList<>();
        RunResult r = Evaluator.run(caller, null, null, costs, cfg, Map.of(), progress::add);
        for (String m : List.of("slm", "llm")) {
            String line = progress.stream()
                    .filter(l -> l.startsWith(m + " cold request: TTFT "))
                    .findFirst()
                    .orElseThrow();
            long logged = Long.parseLong(line.replaceAll(".*TTFT (\\d+) ms.*", "$1"));
            double reported = report(r, m).value("cold_ttft_ms");
            assertEquals(Math.round(reported), logged, line + " vs " + reported);
            String session = EvalTable.session(r);
            assertTrue(session.contains(Math.round(reported) + " ms"), session);
        }
        assertTrue(EvalTable.scores(r).contains(EvalTable.COLD_TTFT), "the tables say which definition");
        assertTrue(EvalTable.session(r).contains(EvalTable.COLD_TTFT));
        String html = dev.edgeai.charts.HtmlReport.render("cold", r);
        assertTrue(html.contains("cold_ttft_ms: " + EvalTable.COLD_TTFT), "and so does the report");
        // the options row reads as settings, not as a Java toString
        assertTrue(
                html.contains("<th>escalation</th><td>refusal; shorter than 2 characters; longer than 80 words"),
                html.substring(html.indexOf("<table class=\"kv\">")));
        assertFalse(html.contains("EscalationRule["));
    }

    static RunResult reports(SystemReport... rows) {
        return new RunResult(RunResult.SCHEMA, null, List.of(), List.of(), true, null, List.of(rows));
    }

    static SystemReport row(String system, String kind, double score, double e2e) {
        Map<String, Double> v = new java.util.LinkedHashMap<>();
        v.put("score", score);
        v.put("e2e_ms", e2e);
        v.put("escalated_share", 0.4);
        return new SystemReport(system, kind, v, Map.of());
    }

    @Test
    void bestUseLabelsOnlyWhenTheScoresTellTheSystemsApart() {
        String allZero = EvalTable.session(reports(row("slm", "model", 0, 100), row("llm", "model", 0, 300)));
        assertFalse(allZero.contains("highest score"), allZero);
        assertTrue(allZero.contains("do not tell the systems apart"), allZero);
        assertTrue(allZero.contains("fastest"), "latency still tells them apart: " + allZero);
        String tie = EvalTable.session(reports(row("slm", "model", 0.6, 100), row("llm", "model", 0.6, 100)));
        assertFalse(tie.contains("highest score") || tie.contains("fastest"), tie);
        String apart = EvalTable.session(reports(
                row("slm", "model", 0.5, 100), row("llm", "model", 0.8, 300), row("hybrid", "pipeline", 0.78, 200)));
        assertTrue(apart.lines().anyMatch(l -> l.startsWith("llm") && l.contains("highest score")), apart);
        assertTrue(apart.lines().anyMatch(l -> l.startsWith("slm") && l.contains("fastest")), apart);
        assertTrue(apart.lines().anyMatch(l -> l.startsWith("hybrid") && l.contains("near-best score")), apart);
    }

    @Test
    void theCostTableFitsIn120Columns() {
        List<SystemReport> rows = new ArrayList<>();
        for (String system :
                List.of("Phi-4-mini-instruct-generic-cpu:4", "gpt-oss-20b-generic-cpu:1", "hybrid", "rag-escalation")) {
            Map<String, Double> v = new java.util.LinkedHashMap<>();
            v.put("prompt_tokens_total", 123456.0);
            v.put("completion_tokens_total", 65432.0);
            v.put("cpu_s", 1234.5);
            v.put("local_energy_wh", 5.1234);
            v.put("local_cost_usd", 0.0015);
            for (Costs.Price p : costs.prices()) {
                v.put("cost_usd:" + p.name(), p.usd(123456, 65432));
                if (!system.contains("-")) v.put("blended_cost_usd:" + p.name(), p.usd(1000, 2000));
            }
            rows.add(new SystemReport(system, system.contains("-") ? "model" : "pipeline", v, Map.of()));
        }
        assertTrue(costs.prices().size() >= 5, "as many prices as data/prices.json has");
        var meta = new dev.edgeai.results.RunMeta(
                "evaluate",
                "2026-12-03T10:11:12Z",
                null,
                null,
                List.of("a", "b"),
                Map.of("prices", costs.asOptions(), "local_cost", costs.localLabel()));
        String table = EvalTable.costs(new RunResult(RunResult.SCHEMA, meta, List.of(), List.of(), true, null, rows));
        assertTrue(table.contains("price claude-sonnet-4: "), "the prices and their sources are listed: " + table);
        for (String line : table.lines().toList()) {
            assertTrue(line.length() <= 120, line.length() + " columns: " + line);
        }
        for (Costs.Price p : costs.prices()) {
            assertTrue(table.lines().anyMatch(l -> l.startsWith(p.name() + " ")), p.name() + "\n" + table);
            assertTrue(table.lines().anyMatch(l -> l.startsWith(p.name() + ", blend")), table);
        }
    }

    @Test
    void judgeScoresAreAddedAndResultsReadBack() {
        var cfg = new Evaluator.Config(
                List.of(ScoringTest.PORT), List.of("slm"), false, false, EscalationRule.defaults(), Map.of());
        Judge judge = new Judge(caller, "judge", tmp.resolve("judge-cache"));
        RunResult r = Evaluator.run(caller, null, judge, costs, cfg, Map.of(), s -> {});
        Sample s = samples(r, "slm").get(0);
        assertEquals(4.0, s.scores().get("judge_coherence"));
        assertEquals(3.0, s.scores().get("judge_factuality"));
        assertEquals(0.0, s.scores().get("judge_unscored"));
        assertEquals("judge", r.meta().options().get("judge"));

        Path file = ResultsFile.write(tmp.resolve("evaluate.json"), r);
        RunResult back = ResultsFile.read(file);
        assertEquals(r.reports().get(0).system(), back.reports().get(0).system());
        assertEquals(r.reports().get(0).value("score"), back.reports().get(0).value("score"));
        assertEquals(
                s.scores().get("judge_factuality"),
                samples(back, "slm").get(0).scores().get("judge_factuality"));
        assertEquals("q02", samples(back, "slm").get(0).item());
    }

    @Test
    void filesWrittenBeforeEvaluationStillRead() {
        RunResult old = ResultsFile.read(ROOT.resolve("data/results/examples/model_compare-example.json"));
        assertTrue(old.reports().isEmpty());
        assertNull(old.samples().get(0).item());
        assertTrue(old.samples().get(0).scores().isEmpty());
    }

    @Test
    void theHtmlReportShowsTheEvaluationTableAndCharts() {
        RunResult example = ResultsFile.read(ROOT.resolve("data/results/examples/evaluate-example.json"));
        assertEquals(Boolean.TRUE, example.meta().options().get("example"));
        String html = dev.edgeai.charts.HtmlReport.render("evaluate example", example);
        for (String s : List.of(
                "<h2>Evaluation</h2>",
                "EXAMPLE DATA",
                "fig_score_latency_",
                "fig_cost_",
                "fig_stages_",
                "local energy (estimate)",
                "gpt-4o-mini USD",
                "hybrid")) {
            assertTrue(html.contains(s), "report lacks " + s);
        }
        // the example is the real QA set run through the real pipelines: the hybrid sits between its two models
        assertTrue(report(example, "hybrid").value("escalated_share") > 0);
    }

    @Test
    void badConfigurationSaysWhatToDo() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> new Evaluator.Config(ITEMS, List.of("slm"), true, false, EscalationRule.defaults(), Map.of()));
        assertTrue(e.getMessage().contains("hybrid pipeline needs two models"));
        var needsJudge = new Evaluator.Config(
                ITEMS,
                List.of("slm", "llm"),
                true,
                false,
                EscalationRule.defaults().withJudge(3),
                Map.of());
        var j = assertThrows(
                IllegalArgumentException.class,
                () -> Evaluator.run(caller, null, null, costs, needsJudge, Map.of(), s -> {}));
        assertTrue(j.getMessage().contains("--judge MODEL"));
    }
}
