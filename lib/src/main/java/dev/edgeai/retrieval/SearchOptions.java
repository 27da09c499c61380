package dev.edgeai.retrieval;

/**
 * Per-query knobs.
 *
 * @param minSimilarity in DENSE and HYBRID mode a hit needs at least this MiniLM cosine. RRF sums are ranks, not
 *                      relevance (the best chunk for "banana bread" still gets 1/61), so HYBRID gates on cosine too.
 * @param minBm25       in BM25 mode a hit needs a score above this; 0 keeps every chunk sharing a query term
 * @param minCoverage   in HYBRID mode a hit below minSimilarity still passes when it holds at least this share of
 *                      the query's keywords by idf ({@link Bm25Index#coverage}): MiniLM gives identifiers such as
 *                      "MXFP4" or "11434" a cosine under 0.3 even for the chunk that defines them
 */
public record SearchOptions(Mode mode, int topK, double minSimilarity, double minBm25, double minCoverage) {
    public static final int DEFAULT_TOP_K = 4;
    /**
     * Measured on the shipped corpus: answerable questions put the right chunk at 0.45-0.75 cosine,
     * off-topic ones ("recipe for banana bread") stay below 0.15.
     */
    public static final double DEFAULT_MIN_SIMILARITY = 0.30;
    /** Half the idf mass is not enough: "how much memory does a banana need" matches "memory" in many chunks. */
    public static final double DEFAULT_MIN_COVERAGE = 0.6;
    /** Reciprocal-rank fusion constant from Cormack et al. (2009); it damps the weight of the very top ranks. */
    public static final int RRF_K = 60;

    public SearchOptions {
        if (topK < 1) throw new IllegalArgumentException("topK must be at least 1: " + topK);
        if (mode == null) throw new IllegalArgumentException("mode is required");
    }

    public static SearchOptions defaults() {
        return new SearchOptions(Mode.HYBRID, DEFAULT_TOP_K, DEFAULT_MIN_SIMILARITY, 0, DEFAULT_MIN_COVERAGE);
    }

    public SearchOptions withMode(Mode m) {
        return new SearchOptions(m, topK, minSimilarity, minBm25, minCoverage);
    }

    public SearchOptions withTopK(int k) {
        return new SearchOptions(mode, k, minSimilarity, minBm25, minCoverage);
    }

    public SearchOptions withMinSimilarity(double s) {
        return new SearchOptions(mode, topK, s, minBm25, minCoverage);
    }

    public SearchOptions withMinCoverage(double c) {
        return new SearchOptions(mode, topK, minSimilarity, minBm25, c);
    }

    public SearchOptions withMinBm25(double s) {
        return new SearchOptions(mode, topK, minSimilarity, s, minCoverage);
    }
}
