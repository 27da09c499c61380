package dev.edgeai.eval;

import dev.edgeai.rag.RagFlow;
import java.util.List;
import java.util.Locale;

/**
 * When a pipeline hands a question to the large model. Each condition can be switched off; the first that fires is
 * the reason recorded.
 *
 * @param onRefusal       the small model declined ("I don't know ...")
 * @param minChars        its answer is shorter than this (0: off) — empty or cut-off answers
 * @param maxWords        its answer is longer than this many words (0: off) — rambling drafts need refining
 * @param flaggedTopics   the question mentions one of these (case-insensitive), e.g. "license", "price"
 * @param minGrounding    with retrieved context, less than this share of its sentences is supported (NaN: off)
 * @param minJudgeScore   with a judge, its factuality grade of the small model's answer is below this (NaN: off)
 */
public record EscalationRule(
        boolean onRefusal,
        int minChars,
        int maxWords,
        List<String> flaggedTopics,
        double minGrounding,
        double minJudgeScore) {
    public EscalationRule {
        flaggedTopics = flaggedTopics == null
                ? List.of()
                : flaggedTopics.stream()
                        .map(t -> t.strip().toLowerCase(Locale.ROOT))
                        .filter(t -> !t.isEmpty())
                        .toList();
        if (minChars < 0 || maxWords < 0) throw new IllegalArgumentException("escalation thresholds must be >= 0");
        if (!Double.isNaN(minGrounding) && (minGrounding < 0 || minGrounding > 1)) {
            throw new IllegalArgumentException("--escalate-grounding must be in 0..1, was " + minGrounding);
        }
        if (!Double.isNaN(minJudgeScore) && (minJudgeScore < 1 || minJudgeScore > 5)) {
            throw new IllegalArgumentException("--escalate-judge must be in 1..5, was " + minJudgeScore);
        }
    }

    /** Refusal, under 2 characters, over 80 words, grounding under 0.5 (with context); no topics, no judge. */
    public static EscalationRule defaults() {
        return new EscalationRule(true, 2, 80, List.of(), 0.5, Double.NaN);
    }

    public EscalationRule withTopics(List<String> t) {
        return new EscalationRule(onRefusal, minChars, maxWords, t, minGrounding, minJudgeScore);
    }

    public EscalationRule withJudge(double min) {
        return new EscalationRule(onRefusal, minChars, maxWords, flaggedTopics, minGrounding, min);
    }

    /**
     * The reason to escalate, or null to keep the small model's answer.
     *
     * @param grounding   the answer's grounding in the retrieved chunks, NaN when there were none
     * @param judgeScore  the judge's factuality grade, NaN when not judged
     */
    public String decide(String question, String answer, double grounding, double judgeScore) {
        String a = answer == null ? "" : answer.strip();
        if (onRefusal && Scoring.isRefusal(a)) return "refusal";
        if (minChars > 0 && a.length() < minChars) return "shorter than " + minChars + " characters";
        if (maxWords > 0 && Scoring.words(a) > maxWords) return "longer than " + maxWords + " words";
        String q = question.toLowerCase(Locale.ROOT);
        for (String t : flaggedTopics) if (q.contains(t)) return "flagged topic '" + t + "'";
        if (!Double.isNaN(minGrounding) && !Double.isNaN(grounding) && grounding < minGrounding) {
            return String.format(Locale.ROOT, "grounding %.2f < %.2f", grounding, minGrounding);
        }
        if (!Double.isNaN(minJudgeScore) && !Double.isNaN(judgeScore) && judgeScore < minJudgeScore) {
            return String.format(Locale.ROOT, "judge factuality %.0f < %.0f", judgeScore, minJudgeScore);
        }
        return null;
    }

    /**
     * This rule as the RAG flow's escalation check: grounding is measured against the retrieved chunks; no judge.
     */
    public RagFlow.Escalation check() {
        return (question, answer, found) -> decide(
                question,
                answer,
                Scoring.grounding(
                        answer, found.hits().stream().map(h -> h.chunk().text()).toList()),
                Double.NaN);
    }

    /** What escalates, in words, for reports: "refusal; shorter than 2 characters; longer than 80 words; ...". */
    public String describe() {
        List<String> parts = new java.util.ArrayList<>();
        if (onRefusal) parts.add("refusal");
        if (minChars > 0) parts.add("shorter than " + minChars + " characters");
        if (maxWords > 0) parts.add("longer than " + maxWords + " words");
        if (!flaggedTopics.isEmpty()) parts.add("topics " + String.join(", ", flaggedTopics));
        if (!Double.isNaN(minGrounding))
            parts.add(String.format(Locale.ROOT, "grounding below %.2f (with retrieved context)", minGrounding));
        if (!Double.isNaN(minJudgeScore))
            parts.add(String.format(Locale.ROOT, "judge factuality below %.0f", minJudgeScore));
        return parts.isEmpty() ? "never" : String.join("; ", parts);
    }

    /** True when deciding needs a judge verdict on the draft. */
    public boolean needsJudge() {
        return !Double.isNaN(minJudgeScore);
    }
}
