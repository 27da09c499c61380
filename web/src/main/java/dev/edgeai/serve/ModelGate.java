package dev.edgeai.serve;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission for one model: {@code slots} requests generate at once (for the embedded engine, as many as it decodes
 * together in one batch), the rest wait first come, first served, and at most {@code maxWaiting} wait at all;
 * beyond that a request is refused at once (429) instead of piling up. The engine's own lock is not fair, so
 * fairness is decided here, before it.
 */
final class ModelGate {
    private final Semaphore slots;
    private final int slotCount;
    private final int maxWaiting;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    /** Smoothed seconds per request, to tell a refused client when to come back. */
    private volatile double avgServiceS = 1.0;

    ModelGate(int slots, int maxWaiting) {
        this.slots = new Semaphore(slots, true); // fair: timed tryAcquire honours arrival order
        this.slotCount = slots;
        this.maxWaiting = maxWaiting;
    }

    /** Whether a slot was taken before the timeout; throws 429 when the queue is already full. */
    boolean enter(long timeoutNanos) throws InterruptedException {
        // Timed tryAcquire honours fairness even with 0: nobody overtakes a waiting request.
        if (slots.tryAcquire(0, TimeUnit.NANOSECONDS)) {
            running.incrementAndGet();
            return true;
        }
        if (waiting.incrementAndGet() > maxWaiting) {
            waiting.decrementAndGet();
            throw new ApiError(
                    429,
                    "rate_limit_error",
                    null,
                    "queue_full",
                    "the server is busy: " + maxWaiting + " requests already wait for this model; retry after "
                            + retryAfterS() + " s (Retry-After header)",
                    retryAfterS());
        }
        try {
            if (!slots.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS)) return false;
            running.incrementAndGet();
            return true;
        } finally {
            waiting.decrementAndGet();
        }
    }

    void leave(double serviceS) {
        avgServiceS = 0.8 * avgServiceS + 0.2 * serviceS;
        running.decrementAndGet();
        slots.release();
    }

    int waiting() {
        return waiting.get();
    }

    int running() {
        return running.get();
    }

    /** About how long until the requests waiting now have been served: at least 1 s. */
    int retryAfterS() {
        return (int) Math.max(1, Math.ceil(avgServiceS * (waiting.get() + 1) / slotCount));
    }
}
