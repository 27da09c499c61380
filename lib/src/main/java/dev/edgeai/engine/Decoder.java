package dev.edgeai.engine;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.edgeai.chat.ChatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one decoder session over one sequence, keeping its attention cache in direct buffers that ORT reads and
 * writes in place: present outputs are pinned into the "back" buffers and become the next step's past (double
 * buffering), so no KV data is copied through Java. Share-buffer (GQA) models use a single max-length buffer as
 * both past and present. Not thread-safe: one sequence at a time.
 */
final class Decoder implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final ModelDescriptor model;
    private final KvCacheSpec kv;
    private final boolean shareBuffer;
    private final int idBytes;
    private final float[] logits;
    private final short[] halfLogits;
    private final ByteBuffer logitsBuffer;
    private final Map<String, OnnxTensor> inputs = new HashMap<>();
    private final Map<String, OnnxValue> pinned = new HashMap<>();
    private final List<OnnxTensor> stepTensors = new ArrayList<>();

    private int capacity;
    private ByteBuffer[] front = new ByteBuffer[0];
    private ByteBuffer[] back = new ByteBuffer[0];
    private OnnxTensor[] shared = new OnnxTensor[0];
    private ByteBuffer ids, positions, mask;
    private OnnxTensor logitsTensor, useCacheTrue, useCacheFalse;
    /** [1, 1] tensors over the start of ids / positions, reused by every single-token step (zero-copy). */
    private OnnxTensor oneId, onePosition;

    private int length;

    Decoder(OrtSession session, ModelDescriptor model) {
        this.session = session;
        this.model = model;
        this.kv = model.kv();
        this.shareBuffer = kv.layout() == KvCacheSpec.Layout.SHARE_BUFFER;
        this.idBytes = model.idType() == OnnxJavaType.INT32 ? 4 : 8;
        this.logits = new float[model.vocabSize()];
        this.halfLogits = new short[model.logitsType() == OnnxJavaType.FLOAT16 ? model.vocabSize() : 0];
        int lb = model.logitsType() == OnnxJavaType.FLOAT16 ? 2 : 4;
        this.logitsBuffer = direct((long) model.vocabSize() * lb);
        try {
            logitsTensor = OnnxTensor.createTensor(
                    env, logitsBuffer, new long[] {1, 1, model.vocabSize()}, model.logitsType());
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

    /** Tokens currently in the cache. */
    int length() {
        return length;
    }

    int capacity() {
        return capacity;
    }

    /** Starts a new sequence that may grow to {@code capacity} tokens; buffers are reused when large enough. */
    void reset(int capacity) {
        length = 0;
        // A larger buffer is fine for share-buffer models too: the attention mask, not the buffer size, tells GQA
        // how many positions are valid, so stale entries past it are never read.
        if (capacity > this.capacity) allocate(capacity);
    }

    /** Feeds the prompt and returns the logits after its last token. */
    float[] prefill(int[] prompt) {
        if (prompt.length == 0) throw new ChatException(ChatException.Kind.INVALID_INPUT, "empty prompt");
        checkVocabulary(prompt);
        // All but the last token without asking for logits: ORT then skips the lm_head, and no [n, vocab] block
        // (hundreds of MB for long prompts and large vocabularies) is ever allocated.
        if (prompt.length > 1) run(prompt, 0, prompt.length - 1, false);
        return run(prompt, prompt.length - 1, 1, true);
    }

    /**
     * An id past the embedding makes ORT fail deep inside the graph ("input index out of range" at position 0);
     * it means the tokenizer does not belong to this model (the GPT-2 fixture pairs a 50257-token tokenizer with a
     * 1000-row embedding), so say that, with the numbers, before running anything.
     */
    private void checkVocabulary(int[] prompt) {
        int vocab = model.vocabSize();
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

    /** Feeds one generated token and returns the logits that follow it. */
    float[] next(int token) {
        ids.clear();
        if (idBytes == 4) ids.putInt(0, token);
        else ids.putLong(0, token);
        return step(1, true);
    }

    private float[] run(int[] tokens, int from, int n, boolean wantLogits) {
        for (int i = 0; i < n; i++) {
            if (idBytes == 4) ids.putInt(i * 4, tokens[from + i]);
            else ids.putLong(i * 8, tokens[from + i]);
        }
        return step(n, wantLogits);
    }

    private float[] step(int n, boolean wantLogits) {
        int total = length + n;
        if (total > capacity)
            throw new ChatException(
                    ChatException.Kind.INVALID_INPUT,
                    "sequence of " + total + " tokens exceeds the buffer of " + capacity);
        try {
            inputs.clear();
            pinned.clear();
            inputs.put(model.inputIds(), n == 1 ? oneId : view(ids, n, new long[] {1, n}, model.idType()));
            if (model.attentionMask() != null)
                inputs.put(model.attentionMask(), view(mask, total, new long[] {1, total}, model.idType()));
            if (model.positionIds() != null) {
                for (int i = 0; i < n; i++) {
                    if (idBytes == 4) positions.putInt(i * 4, length + i);
                    else positions.putLong(i * 8, length + i);
                }
                inputs.put(
                        model.positionIds(),
                        n == 1 ? onePosition : view(positions, n, new long[] {1, n}, model.idType()));
            }
            if (model.useCacheBranch() != null)
                inputs.put(model.useCacheBranch(), length > 0 ? useCacheTrue : useCacheFalse);
            List<String> past = kv.pastNames(), present = kv.presentNames();
            for (int i = 0; i < past.size(); i++) {
                if (shareBuffer) {
                    inputs.put(past.get(i), shared[i]);
                    pinned.put(present.get(i), shared[i]);
                } else {
                    inputs.put(past.get(i), kvView(front[i], length));
                    pinned.put(present.get(i), kvView(back[i], total));
                }
            }
            if (wantLogits) pinned.put(model.logits(), logitsTensor);
            session.run(inputs, Set.of(), pinned).close();
        } catch (OrtException e) {
            throw new ChatException(
                    ChatException.Kind.SERVER,
                    "ONNX Runtime failed on " + model.id() + " at position " + length + ": " + e.getMessage(),
                    e);
        } finally {
            for (OnnxTensor t : stepTensors) t.close();
            stepTensors.clear();
        }
        length = total;
        if (!shareBuffer) {
            ByteBuffer[] t = front;
            front = back;
            back = t;
        }
        if (wantLogits) readLogits();
        return logits;
    }

    private void readLogits() {
        if (model.logitsType() == OnnxJavaType.FLOAT16) {
            // One bulk copy, then a plain array loop the JIT vectorizes (about 3x faster than per-element gets).
            logitsBuffer.asShortBuffer().get(0, halfLogits, 0, halfLogits.length);
            for (int i = 0; i < logits.length; i++) logits[i] = Float.float16ToFloat(halfLogits[i]);
        } else {
            FloatBuffer f = logitsBuffer.asFloatBuffer();
            f.get(0, logits);
        }
    }

    private OnnxTensor kvView(ByteBuffer buffer, int seq) throws OrtException {
        long elems = kv.elementsPerPosition() * seq;
        return view(buffer, elems, kv.shapeFor(seq), kv.type());
    }

    /** A tensor over the first {@code elements} of a direct buffer: zero-copy, closed after the step. */
    private OnnxTensor view(ByteBuffer buffer, long elements, long[] shape, OnnxJavaType type) throws OrtException {
        int bytes = (int) (elements
                * switch (type) {
                    case INT64, DOUBLE -> 8;
                    case FLOAT16, BFLOAT16, INT16 -> 2;
                    case UINT8, INT8, BOOL -> 1;
                    default -> 4;
                });
        ByteBuffer slice = buffer.duplicate().position(0).limit(bytes).slice().order(ByteOrder.nativeOrder());
        OnnxTensor t = OnnxTensor.createTensor(env, slice, shape, type);
        stepTensors.add(t);
        return t;
    }

    private void allocate(int cap) {
        closeShared();
        capacity = cap;
        int tensors = kv.pastNames().size();
        long bytes = kv.elementsPerPosition() * cap * kv.bytesPerElement();
        if (bytes > Integer.MAX_VALUE)
            throw new ChatException(
                    ChatException.Kind.INVALID_INPUT,
                    "KV cache of " + cap + " tokens does not fit one buffer; lower max_tokens");
        front = new ByteBuffer[tensors];
        back = new ByteBuffer[shareBuffer ? 0 : tensors];
        for (int i = 0; i < tensors; i++) {
            front[i] = direct(bytes);
            if (!shareBuffer) back[i] = direct(bytes);
        }
        ids = direct((long) cap * idBytes);
        positions = direct((long) cap * idBytes);
        mask = direct((long) cap * idBytes);
        for (int i = 0; i < cap; i++) {
            if (idBytes == 4) mask.putInt(i * 4, 1);
            else mask.putLong(i * 8, 1L);
        }
        try {
            oneId = OnnxTensor.createTensor(
                    env,
                    ids.duplicate().position(0).limit(idBytes).slice().order(ByteOrder.nativeOrder()),
                    new long[] {1, 1},
                    model.idType());
            onePosition = OnnxTensor.createTensor(
                    env,
                    positions.duplicate().position(0).limit(idBytes).slice().order(ByteOrder.nativeOrder()),
                    new long[] {1, 1},
                    model.idType());
        } catch (OrtException e) {
            throw new ChatException(
                    ChatException.Kind.MODEL_LOAD, "cannot allocate input buffers: " + e.getMessage(), e);
        }
        if (shareBuffer) {
            shared = new OnnxTensor[tensors];
            try {
                for (int i = 0; i < tensors; i++)
                    shared[i] = OnnxTensor.createTensor(env, front[i], kv.shapeFor(cap), kv.type());
            } catch (OrtException e) {
                throw new ChatException(
                        ChatException.Kind.MODEL_LOAD, "cannot allocate the KV buffer: " + e.getMessage(), e);
            }
        }
    }

    private static ByteBuffer direct(long bytes) {
        return ByteBuffer.allocateDirect((int) Math.max(bytes, 8)).order(ByteOrder.nativeOrder());
    }

    private void closeShared() {
        for (OnnxTensor t : shared) if (t != null) t.close();
        shared = new OnnxTensor[0];
        if (oneId != null) {
            oneId.close();
            onePosition.close();
            oneId = onePosition = null;
        }
    }

    @Override
    public void close() {
        closeShared();
        logitsTensor.close();
        if (useCacheTrue != null) {
            useCacheTrue.close();
            useCacheFalse.close();
        }
    }
}
