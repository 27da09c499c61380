package dev.edgeai.engine.template;

import com.hubspot.jinjava.el.ExtendedSyntaxBuilder;
import com.hubspot.jinjava.el.ext.AdditionOperator;
import com.hubspot.jinjava.el.ext.ExtendedParser;
import com.hubspot.jinjava.el.ext.StringConcatOperator;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import jinjava.de.odysseus.el.misc.NumberOperations;
import jinjava.de.odysseus.el.misc.TypeConverter;
import jinjava.de.odysseus.el.tree.Bindings;
import jinjava.de.odysseus.el.tree.IdentifierNode;
import jinjava.de.odysseus.el.tree.Tree;
import jinjava.de.odysseus.el.tree.impl.Builder;
import jinjava.de.odysseus.el.tree.impl.Parser;
import jinjava.de.odysseus.el.tree.impl.Scanner;
import jinjava.de.odysseus.el.tree.impl.Scanner.ScanException;
import jinjava.de.odysseus.el.tree.impl.Scanner.Symbol;
import jinjava.de.odysseus.el.tree.impl.ast.AstBinary;
import jinjava.de.odysseus.el.tree.impl.ast.AstBracket;
import jinjava.de.odysseus.el.tree.impl.ast.AstDot;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstRightValue;
import jinjava.de.odysseus.el.tree.impl.ast.AstUnary;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELException;

/**
 * jinjava's expression parser with the places where its grammar differs from Jinja2's in real chat templates:
 * {@code not} binds looser than comparisons and tests ({@code not x is none} is {@code not (x is none)}), a keyword
 * argument's value is a whole expression ({@code namespace(i=messages|length - 1)}), slices take a step
 * ({@code messages[::-1]}, with Python's clamping of out-of-range bounds), {@code '-' * 3} repeats a string and
 * {@code ~} writes booleans as Python does;
 * an unknown filter or test fails the template, as in Jinja2.
 * Everything else is jinjava's {@link ExtendedParser}, run with natural operator precedence (filters and tests bind
 * tighter than arithmetic, as in Jinja2).
 */
final class PyParser extends ExtendedParser {

    /** Plugged into jinjava's expression factory by class name (see {@link HfJinja}). */
    public static final class SyntaxBuilder extends ExtendedSyntaxBuilder {
        private static final long serialVersionUID = 1L;

        public SyntaxBuilder() {
            super();
        }

        public SyntaxBuilder(Builder.Feature... features) {
            super(features);
        }

        @Override
        protected Parser createParser(String expression) {
            return new PyParser(this, expression);
        }
    }

    PyParser(Builder context, String input) {
        super(context, input);
        putExtensionHandler(StringConcatOperator.TOKEN, new ExtensionHandler(ExtensionPoint.ADD) {
            @Override
            public AstNode createAstNode(AstNode... children) {
                return new AstBinary(children[0], children[1], CONCAT);
            }
        });
    }

    /** {@code a ~ b}: both sides as Python's str() writes them ({@code True}, not {@code true}). */
    private static final AstBinary.Operator CONCAT = new AstBinary.SimpleOperator() {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            return str(converter, a) + str(converter, b);
        }

