package dev.edgeai.bench;

import java.time.Duration;

/**
 * Where a benchmark run stands, reported after every finished request (warmups included).
 *
 * @param done  requests finished so far in the whole run
 * @param total requests planned for the whole run; for duration budgets an estimate that grows as cells finish
 * @param cell  the cell now running, e.g. "phi-4-mini c=4"
 * @param eta   estimated time left, or null when unknown
 */
public record Progress(long done, long total, String cell, Duration eta, int errors) {

    /** Receives progress; called from request threads, so implementations must be thread-safe and quick. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = p -> {};

        void onProgress(Progress p);
    }
}
