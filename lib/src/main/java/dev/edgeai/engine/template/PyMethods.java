package dev.edgeai.engine.template;

import java.beans.FeatureDescriptor;
import java.util.Iterator;
import java.util.Locale;
import java.util.StringJoiner;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Python's str methods and indexing on strings ({@code message.content.strip()}, {@code role.title()}, {@code '\n'.join(x)}):
 * jinjava resolves method calls against the Java class, where these are missing or mean something else
 * ({@code split} takes a regex, {@code strip} a different whitespace set). Put before jinjava's resolvers; it only
 * answers calls on strings whose name it knows, anything else goes on to them.
 */
final class PyMethods extends ELResolver {

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (!(base instanceof String s) || method == null) return null;
        Object[] a = params == null ? new Object[0] : params;
        Object result = call(s, method.toString(), a);
        if (result == NOT_A_METHOD) return null;
        context.setPropertyResolved(true);
        return result;
    }

    private static final Object NOT_A_METHOD = new Object();

    static Object call(String s, String name, Object[] a) {
        return switch (name) {
            case "strip" -> Py.strip(s, chars(a, 0), true, true);
            case "lstrip" -> Py.strip(s, chars(a, 0), true, false);
            case "rstrip" -> Py.strip(s, chars(a, 0), false, true);
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "title" -> Py.title(s);
            case "capitalize" -> Py.capitalize(s);
            case "startswith" -> Py.affix(sub(s, a, 1), arg(a, 0), true);
            case "endswith" -> Py.affix(sub(s, a, 1), arg(a, 0), false);
            case "split" -> Py.split(s, chars(a, 0), integer(a, 1, -1));
            case "rsplit" -> Py.rsplit(s, chars(a, 0), integer(a, 1, -1));
            case "splitlines" -> Py.splitlines(s, a.length > 0 && Boolean.TRUE.equals(a[0]));
            case "replace" -> Py.replace(s, str(a, 0), str(a, 1), integer(a, 2, -1));
            case "find" -> s.indexOf(str(a, 0));
            case "rfind" -> s.lastIndexOf(str(a, 0));
            case "count" -> Py.count(s, str(a, 0));
            case "join" -> join(s, arg(a, 0));
            case "removeprefix" ->
                s.startsWith(str(a, 0)) ? s.substring(str(a, 0).length()) : s;
            case "removesuffix" ->
                s.endsWith(str(a, 0)) ? s.substring(0, s.length() - str(a, 0).length()) : s;
            case "isdigit", "isnumeric", "isdecimal" -> Py.all(s, Character::isDigit);
            case "isalpha" -> Py.all(s, Character::isLetter);
            case "isalnum" -> Py.all(s, Character::isLetterOrDigit);
            case "isspace" -> Py.all(s, Py::isSpace);
            case "isupper" ->
                s.codePoints().anyMatch(Character::isUpperCase)
                        && s.codePoints().noneMatch(Character::isLowerCase);
            case "islower" ->
                s.codePoints().anyMatch(Character::isLowerCase)
                        && s.codePoints().noneMatch(Character::isUpperCase);
            default -> NOT_A_METHOD;
        };
    }

    private static Object arg(Object[] a, int i) {
        if (i >= a.length) throw new IllegalArgumentException("missing argument " + (i + 1));
        return a[i];
    }

    private static String str(Object[] a, int i) {
        Object o = arg(a, i);
        if (!(o instanceof CharSequence)) throw new IllegalArgumentException("expected a string, got " + o);
        return o.toString();
    }

    /** An optional chars/sep argument: absent or none means "whitespace". */
    private static String chars(Object[] a, int i) {
        return i < a.length && a[i] != null ? a[i].toString() : null;
    }

    private static int integer(Object[] a, int i, int dflt) {
        if (i >= a.length || a[i] == null) return dflt;
        if (a[i] instanceof Number n) return n.intValue();
        throw new IllegalArgumentException("expected an integer, got " + a[i]);
    }

    /** startswith(prefix, start) looks at s[start:]. */
    private static String sub(String s, Object[] a, int startArg) {
        int start = integer(a, startArg, 0);
        if (start < 0) start = Math.max(0, start + s.length());
        return start >= s.length() ? "" : s.substring(start);
    }

    private static String join(String sep, Object items) {
        StringJoiner j = new StringJoiner(sep);
        Iterator<?> it = items instanceof Iterable<?> i
                ? i.iterator()
                : items instanceof CharSequence cs
                        ? cs.toString()
                                .chars()
                                .mapToObj(c -> String.valueOf((char) c))
                                .iterator()
                        : null;
        if (it == null) throw new IllegalArgumentException("can only join an iterable");
        while (it.hasNext()) {
            Object o = it.next();
            if (!(o instanceof CharSequence))
                throw new IllegalArgumentException("sequence item: expected str instance, got " + o);
            j.add(o.toString());
        }
        return j.toString();
    }

    /** {@code s[i]}: one character, negative indexes from the end; out of range is undefined, as in Jinja2. */
    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        if (!(base instanceof String s) || property == null) return null;
        String p = property.toString();
        if (!p.matches("-?\\d{1,9}")) return null;
        int i = Integer.parseInt(p);
        if (i < 0) i += s.length();
        context.setPropertyResolved(true);
        return i >= 0 && i < s.length() ? String.valueOf(s.charAt(i)) : null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {}

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
