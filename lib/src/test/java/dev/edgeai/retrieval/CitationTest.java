package dev.edgeai.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CitationTest {
    @TempDir
    static Path cache;

    static Retriever retriever;
    static SearchResult result;

    @BeforeAll
    static void search() throws Exception {
        retriever = Retriever.open(TestCorpus.DOCS, Retriever.Options.defaults().withCacheDir(cache));
        result = retriever.search("What does TTFT measure?");
    }

    @Test
    void citationsAreNumberedInHitOrderAndPointIntoTheFiles() throws Exception {
        List<Citation> cites = result.citations();
        assertEquals(result.hits().size(), cites.size());
        for (int i = 0; i < cites.size(); i++) {
            Citation c = cites.get(i);
            assertEquals(i + 1, c.number());
            assertEquals("[" + (i + 1) + "]", c.marker());
            Chunk chunk = result.hits().get(i).chunk();
            assertEquals(chunk.source(), c.source());
            assertEquals(chunk.id(), c.chunkId());
            String file = Files.readString(TestCorpus.DOCS.resolve(c.source()));
            assertEquals(chunk.text(), file.substring(c.start(), c.end()), "offsets index the file itself");
        }
        assertEquals("measuring-latency.md", cites.get(0).source());
        assertEquals(
                "measuring-latency.md › Measuring LLM latency > TTFT: time to first token",
                cites.get(0).label());
    }

    @Test
    void contextNumbersEachChunkWithItsSource() {
        String ctx = ContextBuilder.context(result);
        assertTrue(
                ctx.startsWith("[1] measuring-latency.md › Measuring LLM latency > TTFT: time to first token\n## TTFT"),
                ctx);
        for (Citation c : result.citations()) assertTrue(ctx.contains(c.marker() + " " + c.label() + "\n"));
        for (Hit h : result.hits()) assertTrue(ctx.contains(h.chunk().text()));
        String user = ContextBuilder.userMessage("What does TTFT measure?", result);
        assertTrue(user.startsWith("Context:\n[1] ") && user.endsWith("\n\nQuestion: What does TTFT measure?"));
    }

    @Test
    void contextCanCapEachChunk() {
        String ctx = ContextBuilder.context(result.hits(), 40);
        assertTrue(ctx.contains("…"));
        assertTrue(ctx.length() < ContextBuilder.context(result).length());
    }

    @Test
    void noRelevantContextSaysSo() {
        SearchResult none = retriever.search("recipe for banana bread");
        assertEquals(ContextBuilder.NO_CONTEXT, ContextBuilder.context(none));
        assertTrue(none.citations().isEmpty());
    }

    @Test
    void systemPromptGroundsAndAsksForCitations() {
        String p = ContextBuilder.SYSTEM_PROMPT;
        assertTrue(p.contains("ONLY"));
        assertTrue(p.contains("[1]"));
        assertTrue(p.contains("I don't know"));
    }

    @Test
    void citedInFindsValidMarkersInOrder() {
        List<Citation> cites = List.of(
                new Citation(1, "a.md", "", 0, 1, "a.md#0"),
                new Citation(2, "b.md", "", 0, 1, "b.md#0"),
                new Citation(3, "c.md", "", 0, 1, "c.md#0"));
        String answer = "TTFT is the wait [2][1]. Decode is separate [1, 3]. Invented [7] and not a cite [x].";
        assertEquals(
                List.of("b.md", "a.md", "c.md"),
                Citation.citedIn(answer, cites).stream().map(Citation::source).toList());
        assertEquals(List.of(), Citation.citedIn("no citations", cites));
    }
}
