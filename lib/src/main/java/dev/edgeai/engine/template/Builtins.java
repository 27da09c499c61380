package dev.edgeai.engine.template;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.tag.ElseTag;
import com.hubspot.jinjava.lib.tag.ForTag;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import com.hubspot.jinjava.tree.parse.TagToken;
import com.hubspot.jinjava.util.ForLoop;
import com.hubspot.jinjava.util.ObjectIterator;
import com.hubspot.jinjava.util.ObjectTruthValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The filters and tags transformers' Jinja2 environment has and jinjava lacks or spells differently. */
final class Builtins {
    private Builtins() {}

    static void register(Context g) {
        g.registerFilter(new ToJson());
        g.registerFilter(new Items());
        g.registerFilter(new Trim());
        g.registerFilter(new Str());
        g.registerTag(new Generation());
        g.registerTag(new FilteredFor());
    }

    /** What a global function is as a value: defined, truthy, printed like Python prints a function. */
    record PyFunction(String name) {
        @Override
        public String toString() {
            return "<function " + name + ">";
        }
    }

    /** Positional or keyword argument {@code i}/{@code name} of a filter call, or {@code dflt}. */
    private static Object arg(Object[] args, Map<String, Object> kwargs, int i, String name, Object dflt) {
        if (kwargs != null && kwargs.containsKey(name)) return kwargs.get(name);
        return args != null && i < args.length ? args[i] : dflt;
    }

