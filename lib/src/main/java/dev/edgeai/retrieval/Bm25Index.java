package dev.edgeai.retrieval;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Okapi BM25 over an append-only list of texts, with in-memory postings.
 * <pre>
 *   score(D, Q) = Σ_{t ∈ set(Q)} idf(t) · tf(t,D)·(k1+1) / (tf(t,D) + k1·(1 − b + b·|D|/avgdl))
 *   idf(t)      = ln(1 + (N − n(t) + 0.5) / (n(t) + 0.5))
 * </pre>
 * The idf is Lucene's variant: always positive, so a term found in most documents still counts a little instead of
 * pushing the score below zero (Robertson's original goes negative when n(t) &gt; N/2, which in a 3-document corpus is
 * any term found twice). Repeated query terms count once: "ttft ttft" asks the same as "ttft".
 * Document length |D| counts tokens after stopword removal. Not thread-safe for concurrent add and search.
 */
public final class Bm25Index {
    public static final double DEFAULT_K1 = 1.2;
    public static final double DEFAULT_B = 0.75;

    private final double k1, b;
    private final Bm25Tokenizer tokenizer;
    private final Map<String, Postings> postings = new HashMap<>();
    private int[] lengths = new int[16];
    private int size;
    private long totalLength;

    public Bm25Index() {
        this(DEFAULT_K1, DEFAULT_B, Bm25Tokenizer.standard());
    }

    public Bm25Index(double k1, double b, Bm25Tokenizer tokenizer) {
        this.k1 = k1;
        this.b = b;
        this.tokenizer = tokenizer;
    }

    /** Adds a document and returns its id (0, 1, 2, ... in insertion order). */
    public int add(String text) {
        int doc = size++;
        if (doc == lengths.length) lengths = Arrays.copyOf(lengths, doc * 2);
        List<String> tokens = tokenizer.tokens(text);
        lengths[doc] = tokens.size();
        totalLength += tokens.size();
        Map<String, Integer> tf = new HashMap<>();
        for (String t : tokens) tf.merge(t, 1, Integer::sum);
        tf.forEach((term, count) ->
                postings.computeIfAbsent(term, x -> new Postings()).add(doc, count));
        return doc;
    }

    public int size() {
        return size;
    }

    public double idf(String term) {
        Postings p = postings.get(term);
        int n = p == null ? 0 : p.count;
        return Math.log(1 + (size - n + 0.5) / (n + 0.5));
    }

    /** Best k documents sharing at least one query term, best first; empty for an empty or all-unknown query. */
    public List<Match> search(String query, int k) {
        return top(scoreAll(query), k);
    }

    /**
     * The share of the query's idf mass that a document contains: Σ idf(t) over distinct query terms in the
     * document ÷ Σ idf(t) over all distinct query terms (unknown terms count at their maximal idf). 1.0 means every
     * query term occurs; "11434" alone gives 1.0 for the chunk holding it, "who won the football world cup"
     * gives 0.2 for a chunk that merely says "world". 0 for an empty query.
     */
    public double coverage(String query, int doc) {
        double total = 0, found = 0;
        for (String term : new LinkedHashSet<>(tokenizer.tokens(query))) {
            double idf = idf(term);
            total += idf;
            Postings p = postings.get(term);
            if (p != null && Arrays.binarySearch(p.docs, 0, p.count, doc) >= 0) found += idf;
        }
        return total == 0 ? 0 : found / total;
    }

    /** Every document's score for the query (0 where it shares no term), indexed by document id. */
    public double[] scoreAll(String query) {
        double[] scores = new double[size];
        if (size > 0) accumulate(query, scores);
        return scores;
    }

    /** The best k of a {@link #scoreAll} array; a score of 0 means no shared term and is never a match. */
    public static List<Match> top(double[] scores, int k) {
        return TopK.of(scores, scores.length, k, d -> scores[d] > 0);
    }

    private void accumulate(String query, double[] scores) {
        double avgdl = (double) totalLength / size;
        for (String term : new LinkedHashSet<>(tokenizer.tokens(query))) {
            Postings p = postings.get(term);
            if (p == null) continue;
            double idf = idf(term);
            for (int i = 0; i < p.count; i++) {
                int d = p.docs[i];
                double tf = p.freqs[i];
                double norm = k1 * (1 - b + b * lengths[d] / avgdl);
                scores[d] += idf * tf * (k1 + 1) / (tf + norm);
            }
        }
    }

    /** Growable parallel arrays: far fewer objects than a List<Integer> per term at 10k chunks. */
    private static final class Postings {
        int[] docs = new int[4];
        int[] freqs = new int[4];
        int count;

        void add(int doc, int freq) {
            if (count == docs.length) {
                docs = Arrays.copyOf(docs, count * 2);
                freqs = Arrays.copyOf(freqs, count * 2);
            }
            docs[count] = doc;
            freqs[count++] = freq;
        }
    }
}
