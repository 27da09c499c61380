package dev.edgeai.chat;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a response body when no byte has arrived for the idle timeout. HttpClient's request timeout only covers
 * the wait for headers; a model server (or a model download) that sends headers and then stalls would otherwise
 * block a read forever. Closing the stream wakes the blocked reader, which then asks {@link #fired()} to report a
 * timeout, not an EOF. Used by {@link OpenAiClient} and the model downloader.
 */
public final class IdleWatchdog implements AutoCloseable {
    /** One daemon thread checks every open body; it never blocks the JVM's exit. */
    private static final ScheduledExecutorService TIMER =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "edgeai-idle-watchdog");
                t.setDaemon(true);
                return t;
            });

    private final InputStream raw;
    private final long idleNanos;
    private final ScheduledFuture<?> check;
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean fired;

    public IdleWatchdog(InputStream raw, Duration idle) {
        this(TIMER, raw, idle);
    }

    public IdleWatchdog(ScheduledExecutorService timer, InputStream raw, Duration idle) {
        this.raw = raw;
        this.idleNanos = idle.toNanos();
        // A quarter of the timeout keeps the overshoot small without a wake-up per chunk.
        long period = Math.clamp(idleNanos / 4, TimeUnit.MILLISECONDS.toNanos(5), TimeUnit.SECONDS.toNanos(1));
        this.check = timer.scheduleAtFixedRate(this::check, period, period, TimeUnit.NANOSECONDS);
    }

    private void check() {
        if (System.nanoTime() - lastActivity > idleNanos && !fired) {
            fired = true;
            try {
                raw.close();
            } catch (IOException ignored) {
                /* the reader sees the failure */
            }
            check.cancel(false);
        }
    }

    public boolean fired() {
        return fired;
    }

    /** The body as seen by the reader: every read that returns counts as activity. */
    public InputStream stream() {
        return new FilterInputStream(raw) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                lastActivity = System.nanoTime();
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                lastActivity = System.nanoTime();
                return n;
            }
        };
    }

    @Override
    public void close() {
        check.cancel(false);
        try {
            raw.close();
        } catch (IOException ignored) {
            /* closing a finished body cannot fail usefully */
        }
    }
}
