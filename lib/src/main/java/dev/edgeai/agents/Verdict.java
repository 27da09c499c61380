package dev.edgeai.agents;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The reviewer's decision, read from free text. Only an explicit approval on the first line accepts: an answer
 * the parser cannot read (a confused small model) sends the draft back, and the round limit ends the loop.
 */
public record Verdict(boolean accepted, String feedback) {
    private static final Pattern APPROVED = Pattern.compile("^[\\W_]*(approved|accepted|accept|lgtm)\\b.*");
    private static final Pattern REVISE =
            Pattern.compile("(?is).*?\\b(revise|changes needed|reject(ed)?)\\b\\s*[:\\-]?\\s*(.*)");

    public static Verdict parse(String reviewerText) {
        String text = reviewerText == null ? "" : reviewerText.strip();
        String first = text.lines().findFirst().orElse("").strip().toLowerCase(Locale.ROOT);
        if (APPROVED.matcher(first).matches() && !first.contains("not approved")) return new Verdict(true, "");
        var m = REVISE.matcher(text);
        String feedback = m.matches() && !m.group(3).isBlank() ? m.group(3).strip() : text;
        return new Verdict(false, feedback.isBlank() ? "(the reviewer gave no reason)" : feedback);
    }
}
