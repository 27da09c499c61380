package dev.edgeai.retrieval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The BM25 tokenizer: lowercase, split on anything that is not a letter or digit, drop a tiny English stopword
 * list, and fold plurals with an "S-stemmer" (Harman 1991) so "tokens" matches "token" without a full stemmer's
 * surprises. Kept deliberately simple so that scores can be checked by hand in tests.
 */
public final class Bm25Tokenizer {

    /** Function words that appear in nearly every chunk; they only add noise to a small corpus. */
    public static final Set<String> STOPWORDS = Set.of(
            "a", "an", "and", "are", "as", "at", "be", "by", "do", "does", "for", "from", "how", "i", "in", "is", "it",
            "its", "of", "on", "or", "that", "the", "this", "to", "was", "what", "when", "which", "with");

    private final boolean stopwords;
    private final boolean stem;

    public Bm25Tokenizer(boolean stopwords, boolean stem) {
        this.stopwords = stopwords;
        this.stem = stem;
    }

    /** Stopwords removed and plurals folded. */
    public static Bm25Tokenizer standard() {
        return new Bm25Tokenizer(true, true);
    }

    public List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        String lower = text.toLowerCase(Locale.ROOT);
        int i = 0, n = lower.length();
        while (i < n) {
            while (i < n && !isWordChar(lower.codePointAt(i))) i += Character.charCount(lower.codePointAt(i));
            int start = i;
            while (i < n && isWordChar(lower.codePointAt(i))) i += Character.charCount(lower.codePointAt(i));
            if (i > start) {
                String t = lower.substring(start, i);
                if (stopwords && STOPWORDS.contains(t)) continue;
                out.add(stem ? sStem(t) : t);
            }
        }
        return out;
    }

    private static boolean isWordChar(int cp) {
        return Character.isLetterOrDigit(cp);
    }

    /** Harman's S-stemmer: only plural endings, and only on words long enough that the cut is safe. */
    static String sStem(String w) {
        if (w.length() <= 3 || !Character.isLetter(w.charAt(w.length() - 1))) return w;
        if (w.endsWith("ies") && !w.endsWith("eies") && !w.endsWith("aies"))
            return w.substring(0, w.length() - 3) + "y";
        if (w.endsWith("es") && !w.endsWith("aes") && !w.endsWith("ees") && !w.endsWith("oes"))
            return w.substring(0, w.length() - 1);
        if (w.endsWith("s") && !w.endsWith("us") && !w.endsWith("ss")) return w.substring(0, w.length() - 1);
        return w;
    }
}
