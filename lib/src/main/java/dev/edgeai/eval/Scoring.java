package dev.edgeai.eval;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Deterministic answer scores: no model involved, so the same answer always gets the same numbers and a test can
 * compute them by hand. All scores are in [0, 1]; NaN means "does not apply" (keyword recall of a trap, grounding
 * without retrieved chunks) and is left out of averages.
 */
public final class Scoring {
    /** Answers longer than this many times the reference (in words) start losing brevity. */
    public static final int BREVITY_FACTOR = 3;
    /** Short references ("11434") still allow a one-sentence answer without penalty. */
    public static final int BREVITY_MIN_WORDS = 12;
    /** A sentence counts as supported when this share of its content words occurs in one retrieved chunk. */
    public static final double SUPPORT_THRESHOLD = 0.6;

    private static final Pattern REFUSAL = Pattern.compile("\\b(i\\s+(do\\s+not|don't|dont|cannot|can't)\\s+know"
            + "|(not|isn't|is\\s+not)\\s+(mentioned|stated|covered|found|given|provided|specified)\\s+in\\s+the\\s+(provided\\s+)?(documents?|context|passages?)"
            + "|(documents?|context|passages?)\\s+(do|does)\\s+not\\s+(contain|mention|say|state|provide|include|specify)"
            + "|no\\s+(relevant\\s+)?(information|context)\\s+(about|on|in|was|is)"
            + "|(cannot|can't|unable\\s+to)\\s+(answer|find|determine)"
            + "|not\\s+enough\\s+information)");
    private static final Pattern CITATION = Pattern.compile("\\[\\d+]");
    private static final Set<String> STOPWORDS = Set.of(
            "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "has", "have", "how",
            "i", "in", "is", "it", "its", "of", "on", "or", "so", "than", "that", "the", "their", "them", "then",
            "there", "these", "they", "this", "to", "was", "were", "what", "when", "which", "while", "with", "you",
            "your", "about", "also", "into", "only", "not", "but", "all");

    private Scoring() {}

    /** The score names, in table order. */
    public static final List<String> NAMES =
            List.of("score", "keyword_recall", "exact", "contains", "brevity", "refusal", "grounding");

    /**
     * Every heuristic for one answer. "score" is the headline: for an answerable question 0 when the answer refuses,
     * else the larger of keyword recall and "contains the reference"; for a trap 1 when it refuses, else 0.
     *
     * @param chunks the texts retrieved for the question (for grounding); empty when none
     */
    public static Map<String, Double> score(QaItem item, String answer, List<String> chunks) {
        String a = answer == null ? "" : answer;
        Map<String, Double> s = new LinkedHashMap<>();
        boolean refused = isRefusal(a);
        double recall = keywordRecall(a, item.keywords());
        double exact = exactMatch(a, item.reference()) ? 1 : 0;
        double contains = containsReference(a, item.reference()) ? 1 : 0;
        double headline;
        if (!item.answerable()) headline = refused ? 1 : 0;
        else if (refused || a.isBlank()) headline = 0;
        else headline = Math.max(contains, Double.isNaN(recall) ? 0 : recall);
        s.put("score", headline);
        s.put("keyword_recall", item.answerable() ? recall : Double.NaN);
        s.put("exact", item.answerable() ? exact : Double.NaN);
        s.put("contains", item.answerable() ? contains : Double.NaN);
        s.put("brevity", brevity(a, item.reference()));
        s.put("refusal", refused ? 1.0 : 0.0);
        s.put("grounding", grounding(a, chunks));
        return s;
    }

    /**
     * Lowercase, Unicode-compatibility folded (fullwidth, ligatures), typographic dashes and quotes made ASCII,
     * citation markers [n] and thousands separators (1,000) dropped, punctuation other than . - _ : / inside
     * words turned into spaces, whitespace collapsed.
     */
    public static String normalise(String text) {
        if (text == null) return "";
        String t = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        t = t.replace('−', '-')
                .replace('–', '-')
                .replace('—', '-')
                .replace('’', '\'')
                .replace('‘', '\'')
                .replace('“', '"')
                .replace('”', '"')
                .replace('×', 'x');
        t = CITATION.matcher(t).replaceAll(" ");
        t = t.replaceAll("(?<=\\d),(?=\\d{3})", "");
        t = t.replaceAll("[^\\p{L}\\p{N}._\\-:/'+=%]+", " ");
        t = t.replaceAll("(?<![\\p{L}\\p{N}])[._\\-:/'=]+|[._\\-:/'=]+(?![\\p{L}\\p{N}])", " ");
        return t.replaceAll("\\s+", " ").strip();
    }

