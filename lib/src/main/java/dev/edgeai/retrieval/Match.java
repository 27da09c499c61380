package dev.edgeai.retrieval;

/** One scored position from a single index (BM25 or dense), before fusion; {@code doc} indexes the chunk list. */
public record Match(int doc, double score) {}
