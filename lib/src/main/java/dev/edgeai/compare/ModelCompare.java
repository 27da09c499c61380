package dev.edgeai.compare;

import dev.edgeai.bench.BenchConfig;
import dev.edgeai.bench.BenchmarkRunner;
import dev.edgeai.bench.PromptSet;
import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.ModelInfo;
import dev.edgeai.chat.ModelResolver;
import dev.edgeai.chat.Terminal;
import dev.edgeai.metrics.Stats;
import dev.edgeai.results.Recorder;
import dev.edgeai.results.RunLog;
import dev.edgeai.results.RunMeta;
import dev.edgeai.results.RunResult;
import dev.edgeai.results.Sample;
import dev.edgeai.results.Summary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The workshop's first exercise: send one prompt to a small and a large model and compare latency, tokens and
 * answers. It is a benchmark with one prompt, two models and concurrency 1 ({@link BenchmarkRunner}: each request
 * streamed so TTFT is measured on the same request as the rest, warmups excluded), printed side by side.
 */
public final class ModelCompare {
    private ModelCompare() {}

    /** The two resolved model ids (what the user typed may be an alias such as "phi-4-mini"). */
    public record Models(String slm, String llm) {}

    public static Models resolve(ChatBackend backend, CompareOptions o) {
        List<ModelInfo> available = backend.models();
        return new Models(ModelResolver.resolve(o.slm(), available), ModelResolver.resolve(o.llm(), available));
    }

    /** As {@link #run(ChatBackend, CompareOptions, Map, Consumer, RunLog)} with a private log. */
    public static RunResult run(
            ChatBackend backend, CompareOptions o, Map<String, Object> scriptOptions, Consumer<String> progress) {
        return run(backend, o, scriptOptions, progress, new RunLog());
    }

    /**
     * Runs the comparison. A failed round is recorded in its sample and the run goes on; a model that fails its
     * warmup (server error, unknown model, server gone) is recorded as failed and not measured, and the other model
     * still runs, so what was measured is kept. Such a run, or one stopped through {@code log}, comes back marked
     * incomplete with a note that says why.
     *
     * @param progress one line per request, for stderr
     * @param log      receives each sample as it is measured and carries stop requests (Ctrl-C)
     */
    public static RunResult run(
            ChatBackend backend,
            CompareOptions o,
            Map<String, Object> scriptOptions,
            Consumer<String> progress,
            RunLog log) {
        Models m = resolve(backend, o);
        PromptSet prompt = PromptSet.single("compare", o.prompt(), o.maxTokens());
        BenchConfig cfg = BenchConfig.builder(prompt, m.slm(), m.llm())
                .groups(List.of("slm", "llm"))
                .warmup(o.warmup())
                .requests(o.rounds())
                .concurrency(1)
                .maxTokens(o.maxTokens())
                .temperature(o.temperature() == null ? 0 : o.temperature())
                .seed(o.seed())
                .systemPrompt(o.system() == null || o.system().isBlank() ? null : o.system())
                .maxConsecutiveErrors(0)
                .skipFailedWarmup(true)
                .tool("model_compare")
                .build();
        RunResult bench = new BenchmarkRunner(backend)
                .log(log)
                .onSample(s -> progress.accept(progressLine(s, o)))
                .run(cfg);

        // The results keep model_compare's shape: the prompt text in every sample, the script's options first.
        List<Sample> samples =
                bench.samples().stream().map(s -> s.withPrompt(o.prompt())).toList();
        Map<String, Object> options = new LinkedHashMap<>(scriptOptions);
        options.putIfAbsent("prompt", o.prompt());
        options.putIfAbsent("rounds", o.rounds());
        options.putIfAbsent("warmup", o.warmup());
        bench.meta().options().forEach(options::putIfAbsent);
        RunMeta meta = new RunMeta(
                "model_compare",
                bench.meta().time(),
                bench.meta().environment(),
                bench.meta().backend(),
                List.of(m.slm(), m.llm()),
                options);
        List<String> problems = new ArrayList<>();
        for (String group : List.of("slm", "llm")) {
            String model = group.equals("slm") ? m.slm() : m.llm();
            List<Sample> mine =
                    samples.stream().filter(s -> group.equals(s.group())).toList();
            if (!mine.isEmpty() && mine.stream().noneMatch(Sample::ok)) {
                String why = Recorder.message(mine.getFirst());
                problems.add(group + " " + model + " failed"
                        + (mine.stream().allMatch(Sample::warmup) ? " its warmup" : "") + ": " + why);
                progress.accept(Terminal.safe(problems.getLast()));
            }
        }
        if (!bench.complete() && bench.note() != null) problems.add(bench.note());
        RunResult result = new RunResult(RunResult.SCHEMA, meta, samples, bench.summaries(), true, null);
        return problems.isEmpty() ? result : result.incomplete(String.join("; ", problems));
    }