    /** Share of keywords found in the answer, each matched as a whole phrase after normalising; NaN for none. */
    public static double keywordRecall(String answer, List<String> keywords) {
        if (keywords.isEmpty()) return Double.NaN;
        String a = " " + normalise(answer) + " ";
        int found = 0;
        for (String k : keywords) {
            String nk = normalise(k);
            if (!nk.isEmpty() && a.contains(" " + nk + " ")) found++;
        }
        return (double) found / keywords.size();
    }

    /** The answer is the reference, up to case, punctuation, citations and whitespace. */
    public static boolean exactMatch(String answer, String reference) {
        String r = normalise(reference);
        return !r.isEmpty() && r.equals(normalise(answer));
    }

    /** The normalised reference occurs in the normalised answer as a whole phrase. */
    public static boolean containsReference(String answer, String reference) {
        String r = normalise(reference);
        return !r.isEmpty() && (" " + normalise(answer) + " ").contains(" " + r + " ");
    }

    /**
     * 1 while the answer has at most max({@value #BREVITY_FACTOR} × reference words, {@value #BREVITY_MIN_WORDS})
     * words, then budget / words (so twice the budget scores 0.5); 0 for an empty answer.
     */
    public static double brevity(String answer, String reference) {
        int words = words(answer);
        if (words == 0) return 0;
        int budget = Math.max(BREVITY_FACTOR * words(reference), BREVITY_MIN_WORDS);
        return Math.min(1.0, (double) budget / words);
    }

    /** "I don't know", "the context does not mention ...", "cannot answer": the answer declines. */
    public static boolean isRefusal(String answer) {
        if (answer == null || answer.isBlank()) return false;
        String a = answer.toLowerCase(Locale.ROOT).replace('’', '\'');
        // Only the opening decides: a long answer that quotes "I don't know" deep inside is not a refusal.
        return REFUSAL.matcher(a.length() > 400 ? a.substring(0, 400) : a).find();
    }

    /**
     * Share of the answer's sentences supported by the retrieved chunks: a sentence is supported when at least
     * {@value #SUPPORT_THRESHOLD} of its content words (not stopwords, 2+ characters, or any number) occur in one
     * chunk. Sentences without content words are skipped; NaN when there are no chunks or no sentence to check.
     */
    public static double grounding(String answer, List<String> chunks) {
        if (chunks == null || chunks.isEmpty() || answer == null || answer.isBlank()) return Double.NaN;
        List<Set<String>> chunkWords = new ArrayList<>();
        for (String c : chunks) chunkWords.add(new HashSet<>(contentWords(c)));
        int checked = 0, supported = 0;
        for (String sentence : sentences(answer)) {
            List<String> w = contentWords(sentence);
            if (w.isEmpty()) continue;
            checked++;
            for (Set<String> cw : chunkWords) {
                long hit = w.stream().filter(cw::contains).count();
                if (hit >= SUPPORT_THRESHOLD * w.size()) {
                    supported++;
                    break;
                }
            }
        }
        return checked == 0 ? Double.NaN : (double) supported / checked;
    }

    static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        for (String s : text.split("(?<=[.!?])\\s+|\\R+")) if (!s.isBlank()) out.add(s.strip());
        return out;
    }

    static List<String> contentWords(String text) {
        List<String> out = new ArrayList<>();
        for (String w : normalise(text).split("[\\s/:=]+")) {
            w = w.replaceAll("^[._\\-']+|[._\\-']+$", "");
            if (w.isEmpty() || STOPWORDS.contains(w)) continue;
            if (w.length() >= 2 || Character.isDigit(w.charAt(0)))
                out.add(w.endsWith("s") && w.length() > 3 ? w.substring(0, w.length() - 1) : w);
        }
        return out;
    }

    static int words(String text) {
        String n = normalise(text);
        return n.isEmpty() ? 0 : n.split(" ").length;
    }
}
