package dev.edgeai.engine;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import dev.edgeai.chat.ChatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The attention cache of up to {@code maxRows} sequences decoded together, one {@code session.run} per step for all
 * of them, in direct buffers that ORT reads and writes in place (no KV data copied through Java per step).
 *
 * <p>Growing-cache layouts (optimum {@code past_key_values.N}, GPT-2 {@code past_N}): the rows share one past length
 * L; a shorter row is left-padded (attention mask 0, its own position ids), and present outputs are pinned into the
 * "back" buffers that become the next step's past (double buffering). A row joins once its prompt is in (fed in
 * chunks between the others' steps, into staging buffers when others are decoding; see {@link Joining}) and leaves
 * at a step boundary; both re-lay the cache out once (a copy of the rows kept, trimmed to the longest). One row is
 * exactly the single-sequence loop: no padding.
 *
 * <p>Share-buffer layouts (GroupQueryAttention): one max-length buffer per tensor holds every row at its own length;
 * GQA reads each row's length from its attention-mask sum, so rows are right-padded, computed row by row inside the
 * operator, and a row prefills in place in the next free slot. Leaving moves the last row into the freed slot.
 *
 * <p>Not thread-safe: the {@link Generator}'s leader thread drives it.
 */
final class Batch implements AutoCloseable {
    /** KV buffer bytes an idle batch may keep (see releaseIfLarge). */
    static final long IDLE_BYTES = 256L << 20;

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final ModelDescriptor model;
    private final KvCacheSpec kv;
    private final boolean share;
    private final int maxRows, idBytes, logitBytes, vocab, tensors, bpe;
    /** KV tensors are [outer][batch][heads][seq][dim]: outer is 2 for GPT-2's stacked key/value, else 1. */
    private final int batchAxis, outer;

    private final long heads, dim;
    private final float[][] logits;
    private final short[] half;
    private final ByteBuffer logitsBuffer;
    private OnnxTensor useCacheTrue, useCacheFalse;
    private ByteBuffer[] front = new ByteBuffer[0], back = new ByteBuffer[0];
    private ByteBuffer[] stageFront = new ByteBuffer[0], stageBack = new ByteBuffer[0];
    private ByteBuffer ids = direct(64), positions = direct(64), mask = direct(64);
    /** Decode steps: one id and one position per row, and [rows, 1] / [rows, 1, vocab] tensors kept for every count. */
    private final ByteBuffer stepIds, stepPositions;

    private final OnnxTensor[] stepIdTensors, stepPositionTensors, logitTensors;
    /** Leading mask entries known to be 1 (one row, no padding: the mask only ever grows). */
    private int onesInMask;
    /** Share-buffer: the sequence axis of every row's slot, and how many row slots the buffers hold. */
    private int cap, slots;

    private int rows;
    /** Growing layouts: the common past length of the rows (the longest row's length). */
    private int pastLength;

    private final int[] lens;
    /** Whether the graph takes several new tokens on top of a past (a cached prefix); null until tried. */
    private Boolean continuation;

    private final Map<String, OnnxTensor> inputs = new HashMap<>();
    private final Map<String, OnnxValue> pinned = new HashMap<>();
    private final List<OnnxTensor> stepTensors = new ArrayList<>();