    /** transformers' tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False): json.dumps. */
    static final class ToJson implements Filter {
        @Override
        public String getName() {
            return "tojson";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object separators = arg(args, kwargs, 2, "separators", null);
            if (separators != null && !(separators instanceof List<?>))
                throw new IllegalArgumentException("tojson separators must be a pair, got " + separators);
            return PyJson.dumps(
                    var,
                    PyJson.Options.of(
                            ObjectTruthValue.evaluate(arg(args, kwargs, 0, "ensure_ascii", false)),
                            arg(args, kwargs, 1, "indent", null),
                            (List<?>) separators,
                            ObjectTruthValue.evaluate(arg(args, kwargs, 3, "sort_keys", false))));
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, args, Map.of());
        }
    }

    /** Jinja2's {@code items}: a mapping's (key, value) pairs; nothing for an undefined value. */
    static final class Items implements Filter {
        @Override
        public String getName() {
            return "items";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            if (var == null) return List.of();
            if (var instanceof Map<?, ?> m) return new ArrayList<>(m.entrySet());
            throw new IllegalArgumentException(
                    "items filter needs a mapping, got " + var.getClass().getSimpleName());
        }
    }

    /** Jinja2's {@code trim(chars=None)}: Python's str.strip, whose whitespace set differs from Java's trim. */
    static final class Trim implements Filter {
        @Override
        public String getName() {
            return "trim";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object chars = arg(args, kwargs, 0, "chars", null);
            return Py.strip(
                    var == null ? "" : interpreter.getAsString(var),
                    chars == null ? null : chars.toString(),
                    true,
                    true);
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, args, Map.of());
        }
    }

    /** Jinja2's {@code string}: Python's str(), so {@code True} and {@code ['a']} rather than Java's spelling. */
    static final class Str implements Filter {
        @Override
        public String getName() {
            return "string";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return var == null ? "" : interpreter.getAsString(var);
        }
    }

    /** transformers' {@code {% generation %}}: marks the assistant's tokens for training masks; renders its body. */
    static final class Generation implements Tag {
        private static final long serialVersionUID = 1L;

        @Override
        public String getName() {
            return "generation";
        }

        @Override
        public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
            StringBuilder sb = new StringBuilder();
            try (var scope = interpreter.enterScope()) {
                for (Node child : tagNode.getChildren())
                    sb.append(child.render(interpreter).getValue());
            }
            return sb.toString();
        }
    }

    /**
     * Jinja2's for loop over jinjava's: {@code {% for x in xs if condition %}} filters the items before the loop
     * runs (so {@code loop.index} and {@code loop.last} count only the kept ones), and {@code {% else %}} renders
     * only when there was nothing to loop over. jinjava reads the {@code if} as part of the iterable and renders an
     * {@code else} branch inside every iteration. The loop itself stays jinjava's.
     */
    static final class FilteredFor extends ForTag {
        private static final long serialVersionUID = 1L;

        @Override
        public String interpretUnchecked(TagNode tagNode, JinjavaInterpreter interpreter) {
            var varsAndExpression = getLoopVarsAndExpression((TagToken) tagNode.getMaster());
            String expression = varsAndExpression.getRight();
            int at = topLevelIf(expression);
            int elseAt = elseChild(tagNode);
            if (at < 0 && elseAt < 0) return super.interpretUnchecked(tagNode, interpreter);
            List<String> vars = varsAndExpression.getLeft();
            Object items = interpreter.resolveELExpression(
                    at < 0 ? expression : expression.substring(0, at), tagNode.getLineNumber());
            if (at >= 0) items = kept(items, expression.substring(at + " if ".length()), vars, tagNode, interpreter);
            if (elseAt < 0) return renderForCollection(tagNode, interpreter, vars, items);
            List<Node> children = tagNode.getChildren();
            if (!ObjectIterator.getLoop(items).hasNext()) {
                StringBuilder sb = new StringBuilder();
                try (var scope = interpreter.enterScope()) {
                    for (Node child : children.subList(elseAt + 1, children.size()))
                        sb.append(child.render(interpreter).getValue());
                }
                return sb.toString();
            }
            // The parsed tree is this render's own (jinjava parses per render), but a nested loop interprets this node
            // again: loop over a copy that holds only the body.
            TagNode body = new TagNode(
                    this,
                    (TagToken) tagNode.getMaster(),
                    interpreter.getConfig().getTokenScannerSymbols());
            body.getChildren().addAll(children.subList(0, elseAt));
            return renderForCollection(body, interpreter, vars, items);
        }

        private static int elseChild(TagNode tagNode) {
            List<Node> children = tagNode.getChildren();
            for (int i = 0; i < children.size(); i++)
                if (children.get(i) instanceof TagNode t && t.getTag() instanceof ElseTag) return i;
            return -1;
        }

        private static List<Object> kept(
                Object items, String condition, List<String> vars, TagNode tagNode, JinjavaInterpreter interpreter) {
            List<Object> kept = new ArrayList<>();
            ForLoop loop = ObjectIterator.getLoop(items);
            try (var scope = interpreter.enterScope()) {
                while (loop.hasNext()) {
                    Object item = loop.next();
                    bind(interpreter, vars, item);
                    if (ObjectTruthValue.evaluate(interpreter.resolveELExpression(condition, tagNode.getLineNumber())))
                        kept.add(item);
                }
            }
            return kept;
        }

        private static void bind(JinjavaInterpreter interpreter, List<String> vars, Object item) {
            if (vars.size() == 1) {
                interpreter.getContext().put(vars.get(0), item);
                return;
            }
            List<?> parts = item instanceof Map.Entry<?, ?> e
                    ? Arrays.asList(e.getKey(), e.getValue())
                    : item instanceof List<?> l ? l : List.of();
            for (int i = 0; i < vars.size(); i++)
                interpreter.getContext().put(vars.get(i), i < parts.size() ? parts.get(i) : null);
        }

        /** Index of the first " if " outside quotes and brackets, or -1. */
        static int topLevelIf(String s) {
            int depth = 0;
            char quote = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (quote != 0) {
                    if (c == '\\') i++;
                    else if (c == quote) quote = 0;
                } else if (c == '\'' || c == '"') quote = c;
                else if (c == '(' || c == '[' || c == '{') depth++;
                else if (c == ')' || c == ']' || c == '}') depth--;
                else if (depth == 0
                        && Character.isWhitespace(c)
                        && s.startsWith("if", i + 1)
                        && i + 3 < s.length()
                        && Character.isWhitespace(s.charAt(i + 3))) return i;
            }
            return -1;
        }
    }
}
