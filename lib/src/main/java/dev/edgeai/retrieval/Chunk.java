package dev.edgeai.retrieval;

/**
 * A contiguous slice of one document: {@code documentText.substring(start, end).equals(text)}.
 *
 * @param id          "{source}#{n}", stable while the file and the chunker settings are unchanged
 * @param headingPath the markdown headings above the chunk, outermost first, e.g. "Quantization > int4" ("" if none)
 */
public record Chunk(String id, String source, String headingPath, int start, int end, String text) {

    /**
     * What the indexes see: the heading path in front of the text, so a chunk deep in a section still matches a
     * query that names the section ("int4" finds the second paragraph under "## int4").
     */
    public String indexText() {
        return headingPath.isEmpty() ? text : headingPath + "\n" + text;
    }
}
