package dev.edgeai.retrieval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The entry point for RAG: a folder of .md/.txt files, chunked, indexed for BM25 and MiniLM, cached on disk.
 * <pre>{@code
 * Retriever r = Retriever.open(Path.of("data/docs"));
 * SearchResult res = r.search("What does TTFT measure?");
 * if (res.noRelevantContext()) ... else prompt = ContextBuilder.userMessage(question, res);
 * }</pre>
 */
public final class Retriever {

    /**
     * @param cacheDir where chunks and vectors are cached; null means {@code <docs>/.index}
     * @param useCache false skips reading and writing the cache (always chunk and embed)
     */
    public record Options(SearchOptions search, Chunker chunker, Embedder embedder, Path cacheDir, boolean useCache) {
        public Options {
            Objects.requireNonNull(search);
            Objects.requireNonNull(chunker);
            Objects.requireNonNull(embedder);
        }

        /** HYBRID, top 4, cosine ≥ 0.30 or keyword coverage ≥ 0.6, 800-character chunks with 100 of overlap, MiniLM, cache in {@code <docs>/.index}. */
        public static Options defaults() {
            return new Options(SearchOptions.defaults(), Chunker.defaults(), Embedder.miniLm(), null, true);
        }

        public Options withSearch(SearchOptions s) {
            return new Options(s, chunker, embedder, cacheDir, useCache);
        }

        public Options withMode(Mode m) {
            return withSearch(search.withMode(m));
        }

        public Options withTopK(int k) {
            return withSearch(search.withTopK(k));
        }

        public Options withChunker(Chunker c) {
            return new Options(search, c, embedder, cacheDir, useCache);
        }

        public Options withEmbedder(Embedder e) {
            return new Options(search, chunker, e, cacheDir, useCache);
        }

        public Options withCacheDir(Path dir) {
            return new Options(search, chunker, embedder, dir, useCache);
        }

        public Options withoutCache() {
            return new Options(search, chunker, embedder, cacheDir, false);
        }
    }

    private final Path docsDir;
    private final Options options;
    private final HybridRetriever index;
    private final IndexStatus status;

    private Retriever(Path docsDir, Options options, HybridRetriever index, IndexStatus status) {
        this.docsDir = docsDir;
        this.options = options;
        this.index = index;
        this.status = status;
    }

    public static Retriever open(Path docsDir) throws IOException {
        return open(docsDir, Options.defaults());
    }

    /**
     * Loads the folder and reuses the cache when every file's size, mtime and SHA-256 match it. Otherwise it
     * rebuilds, still taking vectors for files whose content hash is unchanged (a touched file costs no
     * embedding), and rewrites the cache. {@link #status()} says which happened.
     */
    public static Retriever open(Path docsDir, Options options) throws IOException {
        if (!Files.isDirectory(docsDir)) throw new IOException("docs folder not found: " + docsDir.toAbsolutePath());
        List<Document> docs = Document.loadFolder(docsDir);
        IndexCache cache = new IndexCache(options.cacheDir() != null ? options.cacheDir() : docsDir.resolve(".index"));
        IndexCache.Manifest current = IndexCache.manifestOf(docs, options.embedder(), options.chunker());
        IndexCache.Contents cached = options.useCache() ? cache.read() : null;
        HybridRetriever index = new HybridRetriever(options.embedder());

        if (cached != null && cached.manifest().equals(current)) {
            index.addAll(cached.chunks(), cached.vectors());
            String msg = "index cache up to date (" + cache.dir() + "): " + docs.size() + " files, "
                    + cached.chunks().size() + " chunks";
            return new Retriever(
                    docsDir,
                    options,
                    index,
                    new IndexStatus(true, docs.size(), cached.chunks().size(), 0, List.of(), msg));
        }

        List<String> changes = changes(cached == null ? null : cached.manifest(), current);
        Map<String, List<Integer>> reusable = reusableChunks(cached, current);
        List<Chunk> chunks = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        List<Integer> toEmbed = new ArrayList<>();
        for (Document d : docs) {
            List<Integer> old = reusable.get(d.source() + "\0" + d.sha256());
            if (old != null) {
                for (int i : old) {
                    chunks.add(cached.chunks().get(i));
                    vectors.add(cached.vectors().get(i));
                }
            } else {
                for (Chunk c : options.chunker().chunk(d)) {
                    toEmbed.add(chunks.size());
                    chunks.add(c);
                    vectors.add(null);
                }
            }
        }
        List<float[]> fresh = options.embedder()
                .embedAll(toEmbed.stream().map(i -> chunks.get(i).indexText()).toList());
        for (int j = 0; j < toEmbed.size(); j++) vectors.set(toEmbed.get(j), fresh.get(j));
        index.addAll(chunks, vectors);

        String why = cached == null ? "no usable cache" : String.join("; ", changes);
        String msg = "rebuilt index (" + why + "): " + docs.size() + " files, " + chunks.size() + " chunks, embedded "
                + toEmbed.size();
        if (options.useCache()) {
            try {
                cache.write(new IndexCache.Contents(current, chunks, vectors));
            } catch (IOException e) {
                // A read-only docs folder still gets a working, if uncached, retriever.
                msg += "; cache not written: " + e.getMessage();
            }
        }
        return new Retriever(
                docsDir,
                options,
                index,
                new IndexStatus(false, docs.size(), chunks.size(), toEmbed.size(), changes, msg));
    }

