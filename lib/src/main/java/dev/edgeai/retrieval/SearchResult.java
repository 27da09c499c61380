package dev.edgeai.retrieval;

import java.util.List;

/**
 * The answer to one query. When nothing passes the relevance threshold, {@code hits} is empty and
 * {@code noRelevantContext} is true: the caller should then say it does not know (or fall back to the bare LLM),
 * not send an empty context.
 *
 * @param tookMs wall time of the search, query embedding included
 */
public record SearchResult(String query, Mode mode, List<Hit> hits, boolean noRelevantContext, double tookMs) {

    public SearchResult {
        hits = List.copyOf(hits);
    }

    /** Numbered citations [1], [2] ... in hit order, the numbering {@link ContextBuilder} puts in the prompt. */
    public List<Citation> citations() {
        return Citation.of(hits);
    }
}
