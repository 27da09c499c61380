package dev.edgeai.engine;

import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.FinishReason;
import dev.edgeai.chat.StreamListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The generation loop of one model, for any number of callers at once: prefill, then sample → stream text → feed
 * back, until a stop condition. Concurrent requests are decoded together (one {@code session.run} per step for all
 * of them, see {@link Batch}): a request joins or leaves at a step boundary, first come first served, at most
 * {@link Batch#maxRows()} at a time. A joining request's prompt runs in chunks between the others' steps, so a long
 * prompt delays their next token by one chunk instead of its whole prefill.
 *
 * <p>No thread of its own: the first caller drives the loop (leader) for everyone until its own sequence ends, then
 * hands the loop to another caller that is still waiting. A lone caller therefore runs exactly the single-sequence
 * loop on its own thread. Text reaches each caller's listener on the caller's own thread (pieces of other rows are
 * queued to their owners), and each owner polls its own {@link StreamListener#isCancelled()}.
 *
 * <p>Before a prompt is prefilled, the {@link PrefixCache} is asked for the longest cached prefix; a finished sequence
 * leaves its KV there.
 */
public final class Generator {
    /** How often a waiting caller checks its listener for cancellation. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** Tokens of room a new row's KV buffers start with when its answer may be longer (tests make it small). */
    static volatile int initialRoom = 1024;

    private final Batch batch;
    private final TextTokenizer tokenizer;
    private final int contextLength;
    private final PrefixCache cache;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final ArrayDeque<Sequence> pending = new ArrayDeque<>();
    /** Rows of the batch, in row order; touched by the leader only. */
    private final List<Sequence> active = new ArrayList<>();
    /** The request being prefilled into the batch, and its place there (leader only; see admit). */
    private Sequence joining;

    private Batch.Joining join;
    /** Prompt tokens a joining request runs between two decode steps of the others. */
    private final int prefillChunk;

    private boolean leading;
    private volatile int peakRows;

    Generator(Batch batch, TextTokenizer tokenizer, int contextLength, PrefixCache cache, int prefillChunk) {
        if (prefillChunk < 1) throw new IllegalArgumentException("prefill chunk " + prefillChunk);
        this.prefillChunk = prefillChunk;
        this.batch = batch;
        this.tokenizer = tokenizer;
        this.contextLength = contextLength;
        this.cache = cache;
    }

    /**
     * @param maxTokens upper bound on generated tokens (the context length may cut it shorter)
     * @param eosIds    ids that end generation without being emitted; empty for benchmarks that must run to length
     * @param stop      strings that end generation; the text ends before them
     */
    public record Settings(int maxTokens, Sampler sampler, Set<Integer> eosIds, List<String> stop) {
        public Settings {
            eosIds = Set.copyOf(eosIds);
            stop = stop.stream().filter(s -> !s.isEmpty()).toList();
        }
    }

    /**
     * @param tokens       generated ids (EOS excluded)
     * @param prefillNanos from the call until the first logits (waiting for a batch slot included)
     * @param stepNanos    System.nanoTime() after each decode step, for per-token times
     * @param reusedTokens prompt tokens whose KV came from the prefix cache instead of being run
     */
    public record Outcome(
            int[] tokens,
            String text,
            FinishReason finishReason,
            int promptTokens,
            long prefillNanos,
            long[] stepNanos,
            int reusedTokens) {}

    /** The prefix cache's counters, for logs and benchmarks. */
    public String cacheStats() {
        return cache.stats();
    }

    PrefixCache cache() {
        return cache;
    }

    int maxBatch() {
        return batch.maxRows();
    }

    /** Requests waiting for a row. */
    int waiting() {
        lock.lock();
        try {
            return pending.size();
        } finally {
            lock.unlock();
        }
    }

    /** The most rows decoded together so far (tests and benchmarks check that batching happened). */
    int peakRows() {
        return peakRows;
    }

    public Outcome generate(int[] prompt, Settings s, StreamListener listener) {
        if (prompt.length == 0) throw new ChatException(ChatException.Kind.INVALID_INPUT, "empty prompt");
        if (prompt.length >= contextLength)
            throw new ChatException(
                    ChatException.Kind.INVALID_INPUT,
                    "the prompt has " + prompt.length + " tokens but the model's context is " + contextLength
                            + "; shorten the prompt or the RAG context");
        Sequence seq = new Sequence(prompt, s, listener);
        lock.lock();
        try {
            pending.addLast(seq);
            if (!leading) {
                leading = true;
                seq.lead = true;
            }
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        while (true) {
            if (seq.lead) drive(seq);
            seq.drain();
            if (seq.done) break;
            // An interrupt cancels (and is restored below): parking would not block with the flag set.
            if (Thread.interrupted()) interrupted = seq.cancelled = true;
            seq.pollCancel();
            if (seq.cancelled) withdraw(seq);
            if (!seq.done) LockSupport.parkNanos(this, POLL_NANOS);
        }
        seq.drain();
        if (interrupted) Thread.currentThread().interrupt();
        if (seq.listenerFailure != null) throw seq.listenerFailure;
        if (seq.error != null) throw seq.error;
        return seq.outcome();
    }

    /** A cancelled request still waiting for a row leaves the queue at once. */
    private void withdraw(Sequence seq) {
        lock.lock();
        try {
            if (seq.lead || !pending.remove(seq)) return;
        } finally {
            lock.unlock();
        }
        seq.finish(FinishReason.CANCELLED);
    }

    /** Waits until no request runs (for close); false on timeout. */
    boolean awaitIdle(long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            while (leading || !pending.isEmpty()) {
                if (timeoutNanos <= 0) return false;
                timeoutNanos = idle.awaitNanos(timeoutNanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The leader's loop: admit waiting requests, step every row, retire finished ones; until its own ends. */
    private void drive(Sequence own) {
        try {
            while (!own.done) {
                admit(); // own is admitted here at the latest once a row is free
                if (!active.isEmpty()) decodeStep();
            }
        } catch (RuntimeException | Error e) {
            // An ORT failure mid-step leaves the batch in an unknown state: every row fails with it.
            for (Sequence q : active) q.fail(e instanceof RuntimeException re ? re : new RuntimeException(e));
            active.clear();
            if (joining != null) joining.fail(e instanceof RuntimeException re ? re : new RuntimeException(e));
            joining = null;
            batch.clear();
            if (!own.done) own.fail(e instanceof RuntimeException re ? re : new RuntimeException(e));
        } finally {
            handOver(own);
        }
    }

    private void handOver(Sequence own) {
        lock.lock();
        try {
            own.lead = false;
            // The joining request is in neither list: with no row decoding it is next, or its prefill would stall.
            Sequence next = !active.isEmpty() ? active.get(0) : joining != null ? joining : pending.peekFirst();
            if (next != null) {
                next.lead = true;
                LockSupport.unpark(next.owner);
            } else {
                leading = false;
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves waiting requests into free rows, one at a time: each is prefilled (from its cached prefix when there is
     * one) at most {@code prefillChunk} prompt tokens per decode step of the rows already decoding, so they keep
     * streaming while it joins (short prompts share one step's budget); with no row decoding, a prompt runs whole.
     */
    private void admit() {
        int budget = prefillChunk;
        while (true) {
            if (joining == null && !startJoining()) return;
            Sequence seq = joining;
            if (seq.cancelled || seq.pollCancel()) {
                joining = null;
                batch.abandon();
                seq.finish(FinishReason.CANCELLED);
                continue;
            }
            boolean chunked = !active.isEmpty();
            int before = join.done;
            float[] logits;
            try {
                logits = batch.feed(join, chunked ? budget : Integer.MAX_VALUE);
            } catch (RuntimeException e) {
                // This request's own input (an id outside the vocabulary) or its prefill failed; the rows already
                // decoding are untouched (its KV has its own buffers or slot), so they go on.
                joining = null;
                batch.abandon();
                seq.fail(e);
                continue;
            }
            if (chunked) budget -= (logits == null ? join.done : seq.prompt.length) - before;
            if (logits == null) return; // the decoding rows take a step before the next chunk
            joining = null;
            seq.prefillNanos = System.nanoTime() - seq.start;
            seq.row = active.size();
            active.add(seq);
            if (active.size() > peakRows) peakRows = active.size();
            if (!seq.advance(logits)) retire(seq);
            if (chunked && budget <= 0) return;
        }
    }

    /** Takes the next waiting request that is still wanted, if a row is free, and starts its prefill. */
    private boolean startJoining() {
        while (active.size() < batch.maxRows()) {
            Sequence seq;
            lock.lock();
            try {
                seq = pending.pollFirst();
            } finally {
                lock.unlock();
            }
            if (seq == null) return false;
            if (seq.cancelled || seq.pollCancel()) {
                seq.finish(FinishReason.CANCELLED);
                continue;
            }
            PrefixCache.Hit hit = cache.lookup(seq.prompt);
            int reuse = hit == null ? 0 : hit.reuse();
            try {
                // Buffers start at room for initialRoom tokens and grow if the answer goes on (see Batch.step).
                int room = (int) Math.min(seq.capacity, (long) seq.prompt.length + initialRoom);
                join = batch.begin(seq.prompt, hit == null ? null : hit.entry(), reuse, room);
            } catch (RuntimeException e) {
                seq.fail(e);
                continue;
            }
            seq.reused = reuse;
            joining = seq;
            return true;
        }
        return false;
    }

    private void decodeStep() {
        int[] tokens = new int[active.size()];
        for (int r = 0; r < tokens.length; r++) tokens[r] = active.get(r).next;
        float[][] logits = batch.step(tokens);
        long now = System.nanoTime();
        List<Sequence> finished = null;
        for (int r = 0; r < tokens.length; r++) {
            Sequence q = active.get(r);
            q.steps[q.n - 1] = now;
            if (!q.advance(logits[r])) {
                if (finished == null) finished = new ArrayList<>();
                finished.add(q);
            }
        }
        if (finished != null) for (Sequence q : finished) retire(q);
    }

    /** Takes a finished sequence out of the batch, leaving its KV in the prefix cache. */
    private void retire(Sequence q) {
        int r = active.indexOf(q);
        int length = batch.length(r);
        if (cache.enabled()) {
            int[] fed = Arrays.copyOf(q.prompt, length);
            System.arraycopy(q.out, 0, fed, q.prompt.length, length - q.prompt.length);
            cache.put(fed, batch.bytesPerPosition(), () -> batch.snapshot(r, length));
        }
        batch.remove(r);
        active.remove(r);
        // Row indices follow the batch: the share-buffer layout moves its last row into the freed slot.
        for (Sequence s : active) s.row = batch.movedTo(r, s.row);
        active.sort(java.util.Comparator.comparingInt(s -> s.row));
        q.complete();
    }

    /** One request: its prompt, settings, listener, progress, and the pieces waiting for its owner thread. */
    private final class Sequence {
        final int[] prompt;
        final Settings settings;
        final StreamListener listener;
        final Thread owner = Thread.currentThread();
        final long start = System.nanoTime();
        final int capacity;
        final int[] eos;
        final IncrementalDetokenizer detok = new IncrementalDetokenizer(tokenizer);
        final StopMatcher stops;
        final ConcurrentLinkedQueue<String> pieces = new ConcurrentLinkedQueue<>();
        int[] out;
        long[] steps;
        int n, next, row, reused;
        long prefillNanos;
        FinishReason reason;
        RuntimeException error, listenerFailure;
        volatile boolean lead, cancelled, done;

        Sequence(int[] prompt, Settings s, StreamListener listener) {
            this.prompt = prompt;
            this.settings = s;
            this.listener = listener;
            this.capacity = (int) Math.min((long) prompt.length + s.maxTokens(), contextLength);
            this.eos = s.eosIds().stream().mapToInt(Integer::intValue).toArray(); // no boxing per token
            this.stops = new StopMatcher(s.stop(), this::emit);
            this.out = new int[Math.max(16, Math.min(s.maxTokens(), 4096))];
            this.steps = new long[out.length];
        }

        /** Samples from this row's logits; false when the sequence ends here (not fed back). */
        boolean advance(float[] logits) {
            if (cancelled || pollCancel()) {
                reason = FinishReason.CANCELLED;
                return false;
            }
            int token = settings.sampler().sample(logits);
            if (contains(eos, token)) {
                reason = FinishReason.STOP;
                return false;
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
                steps = Arrays.copyOf(steps, n * 2);
            }
            out[n++] = token;
            if (stops.add(detok.add(token))) {
                reason = FinishReason.STOP;
                return false;
            }
            if (n >= settings.maxTokens() || prompt.length + n - 1 >= capacity) {
                reason = FinishReason.LENGTH;
                return false;
            }
            next = token;
            return true;
        }

        /** The owner asks its own listener; the leader reads the flag the owner set for other rows. */
        boolean pollCancel() {
            if (Thread.currentThread() == owner && !cancelled) {
                try {
                    if (listener.isCancelled()) cancelled = true;
                } catch (RuntimeException e) {
                    failedListener(e);
                }
            }
            return cancelled;
        }

        void emit(String piece) {
            if (Thread.currentThread() == owner) {
                // An owner that was a follower and now leads may still have pieces queued by the previous leader:
                // those go first, or its stream would come out of order.
                drain();
                deliver(piece);
            } else {
                pieces.add(piece);
                LockSupport.unpark(owner);
            }
        }

        void drain() {
            if (Thread.currentThread() != owner) return;
            for (String p; (p = pieces.poll()) != null; ) deliver(p);
        }

        /**
         * A listener that throws (a client gone mid-write) ends its own request, as cancellation does, and the
         * exception reaches its caller; the other rows, and a leader that is driving them, are not disturbed.
         */
        private void deliver(String piece) {
            if (listenerFailure != null) return;
            try {
                listener.onToken(piece);
            } catch (RuntimeException e) {
                failedListener(e);
            }
        }

        private void failedListener(RuntimeException e) {
            if (listenerFailure == null) listenerFailure = e;
            cancelled = true;
        }

        void finish(FinishReason why) {
            reason = why;
            complete();
        }

        void complete() {
            if (!stops.stopped()) {
                if (stops.add(detok.flush())) reason = FinishReason.STOP;
                else stops.finish();
            }
            done = true;
            LockSupport.unpark(owner);
        }

        void fail(RuntimeException e) {
            error = e;
            done = true;
            LockSupport.unpark(owner);
        }

        Outcome outcome() {
            return new Outcome(
                    Arrays.copyOf(out, n),
                    stops.text(),
                    reason,
                    prompt.length,
                    prefillNanos,
                    Arrays.copyOf(steps, Math.max(0, n - 1)),
                    reused);
        }
    }

    private static boolean contains(int[] values, int v) {
        for (int x : values) if (x == v) return true;
        return false;
    }

    /**
     * Passes text on while holding back any tail that could be the start of a stop string, so a stop string is
     * never streamed and then taken back.
     */
    static final class StopMatcher {
        private final List<String> stops;
        private final java.util.function.Consumer<String> sink;
        private final StringBuilder text = new StringBuilder();
        private String pending = "";
        private boolean stopped;

        StopMatcher(List<String> stops, StreamListener listener) {
            this(stops, listener::onToken);
        }

        StopMatcher(List<String> stops, java.util.function.Consumer<String> sink) {
            this.stops = stops;
            this.sink = sink;
        }

        /** Returns true when a stop string was found (the text before it has been emitted). */
        boolean add(String piece) {
            if (piece.isEmpty() || stopped) return stopped;
            if (stops.isEmpty()) {
                emit(piece);
                return false;
            }
            pending += piece;
            int cut = -1;
            for (String s : stops) {
                int at = pending.indexOf(s);
                if (at >= 0 && (cut < 0 || at < cut)) cut = at;
            }
            if (cut >= 0) {
                emit(pending.substring(0, cut));
                pending = "";
                stopped = true;
                return true;
            }
            int hold = 0;
            for (String s : stops)
                for (int k = Math.min(s.length() - 1, pending.length()); k > hold; k--)
                    if (pending.endsWith(s.substring(0, k))) {
                        hold = k;
                        break;
                    }
            emit(pending.substring(0, pending.length() - hold));
            pending = pending.substring(pending.length() - hold);
            return false;
        }

        void finish() {
            emit(pending);
            pending = "";
        }

        boolean stopped() {
            return stopped;
        }

        String text() {
            return text.toString();
        }

        private void emit(String s) {
            if (s.isEmpty()) return;
            text.append(s);
            sink.accept(s);
        }
    }
}
