package dev.edgeai.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.chat.ChatException;
import dev.edgeai.results.RunResult;
import dev.edgeai.results.Sample;
import dev.edgeai.results.Summary;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class BenchmarkRunnerTest {
    private static final PromptSet PROMPTS =
            new PromptSet("t", List.of(new Prompt("t-1", "one", 16), new Prompt("t-2", "two", 16)));

    @Test
    void keepsExactlyCInFlightAndExcludesWarmup() {
        FakeBackend b = new FakeBackend(20, 5, 5, true);
        List<Progress> seen = new CopyOnWriteArrayList<>();
        RunResult r = new BenchmarkRunner(b)
                .progress(seen::add)
                .run(BenchConfig.builder(PROMPTS, "m")
                        .warmup(2)
                        .requests(12)
                        .concurrency(4)
                        .build());
        assertEquals(4, b.maxInFlight.get(), "backend saw 4 requests at once");
        assertEquals(14, b.calls.get());
        assertTrue(r.complete());
        assertEquals(14, r.samples().size());
        assertEquals(2, r.samples().stream().filter(Sample::warmup).count());
        Summary s = r.summaries().get(0);
        assertEquals(12, s.ok(), "warmups excluded from the summary");
        assertEquals(0, s.errors());
        assertEquals(4, s.concurrency());
        assertEquals("m", s.model());
        assertEquals("t", s.group());
        assertTrue(
                s.metrics().get("ttft_ms").p50() >= 19,
                "ttft ~20 ms: " + s.metrics().get("ttft_ms"));
        assertTrue(s.metrics().get("tpot_ms").p50() >= 4.5, "tpot ~5 ms");
        assertEquals(5, s.metrics().get("completion_tokens").mean(), 1e-9);
        assertNotNull(s.requestsPerS());
        // 12 requests of ~40 ms, 4 at a time: ~3 waves, so far more than 1 req/s and at most 4/0.04 = 100 req/s
        assertTrue(s.requestsPerS() > 10 && s.requestsPerS() < 110, "req/s " + s.requestsPerS());
        assertEquals(s.requestsPerS() * 5, s.outputTokPerS(), 1e-6);
        assertEquals(14, seen.size());
        assertEquals(14, seen.stream().mapToLong(Progress::done).max().orElse(0));
        assertEquals(14, seen.get(0).total());
        assertEquals("m-resolved", ((java.util.Map<?, ?>) r.meta().options().get("resolved_models")).get("m"));
    }

    @Test
    void concurrencySweepAndRounds() {
        FakeBackend b = new FakeBackend(5, 1, 3, true);
        RunResult r = new BenchmarkRunner(b)
                .run(BenchConfig.builder(PROMPTS, "m", "n")
                        .warmup(0)
                        .rounds(2)
                        .concurrency(1, 2)
                        .build());
        assertEquals(4, r.summaries().size());
        for (Summary s : r.summaries()) assertEquals(4, s.ok(), "2 rounds x 2 prompts");
        assertEquals(
                List.of(1, 2, 1, 2),
                r.summaries().stream().map(Summary::concurrency).toList());
        assertEquals(2, b.maxInFlight.get());
    }

    @Test
    void requestBudgetRespectedWithConcurrency() {
        FakeBackend b = new FakeBackend(3, 1, 2, true);
        RunResult r = new BenchmarkRunner(b)
                .run(BenchConfig.builder(PROMPTS, "m")
                        .warmup(0)
                        .requests(7)
                        .concurrency(3)
                        .build());
        assertEquals(7, b.calls.get());
        assertEquals(7, r.summaries().get(0).ok());
    }

    @Test
    void durationBudgetStopsStartingNewRequests() {
        FakeBackend b = new FakeBackend(10, 1, 2, true);
        long t0 = System.nanoTime();
        RunResult r = new BenchmarkRunner(b)
                .run(BenchConfig.builder(PROMPTS, "m")
                        .warmup(0)
                        .duration(Duration.ofMillis(150))
                        .concurrency(2)
                        .build());
        double s = (System.nanoTime() - t0) / 1e9;
        assertTrue(s < 2, "took " + s);
        assertTrue(
                r.summaries().get(0).ok() >= 4,
                "some requests done: " + r.summaries().get(0).ok());
    }

    @Test
    void errorsAreCountedAndRunContinues() {
        FakeBackend b = new FakeBackend(2, 1, 2, true);
        b.failure = n -> n % 3 == 0 ? new ChatException(ChatException.Kind.SERVER, "HTTP 500 boom") : null;
        RunResult r = new BenchmarkRunner(b)
                .run(BenchConfig.builder(PROMPTS, "m").warmup(0).requests(9).build());
        assertTrue(r.complete());
        Summary s = r.summaries().get(0);
        assertEquals(6, s.ok());
        assertEquals(3, s.errors());
        assertTrue(r.samples().stream()
                .filter(x -> !x.ok())
                .allMatch(x -> x.error().equals("SERVER: HTTP 500 boom")));
    }

    @Test
    void deadBackendMarksIncompleteAndKeepsPartialResults() {
        FakeBackend b = new FakeBackend(2, 1, 2, true);
        // the first cell (c=1) works, then the server dies
        b.failure = n -> n > 5 ? new ChatException(ChatException.Kind.UNREACHABLE, "connection refused") : null;
        RunResult r = new BenchmarkRunner(b)
                .run(BenchConfig.builder(PROMPTS, "m")
                        .warmup(1)
                        .requests(4)
                        .concurrency(1, 2, 4)
                        .maxConsecutiveErrors(0)
                        .build());
        assertFalse(r.complete());
        assertTrue(r.note().contains("unreachable"), r.note());
        assertEquals(4, r.summaries().get(0).ok(), "first cell kept");
        assertTrue(r.summaries().size() <= 2, "stopped before c=4");
        assertTrue(b.calls.get() <= 10, "did not keep hammering: " + b.calls.get());
    }

    @Test
    void consecutiveErrorLimitStopsMidCell() {
        FakeBackend b = new FakeBackend(2, 1, 2, true);
        b.failure = n -> n > 3 ? new ChatException(ChatException.Kind.TIMEOUT, "timed out") : null;
        RunResult r = new BenchmarkRunner(b)
                .run(BenchConfig.builder(PROMPTS, "m")
                        .warmup(0)
                        .requests(1000)
                        .maxConsecutiveErrors(5)
                        .build());
        assertFalse(r.complete());
        assertTrue(r.note().contains("5 consecutive errors"), r.note());
        assertTrue(b.calls.get() < 20, "calls " + b.calls.get());
        assertEquals(3, r.summaries().get(0).ok());
    }

    @Test
    void unknownModelIsSkippedOthersRun() {
        FakeBackend b = new FakeBackend(2, 1, 2, true);
        RunResult r = new BenchmarkRunner(b)
                .run(BenchConfig.builder(PROMPTS, "missing", "m")
                        .warmup(1)
                        .requests(2)
                        .concurrency(1, 2)
                        .build());
        assertTrue(r.complete());
        assertTrue(r.note().contains("missing"), r.note());
        assertEquals(
                List.of("m", "m"), r.summaries().stream().map(Summary::model).toList());
        assertEquals(1 + 2 * (1 + 2), b.calls.get(), "missing model tried once (its warmup), then skipped");
    }

    @Test
    void usagelessServerFlagsEstimatedTokens() {
        FakeBackend b = new FakeBackend(2, 1, 3, false);
        RunResult r = new BenchmarkRunner(b)
                .run(BenchConfig.builder(PROMPTS, "m").warmup(0).requests(2).build());
        assertTrue(r.samples().stream().allMatch(Sample::tokensEstimated));
        assertTrue(BenchRow.of(r).get(0).tokensEstimated());
        String md = new MarkdownPrinter().print(r);
        assertTrue(md.contains("token counts estimated"), md);
    }
}
