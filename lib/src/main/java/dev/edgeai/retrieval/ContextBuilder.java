package dev.edgeai.retrieval;

import java.util.List;

/**
 * Turns retrieved chunks into the numbered context block of a grounded prompt. The numbering is the same as
 * {@link SearchResult#citations()}, so "[2]" in an answer maps back to the second hit.
 */
public final class ContextBuilder {

    /** The workshop's grounded system prompt: context only, cite as [n], admit when the answer is not there. */
    public static final String SYSTEM_PROMPT = """
            You answer questions using ONLY the numbered context passages provided with the question.
            Rules:
            - Use only facts stated in the context. Do not use outside knowledge.
            - Cite every sentence that uses the context with the passage number in square brackets, e.g. [1] or [2][3].
            - If the context does not contain the answer, reply exactly: "I don't know based on the provided documents."
            - Be brief.""";

    /** Sent instead of a context block when retrieval found nothing relevant, so the model says it does not know. */
    public static final String NO_CONTEXT = "(no relevant context was found in the documents)";

    private ContextBuilder() {}

    /**
     * <pre>
     * [1] latency.md › Measuring latency > TTFT
     * Time to first token (TTFT) is ...
     *
     * [2] ...
     * </pre>
     * Chunks are cut at {@code maxCharsPerChunk} (with "…") to bound the prompt; 0 means no cut.
     */
    public static String context(List<Hit> hits, int maxCharsPerChunk) {
        if (hits.isEmpty()) return NO_CONTEXT;
        List<Citation> cites = Citation.of(hits);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < hits.size(); i++) {
            String text = hits.get(i).chunk().text();
            if (maxCharsPerChunk > 0 && text.length() > maxCharsPerChunk)
                text = text.substring(0, maxCharsPerChunk) + "…";
            if (i > 0) sb.append("\n\n");
            sb.append(cites.get(i).marker())
                    .append(' ')
                    .append(cites.get(i).label())
                    .append('\n')
                    .append(text);
        }
        return sb.toString();
    }

    public static String context(SearchResult result) {
        return context(result.hits(), 0);
    }

    /** The user turn: the context block, then the question. Pair it with {@link #SYSTEM_PROMPT}. */
    public static String userMessage(String question, SearchResult result) {
        return "Context:\n" + context(result) + "\n\nQuestion: " + question;
    }
}
