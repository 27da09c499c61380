package dev.edgeai.retrieval;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A numbered reference "[n]" to one retrieved chunk: where it came from and the exact character range, so a UI can
 * open the file and highlight {@code text.substring(start, end)}.
 */
public record Citation(int number, String source, String headingPath, int start, int end, String chunkId) {

    private static final Pattern MARKER = Pattern.compile("\\[(\\d{1,3})(?:\\s*,\\s*(\\d{1,3}))*]");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,3}");

    /** [1] for the first hit, [2] for the second, ... */
    public static List<Citation> of(List<Hit> hits) {
        List<Citation> out = new ArrayList<>();
        for (int i = 0; i < hits.size(); i++) {
            Chunk c = hits.get(i).chunk();
            out.add(new Citation(i + 1, c.source(), c.headingPath(), c.start(), c.end(), c.id()));
        }
        return out;
    }

    /** "[2]" */
    public String marker() {
        return "[" + number + "]";
    }

    /** "latency.md › Measuring latency > TTFT", what a sources list under an answer shows. */
    public String label() {
        return headingPath.isEmpty() ? source : source + " › " + headingPath;
    }

    /**
     * The citation numbers a model's answer uses, in order of first appearance, keeping only numbers that exist
     * (a model citing [7] out of four sources invented it). Accepts "[1]" and "[1, 3]".
     */
    public static List<Citation> citedIn(String answer, List<Citation> citations) {
        Set<Integer> seen = new LinkedHashSet<>();
        Matcher m = MARKER.matcher(answer);
        while (m.find()) {
            Matcher n = NUMBER.matcher(m.group());
            while (n.find()) seen.add(Integer.parseInt(n.group()));
        }
        List<Citation> out = new ArrayList<>();
        for (int n : seen) if (n >= 1 && n <= citations.size()) out.add(citations.get(n - 1));
        return out;
    }
}
