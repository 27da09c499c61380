package dev.edgeai.router;

import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.metrics.Stats;
import dev.edgeai.results.Environment;
import dev.edgeai.results.Recorder;
import dev.edgeai.results.RunMeta;
import dev.edgeai.results.RunResult;
import dev.edgeai.results.Sample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How well the router does on a labelled set: intent accuracy per strategy (rules only, similarity only, both),
 * leave-one-out so no prompt votes for itself; and, with a backend, what routing saves. Every prompt is answered
 * by every model in play, so "always small", "always large", "routed" and "routed by the true label" are compared
 * on the same answers (routed = the answer of the model the router picked).
 */
public final class RouterEval {
    private RouterEval() {}

    /** One labelled prompt: how each strategy classified it and where the router sent it. */
    public record Row(
            int index,
            LabelledPrompt item,
            IntentClassifier.Classification rulesOnly,
            IntentClassifier.Classification similarityOnly,
            Router.Decision decision,
            Router.Target expected) {
        public boolean correct() {
            return decision.intent() == item.intent();
        }

        /** Sent to the model the true label would have picked (a wrong intent can still land on the right model). */
        public boolean rightModel() {
            return decision.target().name().equals(expected.name());
        }
    }

    public record Accuracy(String strategy, int correct, int total) {
        public double value() {
            return total == 0 ? Double.NaN : (double) correct / total;
        }
    }

    public record Report(
            List<Row> rows, List<Accuracy> accuracy, Map<Intent, Map<Intent, Integer>> confusion, Stats classifyMs) {
        /** At most {@code n} rows spread evenly over the set (every intent stays represented), for a quicker live run. */
        public Report spread(int n) {
            if (n <= 0 || n >= rows.size()) return this;
            List<Row> some = new ArrayList<>();
            for (int i = 0; i < n; i++) some.add(rows.get((int) ((long) i * rows.size() / n)));
            return new Report(some, accuracy, confusion, classifyMs);
        }
    }

