package dev.edgeai.engine.template;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps} as transformers' {@code tojson} filter calls it: {@code ensure_ascii=False},
 * separators {@code ", "}/{@code ": "} on one line, {@code ","}/{@code ": "} with an indent, keys in insertion
 * order unless {@code sort_keys}, floats written as Python's repr writes them.
 */
final class PyJson {
    private PyJson() {}

    record Options(boolean ensureAscii, String indent, String itemSeparator, String keySeparator, boolean sortKeys) {
        static Options of(boolean ensureAscii, Object indent, List<?> separators, boolean sortKeys) {
            String ind = indent == null
                    ? null
                    : indent instanceof Number n ? " ".repeat(Math.max(0, n.intValue())) : indent.toString();
            String item = ind == null ? ", " : ",", key = ": ";
            if (separators != null) {
                if (separators.size() != 2)
                    throw new IllegalArgumentException("separators must be a pair, got " + separators);
                item = String.valueOf(separators.get(0));
                key = String.valueOf(separators.get(1));
            }
            return new Options(ensureAscii, ind, item, key, sortKeys);
        }
    }

    static String dumps(Object value, Options o) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, o, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, Options o, int depth) {
        if (v == null) sb.append("null");
        else if (v instanceof Boolean b) sb.append(b ? "true" : "false");
        else if (v instanceof CharSequence s) string(sb, s.toString(), o.ensureAscii());
        else if (v instanceof Character c) string(sb, c.toString(), o.ensureAscii());
        else if (v instanceof Double || v instanceof Float) sb.append(pyFloat(((Number) v).doubleValue()));
        else if (v instanceof BigDecimal d) sb.append(pyFloat(d.doubleValue()));
        else if (v instanceof Number n)
            sb.append(n instanceof BigInteger ? n.toString() : Long.toString(n.longValue()));
        else if (v instanceof Map<?, ?> m) object(sb, m, o, depth);
        else if (v instanceof Map.Entry<?, ?> e) array(sb, java.util.Arrays.asList(e.getKey(), e.getValue()), o, depth);
        else if (v instanceof Collection<?> c) array(sb, c, o, depth);
        else if (v.getClass().isArray()) {
            List<Object> l = new ArrayList<>();
            for (int i = 0; i < Array.getLength(v); i++) l.add(Array.get(v, i));
            array(sb, l, o, depth);
        } else
            throw new IllegalArgumentException(
                    "Object of type " + v.getClass().getSimpleName() + " is not JSON serializable");
    }

    private static void array(StringBuilder sb, Collection<?> c, Options o, int depth) {
        if (c.isEmpty()) {
            sb.append("[]");
            return;
        }
        sb.append('[');
        boolean first = true;
        for (Object item : c) {
            if (!first) sb.append(o.itemSeparator());
            first = false;
            newline(sb, o, depth + 1);
            write(sb, item, o, depth + 1);
        }
        newline(sb, o, depth);
        sb.append(']');
    }

    private static void object(StringBuilder sb, Map<?, ?> m, Options o, int depth) {
        if (m.isEmpty()) {
            sb.append("{}");
            return;
        }
        List<Map.Entry<String, Object>> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : m.entrySet())
            entries.add(Map.entry(key(e.getKey()), e.getValue() == null ? NULL : e.getValue()));
        if (o.sortKeys()) entries.sort(Map.Entry.comparingByKey());
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : entries) {
            if (!first) sb.append(o.itemSeparator());
            first = false;
            newline(sb, o, depth + 1);
            string(sb, e.getKey(), o.ensureAscii());
            sb.append(o.keySeparator());
            write(sb, e.getValue() == NULL ? null : e.getValue(), o, depth + 1);
        }
        newline(sb, o, depth);
        sb.append('}');
    }

    // Map.entry rejects null values.
    private static final Object NULL = new Object();

    /** json.dumps turns str, int, float, bool and None keys into strings; anything else is an error. */
    private static String key(Object k) {
        if (k == null) return "null";
        if (k instanceof CharSequence s) return s.toString();
        if (k instanceof Boolean b) return b ? "true" : "false";
        if (k instanceof Double || k instanceof Float) return pyFloat(((Number) k).doubleValue());
        if (k instanceof Number n) return n.toString();
        throw new IllegalArgumentException("keys must be str, int, float, bool or None, not "
                + k.getClass().getSimpleName());
    }

    private static void newline(StringBuilder sb, Options o, int depth) {
        if (o.indent() != null) sb.append('\n').append(o.indent().repeat(depth));
    }

    private static void string(StringBuilder sb, String s, boolean ensureAscii) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || (ensureAscii && c > 0x7e)) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    /** repr(float): shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
    static String pyFloat(double d) {
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
        if (d == 0) return (1 / d < 0) ? "-0.0" : "0.0";
        BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = bd.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - bd.scale();
        String sign = d < 0 ? "-" : "";
        if (exp < -4 || exp >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        if (exp < 0) return sign + "0." + "0".repeat(-exp - 1) + digits;
        if (digits.length() <= exp + 1) return sign + digits + "0".repeat(exp + 1 - digits.length()) + ".0";
        return sign + digits.substring(0, exp + 1) + "." + digits.substring(exp + 1);
    }
}
