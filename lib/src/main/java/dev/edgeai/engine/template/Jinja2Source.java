package dev.edgeai.engine.template;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whitespace rules of Jinja2's lexer, applied to the template source before jinjava parses it (jinjava's own
 * trimBlocks/lstripBlocks are off). This is the one place we rewrite templates, and only whitespace and the
 * {@code +} markers change: jinjava's parser is not extensible here (its TreeParser keeps the rules in private
 * methods) and its lstripBlocks strips the spaces before every tag, where Jinja2 strips them only when the tag starts
 * its line ({@code "a {% if x %}"} keeps its space). The rules, as transformers configures Jinja2:
 * <ul>
 *   <li>newlines ({@code \r\n}, {@code \r}) become {@code \n} and one trailing newline of the source is dropped
 *       ({@code keep_trailing_newline=False});</li>
 *   <li>trim_blocks: the first newline after a block or comment tag ({@code %}}, {@code #}}) is removed (moved
 *       into a comment, so line numbers stay), unless the tag ends with {@code +%}};</li>
 *   <li>lstrip_blocks: spaces and tabs from the start of a line up to a block or comment tag are removed, unless
 *       it starts with {@code {%+}.</li>
 * </ul>
 * {@code {%-}/{@code -%}} (strip all whitespace) are left to jinjava, which implements them like Jinja2 once
 * {@code useTrimmingForNotesAndExpressions} is on.
 */
final class Jinja2Source {
    private Jinja2Source() {}

    private static final Pattern END_RAW = Pattern.compile("\\{%[-+]?\\s*endraw\\s*[-+]?%}");

    static String prepare(String template) {
        String src = template.replace("\r\n", "\n").replace('\r', '\n');
        if (src.endsWith("\n")) src = src.substring(0, src.length() - 1);
        StringBuilder out = new StringBuilder(src.length());
        int i = 0, textStart = 0;
        boolean lineStarting = true;
        while (i < src.length()) {
            int open = nextTag(src, i);
            if (open < 0) {
                out.append(src, i, src.length());
                break;
            }
            out.append(src, i, open);
            char kind = src.charAt(open + 1);
            if (kind == '{') {
                int end = closing(src, open + 2, "}}");
                if (end < 0) {
                    out.append(src, open, src.length());
                    break;
                }
                out.append("{{")
                        .append(separateBraces(src.substring(open + 2, end)))
                        .append("}}");
                i = end + 2;
                lineStarting = false;
                textStart = out.length();
                continue;
            }
            char sign = open + 2 < src.length() ? src.charAt(open + 2) : 0;
            if (sign != '-' && sign != '+') lstrip(out, textStart, lineStarting);
            int end = kind == '#' ? src.indexOf("#}", open + 2) : closing(src, open + 2, "%}");
            if (end < 0) {
                out.append(src, open, src.length());
                break;
            }
            int bodyFrom = open + 2 + (sign == '+' ? 1 : 0);
            char endSign = src.charAt(end - 1);
            int bodyTo = endSign == '+' && end - 1 >= bodyFrom ? end - 1 : end;
            out.append(src, open, open + 2).append(src, bodyFrom, bodyTo).append(src, end, end + 2);
            i = end + 2;
            lineStarting = false;
            boolean raw = kind == '%' && isRaw(src.substring(bodyFrom, bodyTo));
            // Jinja2's raw-begin rule has no trim_blocks suffix: the newline after {% raw %} stays.
            if (!raw && endSign != '-' && endSign != '+' && i < src.length() && src.charAt(i) == '\n') {
                // The newline moves into a comment: it renders nothing, and jinjava's line numbers in error
                // messages still count the template's own lines.
                out.append("{#\n#}");
                i++;
                lineStarting = true;
            }
            textStart = out.length();
            if (raw) {
                Matcher m = END_RAW.matcher(src);
                if (!m.find(i)) {
                    out.append(src, i, src.length());
                    break;
                }
                out.append(src, i, m.start());
                i = m.start();
            }
        }
        return out.toString();
    }

    private static boolean isRaw(String body) {
        String b = body.strip();
        if (b.startsWith("-")) b = b.substring(1).strip();
        if (b.endsWith("-")) b = b.substring(0, b.length() - 1).strip();
        return b.equals("raw");
    }

    /** lstrip_blocks: drop the text's last line if it is only whitespace and really starts a line. */
    private static void lstrip(StringBuilder out, int textStart, boolean lineStarting) {
        int lineFrom = out.lastIndexOf("\n") + 1;
        boolean newlineInText = lineFrom > textStart;
        int from = Math.max(lineFrom, textStart);
        if (from == out.length() || !(newlineInText || lineStarting)) return;
        for (int k = from; k < out.length(); k++) if (!Py.isSpace(out.charAt(k))) return;
        out.setLength(from);
    }

    private static int nextTag(String s, int from) {
        for (int k = s.indexOf('{', from); k >= 0 && k + 1 < s.length(); k = s.indexOf('{', k + 1)) {
            char c = s.charAt(k + 1);
            if (c == '{' || c == '%' || c == '#') return k;
        }
        return -1;
    }

    /**
     * Index of {@code end} closing a tag whose body starts at {@code from}: outside string literals and, like Jinja2's
     * balancing lexer, outside brackets ({@code {{ {'a': {}} }}} ends at the last braces); -1 if none.
     */
    private static int closing(String s, int from, String end) {
        char quote = 0;
        int depth = 0;
        for (int k = from; k < s.length(); k++) {
            char c = s.charAt(k);
            if (quote != 0) {
                if (c == '\\') k++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') quote = c;
            else if (depth == 0 && s.startsWith(end, k)) return k;
            else if (c == '(' || c == '[' || c == '{') depth++;
            else if ((c == ')' || c == ']' || c == '}') && depth > 0) depth--;
        }
        return -1;
    }

    /**
     * jinjava ends an expression at the first {@code }}} outside quotes; a space between closing braces of a dict
     * literal (and before the final delimiter) keeps it whole. Whitespace between tokens means nothing inside an
     * expression.
     */
    private static String separateBraces(String body) {
        StringBuilder sb = new StringBuilder(body.length() + 2);
        char quote = 0;
        for (int k = 0; k < body.length(); k++) {
            char c = body.charAt(k);
            sb.append(c);
            if (quote != 0) {
                if (c == '\\' && k + 1 < body.length()) sb.append(body.charAt(++k));
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') quote = c;
            else if (c == '}' && (k + 1 == body.length() || body.charAt(k + 1) == '}')) sb.append(' ');
        }
        return sb.toString();
    }
}
