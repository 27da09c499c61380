package dev.edgeai.eval;

import java.util.List;
import java.util.Objects;

/**
 * One question of a QA set.
 *
 * @param kind      "fact", "number", "multistep" or "trap" (not answerable from the documents: the right answer is
 *                  a refusal)
 * @param reference a short correct answer
 * @param keywords  what a correct answer must mention (matched after {@link Scoring#normalise}); empty for traps
 * @param source    the document under data/docs/ that holds the answer; null for traps
 */
public record QaItem(String id, String kind, String question, String reference, List<String> keywords, String source) {
    public static final String TRAP = "trap";

    public QaItem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(question, "question");
        kind = kind == null ? "fact" : kind;
        reference = reference == null ? "" : reference;
        keywords = keywords == null ? List.of() : List.copyOf(keywords);
    }

    /** False for traps: the documents do not hold the answer, so a good system says so. */
    public boolean answerable() {
        return !TRAP.equals(kind);
    }
}
