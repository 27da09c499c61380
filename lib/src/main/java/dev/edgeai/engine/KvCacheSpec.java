package dev.edgeai.engine;

import ai.onnxruntime.OnnxJavaType;
import java.util.List;

/**
 * How a decoder keeps its attention cache: which inputs take the past, which outputs return the present, and the
 * tensor shape with the sequence axis left open.
 *
 * @param layout       how keys and values are grouped into tensors
 * @param pastNames    one input per cache tensor, in layer order (key, value, key, value ... or one per layer)
 * @param presentNames the matching outputs, same order
 * @param shape        tensor shape with batch = 1 and the sequence axis set to 0 (filled in per step)
 * @param seqAxis      index of the sequence axis in {@code shape}
 * @param type         FLOAT or FLOAT16
 */
public record KvCacheSpec(
        Layout layout,
        List<String> pastNames,
        List<String> presentNames,
        long[] shape,
        int seqAxis,
        OnnxJavaType type) {
    public enum Layout {
        /** past_key_values.N.key / .value, growing each step (Llama, Qwen, optimum exports). */
        PER_LAYER,
        /** GPT-2 style past_N holding key and value stacked on a leading axis of 2. */
        COMBINED,
        /** GroupQueryAttention writing into a fixed max-length buffer that is both past and present. */
        SHARE_BUFFER
    }

    public KvCacheSpec {
        pastNames = List.copyOf(pastNames);
        presentNames = List.copyOf(presentNames);
        shape = shape.clone();
    }

    /** Elements in one tensor per sequence position. */
    public long elementsPerPosition() {
        long n = 1;
        for (int i = 0; i < shape.length; i++) if (i != seqAxis) n *= shape[i];
        return n;
    }

    public long[] shapeFor(int seqLen) {
        long[] s = shape.clone();
        s[seqAxis] = seqLen;
        return s;
    }

    public int bytesPerElement() {
        return type == OnnxJavaType.FLOAT16 ? 2 : 4;
    }
}
