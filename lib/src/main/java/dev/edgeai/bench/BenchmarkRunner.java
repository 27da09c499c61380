package dev.edgeai.bench;

import dev.edgeai.chat.BackendInfo;
import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.chat.FinishReason;
import dev.edgeai.chat.StreamListener;
import dev.edgeai.results.Environment;
import dev.edgeai.results.Recorder;
import dev.edgeai.results.RunLog;
import dev.edgeai.results.RunMeta;
import dev.edgeai.results.RunResult;
import dev.edgeai.results.Sample;
import dev.edgeai.results.Summary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Runs a benchmark: for each model and each concurrency level C, untimed warmups, then exactly C streamed requests
 * kept in flight (virtual threads gated by a semaphore) until the cell's budget is used. Every request is one
 * {@link ChatBackend#stream} call, so TTFT, E2E, ITL and usage come from the same request (never a second request
 * timed differently).
 *
 * <p>Failures become {@link Sample#failed} samples (message "KIND: text") and the run goes on, except when the
 * backend looks dead: every measured request of a cell failed with UNREACHABLE, or
 * {@link BenchConfig#maxConsecutiveErrors()} failures came in a row. Then the run stops, keeps what it has and
 * returns {@link RunResult#incomplete}. A model the backend does not know (UNKNOWN_MODEL / MODEL_LOAD on every
 * warmup or request of its first cell) is skipped and named in the result's note.
 *
 * <p>Not timed: building the request, and anything the backend does before it sends the request. Each request is
 * recorded by a {@link Recorder} (stage = the model's group). Samples record the model name as requested (so cells
 * group consistently); the ids that actually answered are in {@code meta.options.resolved_models}. Samples refer to
 * prompts by id; the texts are in {@code meta.options.prompts}.
 */
public final class BenchmarkRunner {
    private final Recorder recorder;
    private Progress.Listener progress = Progress.Listener.NONE;
    private BiConsumer<Summary, List<Sample>> cellListener = (s, l) -> {};
    private Consumer<Sample> sampleListener = s -> {};
    private RunLog log = new RunLog();

    public BenchmarkRunner(ChatBackend backend) {
        this.recorder = new Recorder(Objects.requireNonNull(backend, "backend"));
    }

    /** Told about every request as the recorder sees it (before the runner names the sample's model as requested). */
    public BenchmarkRunner listen(Recorder.Listener listener) {
        recorder.listen(listener);
        return this;
    }

    /** Called with every finished request's sample, warmups included, from the thread that ran it. */
    public BenchmarkRunner onSample(Consumer<Sample> listener) {
        this.sampleListener = listener == null ? s -> {} : listener;
        return this;
    }

    /** Progress after every finished request (e.g. {@link ProgressBars#stderr}). */
    public BenchmarkRunner progress(Progress.Listener listener) {
        this.progress = listener == null ? Progress.Listener.NONE : listener;
        return this;
    }

    /** Called after each finished cell with its summary and samples: print/flush a row so partial results survive. */
    public BenchmarkRunner onCell(BiConsumer<Summary, List<Sample>> listener) {
        this.cellListener = listener == null ? (s, l) -> {} : listener;
        return this;
    }

    /** Shares the samples as they arrive, and takes stop requests (Ctrl-C), through {@code log}. */
    public BenchmarkRunner log(RunLog log) {
        this.log = Objects.requireNonNull(log, "log");
        return this;
    }

    public RunResult run(BenchConfig cfg) {
        String started = Instant.now().toString();
        log.meta(new RunMeta(cfg.tool(), started, Environment.current(), backendInfo(), cfg.models(), cfg.asOptions()));
        List<Sample> samples = new ArrayList<>();
        List<Summary> summaries = new ArrayList<>();
        Map<String, String> resolved = Collections.synchronizedMap(new LinkedHashMap<>());
        Map<String, String> skipped = new LinkedHashMap<>();
        String stop = null;
        int cells = cfg.models().size() * cfg.concurrency().size();
        int perCell = cfg.requestsPerCell();
        Run run = new Run(cfg, perCell < 0 ? -1 : (long) cells * (cfg.warmup() + perCell), cells, resolved);
        outer:
        for (int mi = 0; mi < cfg.models().size(); mi++) {
            String model = cfg.models().get(mi);
            for (int c : cfg.concurrency()) {
                if (skipped.containsKey(model)) break;
                Cell cell = run.cell(model, cfg.group(mi), c);
                samples.addAll(cell.samples);
                if (cell.measured.isEmpty() && cell.skipReason != null) {
                    skipped.put(model, cell.skipReason);
                    run.cellsLeft.decrementAndGet();
                    continue;
                }
                if (!cell.measured.isEmpty()) {
                    summaries.add(cell.summary);
                    cellListener.accept(cell.summary, cell.measured);
                }
                run.cellsLeft.decrementAndGet();
                if (cell.stopReason != null) {
                    stop = cell.stopReason;
                    break outer;
                }
                if (log.stopped()) {
                    stop = log.stopReason();
                    break outer;
                }
            }
        }
        Map<String, Object> options = new LinkedHashMap<>(cfg.asOptions());
        if (!resolved.isEmpty()) options.put("resolved_models", new LinkedHashMap<>(resolved));
        if (!skipped.isEmpty()) options.put("skipped_models", skipped);
        RunMeta meta = new RunMeta(cfg.tool(), started, Environment.current(), backendInfo(), cfg.models(), options);
        String note = skipped.isEmpty()
                ? null
                : "skipped models: "
                        + String.join(
                                "; ",
                                skipped.entrySet().stream()
                                        .map(e -> e.getKey() + " (" + e.getValue() + ")")
                                        .toList());
        if (stop == null) stop = serverDied(samples);
        RunResult result = new RunResult(RunResult.SCHEMA, meta, samples, summaries, true, note);
        return stop == null ? result : result.incomplete(note == null ? stop : stop + "; " + note);
    }

    /**
     * A run is complete only if the server stayed up: requests that could not even connect mean it went away
     * (killed, crashed), so the figures describe a different run than the one planned.
     */
    private static String serverDied(List<Sample> samples) {
        long unreachable = samples.stream()
                .filter(s -> !s.ok() && s.error().startsWith("UNREACHABLE:"))
                .count();
        if (unreachable == 0) return null;
        String first = samples.stream()
                .filter(s -> !s.ok() && s.error().startsWith("UNREACHABLE:"))
                .findFirst()
                .map(Sample::error)
                .orElse("");
        return "the server stopped answering: " + unreachable + " request(s) could not connect (" + first + ")";
    }

    private BackendInfo backendInfo() {
        try {
            return recorder.info();
        } catch (RuntimeException e) {
            return new BackendInfo("unknown", null, null);
        }
    }

    private static final class Cell {
        final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        final List<Sample> measured = new ArrayList<>();
        Summary summary;
        String stopReason;
        String skipReason;
    }

    /** State shared by all cells of one run. */
    private final class Run {
        final BenchConfig cfg;
        final long total;
        final AtomicInteger cellsLeft;
        final Map<String, String> resolved;
        final AtomicLong done = new AtomicLong();
        final AtomicInteger errors = new AtomicInteger();
        final AtomicInteger consecutive = new AtomicInteger();
        final AtomicReference<String> lastError = new AtomicReference<>();
        final long startNanos = System.nanoTime();

        Run(BenchConfig cfg, long total, int cells, Map<String, String> resolved) {
            this.cfg = cfg;
            this.total = total;
            this.cellsLeft = new AtomicInteger(cells);
            this.resolved = resolved;
        }

        Cell cell(String model, String group, int c) {
            Cell cell = new Cell();
            String label = model + " c=" + c;
            AtomicBoolean abort = new AtomicBoolean();
            AtomicReference<String> abortWhy = new AtomicReference<>();
            phase(cell, model, group, c, label, true, cfg.warmup(), null, abort, abortWhy);
            List<Sample> warm = List.copyOf(cell.samples);
            if (!warm.isEmpty() && warm.stream().noneMatch(Sample::ok)) {
                String kind = commonKind(warm);
                if ("UNREACHABLE".equals(kind)) {
                    cell.stopReason = "backend unreachable during warmup of " + label + ": "
                            + warm.get(0).error();
                    return cell;
                }
                if ("UNKNOWN_MODEL".equals(kind) || "MODEL_LOAD".equals(kind) || cfg.skipFailedWarmup()) {
                    cell.skipReason = warm.get(0).error();
                    return cell;
                }
            }
            if (abort.get()) {
                cell.stopReason = abortWhy.get();
                return cell;
            }
            long deadline = cfg.duration() == null
                    ? 0
                    : System.nanoTime() + cfg.duration().toNanos();
            long t0 = System.nanoTime();
            phase(
                    cell,
                    model,
                    group,
                    c,
                    label,
                    false,
                    cfg.requestsPerCell(),
                    cfg.duration() == null ? null : deadline,
                    abort,
                    abortWhy);
            double wallS = (System.nanoTime() - t0) / 1e9;
            synchronized (cell.samples) {
                for (Sample s : cell.samples) if (!s.warmup()) cell.measured.add(s);
            }
            List<Sample> ok = cell.measured.stream().filter(Sample::ok).toList();
            if (!cell.measured.isEmpty() && ok.isEmpty()) {
                String kind = commonKind(cell.measured);
                if ("UNKNOWN_MODEL".equals(kind) || "MODEL_LOAD".equals(kind)) {
                    cell.skipReason = cell.measured.get(0).error();
                    cell.measured.clear();
                    return cell;
                }
                if ("UNREACHABLE".equals(kind) && cell.stopReason == null) {
                    cell.stopReason = "backend unreachable: all " + cell.measured.size() + " requests of " + label
                            + " failed (" + cell.measured.get(0).error() + ")";
                }
            }
            double tokens = ok.stream()
                    .mapToDouble(s -> s.completionTokens() == null ? 0 : s.completionTokens())
                    .sum();
            Double rps = wallS > 0 ? ok.size() / wallS : null;
            Double tps = wallS > 0 && ok.stream().anyMatch(s -> s.completionTokens() != null) ? tokens / wallS : null;
            cell.summary = Summary.of(model, group, c, cell.measured, rps, tps);
            if (abort.get() && cell.stopReason == null) cell.stopReason = abortWhy.get();
            return cell;
        }

        private void phase(
                Cell cell,
                String model,
                String group,
                int c,
                String label,
                boolean warmup,
                int count,
                Long deadline,
                AtomicBoolean abort,
                AtomicReference<String> abortWhy) {
            if (count == 0) return;
            List<Prompt> prompts = cfg.prompts().prompts();
            Semaphore inFlight = new Semaphore(c);
            try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; count < 0 || i < count; i++) {
                    if (deadline != null && System.nanoTime() >= deadline) break;
                    try {
                        inFlight.acquire();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        abort.set(true);
                        abortWhy.compareAndSet(null, "interrupted");
                        break;
                    }
                    if (log.stopped()) {
                        abort.set(true);
                        abortWhy.compareAndSet(null, log.stopReason());
                    }
                    if (abort.get() || (deadline != null && System.nanoTime() >= deadline)) {
                        inFlight.release();
                        break;
                    }
                    Prompt p = prompts.get(i % prompts.size());
                    int round = i;
                    exec.submit(() -> {
                        try {
                            Sample s = one(model, group, c, round, warmup, p, abort);
                            cell.samples.add(s);
                            log.add(s);
                            try {
                                sampleListener.accept(s);
                            } catch (RuntimeException ignored) {
                                // a broken listener must not break the benchmark
                            }
                            account(s, label, deadline, abort, abortWhy);
                        } finally {
                            inFlight.release();
                        }
                    });
                }
            }
        }

        private Sample one(
                String model, String group, int c, int round, boolean warmup, Prompt p, AtomicBoolean abort) {
            ChatRequest.Builder b = ChatRequest.builder(model);
            if (cfg.systemPrompt() != null) b.system(cfg.systemPrompt());
            ChatRequest req = b.user(p.prompt())
                    .maxTokens(cfg.maxTokens() != null ? cfg.maxTokens() : p.maxTokens())
                    .temperature(cfg.temperature())
                    .seed(cfg.seed())
                    .build();
            StreamListener listener = new StreamListener() {
                @Override
                public boolean isCancelled() {
                    return abort.get() || log.stopped();
                }
            };
            Recorder.Call call = Recorder.Call.of(group)
                    .round(round)
                    .warmup(warmup)
                    .concurrency(c)
                    .prompt(p.id());
            Recorder.Context rec = recorder.record(call, req, listener);
            if (!rec.ok()) return rec.sample();
            ChatResult r = rec.result();
            if ((abort.get() || log.stopped()) && r.finishReason() == FinishReason.CANCELLED) {
                return Sample.failed(model, group, round, warmup, c, p.id(), "CANCELLED: run stopped early");
            }
            if (r.model() != null) resolved.putIfAbsent(model, r.model());
            return rec.sample().withModel(model);
        }

        private void account(Sample s, String label, Long deadline, AtomicBoolean abort, AtomicReference<String> why) {
            long d = done.incrementAndGet();
            if (s.ok()) {
                consecutive.set(0);
            } else {
                errors.incrementAndGet();
                lastError.set(s.error());
                int n = consecutive.incrementAndGet();
                int limit = cfg.maxConsecutiveErrors();
                if (limit > 0
                        && n >= limit
                        && !s.error().startsWith("CANCELLED:")
                        && abort.compareAndSet(false, true)) {
                    why.set("stopped after " + n + " consecutive errors in " + label + " (last: " + s.error() + ")");
                }
            }
            try {
                progress.onProgress(new Progress(d, total, label, eta(d, deadline), errors.get()));
            } catch (RuntimeException ignored) {
                // a broken progress display must not break the benchmark
            }
        }

        private Duration eta(long d, Long deadline) {
            long now = System.nanoTime();
            if (total > 0) {
                if (d <= 0) return null;
                long elapsed = now - startNanos;
                return Duration.ofNanos((long) ((double) elapsed / d * Math.max(0, total - d)));
            }
            if (deadline == null || cfg.duration() == null) return null;
            long rest = Math.max(0, deadline - now);
            return Duration.ofNanos(rest).plus(cfg.duration().multipliedBy(Math.max(0, cellsLeft.get() - 1)));
        }
    }

    private static String commonKind(List<Sample> failed) {
        String kind = null;
        for (Sample s : failed) {
            if (s.ok()) return null;
            String k =
                    s.error().contains(":") ? s.error().substring(0, s.error().indexOf(':')) : s.error();
            if (kind == null) kind = k;
            else if (!kind.equals(k)) return null;
        }
        return kind;
    }
}
