package dev.edgeai.results;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a measuring run has so far, shared with whoever may need it before the run returns: a Ctrl-C handler that
 * saves the partial results ({@link #snapshot}), or asks the run to stop ({@link #stop}). Thread-safe.
 */
public final class RunLog {
    private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private volatile RunMeta meta;
    private volatile String stopReason;

    /** The run's metadata, known once models are resolved; a snapshot before that has nothing to save. */
    public void meta(RunMeta m) {
        meta = m;
    }

    public boolean started() {
        return meta != null;
    }

    public void add(Sample s) {
        samples.add(s);
    }

    /** Asks the run to stop as soon as it can: no new requests, streams cancelled at their next chunk. */
    public void stop(String why) {
        if (stopReason == null) stopReason = why;
    }

    public boolean stopped() {
        return stopReason != null;
    }

    public String stopReason() {
        return stopReason;
    }

    /** Everything measured so far, marked incomplete with {@code why}. */
    public RunResult snapshot(String why) {
        List<Sample> copy;
        synchronized (samples) {
            copy = List.copyOf(samples);
        }
        return new RunResult(RunResult.SCHEMA, meta, copy, Summary.of(copy), false, why);
    }

    /**
     * The first error of each kind (the part before ':' of {@link Sample#error}) with how often it happened, in
     * order of first appearance: what a user needs to see the server's reason without a wall of repeats.
     */
    public static List<String> errorSummary(List<Sample> samples, boolean all) {
        Map<String, List<String>> byKind = new LinkedHashMap<>();
        for (Sample s : samples) {
            if (s.ok()) continue;
            String kind =
                    s.error().contains(":") ? s.error().substring(0, s.error().indexOf(':')) : s.error();
            byKind.computeIfAbsent(kind, k -> new ArrayList<>())
                    .add((s.warmup() ? "warmup " : "") + s.model() + ": " + s.error());
        }
        List<String> out = new ArrayList<>();
        byKind.forEach((kind, errors) -> {
            if (all) {
                out.addAll(errors);
            } else {
                out.add(errors.size() + " × " + errors.get(0)
                        + (errors.size() > 1 ? " (first of " + errors.size() + "; --verbose lists all)" : ""));
            }
        });
        return out;
    }
}