    private static String progressLine(Sample s, CompareOptions o) {
        String head = s.group() + " " + Terminal.safe(s.model());
        if (!s.ok()) {
            return Terminal.safe(
                    head + (s.warmup() ? " warmup" : " round " + (s.round() + 1)) + " failed: " + Recorder.message(s));
        }
        if (s.warmup())
            return String.format("%s warmup %d/%d: %.0f ms", head, s.round() + 1, o.warmup(), nan(s.e2eMs()));
        return String.format(
                "%s round %d/%d: TTFT %.0f ms, E2E %.0f ms, %d tokens%s",
                head,
                s.round() + 1,
                o.rounds(),
                nan(s.ttftMs()),
                nan(s.e2eMs()),
                s.completionTokens(),
                s.tokensEstimated() ? " (estimated)" : "");
    }

    private static double nan(Double d) {
        return d == null ? Double.NaN : d;
    }

    /**
     * A side-by-side table: one row per metric (means over measured rounds, p95 where it matters), one column per
     * model, then both answers wrapped into their columns.
     */
    public static String table(RunResult r, int columnWidth) {
        Summary slm = summary(r, "slm");
        Summary llm = summary(r, "llm");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"", "SLM", "LLM"});
        rows.add(new String[] {"model", slm.model(), llm.model()});
        rows.add(new String[] {"rounds ok/failed", slm.ok() + "/" + slm.errors(), llm.ok() + "/" + llm.errors()});
        rows.add(row("TTFT mean (ms)", slm, llm, "ttft_ms", Stat.MEAN, 0));
        rows.add(row("TTFT p95 (ms)", slm, llm, "ttft_ms", Stat.P95, 0));
        rows.add(row("E2E mean (ms)", slm, llm, "e2e_ms", Stat.MEAN, 0));
        rows.add(row("E2E p95 (ms)", slm, llm, "e2e_ms", Stat.P95, 0));
        rows.add(row("TPOT mean (ms/token)", slm, llm, "tpot_ms", Stat.MEAN, 1));
        rows.add(row("decode tok/s", slm, llm, "decode_tps", Stat.MEAN, 1));
        rows.add(row("prompt tokens", slm, llm, "prompt_tokens", Stat.MEAN, 0));
        String[] completion = row("completion tokens", slm, llm, "completion_tokens", Stat.MEAN, 0);
        if (estimated(r, "slm")) completion[1] += " (est.)";
        if (estimated(r, "llm")) completion[2] += " (est.)";
        rows.add(completion);
        String ratio = ratio(llm, slm, "e2e_ms");
        rows.add(new String[] {"E2E LLM/SLM", "", ratio});

        int w0 = rows.stream().mapToInt(x -> x[0].length()).max().orElse(10);
        int w = Math.max(
                columnWidth,
                rows.stream()
                        .mapToInt(x -> Math.max(x[1].length(), x[2].length()))
                        .max()
                        .orElse(10));
        StringBuilder sb = new StringBuilder();
        String sep = "+" + "-".repeat(w0 + 2) + "+" + "-".repeat(w + 2) + "+" + "-".repeat(w + 2) + "+\n";
        sb.append(sep);
        for (int i = 0; i < rows.size(); i++) {
            String[] x = rows.get(i);
            sb.append(String.format(
                    "| %-" + w0 + "s | %" + (i < 2 ? "-" : "") + w + "s | %" + (i < 2 ? "-" : "") + w + "s |%n",
                    x[0],
                    x[1],
                    x[2]));
            if (i == 0) sb.append(sep);
        }
        sb.append(sep);
        List<String> a = wrap(lastAnswer(r, "slm"), w);
        List<String> b = wrap(lastAnswer(r, "llm"), w);
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            sb.append(String.format(
                    "| %-" + w0 + "s | %-" + w + "s | %-" + w + "s |%n",
                    i == 0 ? "answer" : "",
                    i < a.size() ? a.get(i) : "",
                    i < b.size() ? b.get(i) : ""));
        }
        sb.append(sep);
        return sb.toString();
    }

    private enum Stat {
        MEAN,
        P95
    }

    private static String[] row(String label, Summary a, Summary b, String metric, Stat s, int decimals) {
        return new String[] {
            label, fmt(a.metrics().get(metric), s, decimals), fmt(b.metrics().get(metric), s, decimals)
        };
    }

    private static String fmt(Stats st, Stat s, int decimals) {
        if (st == null || st.n() == 0) return "n/a";
        double v = s == Stat.MEAN ? st.mean() : st.p95();
        return Double.isFinite(v) ? String.format("%." + decimals + "f", v) : "n/a";
    }

    private static String ratio(Summary num, Summary den, String metric) {
        Stats n = num.metrics().get(metric);
        Stats d = den.metrics().get(metric);
        if (n == null || d == null || n.n() == 0 || d.n() == 0 || d.mean() <= 0) return "n/a";
        return String.format("%.2fx", n.mean() / d.mean());
    }

    private static Summary summary(RunResult r, String group) {
        // A model that failed its warmup, or a run stopped before it (Ctrl-C), still gets its column.
        return r.summaries().stream()
                .filter(s -> group.equals(s.group()))
                .findFirst()
                .orElseGet(() -> Summary.of(modelOf(r, group), group, 1, List.of(), null, null));
    }

    private static String modelOf(RunResult r, String group) {
        int i = group.equals("slm") ? 0 : 1;
        return r.meta() != null && r.meta().models().size() > i
                ? r.meta().models().get(i)
                : "(not run)";
    }

    private static boolean estimated(RunResult r, String group) {
        return r.samples().stream()
                .anyMatch(s -> group.equals(s.group()) && !s.warmup() && s.ok() && s.tokensEstimated());
    }

    private static String lastAnswer(RunResult r, String group) {
        String text = null;
        String warmupError = null;
        for (Sample s : r.samples()) {
            if (!group.equals(s.group())) continue;
            if (!s.warmup()) text = s.ok() ? s.text() : "[error] " + s.error();
            else if (!s.ok()) warmupError = "[error in warmup] " + s.error();
        }
        if (text == null) text = warmupError;
        // Model output is untrusted: drop control characters (ANSI escapes could rewrite the terminal).
        return text == null ? "" : text.replaceAll("[\\p{Cntrl}&&[^\\n\\t]]", "");
    }

    /** Word-wraps text to lines of at most {@code width} characters (long words are cut). */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        for (String para : text.strip().split("\\R")) {
            StringBuilder line = new StringBuilder();
            for (String word : para.trim().split("\\s+")) {
                while (word.length() > width) {
                    if (!line.isEmpty()) {
                        lines.add(line.toString());
                        line.setLength(0);
                    }
                    lines.add(word.substring(0, width));
                    word = word.substring(width);
                }
                if (line.length() + word.length() + (line.isEmpty() ? 0 : 1) > width) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                if (!line.isEmpty()) line.append(' ');
                line.append(word);
            }
            if (!line.isEmpty()) lines.add(line.toString());
        }
        return lines;
    }
}
