package dev.edgeai.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetrieverCacheTest {
    /** The real model, counting how many texts went through it. */
    static final class CountingEmbedder implements Embedder {
        final AtomicInteger texts = new AtomicInteger();

        @Override
        public float[] embed(String text) {
            texts.incrementAndGet();
            return Embedder.miniLm().embed(text);
        }

        @Override
        public List<float[]> embedAll(List<String> batch) {
            texts.addAndGet(batch.size());
            return Embedder.miniLm().embedAll(batch);
        }

        @Override
        public int dimension() {
            return 384;
        }

        @Override
        public String modelName() {
            return Embedder.miniLm().modelName();
        }
    }

    @TempDir
    Path docs;

    final CountingEmbedder counter = new CountingEmbedder();
    Retriever.Options options;

    @BeforeEach
    void copyCorpus() throws Exception {
        for (String f : List.of("measuring-latency.md", "quantization.md"))
            Files.copy(TestCorpus.DOCS.resolve(f), docs.resolve(f));
        options = Retriever.Options.defaults().withEmbedder(counter);
    }

    @Test
    void secondOpenReusesTheCacheWithoutEmbedding() throws Exception {
        Retriever first = Retriever.open(docs, options);
        assertFalse(first.status().fromCache());
        assertEquals(first.chunks().size(), counter.texts.get());
        assertTrue(Files.exists(docs.resolve(".index/vectors.f32")));

        counter.texts.set(0);
        Retriever second = Retriever.open(docs, options);
        assertTrue(second.status().fromCache(), second.status().message());
        assertEquals(0, counter.texts.get(), "no chunk re-embedded");
        assertEquals(first.chunks(), second.chunks());
        assertEquals(
                first.search("What does TTFT measure?", Mode.DENSE, 3)
                        .hits()
                        .get(0)
                        .denseScore(),
                second.search("What does TTFT measure?", Mode.DENSE, 3)
                        .hits()
                        .get(0)
                        .denseScore(),
                1e-6);
        assertFalse(
                second.chunks().stream().anyMatch(c -> c.source().startsWith(".index")), "the cache is not indexed");
    }

    @Test
    void touchingAFileRebuildsButReusesVectorsOfUnchangedContent() throws Exception {
        Retriever.open(docs, options);
        Path f = docs.resolve("quantization.md");
        Files.setLastModifiedTime(
                f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + 5000));
        counter.texts.set(0);
        Retriever r = Retriever.open(docs, options);
        assertFalse(r.status().fromCache());
        assertEquals(List.of("changed: quantization.md (mtime)"), r.status().changes());
        assertTrue(r.status().message().startsWith("rebuilt index"), r.status().message());
        assertEquals(0, counter.texts.get(), "same SHA-256, so the old vectors are still right");
        assertTrue(Retriever.open(docs, options).status().fromCache(), "and the rewritten cache is valid");
    }

    @Test
    void changingAFileReembedsOnlyThatFile() throws Exception {
        Retriever before = Retriever.open(docs, options);
        long latencyChunks = before.chunks().stream()
                .filter(c -> c.source().equals("measuring-latency.md"))
                .count();
        Files.writeString(
                docs.resolve("quantization.md"),
                "# Quantization\n\nFP8 uses eight bits with a floating-point layout.\n");
        counter.texts.set(0);
        Retriever r = Retriever.open(docs, options);
        assertFalse(r.status().fromCache());
        assertEquals(
                List.of("changed: quantization.md (size, mtime, content)"),
                r.status().changes());
        assertEquals(1, counter.texts.get());
        assertEquals(latencyChunks + 1, r.chunks().size());
        assertEquals(
                "quantization.md",
                r.search("What does FP8 use?", Mode.HYBRID, 1).hits().get(0).source());
    }

    @Test
    void addedAndRemovedFilesAreReported() throws Exception {
        Retriever.open(docs, options);
        Files.delete(docs.resolve("quantization.md"));
        Files.writeString(docs.resolve("new.txt"), "Zebra kernels are fast.");
        Retriever r = Retriever.open(docs, options);
        assertEquals(
                List.of("added: new.txt", "removed: quantization.md"),
                r.status().changes());
    }

    @Test
    void corruptCacheIsRebuilt() throws Exception {
        Retriever.open(docs, options);
        Files.writeString(docs.resolve(".index/vectors.f32"), "garbage");
        Retriever r = Retriever.open(docs, options);
        assertFalse(r.status().fromCache());
        assertTrue(Retriever.open(docs, options).status().fromCache());
    }

    @Test
    void separateCacheDirAndNoCache(@TempDir Path cacheDir) throws Exception {
        Retriever.open(docs, options.withCacheDir(cacheDir));
        assertTrue(Files.exists(cacheDir.resolve("manifest.json")));
        assertFalse(Files.exists(docs.resolve(".index")));
        counter.texts.set(0);
        assertFalse(Retriever.open(docs, options.withCacheDir(cacheDir).withoutCache())
                .status()
                .fromCache());
        assertTrue(counter.texts.get() > 0);
    }

    @Test
    void addDocumentMakesUploadsRetrievableWithTheirSource() throws Exception {
        Retriever r = Retriever.open(docs, options);
        String question = "What colour is the Kestrel board's status LED?";
        assertFalse(r.search(question).hits().stream().anyMatch(h -> h.source().startsWith("uploads/")));

        String text =
                "# Kestrel board\n\nThe Kestrel development board has a status LED that glows amber while the NPU runs a model.\n";
        List<Chunk> added = r.addDocument("uploads/kestrel.md", text);
        assertEquals(1, added.size());
        for (Mode m : Mode.values()) {
            SearchResult res = r.search(question, m, 3);
            Hit top = res.hits().get(0);
            assertEquals("uploads/kestrel.md", top.source(), m.toString());
            Citation c = res.citations().get(0);
            assertEquals("uploads/kestrel.md", c.source());
            assertEquals(top.chunk().text(), text.substring(c.start(), c.end()));
        }

        // Same name again replaces the old upload instead of duplicating it.
        r.addDocument("uploads/kestrel.md", text.replace("amber", "green"));
        List<Chunk> kestrel = r.chunks().stream()
                .filter(c -> c.source().equals("uploads/kestrel.md"))
                .toList();
        assertEquals(1, kestrel.size());
        assertTrue(kestrel.get(0).text().contains("green"));
        assertThrows(IllegalArgumentException.class, () -> r.addDocument("../escape.md", "x"));
    }

    @Test
    void addDocumentFromAFileInsideTheFolderKeepsItsRelativePath() throws Exception {
        Retriever r = Retriever.open(docs, options);
        Files.createDirectories(docs.resolve("more"));
        Path f = Files.writeString(
                docs.resolve("more/osprey.md"), "The Osprey router forwards prompts to the cheapest model.");
        r.addDocument(f);
        assertEquals(
                "more/osprey.md",
                r.search("Which router forwards prompts?", Mode.BM25, 1)
                        .hits()
                        .get(0)
                        .source());
    }
}
