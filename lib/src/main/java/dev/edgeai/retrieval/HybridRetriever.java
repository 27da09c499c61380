package dev.edgeai.retrieval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Chunks with their BM25 and dense indexes, searched in one of three {@link Mode}s. Safe for concurrent searches
 * while a document is being added (the web app's upload).
 */
public final class HybridRetriever {
    private final Embedder embedder;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private List<Chunk> chunks = new ArrayList<>();
    private Bm25Index bm25 = new Bm25Index();
    private DenseIndex dense;

    public HybridRetriever(Embedder embedder) {
        this.embedder = embedder;
        this.dense = new DenseIndex(embedder.dimension());
    }

    /** Adds chunks with vectors already computed (from the cache, or from {@link Embedder#embedAll}). */
    public void addAll(List<Chunk> newChunks, List<float[]> vectors) {
        if (newChunks.size() != vectors.size()) throw new IllegalArgumentException("one vector per chunk");
        lock.writeLock().lock();
        try {
            for (int i = 0; i < newChunks.size(); i++) {
                chunks.add(newChunks.get(i));
                bm25.add(newChunks.get(i).indexText());
                dense.add(vectors.get(i));
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Replaces every chunk of {@code source} in one step, so a concurrent search sees the old or the new version. */
    public void replaceSource(String source, List<Chunk> newChunks, List<float[]> vectors) {
        lock.writeLock().lock();
        try {
            removeSource(source);
            addAll(newChunks, vectors);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Drops every chunk of a source; indexes are rebuilt, which at 10k chunks takes well under a second. */
    public void removeSource(String source) {
        lock.writeLock().lock();
        try {
            List<Chunk> keep = new ArrayList<>();
            List<float[]> vectors = new ArrayList<>();
            for (int i = 0; i < chunks.size(); i++) {
                if (chunks.get(i).source().equals(source)) continue;
                keep.add(chunks.get(i));
                vectors.add(dense.vector(i));
            }
            if (keep.size() == chunks.size()) return;
            chunks = new ArrayList<>();
            bm25 = new Bm25Index();
            dense = new DenseIndex(embedder.dimension());
            addAll(keep, vectors);
        } finally {
            lock.writeLock().unlock();
        }
    }

    public List<Chunk> chunks() {
        lock.readLock().lock();
        try {
            return List.copyOf(chunks);
        } finally {
            lock.readLock().unlock();
        }
    }

    public int size() {
        lock.readLock().lock();
        try {
            return chunks.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    public Embedder embedder() {
        return embedder;
    }

    public SearchResult search(String query, SearchOptions opt) {
        long t0 = System.nanoTime();
        // Embed outside the lock: it is the slow part and touches no shared state.
        float[] q = opt.mode() == Mode.BM25 || query.isBlank() ? null : embedder.embed(query);
        lock.readLock().lock();
        try {
            List<Hit> hits = query.isBlank() ? List.of() : rank(query, q, opt);
            return new SearchResult(query, opt.mode(), hits, hits.isEmpty(), (System.nanoTime() - t0) / 1e6);
        } finally {
            lock.readLock().unlock();
        }
    }

    private List<Hit> rank(String query, float[] q, SearchOptions opt) {
        // Fusion needs more than topK from each list, or a chunk ranked 5th by both would be missed.
        int depth = Math.max(opt.topK() * 5, 50);
        double[] bm25Scores = bm25.scoreAll(query);
        List<Match> bm25List = Bm25Index.top(bm25Scores, depth);
        List<Match> denseList = q == null ? List.of() : dense.search(q, depth);
        List<Match> ranked = switch (opt.mode()) {
            case BM25 -> bm25List;
            case DENSE -> denseList;
            case HYBRID -> fuse(List.of(bm25List, denseList), SearchOptions.RRF_K);
        };
        Map<Integer, Integer> bm25Ranks = ranks(bm25List);
        Map<Integer, Integer> denseRanks = ranks(denseList);
        List<Hit> hits = new ArrayList<>();
        for (Match m : ranked) {
            double cos = q == null ? Double.NaN : dense.score(q, m.doc());
            boolean relevant = switch (opt.mode()) {
                case BM25 -> bm25Scores[m.doc()] > opt.minBm25();
                case DENSE -> cos >= opt.minSimilarity();
                case HYBRID -> cos >= opt.minSimilarity() || bm25.coverage(query, m.doc()) >= opt.minCoverage();
            };
            if (!relevant) continue;
            hits.add(new Hit(
                    hits.size() + 1,
                    chunks.get(m.doc()),
                    m.score(),
                    bm25Scores[m.doc()],
                    bm25Ranks.getOrDefault(m.doc(), 0),
                    cos,
                    denseRanks.getOrDefault(m.doc(), 0)));
            if (hits.size() == opt.topK()) break;
        }
        return hits;
    }

    /**
     * Reciprocal-rank fusion: each list adds 1/(k + rank) for every doc it holds (rank from 1). Only ranks matter,
     * so BM25's unbounded scores and cosine's [-1, 1] need no calibration against each other.
     */
    public static List<Match> fuse(List<List<Match>> rankings, int k) {
        Map<Integer, Double> sum = new HashMap<>();
        for (List<Match> list : rankings)
            for (int r = 0; r < list.size(); r++) sum.merge(list.get(r).doc(), 1.0 / (k + r + 1), Double::sum);
        List<Match> out = new ArrayList<>();
        sum.forEach((doc, s) -> out.add(new Match(doc, s)));
        out.sort(Comparator.comparingDouble(Match::score).reversed().thenComparingInt(Match::doc));
        return out;
    }

    private static Map<Integer, Integer> ranks(List<Match> list) {
        Map<Integer, Integer> m = new HashMap<>();
        for (int i = 0; i < list.size(); i++) m.put(list.get(i).doc(), i + 1);
        return m;
    }
}
