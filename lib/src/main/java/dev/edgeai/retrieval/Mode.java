package dev.edgeai.retrieval;

/** How the retriever ranks chunks. */
public enum Mode {
    /** Keyword match (Okapi BM25): exact terms, model names, numbers. */
    BM25,
    /** MiniLM cosine similarity: paraphrases and related wording. */
    DENSE,
    /** Reciprocal-rank fusion of both lists: robust when either one alone misses. */
    HYBRID
}
