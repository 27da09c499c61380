package dev.edgeai.bench;

import dev.edgeai.chat.BackendInfo;
import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.chat.FinishReason;
import dev.edgeai.chat.ModelInfo;
import dev.edgeai.chat.StreamListener;
import dev.edgeai.chat.Timings;
import dev.edgeai.chat.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** An in-process backend that sleeps a known TTFT and inter-token gap and counts calls in flight. */
final class FakeBackend implements ChatBackend {
    final long ttftMs;
    final long itlMs;
    final int tokens;
    final boolean usage;
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();
    /** Given the 1-based call number, an exception to throw instead of answering (or null). */
    volatile IntFunction<RuntimeException> failure = n -> null;

    FakeBackend(long ttftMs, long itlMs, int tokens, boolean usage) {
        this.ttftMs = ttftMs;
        this.itlMs = itlMs;
        this.tokens = tokens;
        this.usage = usage;
    }

    @Override
    public BackendInfo info() {
        return new BackendInfo("fake", "mem://fake", "1");
    }

    @Override
    public List<ModelInfo> models() {
        return List.of(new ModelInfo("m", "test"));
    }

    @Override
    public ChatResult stream(ChatRequest request, StreamListener listener) {
        int n = calls.incrementAndGet();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            RuntimeException e = failure.apply(n);
            if (e != null) {
                sleep(2);
                throw e;
            }
            if (request.model().equals("missing"))
                throw new ChatException(ChatException.Kind.UNKNOWN_MODEL, "no model missing");
            long t0 = System.nanoTime();
            sleep(ttftMs);
            double ttft = (System.nanoTime() - t0) / 1e6;
            listener.onToken("a");
            List<Double> gaps = new ArrayList<>();
            double last = ttft;
            for (int i = 1; i < tokens; i++) {
                if (listener.isCancelled()) {
                    return new ChatResult(
                            request.model() + "-resolved",
                            "a",
                            FinishReason.CANCELLED,
                            new Usage(5, i, !usage),
                            new Timings(ttft, last, gaps, Double.NaN));
                }
                sleep(itlMs);
                double t = (System.nanoTime() - t0) / 1e6;
                gaps.add(t - last);
                last = t;
                listener.onToken("b");
            }
            return new ChatResult(
                    request.model() + "-resolved",
                    "a" + "b".repeat(tokens - 1),
                    FinishReason.STOP,
                    new Usage(5, tokens, !usage),
                    new Timings(ttft, last, gaps, Double.NaN));
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChatException(ChatException.Kind.CANCELLED, "interrupted");
        }
    }
}
