package dev.edgeai.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.chat.FinishReason;
import dev.edgeai.chat.StreamListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Concurrent requests decoded together in one batch must produce what each produces alone (greedy), whatever the
 * layout: rows of different lengths, one joining while others decode, one leaving early, one cancelled.
 */
class BatchedDecodeTest {
    static Stream<Path> fixtures() {
        return Stream.of(
                Fixtures.QWEN_Q4, Fixtures.QWEN_GENAI, Fixtures.PHI_GENAI, Fixtures.LLAMA, Fixtures.GQA, Fixtures.GPT2);
    }

    /** Four prompts of different lengths, inside every fixture's vocabulary (the GPT-2 one has 1000 rows). */
    static int[][] prompts(LoadedModel m) {
        int vocab = Math.min(m.descriptor().vocabSize(), 1000);
        int[] lengths = {7, 19, 3, 12};
        int[][] out = new int[lengths.length][];
        for (int p = 0; p < lengths.length; p++) {
            out[p] = new int[lengths[p]];
            for (int i = 0; i < lengths[p]; i++) out[p][i] = 5 + (i * 31 + p * 101 + 17) % (vocab - 5);
        }
        return out;
    }

    static Generator.Settings greedy(int tokens) {
        return new Generator.Settings(tokens, Sampler.GREEDY, Set.of(), List.of());
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void rowsJoiningLeavingAndCancelledMatchTheirSoloRuns(Path fixture) throws Exception {
        var options = LoadedModel.Options.fromSettings().prefixCacheBytes(0).maxBatch(4);
        try (LoadedModel m = LoadedModel.load(fixture, options)) {
            assertTrue(m.maxBatch() == 4, m.id() + " should decode 4 rows together");
            int[][] prompts = prompts(m);
            int[] lengths = {24, 6, 120, 16}; // row 1 leaves early, row 2 is cancelled long before its end
            int[][] solo = new int[prompts.length][];
            for (int p = 0; p < prompts.length; p++)
                solo[p] = m.generator()
                        .generate(prompts[p], greedy(lengths[p]), StreamListener.NONE)
                        .tokens();

            Generator g = m.generator();
            var outcomes = new ConcurrentHashMap<Integer, Generator.Outcome>();
            List<CompletableFuture<Object>> others = new ArrayList<>();
            AtomicInteger cancelAfter = new AtomicInteger();
            CountDownLatch started = new CountDownLatch(1);
            // Request 0 starts alone; on its first token it starts the other three and waits until they are queued,
            // so all four decode together from its second step on (and row 0 is one token ahead of the joiners).
            StreamListener first = new StreamListener() {
                @Override
                public void onToken(String text) {
                    if (started.getCount() == 0) return;
                    started.countDown();
                    for (int p = 1; p < prompts.length; p++) {
                        int k = p;
                        others.add(async(() -> outcomes.put(
                                k,
                                g.generate(
                                        prompts[k],
                                        greedy(lengths[k]),
                                        k == 2 ? cancelling(cancelAfter) : StreamListener.NONE))));
                    }
                    awaitQueued(g, prompts.length - 1);
                }
            };
            outcomes.put(0, g.generate(prompts[0], greedy(lengths[0]), first));
            for (var f : others) f.get(30, TimeUnit.SECONDS);

            assertEquals(4, g.peakRows(), "all four requests were decoded in one batch");
            for (int p : new int[] {0, 1, 3}) {
                Generator.Outcome o = outcomes.get(p);
                assertArrayEquals(solo[p], o.tokens(), m.id() + ": request " + p + " batched vs alone");
                assertEquals(FinishReason.LENGTH, o.finishReason());
            }
            Generator.Outcome cancelled = outcomes.get(2);
            assertEquals(FinishReason.CANCELLED, cancelled.finishReason());
            int n = cancelled.tokens().length;
            assertTrue(n >= 3 && n < lengths[2], "cancelled after " + n + " tokens");
            assertArrayEquals(Arrays.copyOf(solo[2], n), cancelled.tokens(), m.id() + ": tokens before the cancel");
            assertEquals(0, g.waiting());
        }
    }

    /**
     * Every sampling knob is per request: four requests with different knobs (seeded sampling with top-k, min-p and
     * top-p; a repetition penalty; frequency and presence penalties; a logit bias), decoded in one batch, each give
     * what they give alone.
     */
    @ParameterizedTest
    @MethodSource("fixtures")
    void everySamplingKnobActsPerRowInABatch(Path fixture) throws Exception {
        var options = LoadedModel.Options.fromSettings().prefixCacheBytes(0).maxBatch(4);
        try (LoadedModel m = LoadedModel.load(fixture, options)) {
            int[][] prompts = prompts(m);
            // The bias bans the token greedy decoding picks first (the fixtures hold most logits at -100, so a +100
            // bias on an arbitrary id would not force it).
            int first = m.generator()
                    .generate(prompts[3], greedy(1), StreamListener.NONE)
                    .tokens()[0];
            List<dev.edgeai.chat.ChatRequest> knobs = List.of(
                    knobs().temperature(0.9)
                            .topK(40)
                            .minP(0.01)
                            .topP(0.95)
                            .seed(11L)
                            .build(),
                    knobs().repetitionPenalty(1.3).build(),
                    knobs().temperature(1.2)
                            .frequencyPenalty(1.5)
                            .presencePenalty(0.5)
                            .seed(12L)
                            .build(),
                    knobs().logitBias(java.util.Map.of(first, -100.0)).build());
            int tokens = 20;
            int[][] solo = new int[prompts.length][];
            for (int p = 0; p < prompts.length; p++)
                solo[p] = m.generator()
                        .generate(prompts[p], settings(knobs.get(p), prompts[p], tokens), StreamListener.NONE)
                        .tokens();
            for (int t : solo[3]) assertNotEquals(first, t, "a -100 bias bans its token");

            Generator g = m.generator();
            var outcomes = new ConcurrentHashMap<Integer, Generator.Outcome>();
            List<CompletableFuture<Object>> others = new ArrayList<>();
            CountDownLatch started = new CountDownLatch(1);
            StreamListener starter = new StreamListener() {
                @Override
                public void onToken(String text) {
                    if (started.getCount() == 0) return;
                    started.countDown();
                    for (int p = 1; p < prompts.length; p++) {
                        int k = p;
                        others.add(async(() -> outcomes.put(
                                k,
                                g.generate(
                                        prompts[k], settings(knobs.get(k), prompts[k], tokens), StreamListener.NONE))));
                    }
                    awaitQueued(g, prompts.length - 1);
                }
            };
            outcomes.put(0, g.generate(prompts[0], settings(knobs.get(0), prompts[0], tokens), starter));
            for (var f : others) f.get(30, TimeUnit.SECONDS);
            assertEquals(4, g.peakRows(), "all four requests were decoded in one batch");
            for (int p = 0; p < prompts.length; p++)
                assertArrayEquals(solo[p], outcomes.get(p).tokens(), m.id() + ": request " + p + " batched vs alone");
        }
    }

    static dev.edgeai.chat.ChatRequest.Builder knobs() {
        return dev.edgeai.chat.ChatRequest.builder("m").user("ids are given directly");
    }

    static Generator.Settings settings(dev.edgeai.chat.ChatRequest r, int[] prompt, int tokens) {
        return new Generator.Settings(tokens, Sampler.of(r, prompt), Set.of(), List.of());
    }

    /**
     * A row whose answer outgrows the KV room it started with (max_tokens left out) gets a larger buffer mid-answer,
     * alone and beside another row, and decodes exactly as with the room given up front.
     */
    @ParameterizedTest
    @MethodSource("fixtures")
    void buffersGrowWhenAnAnswerOutlastsItsInitialRoom(Path fixture) throws Exception {
        var options = LoadedModel.Options.fromSettings().prefixCacheBytes(0).maxBatch(2);
        int before = Generator.initialRoom;
        try (LoadedModel m = LoadedModel.load(fixture, options)) {
            int[][] prompts = prompts(m);
            int[] roomy = m.generator()
                    .generate(prompts[0], greedy(40), StreamListener.NONE)
                    .tokens();
            Generator.initialRoom = 4;
            int[] grown = m.generator()
                    .generate(prompts[0], greedy(40), StreamListener.NONE)
                    .tokens();
            assertArrayEquals(roomy, grown, m.id() + ": alone");
            var a = async(() -> m.generator().generate(prompts[0], greedy(40), StreamListener.NONE));
            var b = async(() -> m.generator().generate(prompts[1], greedy(30), StreamListener.NONE));
            assertArrayEquals(roomy, ((Generator.Outcome) a.get(30, TimeUnit.SECONDS)).tokens(), m.id() + ": batched");
            b.get(30, TimeUnit.SECONDS);
        } finally {
            Generator.initialRoom = before;
        }
    }

    /**
     * A request whose prompt takes several chunks joins while another decodes: the one decoding keeps taking steps
     * between the chunks instead of waiting for the whole prefill, and both give what they give alone.
     */
    @ParameterizedTest
    @MethodSource("fixtures")
    void aLongPromptJoinsInChunksBetweenTheOthersSteps(Path fixture) throws Exception {
        var options = chunked(3);
        try (LoadedModel m = LoadedModel.load(fixture, options)) {
            int[][] prompts = prompts(m);
            int[] soloA = m.generator()
                    .generate(prompts[0], greedy(60), StreamListener.NONE)
                    .tokens();
            int[] soloB = m.generator()
                    .generate(prompts[1], greedy(10), StreamListener.NONE)
                    .tokens();
            Generator g = m.generator();
            long[] sent = new long[1];
            List<CompletableFuture<Object>> joiner = new ArrayList<>();
            StreamListener a = new StreamListener() {
                @Override
                public void onToken(String text) {
                    if (!joiner.isEmpty()) return;
                    joiner.add(async(() -> {
                        sent[0] = System.nanoTime();
                        return g.generate(prompts[1], greedy(10), StreamListener.NONE);
                    }));
                    awaitQueued(g, 1);
                }
            };
            Generator.Outcome outA = g.generate(prompts[0], greedy(60), a);
            Generator.Outcome outB = (Generator.Outcome) joiner.getFirst().get(30, TimeUnit.SECONDS);
            assertArrayEquals(soloA, outA.tokens(), m.id() + ": the decoding request");
            assertArrayEquals(soloB, outB.tokens(), m.id() + ": the request that joined in chunks");
            assertEquals(2, g.peakRows());
            // 19 prompt tokens in chunks of 3: the first request steps between them (about six times).
            long from = sent[0], to = sent[0] + outB.prefillNanos();
            long during = Arrays.stream(outA.stepNanos())
                    .filter(t -> t > from && t < to)
                    .count();
            assertTrue(during >= 3, m.id() + ": the decoding request took " + during + " steps during the prefill");
        }
    }

    /**
     * A row leaves while another is still being prefilled in chunks: the newcomer's KV (staging buffers, or its own
     * slot above the gap the leaver leaves in share-buffer layouts) joins intact, and every request equals its solo run.
     */
    @ParameterizedTest
    @MethodSource("fixtures")
    void aRowLeavingDuringAChunkedPrefillLeavesTheNewcomerIntact(Path fixture) throws Exception {
        var options = chunked(1);
        try (LoadedModel m = LoadedModel.load(fixture, options)) {
            int[][] prompts = prompts(m);
            Generator g = m.generator();
            int[] soloA =
                    g.generate(prompts[0], greedy(60), StreamListener.NONE).tokens();
            int[] soloB = g.generate(prompts[2], greedy(6), StreamListener.NONE).tokens();
            int[] soloC = g.generate(prompts[1], greedy(5), StreamListener.NONE).tokens();
            List<CompletableFuture<Object>> b = new ArrayList<>(), c = new ArrayList<>();
            int[] rowsWhenCArrived = {-1};
            // B (3-token prompt, 6 tokens) joins within a few steps of A's first token; once it decodes beside A, C
            // (19-token prompt, one token per step) arrives, and B ends long before C's prefill does.
            StreamListener a = new StreamListener() {
                @Override
                public void onToken(String text) {
                    if (b.isEmpty()) {
                        b.add(async(() -> g.generate(prompts[2], greedy(6), StreamListener.NONE)));
                        awaitQueued(g, 1);
                    } else if (c.isEmpty() && m.batch().rows() == 2) {
                        rowsWhenCArrived[0] = m.batch().rows();
                        c.add(async(() -> g.generate(prompts[1], greedy(5), StreamListener.NONE)));
                        awaitQueued(g, 1);
                    }
                }
            };
            Generator.Outcome outA = g.generate(prompts[0], greedy(60), a);
            assertEquals(2, rowsWhenCArrived[0], m.id() + ": C arrived while B was decoding");
            assertArrayEquals(soloA, outA.tokens(), m.id() + ": A");
            assertArrayEquals(soloB, ((Generator.Outcome) b.getFirst().get(30, TimeUnit.SECONDS)).tokens(), "B");
            assertArrayEquals(soloC, ((Generator.Outcome) c.getFirst().get(30, TimeUnit.SECONDS)).tokens(), "C");
        }
    }

    /** Waits (up to 10 s) until {@code n} requests wait for a row, so they join at the leader's next admit. */
    static void awaitQueued(Generator g, int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (g.waiting() < n && System.nanoTime() < deadline) Thread.onSpinWait();
    }

    /** A request cancelled half-way through its chunked prefill never joins; the batch goes on undisturbed. */
    @ParameterizedTest
    @MethodSource("fixtures")
    void aRequestCancelledDuringItsChunkedPrefillLeavesTheBatchIntact(Path fixture) throws Exception {
        var options = chunked(1);
        try (LoadedModel m = LoadedModel.load(fixture, options)) {
            int[][] prompts = prompts(m);
            int[] soloA = m.generator()
                    .generate(prompts[0], greedy(40), StreamListener.NONE)
                    .tokens();
            int[] soloC = m.generator()
                    .generate(prompts[3], greedy(8), StreamListener.NONE)
                    .tokens();
            Generator g = m.generator();
            AtomicInteger aTokens = new AtomicInteger();
            int[] joinedAt = {-1};
            List<CompletableFuture<Object>> joiner = new ArrayList<>();
            // B cancels once the first request has taken two steps beside its prefill; the first request's listener
            // is slow (20 ms a token, on the leader's thread), so B's 19 one-token chunks take long enough for B's
            // owner to notice before the prefill ends.
            StreamListener cancelSoon = new StreamListener() {
                @Override
                public boolean isCancelled() {
                    return joinedAt[0] >= 0 && aTokens.get() >= joinedAt[0] + 2;
                }
            };
            StreamListener a = new StreamListener() {
                @Override
                public void onToken(String text) {
                    int n = aTokens.incrementAndGet();
                    if (joiner.isEmpty()) {
                        joinedAt[0] = n;
                        joiner.add(async(() -> g.generate(prompts[1], greedy(10), cancelSoon)));
                        awaitQueued(g, 1);
                    } else if (n < joinedAt[0] + 25) sleep(20);
                }
            };
            Generator.Outcome outA = g.generate(prompts[0], greedy(40), a);
            Generator.Outcome outB = (Generator.Outcome) joiner.getFirst().get(30, TimeUnit.SECONDS);
            assertEquals(FinishReason.CANCELLED, outB.finishReason());
            assertEquals(0, outB.tokens().length);
            assertEquals(1, g.peakRows(), m.id() + ": the cancelled request never joined the batch");
            assertArrayEquals(soloA, outA.tokens(), m.id() + ": the decoding request");
            assertArrayEquals(
                    soloC,
                    m.generator()
                            .generate(prompts[3], greedy(8), StreamListener.NONE)
                            .tokens(),
                    m.id() + ": the next request");
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Four rows, no prefix reuse, a joining prompt run {@code tokens} at a time. */
    static LoadedModel.Options chunked(int tokens) {
        return LoadedModel.Options.fromSettings()
                .prefixCacheBytes(0)
                .maxBatch(4)
                .prefillChunk(tokens);
    }

    /** On a platform thread of its own: the common pool may have one thread here, and generate() blocks. */
    static CompletableFuture<Object> async(java.util.function.Supplier<Object> work) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                f.complete(work.get());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /** Cancels once three pieces have arrived (polled on the owner's thread, as serve.java's listener is). */
    static StreamListener cancelling(AtomicInteger pieces) {
        return new StreamListener() {
            @Override
            public void onToken(String text) {
                pieces.incrementAndGet();
            }

            @Override
            public boolean isCancelled() {
                return pieces.get() >= 3;
            }
        };
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void moreRequestsThanRowsWaitTheirTurnAndMatch(Path fixture) throws Exception {
        var options = LoadedModel.Options.fromSettings().prefixCacheBytes(0).maxBatch(2);
        try (LoadedModel m = LoadedModel.load(fixture, options)) {
            int[][] prompts = prompts(m);
            int[][] solo = new int[prompts.length][];
            for (int p = 0; p < prompts.length; p++)
                solo[p] = m.generator()
                        .generate(prompts[p], greedy(12 + p), StreamListener.NONE)
                        .tokens();
            List<CompletableFuture<Object>> runs = new ArrayList<>();
            for (int p = 0; p < prompts.length; p++) {
                int k = p;
                runs.add(async(() -> m.generator().generate(prompts[k], greedy(12 + k), StreamListener.NONE)));
            }
            for (int p = 0; p < prompts.length; p++)
                assertArrayEquals(
                        solo[p],
                        ((Generator.Outcome) runs.get(p).get(30, TimeUnit.SECONDS)).tokens(),
                        m.id() + " request " + p);
            assertTrue(m.generator().peakRows() <= 2);
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void aListenerThatThrowsEndsOnlyItsOwnRequestEvenTheLeaders(Path fixture) throws Exception {
        var options = LoadedModel.Options.fromSettings().prefixCacheBytes(0).maxBatch(4);
        try (LoadedModel m = LoadedModel.load(fixture, options)) {
            int[][] prompts = prompts(m);
            int[][] solo = new int[prompts.length][];
            for (int p = 2; p < prompts.length; p++)
                solo[p] = m.generator()
                        .generate(prompts[p], greedy(40), StreamListener.NONE)
                        .tokens();
            Generator g = m.generator();
            List<CompletableFuture<Object>> others = new ArrayList<>();
            AtomicInteger leaderPieces = new AtomicInteger();
            StreamListener leader = new StreamListener() {
                @Override
                public void onToken(String text) {
                    if (leaderPieces.incrementAndGet() == 1) {
                        for (int p = 1; p < prompts.length; p++) {
                            int k = p;
                            others.add(async(() -> g.generate(
                                    prompts[k],
                                    greedy(40),
                                    k == 1 ? throwing(new AtomicInteger()) : StreamListener.NONE)));
                        }
                        awaitQueued(g, prompts.length - 1);
                    }
                    if (leaderPieces.get() == 5) throw new IllegalStateException("leader's client went away");
                }
            };
            var e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalStateException.class, () -> g.generate(prompts[0], greedy(40), leader));
            assertEquals("leader's client went away", e.getMessage());
            var e1 = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.ExecutionException.class,
                    () -> others.get(0).get(30, TimeUnit.SECONDS));
            assertEquals("client 1 went away", e1.getCause().getMessage());
            for (int p = 2; p < prompts.length; p++)
                assertArrayEquals(
                        solo[p],
                        ((Generator.Outcome) others.get(p - 1).get(30, TimeUnit.SECONDS)).tokens(),
                        m.id() + ": request " + p + " goes on after the others' clients failed");
            assertEquals(4, g.peakRows());
        }
    }

    static StreamListener throwing(AtomicInteger pieces) {
        return new StreamListener() {
            @Override
            public void onToken(String text) {
                if (pieces.incrementAndGet() == 2) throw new IllegalStateException("client 1 went away");
            }
        };
    }
}
