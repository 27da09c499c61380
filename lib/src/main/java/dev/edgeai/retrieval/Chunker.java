package dev.edgeai.retrieval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a document into chunks that never cross a markdown heading and stay within {@code targetChars}.
 * Inside a section it packs whole paragraphs; a paragraph too long for one chunk is cut after a sentence, then at a
 * line break, then at a space, then (a single 800-character "word") anywhere. Consecutive chunks of a section
 * overlap by about {@code overlapChars}, rounded to a sentence start, so a fact that straddles the cut is whole in
 * at least one of them. Chunks are plain ranges of the document text, which is what makes citations exact.
 * A heading with no text of its own (a "# Title" directly followed by "## Part") joins the next section's first chunk.
 */
public final class Chunker {
    public static final int DEFAULT_TARGET_CHARS = 800;
    public static final int DEFAULT_OVERLAP_CHARS = 100;
    /** English prose averages about 4 characters per word piece in BERT-style and BPE tokenizers. */
    public static final int CHARS_PER_TOKEN = 4;

    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})[ \\t]+(.*?)[ \\t#]*$");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~)");

    private final int targetChars;
    private final int overlapChars;

    public Chunker(int targetChars, int overlapChars) {
        if (targetChars < 50) throw new IllegalArgumentException("targetChars must be at least 50: " + targetChars);
        if (overlapChars < 0 || overlapChars > targetChars / 2)
            throw new IllegalArgumentException("overlapChars must be between 0 and targetChars/2: " + overlapChars);
        this.targetChars = targetChars;
        this.overlapChars = overlapChars;
    }

    public static Chunker defaults() {
        return new Chunker(DEFAULT_TARGET_CHARS, DEFAULT_OVERLAP_CHARS);
    }

    /** Sizes in approximate tokens ({@value #CHARS_PER_TOKEN} characters each), e.g. 200 and 25. */
    public static Chunker ofTokens(int targetTokens, int overlapTokens) {
        return new Chunker(targetTokens * CHARS_PER_TOKEN, overlapTokens * CHARS_PER_TOKEN);
    }

    public int targetChars() {
        return targetChars;
    }

    public int overlapChars() {
        return overlapChars;
    }

    public List<Chunk> chunk(Document doc) {
        String text = doc.text();
        List<Chunk> out = new ArrayList<>();
        int pendingStart = -1;
        for (Section s : sections(text)) {
            int start = pendingStart >= 0 ? pendingStart : s.start;
            if (s.headingOnly && s.end < text.length()) {
                if (pendingStart < 0) pendingStart = s.start;
                continue;
            }
            pendingStart = -1;
            chunkSection(doc, text, start, s.end, s.path, out);
        }
        return out;
    }

    private record Section(int start, int end, String path, boolean headingOnly) {}

    /** Sections begin at heading lines outside fenced code; the path is the stack of enclosing headings. */
    private static List<Section> sections(String text) {
        List<int[]> heads = new ArrayList<>(); // {lineStart, lineEnd, level}
        List<String> titles = new ArrayList<>();
        boolean fenced = false;
        int pos = 0;
        while (pos < text.length()) {
            int eol = text.indexOf('\n', pos);
            int lineEnd = eol < 0 ? text.length() : eol;
            String line = text.substring(pos, lineEnd).replace("\r", "");
            if (FENCE.matcher(line).find()) fenced = !fenced;
            else if (!fenced) {
                Matcher m = HEADING.matcher(line);
                if (m.matches()) {
                    heads.add(new int[] {pos, lineEnd, m.group(1).length()});
                    titles.add(m.group(2).strip());
                }
            }
            pos = eol < 0 ? text.length() : eol + 1;
        }
        List<Section> out = new ArrayList<>();
        if (heads.isEmpty() || heads.get(0)[0] > 0) {
            int end = heads.isEmpty() ? text.length() : heads.get(0)[0];
            if (!text.substring(0, end).isBlank()) out.add(new Section(0, end, "", false));
        }
        String[] stack = new String[7];
        for (int i = 0; i < heads.size(); i++) {
            int[] h = heads.get(i);
            int level = h[2];
            stack[level] = titles.get(i);
            Arrays.fill(stack, level + 1, stack.length, null);
            List<String> path = new ArrayList<>();
            for (int l = 1; l <= 6; l++) if (stack[l] != null) path.add(stack[l]);
            int end = i + 1 < heads.size() ? heads.get(i + 1)[0] : text.length();
            boolean headingOnly = text.substring(h[1], end).isBlank();
            out.add(new Section(h[0], end, String.join(" > ", path), headingOnly));
        }
        return out;
    }

    private void chunkSection(Document doc, String text, int from, int to, String path, List<Chunk> out) {
        int contentStart = skipSpace(text, from, to);
        int contentEnd = trimEnd(text, contentStart, to);
        if (contentStart >= contentEnd) return;
        Breaks br = breaks(text, contentStart, contentEnd);
        int pos = contentStart;
        int prevEnd = contentStart;
        while (true) {
            int limit = pos + targetChars;
            int end;
            if (limit >= contentEnd) end = contentEnd;
            else {
                end = largestIn(br.paraEnds, prevEnd, limit);
                if (end < 0) {
                    end = largestIn(br.sentenceEnds, prevEnd, limit);
                    int line = largestIn(br.lineEnds, prevEnd, limit);
                    // A sentence cut that leaves a chunk under half full loses to a later line break (lists, tables).
                    if (end < 0 || (line > end && end - pos < targetChars / 2)) end = line;
                }
                if (end < 0) end = lastSpace(text, Math.max(prevEnd, pos) + 1, limit);
                if (end < 0) end = limit;
                end = trimEnd(text, pos, end);
                if (end <= prevEnd) end = limit; // whitespace-only tail after the previous cut
            }
            out.add(new Chunk(doc.source() + "#" + out.size(), doc.source(), path, pos, end, text.substring(pos, end)));
            if (end >= contentEnd) return;
            prevEnd = end;
            int next = skipSpace(text, end, contentEnd);
            int overlap = overlapStart(br.sentenceStarts, pos, end);
            pos = overlap >= 0 ? overlap : next;
        }
    }

    /** The sentence start inside (chunkStart, end) whose tail length is closest to overlapChars, at most target/2. */
    private int overlapStart(int[] starts, int chunkStart, int end) {
        if (overlapChars == 0) return -1;
        int best = -1;
        int bestDiff = Integer.MAX_VALUE;
        for (int s : starts) {
            if (s <= chunkStart || s >= end || end - s > targetChars / 2) continue;
            int diff = Math.abs(end - s - overlapChars);
            if (diff < bestDiff) {
                bestDiff = diff;
                best = s;
            }
        }
        return best;
    }

    private record Breaks(int[] paraEnds, int[] sentenceEnds, int[] lineEnds, int[] sentenceStarts) {}

    /** Candidate cut points: paragraph ends, sentence ends, in-paragraph line ends; and where sentences begin. */
    private static Breaks breaks(String text, int from, int to) {
        List<Integer> para = new ArrayList<>(),
                sent = new ArrayList<>(),
                line = new ArrayList<>(),
                starts = new ArrayList<>();
        boolean fenced = false;
        boolean inPara = false;
        boolean prevWasHeading = false;
        int lastNonBlankEnd = -1;
        int pos = from;
        while (pos < to) {
            int eol = text.indexOf('\n', pos);
            int lineEnd = eol < 0 || eol > to ? to : eol;
            String l = text.substring(pos, lineEnd);
            boolean blank = l.isBlank();
            boolean fence = FENCE.matcher(l).find();
            boolean heading = !fenced && HEADING.matcher(l.replace("\r", "")).matches();
            int contentEnd = trimEnd(text, pos, lineEnd);
            if (blank && !fenced) {
                if (inPara) para.add(lastNonBlankEnd);
                inPara = false;
            } else if (!blank) {
                int first = skipSpace(text, pos, lineEnd);
                if (!inPara || heading || prevWasHeading) {
                    if (inPara) para.add(lastNonBlankEnd);
                    starts.add(first);
                    inPara = true;
                } else {
                    line.add(lastNonBlankEnd);
                    starts.add(first);
                }
                if (!fenced && !heading) sentenceBreaks(text, first, contentEnd, sent, starts);
                lastNonBlankEnd = contentEnd;
            }
            if (fence) fenced = !fenced;
            prevWasHeading = heading;
            pos = eol < 0 || eol >= to ? to : eol + 1;
        }
        return new Breaks(toArray(para), toArray(sent), toArray(line), toArray(starts));
    }

    /** A sentence ends after . ! or ? (plus closing quotes or brackets) when a space and a non-lowercase char follow. */
    private static void sentenceBreaks(String text, int from, int to, List<Integer> ends, List<Integer> starts) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c != '.' && c != '!' && c != '?') continue;
            int e = i + 1;
            while (e < to && "\"')]*_".indexOf(text.charAt(e)) >= 0) e++;
            if (e >= to || !Character.isWhitespace(text.charAt(e))) continue;
            int next = skipSpace(text, e, to);
            if (next >= to || Character.isLowerCase(text.charAt(next))) continue; // "e.g. the", "approx. three"
            ends.add(e);
            starts.add(next);
            i = e;
        }
    }

    private static int largestIn(int[] sorted, int exclusiveLow, int inclusiveHigh) {
        int i = Arrays.binarySearch(sorted, inclusiveHigh);
        int idx = i >= 0 ? i : -i - 2;
        return idx >= 0 && sorted[idx] > exclusiveLow ? sorted[idx] : -1;
    }

    private static int lastSpace(String text, int from, int limit) {
        for (int i = Math.min(limit, text.length() - 1); i >= from; i--)
            if (Character.isWhitespace(text.charAt(i))) return i;
        return -1;
    }

    private static int skipSpace(String text, int from, int to) {
        while (from < to && Character.isWhitespace(text.charAt(from))) from++;
        return from;
    }

    private static int trimEnd(String text, int from, int to) {
        while (to > from && Character.isWhitespace(text.charAt(to - 1))) to--;
        return to;
    }

    private static int[] toArray(List<Integer> xs) {
        return xs.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
    }
}
