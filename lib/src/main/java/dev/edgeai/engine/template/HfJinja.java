package dev.edgeai.engine.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpreterFactory;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.objects.date.StrftimeFormatter;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import jinjava.de.odysseus.el.ExpressionFactoryImpl;
import jinjava.de.odysseus.el.tree.TreeBuilder;
import jinjava.javax.el.CompositeELResolver;
import jinjava.javax.el.ExpressionFactory;

/**
 * Renders Hugging Face chat templates the way transformers' {@code apply_chat_template} does: Jinja2 with
 * {@code trim_blocks} and {@code lstrip_blocks}, {@code {{-}}/{%-%}} whitespace control, one trailing newline of the
 * template dropped, and the globals transformers adds ({@code raise_exception}, {@code strftime_now}, a
 * {@code tojson} with Python's json.dumps output).
 *
 * <p>It is jinjava configured and extended through its own extension points, not a second template engine:
 * <ul>
 *   <li>configuration: the {@link LegacyOverrides} that make jinjava behave like
 *       Jinja2 (whitespace control on expressions and comments, strict {@code -} parsing, natural operator
 *       precedence, evaluated dict keys, Python-style printing); nested interpretation off, so a message that
 *       contains {@code {{ }}} is text, never template code;</li>
 *   <li>{@link PyParser}: expression grammar fixes ({@code not} precedence, keyword argument values, slice steps,
 *       string repetition, {@code ~} with booleans, unknown filters and tests are errors), plugged in through
 *       jinjava's expression factory;</li>
 *   <li>{@link PyMethods}: an ELResolver for Python str methods on strings;</li>
 *   <li>{@link Builtins}: filters ({@code tojson}, {@code items}, {@code trim}, {@code string}), tags ({@code generation}, loop
 *       filters {@code for x in xs if c}), functions ({@code raise_exception}, {@code strftime_now});</li>
 *   <li>{@link Jinja2Source}: the one source pre-processing step, Jinja2's lexer whitespace rules (trim_blocks,
 *       lstrip_blocks, {@code +} markers, one trailing newline dropped), which jinjava's parser gets subtly
 *       different and does not let us change.</li>
 * </ul>
 */
public final class HfJinja {
    /** Context key of the clock {@code strftime_now} reads; a dotted name no template can refer to. */
    static final String CLOCK = "edgeai.clock";

    private static final LegacyOverrides JINJA2 = LegacyOverrides.newBuilder()
            .withUseTrimmingForNotesAndExpressions(true)
            // Merged text nodes would let a comment's {#- strip the text after the comment too.
            .withAllowAdjacentTextNodes(true)
            .withParseWhitespaceControlStrictly(true)
            .withUseNaturalOperatorPrecedence(true)
            .withEvaluateMapKeys(true)
            .withIterateOverMapKeys(true)
            .withUsePyishObjectMapper(true)
            .withKeepNullableLoopValues(true)
            .withHandleBackslashInQuotesOnly(true)
            .build();

    private static final Jinjava JINJAVA = create();

    private HfJinja() {}

    private static Jinjava create() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PyMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(false)
                .withLstripBlocks(false)
                .withLegacyOverrides(JINJA2)
                .withNestedInterpretationEnabled(false)
                .withElResolver(resolver)
                .withInterperterFactory(new PyInterpreterFactory())
                .build();
        Jinjava j = new PyJinjava(config);
        Context g = j.getGlobalContext();
        g.registerFunction(
                new ELFunctionDefinition("", "raise_exception", HfJinja.class, "raiseException", String.class));
        g.registerFunction(new ELFunctionDefinition("", "strftime_now", HfJinja.class, "strftimeNow", String.class));
        // Templates test for them before calling (Llama 3.2: `if strftime_now is defined`); jinjava keeps functions
        // apart from variables, so name them as variables too.
        g.put("raise_exception", new Builtins.PyFunction("raise_exception"));
        g.put("strftime_now", new Builtins.PyFunction("strftime_now"));
        Builtins.register(g);
        return j;
    }

    /**
     * Renders {@code template} with {@code variables}; {@code clock} is what {@code strftime_now} reads.
     *
     * @throws TemplateException when the template raises ({@link TemplateException#raised()}) or cannot be rendered
     */
    public static String render(String template, Map<String, ?> variables, Clock clock) {
        Map<String, Object> vars = new HashMap<>(variables);
        vars.put(CLOCK, clock);
        RenderResult r;
        try {
            r = JINJAVA.renderForResult(Jinja2Source.prepare(template), vars);
        } catch (RuntimeException e) {
            throw new TemplateException(e.getMessage(), false, e);
        }
        List<TemplateError> fatal = r.getErrors().stream()
                .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL)
                .toList();
        if (fatal.isEmpty()) return r.getOutput();
        for (TemplateError e : fatal) {
            Raised raised = raisedIn(e.getException());
            if (raised != null) throw new TemplateException(raised.getMessage(), true, raised);
        }
        TemplateError first = fatal.get(0);
        String where = first.getLineno() > 0 ? " (template line " + first.getLineno() + ")" : "";
        throw new TemplateException(first.getMessage() + where, false, first.getException());
    }

    private static Raised raisedIn(Throwable t) {
        for (int depth = 0; t != null && depth < 10; t = t.getCause(), depth++) if (t instanceof Raised r) return r;
        return null;
    }

    /** {@code raise_exception(message)}: the template rejects its input. */
    public static String raiseException(String message) {
        throw new Raised(message);
    }

    /** {@code strftime_now(format)}: the render's clock, formatted with Python's strftime codes. */
    public static String strftimeNow(String format) {
        JinjavaInterpreter in = JinjavaInterpreter.getCurrent();
        Object c = in == null ? null : in.getContext().get(CLOCK);
        Clock clock = c instanceof Clock k ? k : Clock.systemDefaultZone();
        return StrftimeFormatter.format(ZonedDateTime.now(clock), format, Locale.ENGLISH);
    }

    static final class Raised extends RuntimeException {
        Raised(String message) {
            super(message, null, false, false);
        }
    }

    /** jinjava with {@link PyParser} behind its expression factory. */
    private static final class PyJinjava extends Jinjava {
        private final ExpressionFactory expressions;

        PyJinjava(JinjavaConfig config) {
            super(config);
            Properties p = new Properties();
            p.setProperty(TreeBuilder.class.getName(), PyParser.SyntaxBuilder.class.getName());
            expressions = new ExpressionFactoryImpl(p, new com.hubspot.jinjava.el.TruthyTypeConverter());
        }

        @Override
        public ExpressionFactory getExpressionFactory() {
            return expressions;
        }
    }

    /** Prints booleans as Python does ({@code True}/{@code False}); everything else as jinjava's Python-ish mapper. */
    private static final class PyInterpreterFactory implements InterpreterFactory {
        @Override
        public JinjavaInterpreter newInstance(JinjavaInterpreter orig) {
            return new PyInterpreter(orig);
        }

        @Override
        public JinjavaInterpreter newInstance(Jinjava application, Context context, JinjavaConfig config) {
            return new PyInterpreter(application, context, config);
        }
    }

    private static final class PyInterpreter extends JinjavaInterpreter {
        PyInterpreter(JinjavaInterpreter orig) {
            super(orig);
        }

        PyInterpreter(Jinjava application, Context context, JinjavaConfig config) {
            super(application, context, config);
        }

        @Override
        public String getAsString(Object object) {
            if (object instanceof Boolean b) return b ? "True" : "False";
            return super.getAsString(object);
        }
    }
}
