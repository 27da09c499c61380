package dev.edgeai.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Bm25IndexTest {
    /*
     * Four documents, tokens after lowercasing (no stopwords or plurals, so what you see is what is indexed):
     *   d0 "int4 memory memory"           |d0| = 3
     *   d1 "int8 memory"                  |d1| = 2
     *   d2 "latency token"                |d2| = 2
     *   d3 "token latency latency token"  |d3| = 4
     * N = 4, avgdl = (3 + 2 + 2 + 4) / 4 = 2.75, k1 = 1.2, b = 0.75
     *
     * idf(t) = ln(1 + (N − n + 0.5) / (n + 0.5))
     *   "memory", "latency", "token" (n = 2): ln(1 + 2.5/2.5) = ln 2    = 0.693147
     *   "int4" (n = 1):                       ln(1 + 3.5/1.5) = ln 3.33 = 1.203973
     *
     * term score = idf · tf·(k1+1) / (tf + k1·(1 − b + b·|D|/avgdl))
     *   norm(|D|=2) = 1.2·(0.25 + 0.75·2/2.75) = 0.954545
     *   norm(|D|=3) = 1.2·(0.25 + 0.75·3/2.75) = 1.281818
     *   norm(|D|=4) = 1.2·(0.25 + 0.75·4/2.75) = 1.609091
     *
     * "memory": d0 = 0.693147 · 2·2.2 / (2 + 1.281818) = 0.929316
     *           d1 = 0.693147 · 1·2.2 / (1 + 0.954545) = 0.780194
     * "int4":   d0 = 1.203973 · 1·2.2 / (1 + 1.281818) = 1.160802
     * "latency": d3 = 0.693147 · 2·2.2 / (2 + 1.609091) = 0.845046  (tf 2 beats the length penalty)
     *            d2 = 0.693147 · 1·2.2 / (1 + 0.954545) = 0.780194
     */
    private static final double EPS = 1e-5;
    private Bm25Index index;

    @BeforeEach
    void build() {
        index = new Bm25Index(1.2, 0.75, new Bm25Tokenizer(true, false));
        for (String d : List.of("int4 memory memory", "int8 memory", "latency token", "token latency latency token"))
            index.add(d);
    }

    @Test
    void idfMatchesTheHandComputation() {
        assertEquals(Math.log(2), index.idf("memory"), EPS);
        assertEquals(1.203973, index.idf("int4"), EPS);
        assertEquals(Math.log(1 + 4.5 / 0.5), index.idf("unknown"), EPS);
    }

    @Test
    void singleTermRanksHigherTermFrequencyFirst() {
        List<Match> hits = index.search("memory", 10);
        assertEquals(List.of(0, 1), hits.stream().map(Match::doc).toList());
        assertEquals(0.929316, hits.get(0).score(), EPS);
        assertEquals(0.780194, hits.get(1).score(), EPS);
    }

    @Test
    void scoresOfQueryTermsAdd() {
        List<Match> hits = index.search("int4 memory", 10);
        assertEquals(List.of(0, 1), hits.stream().map(Match::doc).toList());
        assertEquals(0.929316 + 1.160802, hits.get(0).score(), EPS);
        assertEquals(0.780194, hits.get(1).score(), EPS);
    }

    @Test
    void termFrequencyOutweighsLengthHere() {
        List<Match> hits = index.search("latency", 10);
        assertEquals(List.of(3, 2), hits.stream().map(Match::doc).toList());
        assertEquals(0.845046, hits.get(0).score(), EPS);
        assertEquals(0.780194, hits.get(1).score(), EPS);
    }

    @Test
    void repeatedQueryTermsCountOnce() {
        assertEquals(index.search("memory", 10), index.search("memory memory MEMORY", 10));
    }

    @Test
    void emptyStopwordOnlyAndUnknownQueriesFindNothing() {
        assertTrue(index.search("", 10).isEmpty());
        assertTrue(index.search("   ?! ", 10).isEmpty());
        assertTrue(index.search("what is the", 10).isEmpty());
        assertTrue(index.search("banana bread", 10).isEmpty());
    }

    @Test
    void unknownTermsDoNotChangeKnownScores() {
        assertEquals(index.search("memory", 10), index.search("memory banana", 10));
    }

    @Test
    void topKCutsTheList() {
        assertEquals(
                List.of(0), index.search("memory", 1).stream().map(Match::doc).toList());
        assertTrue(index.search("memory", 0).isEmpty());
    }

    @Test
    void coverageIsTheShareOfQueryIdfADocumentHolds() {
        // "int4 latency": idf 1.203973 + 0.693147 = 1.897120; d0 holds int4 -> 0.634632, d3 holds latency -> 0.365368
        assertEquals(0.634632, index.coverage("int4 latency", 0), EPS);
        assertEquals(0.365368, index.coverage("int4 latency", 3), EPS);
        // unknown "banana" counts at its maximal idf ln(1 + 4.5/0.5) = ln 10: 0.693147 / (0.693147 + 2.302585)
        assertEquals(0.231378, index.coverage("memory banana", 0), EPS);
        assertEquals(1.0, index.coverage("memory memory", 1), EPS);
        assertEquals(0.0, index.coverage("the", 1), EPS);
    }

    @Test
    void emptyIndexFindsNothing() {
        assertTrue(new Bm25Index().search("memory", 5).isEmpty());
    }

    @Test
    void tokenizerSplitsOnPunctuationAndFoldsPlurals() {
        assertEquals(
                List.of("phi", "4", "mini", "int4", "weight", "query"),
                Bm25Tokenizer.standard().tokens("Phi-4-mini: the int4 weights, of queries!"));
        assertEquals(List.of("bus", "class", "ttft"), Bm25Tokenizer.standard().tokens("bus class TTFT"));
    }
}
