package dev.edgeai.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DenseIndexTest {
    private static final List<String> CHUNKS = List.of(
            "Time to first token measures the delay before the reply starts appearing on screen.",
            "Quantization stores weights in four bits to save memory.",
            "BM25 ranks documents by term frequency and inverse document frequency.");
    // Shares no token with any chunk after stopword removal: [long, until, answer, begin, show, up].
    private static final String PARAPHRASE = "How long until the answer begins to show up?";

    @Test
    void paraphraseFindsTheRightChunkWhereBm25CannotMatch() {
        Embedder e = Embedder.miniLm();
        DenseIndex dense = new DenseIndex(e.dimension());
        Bm25Index bm25 = new Bm25Index();
        for (String c : CHUNKS) {
            dense.add(e.embed(c));
            bm25.add(c);
        }
        assertTrue(bm25.search(PARAPHRASE, 3).isEmpty(), "no shared word, so BM25 finds nothing");
        List<Match> hits = dense.search(e.embed(PARAPHRASE), 3);
        assertEquals(0, hits.get(0).doc());
        // Measured: 0.42 for the TTFT chunk, below 0.07 for the others.
        assertTrue(hits.get(0).score() > 0.35 && hits.get(1).score() < 0.2, hits.toString());
    }

    @Test
    void miniLmVectorsAreUnitLength384() {
        float[] v = Embedder.miniLm().embed("hello world");
        assertEquals(384, v.length);
        double ss = 0;
        for (float x : v) ss += x * x;
        assertEquals(1.0, ss, 1e-4);
    }

    @Test
    void cosineOnHandMadeVectors() {
        DenseIndex d = new DenseIndex(2);
        d.add(new float[] {1, 0});
        d.add(new float[] {3, 4}); // normalised to (0.6, 0.8)
        d.add(new float[] {0, -1});
        List<Match> hits = d.search(new float[] {0, 1}, 3);
        assertEquals(List.of(1, 0, 2), hits.stream().map(Match::doc).toList());
        assertEquals(0.8, hits.get(0).score(), 1e-6);
        assertEquals(0.0, hits.get(1).score(), 1e-6);
        assertEquals(-1.0, hits.get(2).score(), 1e-6);
    }
}
