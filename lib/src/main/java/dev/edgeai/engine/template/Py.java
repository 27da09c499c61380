package dev.edgeai.engine.template;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Python's str semantics for the methods chat templates call ({@code str.strip}, {@code split}, {@code title}, ...). */
final class Py {
    private Py() {}

    /** str.isspace() for one character: Unicode whitespace and space separators, as Python defines them. */
    static boolean isSpace(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x85;
    }

    static String strip(String s, String chars, boolean left, boolean right) {
        int from = 0, to = s.length();
        if (left) while (from < to && stripped(s.charAt(from), chars)) from++;
        if (right) while (to > from && stripped(s.charAt(to - 1), chars)) to--;
        return s.substring(from, to);
    }

    private static boolean stripped(char c, String chars) {
        return chars == null ? isSpace(c) : chars.indexOf(c) >= 0;
    }

    static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean previousCased = false;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            boolean cased = Character.isUpperCase(c) || Character.isLowerCase(c) || Character.isTitleCase(c);
            sb.appendCodePoint(!cased ? c : previousCased ? Character.toLowerCase(c) : Character.toTitleCase(c));
            previousCased = cased;
        }
        return sb.toString();
    }

    static String capitalize(String s) {
        if (s.isEmpty()) return s;
        int first = s.codePointAt(0);
        int n = Character.charCount(first);
        return new StringBuilder()
                .appendCodePoint(Character.toTitleCase(first))
                .append(s.substring(n).toLowerCase(Locale.ROOT))
                .toString();
    }

    /** str.split(sep, maxsplit); {@code sep == null} splits on runs of whitespace and drops empty ends. */
    static List<String> split(String s, String sep, int maxsplit) {
        List<String> out = new ArrayList<>();
        if (sep == null) {
            int i = 0, n = s.length();
            while (true) {
                while (i < n && isSpace(s.charAt(i))) i++;
                if (i >= n) break;
                if (maxsplit >= 0 && out.size() == maxsplit) {
                    out.add(s.substring(i));
                    break;
                }
                int j = i;
                while (j < n && !isSpace(s.charAt(j))) j++;
                out.add(s.substring(i, j));
                i = j;
            }
            return out;
        }
        if (sep.isEmpty()) throw new IllegalArgumentException("empty separator");
        int from = 0;
        while (maxsplit < 0 || out.size() < maxsplit) {
            int at = s.indexOf(sep, from);
            if (at < 0) break;
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    /** str.rsplit(sep, maxsplit). */
    static List<String> rsplit(String s, String sep, int maxsplit) {
        if (maxsplit < 0) return split(s, sep, -1);
        List<String> out = new ArrayList<>();
        if (sep == null) {
            int j = s.length();
            while (true) {
                while (j > 0 && isSpace(s.charAt(j - 1))) j--;
                if (j <= 0) break;
                if (out.size() == maxsplit) {
                    out.add(0, s.substring(0, j));
                    break;
                }
                int i = j;
                while (i > 0 && !isSpace(s.charAt(i - 1))) i--;
                out.add(0, s.substring(i, j));
                j = i;
            }
            return out;
        }
        if (sep.isEmpty()) throw new IllegalArgumentException("empty separator");
        int to = s.length();
        while (out.size() < maxsplit) {
            int at = s.lastIndexOf(sep, to - sep.length());
            if (at < 0) break;
            out.add(0, s.substring(at + sep.length(), to));
            to = at;
        }
        out.add(0, s.substring(0, to));
        return out;
    }

    /** str.splitlines(): \n, \r, \r\n and the other Unicode line boundaries Python knows. */
    static List<String> splitlines(String s, boolean keepends) {
        List<String> out = new ArrayList<>();
        int i = 0, start = 0, n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            int eol = c == '\r' && i + 1 < n && s.charAt(i + 1) == '\n'
                    ? 2
                    : "\n\r\u000b\u000c\u001c\u001d\u001e\u0085\u2028\u2029".indexOf(c) >= 0 ? 1 : 0;
            if (eol == 0) {
                i++;
                continue;
            }
            out.add(s.substring(start, keepends ? i + eol : i));
            i += eol;
            start = i;
        }
        if (start < n) out.add(s.substring(start));
        return out;
    }

    static String replace(String s, String old, String replacement, int count) {
        if (count < 0) {
            if (old.isEmpty()) return insertEverywhere(s, replacement, Integer.MAX_VALUE);
            return s.replace(old, replacement);
        }
        if (old.isEmpty()) return insertEverywhere(s, replacement, count);
        StringBuilder sb = new StringBuilder();
        int from = 0, done = 0;
        while (done < count) {
            int at = s.indexOf(old, from);
            if (at < 0) break;
            sb.append(s, from, at).append(replacement);
            from = at + old.length();
            done++;
        }
        return sb.append(s.substring(from)).toString();
    }

    private static String insertEverywhere(String s, String r, int count) {
        StringBuilder sb = new StringBuilder();
        int done = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (done < count) {
                sb.append(r);
                done++;
            }
            if (i < s.length()) sb.append(s.charAt(i));
        }
        return sb.toString();
    }

    static int count(String s, String sub) {
        if (sub.isEmpty()) return s.length() + 1;
        int n = 0;
        for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) n++;
        return n;
    }

    /** startswith/endswith take one prefix or a tuple (a list here) of them. */
    static boolean affix(String s, Object affixes, boolean prefix) {
        if (affixes instanceof Collection<?> c) {
            for (Object o : c) if (affix(s, o, prefix)) return true;
            return false;
        }
        String a = String.valueOf(affixes);
        return prefix ? s.startsWith(a) : s.endsWith(a);
    }

    static boolean all(String s, java.util.function.IntPredicate p) {
        return !s.isEmpty() && s.codePoints().allMatch(p);
    }

    /** Indices a Python slice [start:stop:step] visits on a sequence of {@code length} (slice.indices). */
    static int[] sliceIndices(int length, Integer start, Integer stop, int step) {
        int lower = step < 0 ? -1 : 0, upper = step < 0 ? length - 1 : length;
        int from = bound(start, length, lower, upper, step < 0 ? upper : lower);
        int to = bound(stop, length, lower, upper, step < 0 ? lower : upper);
        int n = step > 0 ? Math.max(0, (to - from + step - 1) / step) : Math.max(0, (from - to - step - 1) / -step);
        int[] out = new int[n];
        for (int k = 0, i = from; k < n; k++, i += step) out[k] = i;
        return out;
    }

    private static int bound(Integer v, int length, int lower, int upper, int dflt) {
        if (v == null) return dflt;
        int i = v < 0 ? v + length : v;
        return Math.max(lower, Math.min(upper, i));
    }
}
