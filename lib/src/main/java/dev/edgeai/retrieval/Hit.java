package dev.edgeai.retrieval;

/**
 * One retrieved chunk. {@code score} is what the ranking used (BM25 score, cosine, or the RRF sum); the per-method
 * fields are there for display and are filled for every hit whatever the mode.
 *
 * @param rank      1-based position in the result
 * @param bm25Rank  1-based rank in the BM25 list, 0 when BM25 did not retrieve it (shares no query term or ranked too low)
 * @param denseRank 1-based rank in the dense list, 0 when not in the candidates
 */
public record Hit(
        int rank, Chunk chunk, double score, double bm25Score, int bm25Rank, double denseScore, int denseRank) {

    public String source() {
        return chunk.source();
    }
}
