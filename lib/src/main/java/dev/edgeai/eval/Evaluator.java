package dev.edgeai.eval;

import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ChatMessage;
import dev.edgeai.chat.ModelResolver;
import dev.edgeai.metrics.Stats;
import dev.edgeai.results.Environment;
import dev.edgeai.results.RunMeta;
import dev.edgeai.results.RunResult;
import dev.edgeai.results.Sample;
import dev.edgeai.results.Summary;
import dev.edgeai.results.SystemReport;
import dev.edgeai.retrieval.Retriever;
import dev.edgeai.retrieval.SearchResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs every model and pipeline over a QA set and writes one results file: a sample per (system, question) with
 * its scores and stage timings, a cold request per model, and a {@link SystemReport} per system with means,
 * memory, CPU and costs.
 */
public final class Evaluator {
    /** The untimed first request per model that measures the cold start. */
    static final String COLD_PROMPT = "Reply with the single word OK.";

    private Evaluator() {}

    /**
     * @param models   ids or aliases: the first is the small model, the last the large one
     * @param hybrid   add the draft → refine pipeline (needs two models)
     * @param rag      give every system the retrieved context and add the RAG-escalation pipeline
     * @param loads    load figures for models loaded by the caller (embedded engine), by model id; may be empty
     */
    public record Config(
            List<QaItem> items,
            List<String> models,
            boolean hybrid,
            boolean rag,
            EscalationRule rule,
            Map<String, LoadInfo> loads) {
        public Config {
            items = List.copyOf(items);
            models = List.copyOf(models);
            loads = loads == null ? Map.of() : Map.copyOf(loads);
            if (items.isEmpty()) throw new IllegalArgumentException("no questions to evaluate");
            if (models.isEmpty())
                throw new IllegalArgumentException("no models to evaluate: give --models or SLM_ALIAS/LLM_ALIAS");
            if (hybrid && models.size() < 2)
                throw new IllegalArgumentException("the hybrid pipeline needs two models (SLM and LLM); got " + models);
            Objects.requireNonNull(rule, "rule");
        }
    }

    public static RunResult run(
            ModelCaller caller,
            Retriever retriever,
            Judge judge,
            Costs costs,
            Config cfg,
            Map<String, Object> scriptOptions,
            Consumer<String> progress) {
        String started = Instant.now().toString();
        var available = caller.backend().models();
        List<String> models = cfg.models().stream()
                .map(m -> ModelResolver.resolve(m, available))
                .distinct()
                .toList();
        if (cfg.rag() && retriever == null)
            throw new IllegalArgumentException("--rag needs the documents folder (--docs)");
        if (cfg.rule().needsJudge() && judge == null)
            throw new IllegalArgumentException("--escalate-judge needs a judge: add --judge MODEL");
        List<Pipeline> systems = new ArrayList<>();
        for (String m : models) systems.add(new Pipeline.Single(m, cfg.rag()));
        String slm = models.get(0);
        String llm = models.get(models.size() - 1);
        if (cfg.hybrid() && models.size() >= 2) systems.add(new Pipeline.Hybrid(slm, llm, cfg.rule(), cfg.rag()));
        if (cfg.rag() && models.size() >= 2) systems.add(new Pipeline.RagEscalation(slm, llm, cfg.rule()));

        List<Sample> samples = new ArrayList<>();
        Map<String, Sample> cold = new LinkedHashMap<>();
        for (String m : models) {
            ModelCaller.Call c = caller.call("cold", m, List.of(ChatMessage.user(COLD_PROMPT)), 0, 8);
            Sample s = sample(
                    m,
                    "cold",
                    0,
                    true,
                    COLD_PROMPT,
                    new Answer(c.text(), List.of(c.stage()), false, null),
                    null,
                    Map.of());
            samples.add(s);
            cold.put(m, s);
            // the same figures the tables report as cold TTFT (call → first token, see EvalTable.COLD_TTFT)
            progress.accept(String.format(
                    Locale.ROOT,
                    "%s cold request: TTFT %.0f ms, E2E %.0f ms",
                    m,
                    s.ttftMs() == null ? Double.NaN : s.ttftMs(),
                    s.e2eMs() == null ? Double.NaN : s.e2eMs()));
        }

        Map<String, SearchResult> retrieved = new HashMap<>();
        for (QaItem item : cfg.items()) {
            if (retriever != null) retrieved.put(item.id(), retriever.search(item.question()));
        }
        Map<String, List<Answer>> answers = new LinkedHashMap<>();
        for (Pipeline p : systems) {
            List<Answer> list = new ArrayList<>();
            answers.put(p.name(), list);
            for (int i = 0; i < cfg.items().size(); i++) {
                QaItem item = cfg.items().get(i);
                var q = new Pipeline.Question(item, retrieved.get(item.id()));
                try {
                    Answer a = p.answer(q, caller, judge);
                    Map<String, Double> scores = Scoring.score(item, a.text(), q.chunkTexts());
                    if (!(p instanceof Pipeline.Single)) scores.put("escalated", a.escalated() ? 1.0 : 0.0);
                    if (judge != null) judgeScores(judge.judge(item, a.text()), scores);
                    samples.add(sample(p.name(), p.kind(), i + 1, false, item.question(), a, item.id(), scores));
                    list.add(a);
                    progress.accept(String.format(
                            "%s %s: score %.2f, E2E %.0f ms%s",
                            p.name(),
                            item.id(),
                            scores.get("score"),
                            a.e2eMs(),
                            a.escalated() ? ", escalated (" + a.escalationReason() + ")" : ""));
                } catch (ChatException e) {
                    if (e.kind() == ChatException.Kind.UNREACHABLE) throw e;
                    samples.add(Sample.failed(p.name(), p.kind(), i + 1, false, 1, item.question(), e.getMessage())
                            .withEvaluation(item.id(), null, null));
                    progress.accept(p.name() + " " + item.id() + " failed: " + e.getMessage());
                }
            }
        }

        Map<String, Object> options = new LinkedHashMap<>(scriptOptions);
        options.put("questions", cfg.items().size());
        options.put("rag", cfg.rag());
        options.put("escalation", cfg.rule().describe());
        if (judge != null) options.put("judge", judge.model());
        options.put("prices", costs.asOptions());
        options.put("local_cost", costs.localLabel());
        options.put("serving_process", caller.process().description());
        RunMeta meta = new RunMeta(
                "evaluate", started, Environment.current(), caller.backend().info(), models, options);
        List<SystemReport> reports = new ArrayList<>();
        for (Pipeline p : systems) {
            reports.add(report(
                    p,
                    samples,
                    answers.get(p.name()),
                    cold.get(p.name()),
                    cfg.loads().get(p.name()),
                    caller.process(),
                    costs,
                    slm));
        }
        return new RunResult(RunResult.SCHEMA, meta, samples, Summary.of(samples), true, null, reports);
    }

