package dev.edgeai.openai;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The answer of {@code POST /v1/embeddings}: {@code {"object":"list","data":[{"object":"embedding","index":0,
 * "embedding":[...]}],"model":..,"usage":{"prompt_tokens","total_tokens"}}}, and the pure conversions from vectors.
 * In base64 a vector is its float32 values in little-endian order, as OpenAI sends them (the SDKs decode them so).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EmbeddingList(String object, List<Item> data, String model, Usage usage) {
    public static final String OBJECT = "list";

    /** One input's vector, at its input's index. */
    public record Item(String object, int index, Vector embedding) {
        public static final String OBJECT = "embedding";
    }

    /** A vector as floats (a JSON array) or as base64 text. */
    public sealed interface Vector {
        float[] floats();

        record Floats(@JsonValue float[] values) implements Vector {
            @Override
            public float[] floats() {
                return values;
            }

            @Override
            public boolean equals(Object o) {
                return o instanceof Floats f && Arrays.equals(values, f.values);
            }

            @Override
            public int hashCode() {
                return Arrays.hashCode(values);
            }

            @Override
            public String toString() {
                return Arrays.toString(values);
            }
        }

        record Base64Floats(@JsonValue String base64) implements Vector {
            @Override
            public float[] floats() {
                return fromBase64(base64);
            }
        }

        /** What a client reads back: an array is floats, a string base64. */
        @JsonCreator
        static Vector read(Object json) {
            if (json instanceof String s) return new Base64Floats(s);
            if (json instanceof List<?> l) {
                float[] v = new float[l.size()];
                for (int i = 0; i < v.length; i++) v[i] = ((Number) l.get(i)).floatValue();
                return new Floats(v);
            }
            throw new IllegalArgumentException("an embedding is an array of numbers or a base64 string");
        }
    }

    public record Usage(
            @JsonProperty("prompt_tokens") int promptTokens,
            @JsonProperty("total_tokens") int totalTokens) {}

    /** The answer for {@code vectors} (one per input, in order), encoded as the request asked. */
    public static EmbeddingList of(String model, List<float[]> vectors, boolean base64, int promptTokens) {
        List<Item> data = new ArrayList<>(vectors.size());
        for (int i = 0; i < vectors.size(); i++) {
            float[] v = vectors.get(i);
            data.add(new Item(
                    Item.OBJECT, i, base64 ? new Vector.Base64Floats(toBase64(v)) : new Vector.Floats(v.clone())));
        }
        return new EmbeddingList(OBJECT, List.copyOf(data), model, new Usage(promptTokens, promptTokens));
    }

    public static String toBase64(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return Base64.getEncoder().encodeToString(b.array());
    }

    /** @throws IllegalArgumentException for text that is not base64 of whole float32 values */
    public static float[] fromBase64(String s) {
        byte[] bytes = Base64.getDecoder().decode(s);
        if (bytes.length % Float.BYTES != 0)
            throw new IllegalArgumentException(bytes.length + " bytes are not a whole number of float32 values");
        float[] v = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }
}
