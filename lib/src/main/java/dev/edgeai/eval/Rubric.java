package dev.edgeai.eval;

/** The judge's 1–5 grades: coherence (clear, well-formed), factuality (agrees with the reference), brevity. */
public record Rubric(int coherence, int factuality, int brevity) {
    public Rubric {
        for (int v : new int[] {coherence, factuality, brevity}) {
            if (v < 1 || v > 5) throw new IllegalArgumentException("rubric grades are 1..5, got " + v);
        }
    }

    public double mean() {
        return (coherence + factuality + brevity) / 3.0;
    }
}