    Batch(OrtSession session, ModelDescriptor model, int maxRows) {
        this.session = session;
        this.model = model;
        this.kv = model.kv();
        this.share = kv.layout() == KvCacheSpec.Layout.SHARE_BUFFER;
        this.maxRows = batchable(model) ? Math.max(1, maxRows) : 1;
        this.idBytes = model.idType() == OnnxJavaType.INT32 ? 4 : 8;
        this.logitBytes = model.logitsType() == OnnxJavaType.FLOAT16 ? 2 : 4;
        this.vocab = model.vocabSize();
        this.tensors = kv.pastNames().size();
        this.bpe = kv.bytesPerElement();
        this.batchAxis = kv.layout() == KvCacheSpec.Layout.COMBINED ? 1 : 0;
        long[] s = kv.shape();
        int o = 1;
        for (int i = 0; i < batchAxis; i++) o *= (int) s[i];
        this.outer = o;
        long h = 1, d = 1;
        for (int i = batchAxis + 1; i < kv.seqAxis(); i++) h *= s[i];
        for (int i = kv.seqAxis() + 1; i < s.length; i++) d *= s[i];
        this.heads = h;
        this.dim = d;
        this.lens = new int[this.maxRows];
        this.logits = new float[this.maxRows][vocab];
        this.half = new short[logitBytes == 2 ? vocab : 0];
        this.logitsBuffer = direct((long) this.maxRows * vocab * logitBytes);
        this.stepIds = direct((long) this.maxRows * idBytes);
        this.stepPositions = direct((long) this.maxRows * idBytes);
        this.stepIdTensors = new OnnxTensor[this.maxRows + 1];
        this.stepPositionTensors = new OnnxTensor[this.maxRows + 1];
        this.logitTensors = new OnnxTensor[this.maxRows + 1];
        try {
            if (model.useCacheBranch() != null) {
                useCacheTrue = OnnxTensor.createTensor(env, new boolean[] {true});
                useCacheFalse = OnnxTensor.createTensor(env, new boolean[] {false});
            }
        } catch (OrtException e) {
            throw new ChatException(
                    ChatException.Kind.MODEL_LOAD,
                    "cannot allocate buffers for " + model.id() + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * Rows of different lengths need per-row masking: growing layouts need an attention mask and position ids (left
     * padding), share-buffer ones an attention mask (GQA's per-row lengths come from its sum).
     */
    static boolean batchable(ModelDescriptor m) {
        return m.attentionMask() != null
                && (m.kv().layout() == KvCacheSpec.Layout.SHARE_BUFFER || m.positionIds() != null);
    }

    int maxRows() {
        return maxRows;
    }

    int rows() {
        return rows;
    }

    /** Positions in row {@code r}'s cache. */
    int length(int r) {
        return lens[r];
    }

    /** KV bytes one position takes over all tensors. */
    long bytesPerPosition() {
        return kv.elementsPerPosition() * bpe * tensors;
    }

    /** Drops every row (after a failed run the cache contents are unknown). */
    void clear() {
        joining = null;
        rows = 0;
        pastLength = 0;
    }

    /**
     * A row on its way in: its prompt is fed a chunk at a time ({@link #feed}) while the rows already in the batch go
     * on decoding between chunks, so a long prompt no longer stalls them for its whole prefill. At most one at a time.
     *
     * <p>Where its KV goes meanwhile: growing layouts with no row decoding write the main buffers directly
     * ({@code direct}, fed whole: there is nothing to interleave with); with rows decoding, the staging pair, laid into
     * the batch when it is complete. Share-buffer layouts fill the next free slot in place; rows leaving meanwhile
     * may leave a gap below it, closed when it joins.
     */
    static final class Joining {
        final int[] prompt;
        final int slot;
        final boolean staged, direct;
        /** Prompt positions already in its cache. */
        int done;

        private Joining(int[] prompt, int slot, boolean staged, boolean direct, int done) {
            this.prompt = prompt;
            this.slot = slot;
            this.staged = staged;
            this.direct = direct;
            this.done = done;
        }
    }

    private Joining joining;

    /**
     * Adds a row at once: {@link #begin} then {@link #feed} of the whole prompt; returns the logits after its last
     * token (valid until the next call).
     */
    float[] add(int[] prompt, PrefixCache.Entry prefix, int reuse, int capacity) {
        return feed(begin(prompt, prefix, reuse, capacity), Integer.MAX_VALUE);
    }

    /**
     * Starts a row: copies the first {@code reuse} positions of a cached prefix into its cache; nothing is run yet.
     * {@code capacity} is how long the row may grow (prompt + tokens to generate), so buffers are sized once.
     */
    Joining begin(int[] prompt, PrefixCache.Entry prefix, int reuse, int capacity) {
        if (joining != null) throw new IllegalStateException("a row is already joining");
        if (rows == maxRows) throw new IllegalStateException("batch full");
        if (prompt.length - reuse < 1) throw new IllegalArgumentException("nothing left to run");
        checkVocabulary(prompt);
        if (share) {
            ensureShare(rows + 1, capacity);
            joining = new Joining(prompt, rows, false, false, reuse);
            long base = slotOffset(rows);
            if (reuse > 0) for (int t = 0; t < tensors; t++) restore(prefix, t, front[t], 1, cap, 0, reuse, base);
        } else if (rows == 0) {
            ensureConcat(1, Math.max(capacity, prompt.length + 1));
            joining = new Joining(prompt, 0, false, true, reuse);
            if (reuse > 0) for (int t = 0; t < tensors; t++) restore(prefix, t, front[t], 1, reuse, 0, reuse, 0);
        } else {
            stageFront = ensure(stageFront, (long) outer * heads * dim * bpe * (prompt.length + 1));
            stageBack = ensure(stageBack, stageFront[0].capacity());
            joining = new Joining(prompt, 0, true, false, reuse);
            if (reuse > 0) for (int t = 0; t < tensors; t++) restore(prefix, t, stageFront[t], 1, reuse, 0, reuse, 0);
        }
        return joining;
    }

    /**
     * Runs up to {@code budget} more prompt tokens of the joining row (all of them when it is {@code direct}). Once
     * the whole prompt is in, the row joins the batch as its last row and its logits after the last prompt token are
     * returned (valid until the next call); null while some of the prompt is left.
     */
    float[] feed(Joining j, int budget) {
        if (j != joining) throw new IllegalStateException("not the joining row");
        int n = j.prompt.length;
        if (j.direct) budget = Integer.MAX_VALUE;
        // All but the last token without asking for logits: ORT then skips the lm_head, and no [n, vocab] block
        // (hundreds of MB for long prompts and large vocabularies) is ever allocated.
        if (j.done < n - 1) {
            int run = Math.min(budget, n - 1 - j.done);
            runOne(j.prompt, j.done, run, j.done, share ? slotOffset(j.slot) : 0, false, j.staged);
            j.done += run;
            if (j.done < n - 1 || run == budget) return null;
        }
        runOne(j.prompt, n - 1, 1, n - 1, share ? slotOffset(j.slot) : 0, true, j.staged);
        joining = null;
        if (share) {
            if (j.slot != rows)
                for (int t = 0; t < tensors; t++)
                    copy(front[t], cap, slotOffset(j.slot), 0, front[t], cap, slotOffset(rows), 0, n);
            lens[rows++] = n;
        } else if (j.direct) {
            lens[0] = n;
            pastLength = n;
            rows = 1;
        } else {
            int[] keep = new int[rows];
            for (int r = 0; r < rows; r++) keep[r] = r;
            relayout(keep, n);
        }
        return logits[0];
    }

    /** Drops the joining row (cancelled, or its prefill failed); the rows in the batch are untouched. */
    void abandon() {
        joining = null;
        if (rows == 0) releaseIfLarge();
    }

    /** Feeds one token per row and returns each row's next logits (valid until the next call). */
    float[][] step(int[] tokens) {
        int b = rows;
        int width;
        if (share) {
            int longest = 0;
            for (int r = 0; r < b; r++) longest = Math.max(longest, lens[r]);
            // A row sized for a short answer that goes on (max_tokens left out) grows the buffer by half, up to the
            // model's context: a full-context buffer per row up front would cost gigabytes on a 128k-context model.
            if (longest + 1 > cap)
                ensureShare(b, (int)
                        Math.min(Math.max(longest + 1L, cap * 3L / 2), Math.max(longest + 1, model.contextLength())));
            width = longest + 1;
        } else {
            ensureConcat(b, pastLength + 1);
            width = pastLength + 1;
        }
        for (int r = 0; r < b; r++) {
            putId(stepIds, r, tokens[r]);
            putId(stepPositions, r, lens[r]);
        }
        if (b == 1 && (share || pastLength == lens[0])) ones(width); // one row: all ones, as written last time
        else {
            mask = ensure(mask, (long) b * width * idBytes);
            onesInMask = 0;
            for (int r = 0; r < b; r++) {
                // Growing layouts: a row's positions sit at the right end (left padding); share-buffer: at the left.
                int from = share ? 0 : pastLength - lens[r], to = share ? lens[r] + 1 : width;
                for (int j = 0; j < width; j++) putId(mask, r * width + j, j >= from && j < to ? 1 : 0);
            }
        }
        try {
            inputs.clear();
            pinned.clear();
            inputs.put(model.inputIds(), rowTensor(stepIdTensors, stepIds, b));
            inputs.put(
                    model.attentionMask(),
                    view(mask, 0, (long) b * width * idBytes, new long[] {b, width}, model.idType()));
            if (model.positionIds() != null)
                inputs.put(model.positionIds(), rowTensor(stepPositionTensors, stepPositions, b));
            if (model.useCacheBranch() != null) inputs.put(model.useCacheBranch(), useCacheTrue);
            for (int t = 0; t < tensors; t++) {
                if (share) {
                    OnnxTensor all = kvView(front[t], 0, b, cap);
                    inputs.put(kv.pastNames().get(t), all);
                    pinned.put(kv.presentNames().get(t), all);
                } else {
                    inputs.put(kv.pastNames().get(t), kvView(front[t], 0, b, pastLength));
                    pinned.put(kv.presentNames().get(t), kvView(back[t], 0, b, pastLength + 1));
                }
            }
            pinned.put(model.logits(), logitsTensor(b));
            session.run(inputs, Set.of(), pinned).close();
        } catch (OrtException e) {
            throw failure(e);
        } finally {
            closeStepTensors();
        }
        if (!share) {
            swap();
            pastLength++;
        }
        for (int r = 0; r < b; r++) {
            lens[r]++;
            readLogits(r, logits[r]);
        }
        return logits;
    }

    /** Removes row {@code r}; the rows after it keep their order except that the last one may take its place. */
    void remove(int r) {
        if (share) {
            int last = rows - 1;
            if (r != last) {
                for (int t = 0; t < tensors; t++)
                    copy(front[t], cap, slotOffset(last), 0, front[t], cap, slotOffset(r), 0, lens[last]);
                lens[r] = lens[last];
            }
            rows--;
            if (rows == 0) releaseIfLarge();
            return;
        }
        int[] keep = new int[rows - 1];
        for (int i = 0, k = 0; i < rows; i++) if (i != r) keep[k++] = i;
        relayout(keep, -1);
        if (rows == 0) releaseIfLarge();
    }

    /**
     * An idle batch keeps buffers sized for its last requests (the next request of a conversation reuses them), but
     * not when several long rows made them large: those go back to the garbage collector.
     */
    private void releaseIfLarge() {
        if (joining != null) return; // its prompt is half-way into these buffers
        stageFront = stageBack = new ByteBuffer[0];
        if (front.length > 0 && (long) front[0].capacity() * tensors * 2 > IDLE_BYTES) {
            front = back = new ByteBuffer[0];
            cap = slots = 0;
        }
    }

    /** Where row {@code from} went after {@link #remove}: the row index it has now. */
    int movedTo(int removed, int from) {
        if (share) return from == rows ? removed : from;
        return from > removed ? from - 1 : from;
    }

    /** A compact copy of the first {@code n} positions of row {@code r}, for the prefix cache. */
    ByteBuffer[] snapshot(int r, int n) {
        ByteBuffer[] out = new ByteBuffer[tensors];
        long perPosition = (long) outer * heads * dim * bpe;
        for (int t = 0; t < tensors; t++) {
            out[t] = direct(perPosition * n);
            if (share) copy(front[t], cap, slotOffset(r), 0, out[t], n, 0, 0, n);
            else copyRows(front[t], rows, pastLength, r, pastLength - lens[r], out[t], 1, n, 0, 0, n);
        }
        return out;
    }

    // ---- prefill

    /**
     * Runs tokens[from, from + n) for one row whose cache holds {@code len} positions: growing layouts read front and
     * write back (the staging pair when {@code staged}); share-buffer layouts work in place on the slot at
     * {@code base}.
     */
    private void runOne(int[] tokens, int from, int n, int len, long base, boolean wantLogits, boolean staged) {
        if (len == 0 || n == 1 || continuation != Boolean.FALSE) {
            try {
                runChunk(tokens, from, n, len, base, wantLogits, staged, len > 0 && n > 1 && continuation == null);
                if (len > 0 && n > 1) continuation = Boolean.TRUE;
                return;
            } catch (ChatException e) {
                if (len == 0 || n == 1 || continuation != null) throw e;
                // Some exported graphs only take a whole prompt or one token once a past exists (the genai builder's
                // attention-mask subgraph of the Llama fixture); feed such a model's suffix token by token.
                continuation = Boolean.FALSE;
            }
        }
        for (int i = 0; i < n; i++)
            runChunk(tokens, from + i, 1, len + i, base, wantLogits && i == n - 1, staged, false);
    }

    /** @param probe the first multi-token run on top of a past: its failure is expected on some graphs, not logged */
    private void runChunk(
            int[] tokens, int from, int n, int len, long base, boolean wantLogits, boolean staged, boolean probe) {
        int total = len + n;
        ids = ensure(ids, (long) n * idBytes);
        positions = ensure(positions, (long) n * idBytes);
        for (int i = 0; i < n; i++) {
            putId(ids, i, tokens[from + i]);
            putId(positions, i, len + i);
        }
        ones(total);
        try {
            inputs.clear();
            pinned.clear();
            inputs.put(model.inputIds(), view(ids, 0, (long) n * idBytes, new long[] {1, n}, model.idType()));
            if (model.attentionMask() != null)
                inputs.put(
                        model.attentionMask(),
                        view(mask, 0, (long) total * idBytes, new long[] {1, total}, model.idType()));
            if (model.positionIds() != null)
                inputs.put(
                        model.positionIds(), view(positions, 0, (long) n * idBytes, new long[] {1, n}, model.idType()));
            if (model.useCacheBranch() != null)
                inputs.put(model.useCacheBranch(), len > 0 ? useCacheTrue : useCacheFalse);
            ByteBuffer[] f = staged ? stageFront : front, b = staged ? stageBack : back;
            for (int t = 0; t < tensors; t++) {
                if (share) {
                    OnnxTensor slot = kvView(front[t], base, 1, cap);
                    inputs.put(kv.pastNames().get(t), slot);
                    pinned.put(kv.presentNames().get(t), slot);
                } else {
                    inputs.put(kv.pastNames().get(t), kvView(f[t], 0, 1, len));
                    pinned.put(kv.presentNames().get(t), kvView(b[t], 0, 1, total));
                }
            }
            if (wantLogits) pinned.put(model.logits(), logitsTensor(1));
            if (probe)
                try (OrtSession.RunOptions quiet = new OrtSession.RunOptions()) {
                    quiet.setLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
                    session.run(inputs, Set.of(), pinned, quiet).close();
                }
            else session.run(inputs, Set.of(), pinned).close();
        } catch (OrtException e) {
            throw failure(e);
        } finally {
            closeStepTensors();
        }
        if (!share) {
            if (staged) {
                ByteBuffer[] t = stageFront;
                stageFront = stageBack;
                stageBack = t;
            } else swap();
        }
        if (wantLogits) readLogits(0, logits[0]);
    }

    /**
     * An id past the embedding makes ORT fail deep inside the graph ("input index out of range" at position 0);
     * it means the tokenizer does not belong to this model (the GPT-2 fixture pairs a 50257-token tokenizer with a
     * 1000-row embedding), so say that, with the numbers, before running anything.
     */
    private void checkVocabulary(int[] prompt) {
        for (int i = 0; i < prompt.length; i++) {
            if (prompt[i] < 0 || prompt[i] >= vocab)
                throw new ChatException(
                        ChatException.Kind.INVALID_INPUT,
                        "token id " + prompt[i] + " at prompt position "
                                + i + " is outside the vocabulary of model " + model.id() + " (vocabulary size " + vocab
                                + ", ids 0-" + (vocab - 1)
                                + "): its tokenizer.json knows more tokens than the model has rows; "
                                + "use the tokenizer exported with this model");
        }
    }

    // ---- layout

    /**
     * Growing layouts: rebuilds the batch from the rows {@code keep} (in that order) plus, when
     * {@code stagedLength >= 0}, the staged row, trimmed to the longest of them.
     */
    private void relayout(int[] keep, int stagedLength) {
        int newRows = keep.length + (stagedLength >= 0 ? 1 : 0);
        int newPast = Math.max(0, stagedLength);
        for (int r : keep) newPast = Math.max(newPast, lens[r]);
        ensureConcat(Math.max(rows, newRows), Math.max(pastLength, newPast) + 1);
        int[] newLens = new int[maxRows];
        for (int t = 0; t < tensors; t++) {
            for (int i = 0; i < keep.length; i++) {
                int r = keep[i];
                copyRows(
                        front[t],
                        rows,
                        pastLength,
                        r,
                        pastLength - lens[r],
                        back[t],
                        newRows,
                        newPast,
                        i,
                        newPast - lens[r],
                        lens[r]);
            }
            if (stagedLength >= 0)
                copyRows(
                        stageFront[t],
                        1,
                        stagedLength,
                        0,
                        0,
                        back[t],
                        newRows,
                        newPast,
                        keep.length,
                        newPast - stagedLength,
                        stagedLength);
        }
        for (int i = 0; i < keep.length; i++) newLens[i] = lens[keep[i]];
        if (stagedLength >= 0) newLens[keep.length] = stagedLength;
        System.arraycopy(newLens, 0, lens, 0, maxRows);
        swap();
        rows = newRows;
        pastLength = newRows == 0 ? 0 : newPast;
    }

    /** Growing layouts: room for {@code b} rows of {@code positions}, keeping the front contents. */
    private void ensureConcat(int b, int positions) {
        long need = (long) outer * b * heads * positions * dim * bpe;
        if (front.length > 0 && front[0].capacity() >= need) return;
        long grown = Math.max(need, front.length == 0 ? 0 : front[0].capacity() * 3L / 2);
        long used = (long) outer * rows * heads * pastLength * dim * bpe;
        ByteBuffer[] f = new ByteBuffer[tensors], bk = new ByteBuffer[tensors];
        for (int t = 0; t < tensors; t++) {
            f[t] = direct(grown);
            bk[t] = direct(grown);
            if (used > 0) f[t].put(0, front[t], 0, (int) used);
        }
        front = f;
        back = bk;
    }

    /** Share-buffer: room for {@code b} row slots of {@code capacity} positions, keeping every row. */
    private void ensureShare(int b, int capacity) {
        if (front.length > 0 && b <= slots && capacity <= cap) return;
        int newCap = Math.max(cap, capacity), newSlots = Math.max(slots, b);
        long bytes = (long) newSlots * heads * newCap * dim * bpe;
        if (bytes > Integer.MAX_VALUE)
            throw new ChatException(
                    ChatException.Kind.INVALID_INPUT,
                    "KV cache of " + newSlots + " x " + newCap + " tokens does not fit one buffer; lower max_tokens");
        ByteBuffer[] f = new ByteBuffer[tensors];
        for (int t = 0; t < tensors; t++) {
            f[t] = direct(bytes);
            for (int r = 0; r < rows; r++)
                copy(front[t], cap, slotOffset(r), 0, f[t], newCap, (long) r * heads * newCap * dim * bpe, 0, lens[r]);
            if (joining != null && joining.done > 0)
                copy(
                        front[t],
                        cap,
                        slotOffset(joining.slot),
                        0,
                        f[t],
                        newCap,
                        (long) joining.slot * heads * newCap * dim * bpe,
                        0,
                        joining.done);
        }
        front = f;
        cap = newCap;
        slots = newSlots;
    }

    private long slotOffset(int r) {
        return (long) r * heads * cap * dim * bpe;
    }

    /** Copies the first {@code n} positions of an entry's tensor into a row (a [1, heads, S, dim] region at base). */
    private void restore(
            PrefixCache.Entry e, int t, ByteBuffer dst, int dstRows, int dstSeq, int dstRow, int n, long base) {
        if (share) copy(e.kv()[t], e.length(), 0, 0, dst, dstSeq, base, 0, n);
        else copyRows(e.kv()[t], 1, e.length(), 0, 0, dst, dstRows, dstSeq, dstRow, 0, n);
    }

    /**
     * Growing layouts: {@code n} positions of row sr (from position ss) of a [outer][sRows][heads][sSeq][dim] tensor
     * to row dr (at position ds) of a [outer][dRows][heads][dSeq][dim] one.
     */
    private void copyRows(
            ByteBuffer src,
            int sRows,
            int sSeq,
            int sr,
            int ss,
            ByteBuffer dst,
            int dRows,
            int dSeq,
            int dr,
            int ds,
            int n) {
        if (n == 0) return;
        int bytes = (int) (n * dim * bpe);
        for (int o = 0; o < outer; o++)
            for (long h = 0; h < heads; h++) {
                long from = ((((long) o * sRows + sr) * heads + h) * sSeq + ss) * dim * bpe;
                long to = ((((long) o * dRows + dr) * heads + h) * dSeq + ds) * dim * bpe;
                dst.put((int) to, src, (int) from, bytes);
            }
    }

    /** Share-buffer (outer = 1): n positions from a [heads][sSeq][dim] region at sBase to one at dBase. */
    private void copy(
            ByteBuffer src, int sSeq, long sBase, int ss, ByteBuffer dst, int dSeq, long dBase, int ds, int n) {
        if (n == 0) return;
        int bytes = (int) (n * dim * bpe);
        for (long h = 0; h < heads; h++) {
            long from = sBase + (h * sSeq + ss) * dim * bpe;
            long to = dBase + (h * dSeq + ds) * dim * bpe;
            dst.put((int) to, src, (int) from, bytes);
        }
    }

    private void swap() {
        ByteBuffer[] t = front;
        front = back;
        back = t;
    }

    // ---- tensors and buffers

    private OnnxTensor kvView(ByteBuffer buffer, long base, int b, int seq) throws OrtException {
        long[] shape = kv.shape().clone();
        shape[batchAxis] = b;
        shape[kv.seqAxis()] = seq;
        return view(buffer, base, (long) outer * b * heads * seq * dim * bpe, shape, kv.type());
    }

    /** A tensor over {@code bytes} bytes of a direct buffer from {@code offset}: zero-copy, closed after the run. */
    private OnnxTensor view(ByteBuffer buffer, long offset, long bytes, long[] shape, OnnxJavaType type)
            throws OrtException {
        OnnxTensor t = OnnxTensor.createTensor(env, slice(buffer, offset, bytes), shape, type);
        stepTensors.add(t);
        return t;
    }

    /** A [b, 1] id tensor over a step buffer, made once per row count (a decode step creates no tensor for it). */
    private OnnxTensor rowTensor(OnnxTensor[] cache, ByteBuffer buffer, int b) throws OrtException {
        if (cache[b] == null)
            cache[b] = OnnxTensor.createTensor(
                    env, slice(buffer, 0, (long) b * idBytes), new long[] {b, 1}, model.idType());
        return cache[b];
    }

    private OnnxTensor logitsTensor(int b) throws OrtException {
        if (logitTensors[b] == null)
            logitTensors[b] = OnnxTensor.createTensor(
                    env,
                    slice(logitsBuffer, 0, (long) b * vocab * logitBytes),
                    new long[] {b, 1, vocab},
                    model.logitsType());
        return logitTensors[b];
    }

    /** The mask as {@code n} ones, writing only what the previous one-row run did not. */
    private void ones(int n) {
        if (mask.capacity() < (long) n * idBytes) {
            mask = direct(Math.max((long) n * idBytes, mask.capacity() * 2L));
            onesInMask = 0;
        }
        for (int i = onesInMask; i < n; i++) putId(mask, i, 1);
        onesInMask = Math.max(onesInMask, n);
    }

    private static ByteBuffer slice(ByteBuffer buffer, long offset, long bytes) {
        return buffer.duplicate()
                .limit((int) (offset + bytes))
                .position((int) offset)
                .slice()
                .order(ByteOrder.nativeOrder());
    }

    private void closeStepTensors() {
        for (OnnxTensor t : stepTensors) t.close();
        stepTensors.clear();
    }

    private void putId(ByteBuffer b, int index, long v) {
        if (idBytes == 4) b.putInt(index * 4, (int) v);
        else b.putLong(index * 8, v);
    }

    private void readLogits(int row, float[] out) {
        if (logitBytes == 2) {
            // One bulk copy, then a plain array loop the JIT vectorizes (about 3x faster than per-element gets).
            logitsBuffer.asShortBuffer().get(row * vocab, half, 0, vocab);
            for (int i = 0; i < vocab; i++) out[i] = Float.float16ToFloat(half[i]);
        } else {
            FloatBuffer f = logitsBuffer.asFloatBuffer();
            f.get(row * vocab, out);
        }
    }

    private ChatException failure(OrtException e) {
        return new ChatException(
                ChatException.Kind.SERVER,
                "ONNX Runtime failed on " + model.id() + " (" + rows + " rows, lengths "
                        + Arrays.toString(Arrays.copyOf(lens, rows)) + "): " + e.getMessage(),
                e);
    }

    private static ByteBuffer ensure(ByteBuffer b, long bytes) {
        return b.capacity() >= bytes ? b : direct(Math.max(bytes, b.capacity() * 2L));
    }

    private ByteBuffer[] ensure(ByteBuffer[] bs, long bytes) {
        if (bs.length > 0 && bs[0].capacity() >= bytes) return bs;
        ByteBuffer[] out = new ByteBuffer[tensors];
        for (int t = 0; t < tensors; t++) out[t] = direct(bytes);
        return out;
    }

    static ByteBuffer direct(long bytes) {
        if (bytes > Integer.MAX_VALUE)
            throw new ChatException(
                    ChatException.Kind.INVALID_INPUT,
                    "a KV buffer of " + bytes + " bytes does not fit one Java buffer; lower max_tokens");
        return ByteBuffer.allocateDirect((int) Math.max(bytes, 8)).order(ByteOrder.nativeOrder());
    }

    @Override
    public void close() {
        closeStepTensors();
        for (OnnxTensor[] cache : List.of(stepIdTensors, stepPositionTensors, logitTensors))
            for (OnnxTensor t : cache) if (t != null) t.close();
        if (useCacheTrue != null) {
            useCacheTrue.close();
            useCacheFalse.close();
        }
    }
}