        @Override
        public String toString() {
            return "~";
        }
    };

    private static String str(TypeConverter converter, Object o) {
        return o instanceof Boolean b ? (b ? "True" : "False") : converter.convert(o, String.class);
    }

    /**
     * Jinja2 rejects a template that names an unknown filter or test; jinjava would render the expression as
     * nothing and carry on, which turns into a silently wrong prompt.
     */
    @Override
    public Tree tree() throws ScanException, ParseException {
        Tree tree = super.tree();
        JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
        if (interpreter == null) return tree;
        for (IdentifierNode id : getIdentifiers()) {
            String name = id.getName();
            if (name.startsWith(FILTER_PREFIX)
                    && interpreter.getContext().getFilter(name.substring(FILTER_PREFIX.length())) == null)
                throw new ELException("No filter named '" + name.substring(FILTER_PREFIX.length()) + "'");
            if (name.startsWith(EXPTEST_PREFIX)
                    && interpreter.getContext().getExpTest(name.substring(EXPTEST_PREFIX.length())) == null)
                throw new ELException("No test named '" + name.substring(EXPTEST_PREFIX.length()) + "'");
        }
        return tree;
    }

    @Override
    protected AstNode eq(boolean required) throws ScanException, ParseException {
        if (getToken().getSymbol() == Symbol.NOT) {
            consumeToken();
            return createAstUnary(eq(true), AstUnary.NOT);
        }
        return super.eq(required);
    }

    @Override
    protected AstNode add(boolean required) throws ScanException, ParseException {
        AstNode v = mul(required);
        if (v == null) return null;
        while (true) {
            switch (getToken().getSymbol()) {
                case PLUS -> {
                    consumeToken();
                    v = createAstBinary(v, mul(true), AdditionOperator.OP);
                }
                case MINUS -> {
                    consumeToken();
                    v = createAstBinary(v, mul(true), AstBinary.SUB);
                }
                case EXTENSION -> {
                    if (getExtensionHandler(getToken()).getExtensionPoint() != ExtensionPoint.ADD) return v;
                    Scanner.Token op = consumeToken();
                    AstNode right = "=".equals(op.getImage()) ? expr(true) : mul(true);
                    v = getExtensionHandler(op).createAstNode(v, right);
                }
                default -> {
                    return v;
                }
            }
        }
    }

    @Override
    protected AstNode mul(boolean required) throws ScanException, ParseException {
        AstNode v = filter(required);
        if (v == null) return null;
        while (true) {
            switch (getToken().getSymbol()) {
                case MUL -> {
                    consumeToken();
                    v = createAstBinary(v, filter(true), REPEAT_OR_MUL);
                }
                case DIV -> {
                    consumeToken();
                    v = createAstBinary(v, filter(true), AstBinary.DIV);
                }
                case MOD -> {
                    consumeToken();
                    v = createAstBinary(v, filter(true), AstBinary.MOD);
                }
                case EXTENSION -> {
                    if (getExtensionHandler(getToken()).getExtensionPoint() != ExtensionPoint.MUL) return v;
                    v = getExtensionHandler(consumeToken()).createAstNode(v, filter(true));
                }
                default -> {
                    return v;
                }
            }
        }
    }

    /** jinjava's value() with three-part slices; operators after a value are parsed by the callers. */
    @Override
    protected AstNode value() throws ScanException, ParseException {
        boolean lvalue = true;
        AstNode v = nonliteral();
        if (v == null) {
            v = literal();
            if (v == null) return null;
            lvalue = false;
        }
        while (true) {
            switch (getToken().getSymbol()) {
                case DOT -> {
                    consumeToken();
                    String name = consumeToken(Symbol.IDENTIFIER).getImage();
                    AstDot dot = createAstDot(v, name, lvalue);
                    v = getToken().getSymbol() == Symbol.LPAREN && context.isEnabled(Builder.Feature.METHOD_INVOCATIONS)
                            ? createAstMethod(dot, params())
                            : dot;
                }
                case LBRACK -> {
                    consumeToken();
                    AstNode start = expr(false);
                    if (getToken().getSymbol() == Symbol.COLON) {
                        consumeToken();
                        AstNode stop = expr(false);
                        AstNode step = null;
                        if (getToken().getSymbol() == Symbol.COLON) {
                            consumeToken();
                            step = expr(false);
                        }
                        consumeToken(Symbol.RBRACK);
                        v = new AstSlice(v, start, stop, step);
                    } else {
                        consumeToken(Symbol.RBRACK);
                        AstBracket bracket =
                                createAstBracket(v, start, lvalue, !context.isEnabled(Builder.Feature.NULL_PROPERTIES));
                        v = getToken().getSymbol() == Symbol.LPAREN
                                        && context.isEnabled(Builder.Feature.METHOD_INVOCATIONS)
                                ? createAstMethod(bracket, params())
                                : bracket;
                    }
                }
                default -> {
                    return v;
                }
            }
        }
    }

    private static final AstBinary.Operator REPEAT_OR_MUL = new AstBinary.SimpleOperator() {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            if (a instanceof CharSequence s && isWhole(b)) return repeat(s.toString(), ((Number) b).intValue());
            if (b instanceof CharSequence s && isWhole(a)) return repeat(s.toString(), ((Number) a).intValue());
            return NumberOperations.mul(converter, a, b);
        }

        @Override
        public String toString() {
            return "*";
        }
    };

    private static boolean isWhole(Object o) {
        return o instanceof Long || o instanceof Integer || o instanceof Short || o instanceof Byte;
    }

    private static String repeat(String s, int n) {
        return n <= 0 ? "" : s.repeat(n);
    }

    /** {@code base[start:stop:step]} with Python's semantics on lists, tuples and strings. */
    static final class AstSlice extends AstRightValue {
        private final AstNode base, start, stop, step;

        AstSlice(AstNode base, AstNode start, AstNode stop, AstNode step) {
            this.base = base;
            this.start = start;
            this.stop = stop;
            this.step = step;
        }

        @Override
        public Object eval(Bindings bindings, ELContext context) {
            Object b = base.eval(bindings, context);
            if (b == null) return null;
            Integer from = index(start, bindings, context),
                    to = index(stop, bindings, context),
                    by = index(step, bindings, context);
            int stride = by == null ? 1 : by;
            if (stride == 0) throw new ELException("slice step cannot be zero");
            if (b instanceof CharSequence s) {
                StringBuilder sb = new StringBuilder();
                for (int i : Py.sliceIndices(s.length(), from, to, stride)) sb.append(s.charAt(i));
                return sb.toString();
            }
            List<Object> items = asList(b);
            if (items == null) throw new ELException("'" + base + "' is not a sequence and cannot be sliced");
            List<Object> out = new ArrayList<>();
            for (int i : Py.sliceIndices(items.size(), from, to, stride)) out.add(items.get(i));
            return out;
        }

        private static Integer index(AstNode n, Bindings bindings, ELContext context) {
            if (n == null) return null;
            Object v = n.eval(bindings, context);
            if (v == null) return null;
            if (!(v instanceof Number num)) throw new ELException("slice indices must be integers or none, not " + v);
            return num.intValue();
        }

        @SuppressWarnings("unchecked")
        private static List<Object> asList(Object b) {
            if (b instanceof List<?> l) return (List<Object>) l;
            if (b instanceof Collection<?> c) return new ArrayList<>(c);
            if (b.getClass().isArray()) {
                List<Object> l = new ArrayList<>();
                for (int i = 0; i < Array.getLength(b); i++) l.add(Array.get(b, i));
                return l;
            }
            return null;
        }

        @Override
        public void appendStructure(StringBuilder sb, Bindings bindings) {
            base.appendStructure(sb, bindings);
            sb.append('[');
            if (start != null) start.appendStructure(sb, bindings);
            sb.append(':');
            if (stop != null) stop.appendStructure(sb, bindings);
            sb.append(':');
            if (step != null) step.appendStructure(sb, bindings);
            sb.append(']');
        }

        @Override
        public String toString() {
            return "[:]";
        }

        @Override
        public int getCardinality() {
            return 4;
        }

        @Override
        public AstNode getChild(int i) {
            return switch (i) {
                case 0 -> base;
                case 1 -> start;
                case 2 -> stop;
                case 3 -> step;
                default -> null;
            };
        }
    }
}
