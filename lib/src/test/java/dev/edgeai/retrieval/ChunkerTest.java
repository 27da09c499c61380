package dev.edgeai.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChunkerTest {
    private static final String LONG_PARAGRAPH = IntStream.range(0, 12)
            .mapToObj(i -> "Sentence number " + i + " explains one more detail about int4 block scales and memory.")
            .collect(Collectors.joining(" "));

    private static final String MARKDOWN = """
            # Guide

            ## Intro

            Short intro paragraph.

            ## Quantization

            First paragraph about weights. It has two sentences.

            Second paragraph about bytes per weight.

            ### int4

            %s

            ```python
            # not a heading, a comment in code
            x = 1
            ```

            ## Latency

            TTFT is the time to first token.
            """.formatted(LONG_PARAGRAPH);

    private final Document doc = Document.of("guide.md", MARKDOWN);
    private final Chunker chunker = new Chunker(300, 80);
    private final List<Chunk> chunks = chunker.chunk(doc);

    @Test
    void offsetsMapBackToTheFileText() {
        for (Chunk c : chunks) assertEquals(MARKDOWN.substring(c.start(), c.end()), c.text(), c.id());
    }

    @Test
    void noChunkIsEmptyOrOverTheTarget() {
        for (Chunk c : chunks) {
            assertFalse(c.text().isBlank(), c.id());
            assertTrue(c.text().length() <= 300, c.id() + " has " + c.text().length());
            assertEquals(c.text().strip(), c.text(), "chunks are trimmed");
        }
    }

    @Test
    void headingsStartNewChunksWithTheirPath() {
        assertEquals("Guide > Intro", chunks.get(0).headingPath());
        assertTrue(
                chunks.get(0).text().startsWith("# Guide\n\n## Intro"),
                "a heading with no text of its own joins the next section");
        Chunk quant = chunk("## Quantization");
        assertEquals("Guide > Quantization", quant.headingPath());
        assertTrue(quant.text().startsWith("## Quantization"));
        assertFalse(quant.text().contains("Short intro"), "no chunk crosses a heading");
        Chunk latency = chunks.get(chunks.size() - 1);
        assertEquals("Guide > Latency", latency.headingPath());
        assertEquals("## Latency\n\nTTFT is the time to first token.", latency.text());
    }

    @Test
    void nestedHeadingsBuildThePath() {
        Chunk int4 = chunk("### int4");
        assertEquals("Guide > Quantization > int4", int4.headingPath());
        assertTrue(chunks.stream()
                .filter(c -> c.text().contains("Sentence number 11"))
                .allMatch(c -> c.headingPath().equals("Guide > Quantization > int4")));
    }

    @Test
    void headingInsideCodeFenceIsNotAHeading() {
        Chunk code = chunk("```python");
        assertEquals("Guide > Quantization > int4", code.headingPath());
        assertTrue(code.text().contains("# not a heading"));
    }

    @Test
    void shortParagraphsArePackedTogether() {
        Chunk quant = chunk("## Quantization");
        assertTrue(quant.text().contains("First paragraph") && quant.text().contains("Second paragraph"), quant.text());
    }

    @Test
    void longParagraphIsSplitAtSentenceEndsWithOverlap() {
        List<Chunk> parts = chunks.stream()
                .filter(c -> c.text().contains("Sentence number"))
                .toList();
        assertTrue(parts.size() >= 3, "a " + LONG_PARAGRAPH.length() + "-char paragraph needs several 300-char chunks");
        for (int i = 0; i < parts.size(); i++) {
            Chunk c = parts.get(i);
            boolean lastOfParagraph = c.text().contains("Sentence number 11");
            if (!lastOfParagraph) assertTrue(c.text().endsWith("memory."), "cut after a sentence: " + c.text());
            if (i > 0) {
                Chunk prev = parts.get(i - 1);
                assertTrue(c.start() < prev.end(), "consecutive chunks overlap");
                assertTrue(c.start() > prev.start(), "and still move forward");
                assertTrue(
                        c.text().startsWith("Sentence number") || c.text().startsWith("### int4"),
                        "overlap starts at a sentence: " + c.text());
            }
        }
    }

    @Test
    void overlapIsAboutTheConfiguredSize() {
        List<Chunk> parts = chunks.stream()
                .filter(c -> c.text().contains("Sentence number"))
                .toList();
        for (int i = 1; i < parts.size(); i++) {
            int overlap = parts.get(i - 1).end() - parts.get(i).start();
            assertTrue(overlap > 0 && overlap <= 150, "overlap " + overlap); // one 86-char sentence, target 80
        }
    }

    @Test
    void zeroOverlapLeavesNoSharedText() {
        List<Chunk> cs = new Chunker(300, 0).chunk(doc);
        for (int i = 1; i < cs.size(); i++)
            assertTrue(cs.get(i).start() >= cs.get(i - 1).end());
    }

    @Test
    void textWithoutHeadingsOrNewlinesStillChunks() {
        String plain = "word ".repeat(400).strip();
        List<Chunk> cs = new Chunker(100, 0).chunk(Document.of("plain.txt", plain));
        assertTrue(cs.size() >= 20);
        for (Chunk c : cs) {
            assertEquals("", c.headingPath());
            assertEquals(plain.substring(c.start(), c.end()), c.text());
            assertTrue(c.text().length() <= 100);
        }
        assertEquals(plain.length(), cs.get(cs.size() - 1).end());
    }

    @Test
    void emptyDocumentHasNoChunks() {
        assertEquals(List.of(), chunker.chunk(Document.of("empty.md", "  \n\n ")));
    }

    @Test
    void idsAreSourceAndPosition() {
        for (int i = 0; i < chunks.size(); i++)
            assertEquals("guide.md#" + i, chunks.get(i).id());
    }

    @Test
    void shippedCorpusChunksMapBackExactly() throws Exception {
        List<Document> docs = Document.loadFolder(TestCorpus.DOCS);
        assertTrue(docs.size() >= 6);
        for (Document d : docs) {
            List<Chunk> cs = Chunker.defaults().chunk(d);
            assertFalse(cs.isEmpty(), d.source());
            for (Chunk c : cs) {
                assertEquals(d.text().substring(c.start(), c.end()), c.text(), c.id());
                assertTrue(c.text().length() <= Chunker.DEFAULT_TARGET_CHARS, c.id());
            }
        }
    }

    private Chunk chunk(String containing) {
        return chunks.stream()
                .filter(c -> c.text().contains(containing))
                .findFirst()
                .orElseThrow(() -> new AssertionError(containing));
    }
}
