package dev.edgeai.retrieval;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns text into a unit-length vector. One method to implement, so tests can wrap the real model (to count calls)
 * and the benchmark can time it. {@link #miniLm()} is the one the workshop uses.
 */
public interface Embedder {

    /** A unit-length vector of {@link #dimension()} floats. */
    float[] embed(String text);

    default List<float[]> embedAll(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (String t : texts) out.add(embed(t));
        return out;
    }

    int dimension();

    /** Vectors and the number of tokens the model read for them (what an embeddings API reports as usage). */
    record Counted(List<float[]> vectors, int tokens) {}

    /** {@link #embedAll} with the tokens read; this default estimates them at four characters a token. */
    default Counted embedCounted(List<String> texts) {
        int chars = 0;
        for (String t : texts) chars += t.length();
        return new Counted(embedAll(texts), (chars + 3) / 4);
    }

    /** Stored in the index cache: vectors from another model must never be reused. */
    String modelName();

    /** The quantized all-MiniLM-L6-v2 shipped inside the langchain4j jar (offline, 384-d); loaded once per JVM. */
    static Embedder miniLm() {
        return MiniLmEmbedder.shared();
    }

    /** Scales v to unit length in place (a zero vector stays zero) and returns it. */
    static float[] normalize(float[] v) {
        double ss = 0;
        for (float x : v) ss += x * x;
        if (ss == 0) return v;
        float inv = (float) (1 / Math.sqrt(ss));
        for (int i = 0; i < v.length; i++) v[i] *= inv;
        return v;
    }
}
