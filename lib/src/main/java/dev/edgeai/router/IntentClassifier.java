package dev.edgeai.router;

import dev.edgeai.retrieval.Embedder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides a prompt's {@link Intent} in two stages, cheapest first: keyword and length rules (microseconds, and
 * obvious to explain), then MiniLM similarity to labelled examples (a few ms: one embedding and a dot product per
 * example), voting among the {@value #K} nearest weighted by cosine. When even the nearest example is far, it
 * falls back to {@link #DEFAULT_INTENT}, which routes to the capable model: a wrong "small" costs quality, a wrong
 * "large" only time and money.
 */
public final class IntentClassifier {
    public enum Strategy {
        RULES_THEN_SIMILARITY,
        RULES_ONLY,
        SIMILARITY_ONLY
    }

    public enum Method {
        RULE,
        LENGTH,
        SIMILARITY,
        DEFAULT
    }

    public record Rule(String name, Intent intent, Pattern pattern) {}

    public record Neighbour(LabelledPrompt example, double similarity) {}

    /**
     * @param reason  one line: the rule and the words it matched, or the nearest examples with their similarity
     * @param nearest the examples the vote looked at (empty when a rule decided)
     */
    public record Classification(Intent intent, Method method, String reason, List<Neighbour> nearest, double tookMs) {}

    public static final int K = 3;
    /** Below this cosine the nearest example says little (unrelated sentences score ~0.0–0.2 with MiniLM). */
    public static final double MIN_SIMILARITY = 0.25;

    public static final int SHORT_WORDS = 6;
    public static final int LONG_WORDS = 150;
    public static final Intent DEFAULT_INTENT = Intent.REASONING;

    /** Tried in order; the first match decides (so "a Python function that summarizes" is code). */
    public static final List<Rule> RULES = List.of(
            rule(
                    "code keyword",
                    Intent.CODE,
                    "python|java|javascript|typescript|golang|sql|regex|function|compile[sd]?|stack ?trace"
                            + "|bug|refactor|unit tests?|code|snippet|nullpointerexception|```"),
            rule(
                    "summary request",
                    Intent.SUMMARIZE,
                    "summari[sz]e|summary|tl;?dr|key points|condense|shorten|gist|recap"),
            rule(
                    "extraction request",
                    Intent.EXTRACT,
                    "extract|classify|categori[sz]e|label|sentiment|list all|pull out|as json|"
                            + "named entities|spam"),
            rule(
                    "reasoning cue",
                    Intent.REASONING,
                    "why|prove|step by step|show your steps|calculate|how long|how many|trade-?offs?|"
                            + "compare|plan|design|estimate|pros and cons|should (we|i|our)"));

    private static Rule rule(String name, Intent intent, String words) {
        return new Rule(name, intent, Pattern.compile("(?i)(?<![\\w-])(" + words + ")(?![\\w-])"));
    }

    private final List<LabelledPrompt> examples;
    private final List<float[]> vectors;
    private final Embedder embedder;

    /** Embeds every example once (MiniLM: ~3 ms each on a laptop core). */
    public IntentClassifier(List<LabelledPrompt> examples, Embedder embedder) {
        this.examples = List.copyOf(examples);
        this.embedder = embedder;
        this.vectors =
                embedder.embedAll(examples.stream().map(LabelledPrompt::prompt).toList());
    }

    public List<LabelledPrompt> examples() {
        return examples;
    }

    public Classification classify(String prompt) {
        return classify(prompt, Strategy.RULES_THEN_SIMILARITY);
    }

    public Classification classify(String prompt, Strategy strategy) {
        return classify(prompt, null, -1, strategy);
    }

    /**
     * Classifies example {@code i} as if it were new: its own label is left out of the vote (leave-one-out), so the
     * accuracy on the labelled set is not inflated by the example finding itself.
     */
    public Classification classifyHeldOut(int i, Strategy strategy) {
        return classify(examples.get(i).prompt(), vectors.get(i), i, strategy);
    }

    private Classification classify(String prompt, float[] vector, int exclude, Strategy strategy) {
        long t0 = System.nanoTime();
        if (strategy != Strategy.SIMILARITY_ONLY) {
            for (Rule r : RULES) {
                Matcher m = r.pattern().matcher(prompt);
                if (m.find()) {
                    String word = m.group(1);
                    return done(
                            t0, r.intent(), Method.RULE, "rule '" + r.name() + "' matched \"" + word + "\"", List.of());
                }
            }
            int words = prompt.strip().isEmpty() ? 0 : prompt.strip().split("\\s+").length;
            if (words > LONG_WORDS)
                return done(
                        t0,
                        Intent.SUMMARIZE,
                        Method.LENGTH,
                        "length rule: " + words + " words > " + LONG_WORDS
                                + " (long pasted text is usually to be condensed)",
                        List.of());
            if (words <= SHORT_WORDS)
                return done(
                        t0,
                        Intent.CHAT,
                        Method.LENGTH,
                        "length rule: " + words + " words <= " + SHORT_WORDS
                                + " and no keyword (a quick question or small talk)",
                        List.of());
            if (strategy == Strategy.RULES_ONLY) {
                return done(
                        t0,
                        DEFAULT_INTENT,
                        Method.DEFAULT,
                        "no rule matched: default " + DEFAULT_INTENT + " (the capable model)",
                        List.of());
            }
        }
        float[] q = vector != null ? vector : embedder.embed(prompt);
        List<Neighbour> all = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++)
            if (i != exclude) all.add(new Neighbour(examples.get(i), dot(q, vectors.get(i))));
        all.sort(Comparator.comparingDouble(Neighbour::similarity).reversed());
        List<Neighbour> nearest = List.copyOf(all.subList(0, Math.min(K, all.size())));
        if (nearest.isEmpty() || nearest.get(0).similarity() < MIN_SIMILARITY) {
            return done(
                    t0,
                    DEFAULT_INTENT,
                    Method.DEFAULT,
                    String.format(
                            "nearest example too far (cosine %.2f < %.2f): default %s",
                            nearest.isEmpty() ? Double.NaN : nearest.get(0).similarity(),
                            MIN_SIMILARITY,
                            DEFAULT_INTENT),
                    nearest);
        }
        Map<Intent, Double> votes = new EnumMap<>(Intent.class);
        for (Neighbour n : nearest) votes.merge(n.example().intent(), n.similarity(), Double::sum);
        Intent best = votes.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .orElseThrow()
                .getKey();
        StringBuilder why = new StringBuilder("nearest examples:");
        for (Neighbour n : nearest)
            why.append(String.format(
                    " %.2f %s \"%s\";",
                    n.similarity(), n.example().intent(), clip(n.example().prompt(), 48)));
        return done(t0, best, Method.SIMILARITY, why.substring(0, why.length() - 1), nearest);
    }

    private static Classification done(long t0, Intent i, Method m, String reason, List<Neighbour> nearest) {
        return new Classification(i, m, reason, nearest, (System.nanoTime() - t0) / 1e6);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static String clip(String s, int max) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() > max ? one.substring(0, max - 1) + "…" : one;
    }
}