    public static Report classify(Router router) {
        IntentClassifier c = router.classifier();
        List<Row> rows = new ArrayList<>();
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < c.examples().size(); i++) {
            LabelledPrompt item = c.examples().get(i);
            var combined = c.classifyHeldOut(i, IntentClassifier.Strategy.RULES_THEN_SIMILARITY);
            var rules = c.classifyHeldOut(i, IntentClassifier.Strategy.RULES_ONLY);
            var sim = c.classifyHeldOut(i, IntentClassifier.Strategy.SIMILARITY_ONLY);
            ms.add(c.classify(item.prompt()).tookMs()); // timed as a new prompt would be: embedding included
            rows.add(new Row(
                    i + 1, item, rules, sim, router.decide(item.prompt(), combined), router.choose(item.intent())));
        }
        int n = rows.size();
        List<Accuracy> acc = List.of(
                new Accuracy(
                        "rules only",
                        (int) rows.stream()
                                .filter(r -> r.rulesOnly().intent() == r.item().intent())
                                .count(),
                        n),
                new Accuracy(
                        "similarity only",
                        (int) rows.stream()
                                .filter(r ->
                                        r.similarityOnly().intent() == r.item().intent())
                                .count(),
                        n),
                new Accuracy(
                        "rules then similarity",
                        (int) rows.stream().filter(Row::correct).count(),
                        n),
                new Accuracy(
                        "right model (routing)",
                        (int) rows.stream().filter(Row::rightModel).count(),
                        n));
        Map<Intent, Map<Intent, Integer>> confusion = new EnumMap<>(Intent.class);
        for (Row r : rows)
            confusion
                    .computeIfAbsent(r.item().intent(), k -> new EnumMap<>(Intent.class))
                    .merge(r.decision().intent(), 1, Integer::sum);
        return new Report(rows, acc, confusion, Stats.of(ms));
    }

    /** Per prompt: true and predicted intent, how, and where it went; then the accuracy lines. */
    public static String table(Report rep) {
        StringBuilder sb = new StringBuilder(String.format(
                "%-3s %-10s %-10s %-10s %-14s %s%n", "#", "label", "predicted", "method", "model", "prompt"));
        for (Row r : rep.rows()) {
            sb.append(String.format(
                    "%-3d %-10s %-10s %-10s %-14s %s%s%n",
                    r.index(),
                    r.item().intent(),
                    r.decision().intent(),
                    r.decision().classification().method().name().toLowerCase(),
                    clip(r.decision().target().name(), 14),
                    r.correct() ? "" : "✗ ",
                    IntentClassifier.clip(r.item().prompt(), 60)));
        }
        sb.append('\n');
        for (Accuracy a : rep.accuracy()) {
            sb.append(String.format(
                    "accuracy %-22s %2d/%d = %5.1f%%%n", a.strategy(), a.correct(), a.total(), 100 * a.value()));
        }
        sb.append(String.format(
                "classification time (rules then similarity): p50 %.2f ms, p95 %.2f ms, max %.2f ms%n",
                rep.classifyMs().p50(), rep.classifyMs().p95(), rep.classifyMs().max()));
        return sb.toString();
    }

    private static String clip(String s, int n) {
        return s.length() > n ? s.substring(0, n - 1) + "…" : s;
    }

    /**
     * Sends every labelled prompt to every model in play (one streamed request each, so TTFT and tokens are
     * measured) and records the decisions beside the samples: group = the target's name, round = the prompt's
     * index. A failed request is kept as a failed sample; an unreachable server stops the run.
     */
    public static RunResult measure(
            ChatBackend backend,
            Router router,
            Report rep,
            int maxTokens,
            Map<String, Object> scriptOptions,
            Consumer<String> progress) {
        return measure(backend, router, rep, maxTokens, 0.0, null, scriptOptions, progress);
    }

    /** As above, sampling with {@code temperature} and {@code seed} (null: none sent). */
    public static RunResult measure(
            ChatBackend backend,
            Router router,
            Report rep,
            int maxTokens,
            double temperature,
            Long seed,
            Map<String, Object> scriptOptions,
            Consumer<String> progress) {
        String started = Instant.now().toString();
        List<Sample> samples = new ArrayList<>();
        int done = 0;
        Recorder recorder = new Recorder(backend);
        for (Row r : rep.rows()) {
            done++;
            for (Router.Target t : router.inPlay()) {
                ChatRequest req = ChatRequest.builder(t.name())
                        .user(r.item().prompt())
                        .maxTokens(maxTokens)
                        .temperature(temperature)
                        .seed(seed)
                        .build();
                Recorder.Context c = recorder.record(
                        Recorder.Call.of(t.name())
                                .round(r.index())
                                .prompt(r.item().prompt()),
                        req,
                        null);
                // A dead server or a model it lacks ends the run; a failed answer is kept as a failed sample.
                if (!c.ok()
                        && (!(c.error() instanceof ChatException e)
                                || e.kind() == ChatException.Kind.UNREACHABLE
                                || e.kind() == ChatException.Kind.UNKNOWN_MODEL)) throw c.error();
                samples.add(c.sample());
                if (c.ok()) {
                    progress.accept(String.format(
                            "%d/%d (prompt %d) %s: E2E %.0f ms, %d tokens",
                            done,
                            rep.rows().size(),
                            r.index(),
                            t.name(),
                            c.result().timings().e2eMs(),
                            c.result().usage().completionTokens()));
                } else {
                    progress.accept(
                            r.index() + " " + t.name() + " failed: " + c.error().getMessage());
                }
            }
        }
        Map<String, Object> options = new LinkedHashMap<>(scriptOptions);
        options.put("max_tokens", maxTokens);
        options.put("temperature", temperature);
        if (seed != null) options.put("seed", seed);
        options.put(
                "targets",
                router.inPlay().stream()
                        .map(t -> Map.of(
                                "name",
                                t.name(),
                                "alias",
                                t.entry().alias(),
                                "size_class",
                                t.entry().sizeClass(),
                                "cost_per_1m_input",
                                t.entry().costPer1MInput(),
                                "cost_per_1m_output",
                                t.entry().costPer1MOutput()))
                        .toList());
        // Decided again by this router: the report may come from one whose models were not yet named as the backend
        // names them.
        options.put(
                "routing",
                rep.rows().stream()
                        .map(r -> Map.of(
                                "index",
                                r.index(),
                                "label",
                                r.item().intent().id(),
                                "predicted",
                                r.decision().intent().id(),
                                "method",
                                r.decision().classification().method().name().toLowerCase(),
                                "routed_to",
                                router.choose(r.decision().intent()).name(),
                                "label_model",
                                router.choose(r.item().intent()).name(),
                                "reason",
                                r.decision().classification().reason()))
                        .toList());
        options.put(
                "accuracy",
                rep.accuracy().stream()
                        .map(a -> Map.of("strategy", a.strategy(), "correct", a.correct(), "total", a.total()))
                        .toList());
        List<String> models = samples.stream().map(Sample::model).distinct().toList();
        return RunResult.of(
                new RunMeta("router", started, Environment.current(), backend.info(), models, options), samples);
    }

    /** Totals of one strategy over the labelled set: which answer each prompt would have used. */
    public record StrategyCost(
            String strategy,
            int requests,
            int failed,
            double e2eMsTotal,
            double e2eMsMean,
            double costUsd,
            Map<String, Integer> perModel) {}

    /**
     * "always X" for each model in play, "routed" and "routed (true labels)", from a {@link #measure} run (live or
     * saved: everything needed is in the file).
     */
    public static List<StrategyCost> compare(RunResult run) {
        List<Map<String, Object>> targets = list(run.meta().options().get("targets"));
        List<Map<String, Object>> routing = list(run.meta().options().get("routing"));
        if (targets.isEmpty() || routing.isEmpty())
            throw new IllegalArgumentException("not a router results file (no targets/routing in meta.options)");
        Map<String, double[]> price = new LinkedHashMap<>();
        for (var t : targets)
            price.put(
                    (String) t.get("name"),
                    new double[] {num(t.get("cost_per_1m_input")), num(t.get("cost_per_1m_output"))});
        Map<String, Sample> byKey = new LinkedHashMap<>();
        for (Sample s : run.samples()) byKey.put(s.group() + "#" + s.round(), s);
        List<StrategyCost> out = new ArrayList<>();
        for (String name : price.keySet()) out.add(cost("always " + name, routing, r -> name, byKey, price));
        out.add(cost("routed", routing, r -> (String) r.get("routed_to"), byKey, price));
        out.add(cost("routed (true labels)", routing, r -> (String) r.get("label_model"), byKey, price));
        return out;
    }

    private static StrategyCost cost(
            String label,
            List<Map<String, Object>> routing,
            java.util.function.Function<Map<String, Object>, String> pick,
            Map<String, Sample> byKey,
            Map<String, double[]> price) {
        int n = 0, failed = 0;
        double e2e = 0, usd = 0;
        Map<String, Integer> perModel = new LinkedHashMap<>();
        for (var r : routing) {
            String model = pick.apply(r);
            Sample s = byKey.get(model + "#" + (int) num(r.get("index")));
            n++;
            perModel.merge(model, 1, Integer::sum);
            if (s == null || !s.ok()) {
                failed++;
                continue;
            }
            e2e += s.e2eMs() == null ? 0 : s.e2eMs();
            double[] p = price.get(model);
            usd += ((s.promptTokens() == null ? 0 : s.promptTokens()) * p[0]
                            + (s.completionTokens() == null ? 0 : s.completionTokens()) * p[1])
                    / 1e6;
        }
        int ok = n - failed;
        return new StrategyCost(label, n, failed, e2e, ok == 0 ? Double.NaN : e2e / ok, usd, perModel);
    }

    public static String costTable(List<StrategyCost> costs) {
        int w = Math.max(
                22, costs.stream().mapToInt(c -> c.strategy().length()).max().orElse(22));
        StringBuilder sb = new StringBuilder(String.format(
                "%-" + w + "s %8s %12s %12s %14s  %s%n",
                "strategy",
                "requests",
                "E2E total s",
                "E2E mean ms",
                "cost USD (em.)",
                "requests per model"));
        StrategyCost base = costs.stream()
                .filter(c -> c.strategy().startsWith("always"))
                .reduce((a, b) -> b)
                .orElse(costs.get(0));
        for (StrategyCost c : costs) {
            sb.append(String.format(
                    "%-" + w + "s %8d %12.2f %12.0f %14s  %s%s%n",
                    c.strategy(),
                    c.requests(),
                    c.e2eMsTotal() / 1000,
                    c.e2eMsMean(),
                    Double.isNaN(c.costUsd()) ? "unknown" : String.format("%.6f", c.costUsd()),
                    c.perModel(),
                    c.failed() > 0 ? " (" + c.failed() + " failed)" : ""));
        }
        StrategyCost routed = costs.stream()
                .filter(c -> c.strategy().equals("routed"))
                .findFirst()
                .orElseThrow();
        if (base.costUsd() > 0 && base.e2eMsTotal() > 0) {
            sb.append(String.format(
                    "routed vs %s: %.2fx the time, %.2fx the cost%n",
                    base.strategy(), routed.e2eMsTotal() / base.e2eMsTotal(), routed.costUsd() / base.costUsd()));
        } else if (base.e2eMsTotal() > 0 && (Double.isNaN(base.costUsd()) || Double.isNaN(routed.costUsd()))) {
            sb.append(String.format(
                    "routed vs %s: %.2fx the time; cost unknown (a model is not in data/models.json)%n",
                    base.strategy(), routed.e2eMsTotal() / base.e2eMsTotal()));
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return o instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    /** Numbers as results files hold them; null (how NaN is written: unknown costs) reads as NaN. */
    private static double num(Object o) {
        if (o == null) return Double.NaN;
        return o instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(o));
    }
}
