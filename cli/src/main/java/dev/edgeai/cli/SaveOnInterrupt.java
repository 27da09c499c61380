package dev.edgeai.cli;

import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunLog;
import dev.edgeai.results.RunResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Nothing measured is lost on Ctrl-C or SIGTERM: a shutdown hook asks the run to stop, gives the script a moment
 * to write its own (partial, marked incomplete) results, and writes the run's snapshot itself when the script
 * cannot (a request stalled). The JVM then exits with 130 (SIGINT) or 143 (SIGTERM), as shells expect.
 *
 * <pre>{@code
 * try (var guard = SaveOnInterrupt.install(file, log, System.err)) {
 *     RunResult r = run(..., log);
 *     guard.write(r);
 * }
 * }</pre>
 */
public final class SaveOnInterrupt implements AutoCloseable {
    public static final String REASON = "interrupted (Ctrl-C or SIGTERM) before the run finished";
    /** Long enough for a run to notice the stop and write (streams cancel at their next chunk). */
    private static final Duration GRACE = Duration.ofMillis(1500);

    private final Path file;
    private final RunLog log;
    private final PrintStream err;
    private final AtomicBoolean written = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean interrupted;

    private SaveOnInterrupt(Path file, RunLog log, PrintStream err) {
        this.file = file;
        this.log = log;
        this.err = err;
        this.hook = new Thread(this::onSignal, "save-partial-results");
    }

    public static SaveOnInterrupt install(Path file, RunLog log, PrintStream err) {
        SaveOnInterrupt s = new SaveOnInterrupt(file, log, err);
        Runtime.getRuntime().addShutdownHook(s.hook);
        return s;
    }

    public boolean interrupted() {
        return interrupted;
    }

    /**
     * The script's own write (first writer wins); a result that looks complete is marked incomplete when the run
     * was interrupted. Returns the file, or null when the shutdown hook already saved the snapshot.
     */
    public Path write(RunResult r) {
        if (!written.compareAndSet(false, true)) return null;
        try {
            ResultsFile.write(file, interrupted && r.complete() ? r.incomplete(REASON) : r);
            return file;
        } finally {
            done.countDown();
        }
    }

    private void onSignal() {
        interrupted = true;
        log.stop(REASON);
        try {
            done.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!written.compareAndSet(false, true)) {
            // The script itself is writing; wait for the file to be complete before the JVM halts.
            try {
                done.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            err.println("interrupted: partial results (marked incomplete) in " + file);
            err.flush();
            return;
        }
        if (!log.started()) {
            err.println("interrupted before any request: no results written");
            err.flush();
            return;
        }
        try {
            ResultsFile.write(file, log.snapshot(REASON));
            err.println("interrupted: partial results (marked incomplete) in " + file);
        } catch (RuntimeException e) {
            err.println("interrupted: could not save partial results to " + file + ": " + e.getMessage());
        }
        err.flush();
    }

    /** Removes the hook after a normal run (a no-op while the JVM is already shutting down). */
    @Override
    public void close() {
        if (interrupted) return;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: let it finish
        }
    }
}