    private static void judgeScores(Judge.Verdict v, Map<String, Double> scores) {
        if (v.scored()) {
            scores.put("judge_coherence", (double) v.rubric().coherence());
            scores.put("judge_factuality", (double) v.rubric().factuality());
            scores.put("judge_brevity", (double) v.rubric().brevity());
        }
        scores.put("judge_unscored", v.scored() ? 0.0 : 1.0);
    }

    static Sample sample(
            String system,
            String group,
            int round,
            boolean warmup,
            String prompt,
            Answer a,
            String item,
            Map<String, Double> scores) {
        Stage last = a.stages().get(a.stages().size() - 1);
        double tpot = last.completionTokens() >= 2 && !Double.isNaN(last.ttftMs())
                ? last.completionMs() / (last.completionTokens() - 1)
                : Double.NaN;
        Map<String, Double> stages = new LinkedHashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Stage s : a.stages()) {
            int n = seen.merge(s.name(), 1, Integer::sum);
            String k = n == 1 ? s.name() : s.name() + n;
            stages.put(k + ".prep_ms", s.prepMs());
            stages.put(k + ".send_ms", s.sendMs());
            stages.put(k + ".first_token_ms", s.ttftMs());
            stages.put(k + ".completion_ms", s.completionMs());
            stages.put(k + ".cpu_ms", s.cpuMs());
            stages.put(k + ".prompt_tokens", (double) s.promptTokens());
            stages.put(k + ".completion_tokens", (double) s.completionTokens());
        }
        return new Sample(
                system,
                group,
                round,
                warmup,
                1,
                finite(a.ttftMs()),
                finite(a.e2eMs()),
                finite(tpot),
                finite(Double.isNaN(tpot) || tpot <= 0 ? Double.NaN : 1000 / tpot),
                a.promptTokens(),
                a.completionTokens(),
                a.tokensEstimated(),
                List.of(),
                prompt,
                a.text(),
                null,
                null,
                item,
                scores,
                stages);
    }

    private static SystemReport report(
            Pipeline p,
            List<Sample> all,
            List<Answer> answers,
            Sample cold,
            LoadInfo load,
            ServingProcess process,
            Costs costs,
            String slm) {
        List<Sample> mine = all.stream()
                .filter(s -> !s.warmup() && p.name().equals(s.model()))
                .toList();
        List<Sample> ok = mine.stream().filter(Sample::ok).toList();
        Map<String, Double> v = new LinkedHashMap<>();
        Map<String, String> notes = new LinkedHashMap<>();
        v.put("n", (double) ok.size());
        v.put("errors", (double) (mine.size() - ok.size()));
        List<String> scoreNames = new ArrayList<>(Scoring.NAMES);
        scoreNames.addAll(
                List.of("judge_coherence", "judge_factuality", "judge_brevity", "judge_unscored", "escalated"));
        for (String name : scoreNames) {
            Stats st = Stats.of(ok.stream()
                    .map(s -> s.scores().get(name))
                    .filter(Objects::nonNull)
                    .toList());
            if (st.n() > 0) v.put(name.equals("escalated") ? "escalated_share" : name, st.mean());
        }
        v.put("ttft_ms", mean(ok, Sample::ttftMs));
        v.put("e2e_ms", mean(ok, Sample::e2eMs));
        v.put("prompt_tokens", mean(ok, Sample::promptTokens));
        v.put("completion_tokens", mean(ok, Sample::completionTokens));
        long promptSum = ok.stream().mapToLong(Sample::promptTokens).sum();
        long completionSum = ok.stream().mapToLong(Sample::completionTokens).sum();
        v.put("prompt_tokens_total", (double) promptSum);
        v.put("completion_tokens_total", (double) completionSum);
        if (ok.stream().anyMatch(Sample::tokensEstimated))
            notes.put("completion_tokens", "estimated: the server sent no usage");

        double cpuS = answers.stream().mapToDouble(Answer::cpuMs).sum() / 1000;
        if (Double.isFinite(cpuS) && !answers.isEmpty()) {
            v.put("cpu_s", cpuS);
            v.put("cpu_resolution_s", process.cpuResolutionSeconds());
            if (completionSum > 0) v.put("cpu_s_per_token", cpuS / completionSum);
            v.put("local_energy_wh", costs.energyWh(cpuS));
            v.put("local_cost_usd", costs.localUsd(cpuS));
            notes.put("local_cost_usd", costs.localLabel());
        } else {
            String why = "n/a: CPU time of the serving process not readable (" + process.description() + ")";
            notes.put("cpu_s", why);
            notes.put("local_cost_usd", why);
        }
        for (Costs.Price price : costs.prices()) {
            v.put("cost_usd:" + price.name(), price.usd(promptSum, completionSum));
            if (p instanceof Pipeline.Single) continue;
            // The pipeline with its small model on this machine and its large model in the cloud.
            double blended = 0;
            for (Answer a : answers) {
                for (Stage s : a.stages()) {
                    blended += s.model().equals(slm)
                            ? costs.localUsd(s.cpuMs() / 1000)
                            : price.usd(s.promptTokens(), s.completionTokens());
                }
            }
            if (Double.isFinite(blended)) v.put("blended_cost_usd:" + price.name(), blended);
        }

        if (p instanceof Pipeline.Single) {
            if (cold != null) {
                v.put("cold_ttft_ms", cold.ttftMs() == null ? Double.NaN : cold.ttftMs());
                v.put("cold_e2e_ms", cold.e2eMs() == null ? Double.NaN : cold.e2eMs());
                notes.put("cold_ttft_ms", EvalTable.COLD_TTFT);
            }
            // Warm: the model's own first-token time on the QA requests (no retrieval or prompt building).
            v.put(
                    "warm_ttft_ms",
                    Stats.of(answers.stream()
                                    .map(a -> a.stages().get(0).ttftMs())
                                    .toList())
                            .mean());
            if (load != null) {
                v.put("load_ms", load.loadMs());
                if (load.rssBeforeBytes() >= 0) v.put("rss_before_load_mb", load.rssBeforeBytes() / 1048576.0);
                if (load.rssAfterBytes() >= 0) v.put("rss_after_load_mb", load.rssAfterBytes() / 1048576.0);
            } else {
                notes.put("load_ms", "n/a: the server loaded the model (see cold_ttft_ms for the first request)");
            }
            long rss = process.rssBytes();
            if (rss >= 0) v.put("rss_mb", rss / 1048576.0);
            else notes.put("rss_mb", "n/a: " + process.rssUnavailable());
            long heap = process.heapBytes();
            if (heap >= 0) v.put("heap_mb", heap / 1048576.0);
        }
        v.values().removeIf(d -> d == null);
        return new SystemReport(p.name(), p.kind(), v, notes);
    }

    private static double mean(List<Sample> samples, Function<Sample, ? extends Number> f) {
        return Stats.of(samples.stream()
                        .map(f)
                        .filter(Objects::nonNull)
                        .map(Number::doubleValue)
                        .toList())
                .mean();
    }

    private static Double finite(double d) {
        return Double.isFinite(d) ? d : null;
    }
}