    /** Chunk positions in the cache for each unchanged file ("source\0sha256"), if the chunker and model are the same. */
    private static Map<String, List<Integer>> reusableChunks(IndexCache.Contents cached, IndexCache.Manifest current) {
        Map<String, List<Integer>> out = new HashMap<>();
        if (cached == null || !cached.manifest().sameSettings(current)) return out;
        Map<String, String> hashBySource = new HashMap<>();
        for (IndexCache.FileEntry f : cached.manifest().files()) hashBySource.put(f.source(), f.sha256());
        for (int i = 0; i < cached.chunks().size(); i++) {
            String src = cached.chunks().get(i).source();
            String hash = hashBySource.get(src);
            if (hash != null)
                out.computeIfAbsent(src + "\0" + hash, k -> new ArrayList<>()).add(i);
        }
        return out;
    }

    private static List<String> changes(IndexCache.Manifest old, IndexCache.Manifest now) {
        List<String> out = new ArrayList<>();
        if (old == null) return out;
        if (!old.sameSettings(now)) out.add("settings changed (model or chunk size)");
        Map<String, IndexCache.FileEntry> before = new HashMap<>();
        for (IndexCache.FileEntry f : old.files()) before.put(f.source(), f);
        for (IndexCache.FileEntry f : now.files()) {
            IndexCache.FileEntry b = before.remove(f.source());
            if (b == null) {
                out.add("added: " + f.source());
                continue;
            }
            List<String> what = new ArrayList<>();
            if (b.size() != f.size()) what.add("size");
            if (b.mtime() != f.mtime()) what.add("mtime");
            if (!b.sha256().equals(f.sha256())) what.add("content");
            if (!what.isEmpty()) out.add("changed: " + f.source() + " (" + String.join(", ", what) + ")");
        }
        for (String gone : before.keySet().stream().sorted().toList()) out.add("removed: " + gone);
        return out;
    }

    /** Search with the options given at open. */
    public SearchResult search(String query) {
        return index.search(query, options.search());
    }

    public SearchResult search(String query, SearchOptions opt) {
        return index.search(query, opt);
    }

    public SearchResult search(String query, Mode mode, int topK) {
        return index.search(query, options.search().withMode(mode).withTopK(topK));
    }

    /**
     * Adds an upload to the in-memory indexes (not to the docs folder or the cache: uploads last for this
     * Retriever). A document with the same name is replaced. Returns its chunks; citations show {@code name}.
     */
    public List<Chunk> addDocument(String name, String text) {
        return add(Document.of(name, text));
    }

    /** Adds a file: one inside the docs folder keeps its relative path as source, any other its file name. */
    public List<Chunk> addDocument(Path file) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        if (abs.startsWith(docsDir.toAbsolutePath().normalize())) return add(Document.load(docsDir, abs));
        return add(Document.of(abs.getFileName().toString(), Files.readString(abs, StandardCharsets.UTF_8)));
    }

    private List<Chunk> add(Document d) {
        List<Chunk> chunks = options.chunker().chunk(d);
        List<float[]> vectors = options.embedder()
                .embedAll(chunks.stream().map(Chunk::indexText).toList());
        index.replaceSource(d.source(), chunks, vectors);
        return chunks;
    }

    public IndexStatus status() {
        return status;
    }

    public List<Chunk> chunks() {
        return index.chunks();
    }

    public Options options() {
        return options;
    }

    public Path docsDir() {
        return docsDir;
    }
}
