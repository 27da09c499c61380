package dev.edgeai.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HybridRetrieverTest {
    @TempDir
    static Path cache;

    static Retriever retriever;

    @BeforeAll
    static void open() throws Exception {
        retriever = Retriever.open(TestCorpus.DOCS, Retriever.Options.defaults().withCacheDir(cache));
    }

    @Test
    void rrfAddsOneOverSixtyPlusRank() {
        // list A: d1, d2, d3   list B: d3, d1
        // d1 = 1/61 + 1/62 = 0.032522   d3 = 1/63 + 1/61 = 0.032266   d2 = 1/62 = 0.016129
        List<Match> a = List.of(new Match(1, 9.0), new Match(2, 5.0), new Match(3, 1.0));
        List<Match> b = List.of(new Match(3, 0.9), new Match(1, 0.8));
        List<Match> fused = HybridRetriever.fuse(List.of(a, b), 60);
        assertEquals(List.of(1, 3, 2), fused.stream().map(Match::doc).toList());
        assertEquals(0.032522, fused.get(0).score(), 1e-6);
        assertEquals(0.032266, fused.get(1).score(), 1e-6);
        assertEquals(0.016129, fused.get(2).score(), 1e-6);
    }

    @Test
    void rrfIgnoresScoreScales() {
        List<Match> a = List.of(new Match(1, 1000), new Match(2, 999));
        List<Match> b = List.of(new Match(2, 0.01), new Match(1, 0.009));
        List<Match> fused = HybridRetriever.fuse(List.of(a, b), 60);
        assertEquals(fused.get(0).score(), fused.get(1).score(), 1e-12);
        assertEquals(1, fused.get(0).doc(), "ties go to the lower id, so results are stable");
    }

    static List<Arguments> questions() {
        return List.of(
                Arguments.of("What does TTFT measure?", "measuring-latency.md"),
                Arguments.of("Why must prompt tokens not be counted in tokens per second?", "measuring-latency.md"),
                Arguments.of("How much memory does an int4 model need?", "quantization.md"),
                Arguments.of("Which port does Ollama listen on by default?", "foundry-local-and-ollama.md"),
                Arguments.of("How do I find the Foundry Local endpoint URL?", "foundry-local-and-ollama.md"),
                Arguments.of("How many parameters are active per token in GPT-OSS-20B?", "small-vs-large-models.md"),
                Arguments.of("What is reciprocal rank fusion?", "rag.md"),
                Arguments.of("Why does multi-threaded wasm need special headers?", "webgpu-in-browser.md"),
                Arguments.of("What limits decode speed on a laptop?", "on-device-inference-onnx-runtime.md"));
    }

    static List<Arguments> questionsInEveryMode() {
        return questions().stream()
                .flatMap(a -> java.util.Arrays.stream(Mode.values()).map(m -> Arguments.of(a.get()[0], a.get()[1], m)))
                .toList();
    }

    @ParameterizedTest(name = "{2}: {0}")
    @MethodSource("questionsInEveryMode")
    void rightSourceInTopThree(String question, String source, Mode mode) {
        SearchResult r = retriever.search(question, mode, 3);
        assertFalse(r.noRelevantContext(), question);
        assertTrue(
                r.hits().stream().anyMatch(h -> h.source().equals(source)),
                () -> mode + " " + question + " -> "
                        + r.hits().stream().map(h -> h.chunk().id()).toList());
    }

    @Test
    void offTopicQueryGivesNoRelevantContext() {
        for (Mode m : Mode.values()) {
            SearchResult r = retriever.search("recipe for banana bread", m, 4);
            assertTrue(r.noRelevantContext(), m + " " + r.hits());
            assertTrue(r.hits().isEmpty());
        }
    }

    @Test
    void keywordCoverageKeepsExactIdentifiersThatMiniLmScoresLow() {
        // Measured cosines of the defining chunks: "MXFP4" 0.23, "11434" 0.04 -- below the 0.30 threshold.
        assertEquals(
                "small-vs-large-models.md",
                retriever.search("MXFP4", Mode.HYBRID, 3).hits().get(0).source());
        assertEquals(
                "foundry-local-and-ollama.md",
                retriever.search("11434", Mode.HYBRID, 3).hits().get(0).source());
        assertTrue(retriever.search("11434", Mode.DENSE, 3).noRelevantContext(), "dense alone cannot see the number");
    }

    @Test
    void oneIncidentalKeywordIsNotRelevantContext() {
        // BM25 matches "world" ("world knowledge" in the Phi-4-mini section): 1 of 5 keywords, cosine below 0.
        assertFalse(
                retriever
                        .search("Who won the football world cup?", Mode.BM25, 3)
                        .noRelevantContext(),
                "BM25 mode is pure keywords");
        assertTrue(retriever
                .search("Who won the football world cup?", Mode.HYBRID, 3)
                .noRelevantContext());
        assertTrue(retriever
                .search("Who won the football world cup?", Mode.DENSE, 3)
                .noRelevantContext());
    }

    @Test
    void blankQueryGivesNoRelevantContext() {
        assertTrue(retriever.search("  ").noRelevantContext());
    }

    @Test
    void thresholdIsConfigurable() {
        SearchOptions lax = SearchOptions.defaults().withMinSimilarity(-1);
        assertEquals(
                4,
                retriever.search("recipe for banana bread", lax).hits().size(),
                "with no threshold something always comes back");
        SearchOptions strict = SearchOptions.defaults().withMinSimilarity(0.99).withMinCoverage(1.01);
        assertTrue(retriever.search("What does TTFT measure?", strict).noRelevantContext());
    }

    @Test
    void hitsCarryRankAndPerMethodScores() {
        SearchResult r = retriever.search("What does TTFT measure?", Mode.HYBRID, 3);
        assertEquals(Mode.HYBRID, r.mode());
        for (int i = 0; i < r.hits().size(); i++) {
            Hit h = r.hits().get(i);
            assertEquals(i + 1, h.rank());
            assertFalse(Double.isNaN(h.denseScore()), "hybrid shows the cosine of every hit");
            assertTrue(h.bm25Rank() > 0 || h.denseRank() > 0);
            double rrf = (h.bm25Rank() > 0 ? 1.0 / (60 + h.bm25Rank()) : 0)
                    + (h.denseRank() > 0 ? 1.0 / (60 + h.denseRank()) : 0);
            assertEquals(rrf, h.score(), 1e-12);
        }
        Hit top = r.hits().get(0);
        assertEquals("measuring-latency.md", top.source());
        assertTrue(top.chunk().headingPath().contains("TTFT"), top.chunk().headingPath());
        SearchResult bm25 = retriever.search("What does TTFT measure?", Mode.BM25, 3);
        assertTrue(Double.isNaN(bm25.hits().get(0).denseScore()), "BM25 mode skips the query embedding");
        assertEquals(bm25.hits().get(0).bm25Score(), bm25.hits().get(0).score());
    }
}
