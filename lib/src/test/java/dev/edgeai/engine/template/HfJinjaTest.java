package dev.edgeai.engine.template;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Jinja2 features chat templates use, one template each. Every expected string is what Jinja2 3.1.6 renders in
 * transformers' environment (ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loopcontrols, its tojson,
 * raise_exception and strftime_now with the clock below), with these variables.
 */
class HfJinjaTest {
    static final Clock CLOCK =
            Clock.fixed(LocalDateTime.of(2026, 7, 4, 9, 5, 3).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
    static final Map<String, Object> VARS = Map.of(
            "messages",
            List.of(
                    message("system", "  Be brief.\n"),
                    message("user", "hi there"),
                    message("assistant", "<think>x</think>\n\nHello"),
                    message("user", "What's 2+2? ü")),
            "bos_token",
            "<s>",
            "eos_token",
            "</s>",
            "add_generation_prompt",
            true,
            "injected",
            "{{ 7*7 }} {% if x %}{# c #}");

    /** role before content, as in the dicts transformers passes. */
    static Map<String, Object> message(String role, String content) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("content", content);
        return m;
    }

    static Stream<Arguments> jinja2() {
        return Stream.of(
                Arguments.of(
                        "whitespace control on expressions and comments",
                        "{{- '  x  ' -}}\n  {{- ' y ' }}\n{# c #}\n  z {#- c -#}  w",
                        "  x   y \n  zw"),
                Arguments.of("whitespace control on blocks", "{%- if true -%}\n  a\n{%- endif -%}\n b", "ab"),
                Arguments.of("trim_blocks and lstrip_blocks", "  {% if true %}\n  a\n  {% endif %}\nend\n", "  a\nend"),
                Arguments.of(
                        "lstrip_blocks only where the tag starts its line",
                        "{% if true %} {% endif %}|a {% if true %}b{% endif %}|{{ 1 }} {% if true %}c{% endif %}|x\n  {% if true %}d{% endif %}|\t{# c #}e",
                        " |a b|1 c|x\nd|\te"),
                Arguments.of("plus markers keep whitespace", "\t{% if true +%}\n  y\n\t{%+ endif %}|", "\n  y\n\t|"),
                Arguments.of(
                        "one trailing newline of the source is dropped",
                        "{% if true %}\nA{% endif %}\n{# x #}\nB\r\nC {#- y -#} D\n\n",
                        "AB\nCD\n"),
                Arguments.of(
                        "raw blocks are text",
                        "{% raw %}\n  {% if %}{{ x }}\n  {% endraw %}\n|",
                        "\n  {% if %}{{ x }}\n|"),
                Arguments.of(
                        "dict literals that end in closing braces",
                        "{{ {'x': {'y': []}, 'z': {}}|tojson }}{{ {'a': 1}}}",
                        "{\"x\": {\"y\": []}, \"z\": {}}{'a': 1}"),
                Arguments.of(
                        "strip lstrip rstrip",
                        "[{{ messages[0].content.strip() }}|{{ messages[0].content.lstrip() }}|{{ messages[0].content.rstrip() }}|{{ 'xxhixx'.strip('x') }}{{ 'xxhixx'.lstrip('x') }}{{ 'xxhixx'.rstrip('x') }}|{{ 'x\u00a0\u2003'.strip() }}]",
                        "[Be brief.|Be brief.\n|  Be brief.|hihixxxxhi|x]"),
                Arguments.of(
                        "case methods",
                        "{{ 'hello world'.title() }} {{ \"they're bill's 1st\".title() }} {{ 'Hi'.upper() }} {{ 'ÉCOLE'.lower() }} {{ 'hELLO'.capitalize() }} {{ messages[1].role.title() }}",
                        "Hello World They'Re Bill'S 1St HI école Hello User"),
                Arguments.of(
                        "startswith endswith",
                        "{{ 'abc'.startswith('a') }} {{ 'abc'.endswith('bc') }} {{ 'abc'.startswith(('x', 'a')) }} {{ 'abc'.endswith('x') }} {{ 'abc'.startswith('c', 2) }}",
                        "True True True False True"),
                Arguments.of(
                        "split and rsplit",
                        "{{ 'a.b.c'.split('.') }} {{ ' a  b '.split() }} {{ 'a.b.c'.split('.', 1) }} {{ 'a.b.c'.rsplit('.', 1) }} {{ 'a b  c'.split(' ') }} {{ '  a b  '.rsplit(None, 1) }} {{ 'a b  c  '.split(None, 1) }} {{ ''.split() }} {{ 'x'.split('x') }}",
                        "['a', 'b', 'c'] ['a', 'b'] ['a', 'b.c'] ['a.b', 'c'] ['a', 'b', '', 'c'] ['  a', 'b'] ['a', 'b  c  '] [] ['', '']"),
                Arguments.of(
                        "reasoning split as Qwen3 and DeepSeek-R1 do it",
                        "[{{ messages[2].content.split('</think>')[-1].lstrip('\\n') }}|{{ messages[2].content.split('</think>')[0].rstrip('\\n').split('<think>')[-1].lstrip('\\n') }}]",
                        "[Hello|x]"),
                Arguments.of(
                        "replace join find count splitlines isdigit",
                        "{{ 'aaa'.replace('a', 'b') }} {{ 'aaa'.replace('a', 'b', 2) }} {{ ', '.join(['x', 'y']) }} {{ '-'.join('ab') }} {{ 'abcabc'.find('c') }} {{ 'abc'.find('z') }} {{ 'abcabc'.count('b') }} {{ 'x\\ny\\r\\nz'.splitlines() }} {{ '12'.isdigit() }} {{ 'ab'.isalpha() }}",
                        "bbb bba x, y a-b 2 -1 2 ['x', 'y', 'z'] True True"),
                Arguments.of(
                        "slices with steps and out-of-range bounds",
                        "{{ messages[::-1][0].content }}|{{ messages[1:]|length }}|{{ 'abcdef'[::-1] }}|{{ 'abcdef'[1:] }}|{{ 'abcdef'[:-2] }}|{{ 'abcdef'[1:5:2] }}|{{ [1,2,3,4,5][::2] }}|{{ [1,2,3][5:] }}|{{ 'abc'[-10:2] }}|{{ [1,2,3][::-2] }}|{{ 'abcdef'[4:1:-1] }}|{{ messages[-1].content }}",
                        "What's 2+2? ü|3|fedcba|bcdef|abcd|bd|[1, 3, 5]|[]|ab|[3, 1]|edc|What's 2+2? ü"),
                Arguments.of(
                        "string indexing",
                        "{{ 'abc'[0] }}{{ 'abc'[-1] }}{% for m in messages %}{{ m.role[0] }}{% endfor %}",
                        "acsuau"),
                Arguments.of(
                        "namespace with attribute assignment",
                        "{%- set ns = namespace(last=-1, found=false) %}{%- for m in messages %}{%- if m.role == 'user' %}{%- set ns.last = loop.index0 %}{%- set ns.found = true %}{%- endif %}{%- endfor %}{{ ns.last }} {{ ns.found }}",
                        "3 True"),
                Arguments.of(
                        "namespace keyword values are whole expressions",
                        "{%- set ns = namespace(multi_step_tool=true, last_query_index=messages|length - 1, b='x' ~ 'y', c=[1, 2]|length * 2) %}{{ ns.last_query_index }}{{ ns.multi_step_tool }}{{ ns.b }}{{ ns.c }}",
                        "3Truexy4"),
                Arguments.of(
                        "loop properties",
                        "{% for m in messages %}{{ loop.index }}{{ loop.index0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}{{ loop.revindex }}{{ loop.revindex0 }};{% endfor %}",
                        "10TrueFalse443;21FalseFalse432;32FalseFalse421;43FalseTrue410;"),
                Arguments.of(
                        "tests",
                        "{{ x is defined }} {{ messages is defined }} {{ none is none }} {{ 'a' is string }} {{ messages[0] is mapping }} {{ messages is mapping }} {{ 1 is number }} {{ messages is sequence }} {{ messages is iterable }} {{ messages[0].content is not none }}",
                        "False True True True True False True True True True"),
                Arguments.of(
                        "length trim items",
                        "{{ messages|length }} [{{ '  x \\n'|trim }}] [{{ 'xxaxx'|trim('x') }}] {{ messages[0]|items|list|length }} {% for k, v in messages[0]|items %}{{ k }}={{ v|trim }};{% endfor %}",
                        "4 [x] [a] 2 role=system;content=Be brief.;"),
                Arguments.of(
                        "tojson as transformers defines it",
                        "{{ messages[0]|tojson }}|{{ {'a': [1, 2.5, true, none, 'é\"\\n']}|tojson }}|{{ {'a': 1, 'b': [1,2]}|tojson(indent=2) }}|{{ 'ü'|tojson(ensure_ascii=true) }}",
                        "{\"role\": \"system\", \"content\": \"  Be brief.\\n\"}|{\"a\": [1, 2.5, true, null, \"é\\\"\\n\"]}|{\n  \"a\": 1,\n  \"b\": [\n    1,\n    2\n  ]\n}|\"\\u00fc\""),
                Arguments.of(
                        "tojson options",
                        "{{ {'b': 1, 'a': 2}|tojson(sort_keys=true) }} {{ [1,2]|tojson(separators=(',', ':')) }} {{ [[1, 2], {'k': none}]|tojson(indent='\\t') }} {{ {'b': {'d': 1, 'c': 2}, 'a': 0}|tojson(sort_keys=true, indent=1) }} {{ {'x': {'y': []}, 'z': {}}|tojson(indent=2) }}",
                        "{\"a\": 2, \"b\": 1} [1,2] [\n\t[\n\t\t1,\n\t\t2\n\t],\n\t{\n\t\t\"k\": null\n\t}\n] {\n \"a\": 0,\n \"b\": {\n  \"c\": 2,\n  \"d\": 1\n }\n} {\n  \"x\": {\n    \"y\": []\n  },\n  \"z\": {}\n}"),
                Arguments.of(
                        "tojson numbers and escapes",
                        "{{ [1.5, 1e-5, 1e16, 123456789.0, 0.1, -0.0, 3, 1e22, 0.0001]|tojson }} {{ 'a/b\u2028\u0001\\\\'|tojson }}",
                        "[1.5, 1e-05, 1e+16, 123456789.0, 0.1, -0.0, 3, 1e+22, 0.0001] \"a/b\u2028\\u0001\\\\\""),
                Arguments.of(
                        "break and continue",
                        "{% for m in messages %}{% if loop.index0 == 2 %}{% break %}{% endif %}{{ m.role }}{% endfor %}|{% for m in messages %}{% if m.role == 'user' %}{% continue %}{% endif %}{{ m.role }}{% endfor %}|{%- for m in messages %}{%- if loop.first and m.role == 'system' %}{%- continue %}{%- endif %}{{ m.role[0] }}{%- endfor %}",
                        "systemuser|systemassistant|uau"),
                Arguments.of(
                        "loop filters and else",
                        "{% for x in [1,2,3,4] if x is odd %}{{ x }}{{ loop.index }}{{ loop.last }};{% endfor %} {% for k, v in {'a': 1, 'b': 2}.items() if v > 1 %}{{ k }}{% endfor %} {% for m in messages %}{{ m.role[0] }}{% else %}none{% endfor %} {% for m in messages if m.role == 'tool' %}{{ m.role }}{% else %}none{% endfor %}",
                        "11False;32True; b suau none"),
                Arguments.of(
                        "filters on lists of messages",
                        "{{ messages|selectattr('role', 'equalto', 'user')|list|length }} {{ messages|map(attribute='role')|join(',') }} {{ messages|rejectattr('role', 'equalto', 'user')|map(attribute='role')|list }} {{ (messages|last).role }} {{ messages|reverse|map(attribute='role')|first }}",
                        "2 system,user,assistant,user ['system', 'assistant'] user user"),
                Arguments.of(
                        "membership",
                        "{{ '<think>' in messages[2].content }} {{ 'zz' not in messages[2].content }} {{ 'user' in messages|map(attribute='role') }} {{ 'role' in messages[0] }} {{ 'tool_calls' in messages[0] }}",
                        "True True True True False"),
                Arguments.of(
                        "dict methods",
                        "{{ messages[0].get('content') }}|{{ messages[0].get('x', 'dflt') }}|{{ messages[0].keys()|list }}|{% for k, v in messages[0].items() %}{{ k }};{% endfor %}",
                        "  Be brief.\n|dflt|['role', 'content']|role;content;"),
                Arguments.of(
                        "values print as Python prints them",
                        "{{ true }} {{ false }} {{ 1 }} {{ 2.5 }} {{ [1, 'a'] }} {{ {'a': 1} }} {{ 'x' if false }}|",
                        "True False 1 2.5 [1, 'a'] {'a': 1} |"),
                Arguments.of(
                        "operator precedence",
                        "{{ messages|length - 1 }} {{ (messages|length) // 3 }} {{ 7 % 3 }} {{ 1 + 2 * 3 }} {{ -2|abs }} {{ 'ab' ~ (3 + 1) }} {{ 'ab' ~ 3 * 2 }}",
                        "3 1 1 7 2 ab4 ab6"),
                Arguments.of(
                        "not binds looser than comparisons and tests",
                        "{% if not messages[0].content is none %}A{% endif %}{% if messages[0].tool_calls is not defined %}B{% endif %}{% if not messages[0]['role'] == 'user' %}C{% endif %}{{ not true and false }}{{ not(1 == 1 and 2 == 3) }}",
                        "ABCFalseTrue"),
                Arguments.of(
                        "booleans concatenate and stringify as Python's str",
                        "{{ 'a' ~ true }} {{ true|string }} {{ ['a', 1]|string }} {{ 1 ~ 2 }} {{ 'x' ~ false ~ 'y' }}",
                        "aTrue True ['a', 1] 12 xFalsey"),
                Arguments.of("string repetition", "{{ '-' * 3 }}{{ 2 * 'ab' }}{{ 2 * 3 }}{{ 1.5 * 2 }}", "---abab63.0"),
                Arguments.of(
                        "macros and set blocks",
                        "{% macro f(x, y='q') %}<{{ x }}{{ y }}>{% endmacro %}{{ f(1) }}{{ f(2, y='z') }}{% set s %}\n  inner\n{% endset %}[{{ s }}]",
                        "<1q><2z>[  inner\n]"),
                Arguments.of(
                        "scoping as in Jinja2",
                        "{% set x = 1 %}{% for i in [1] %}{% set x = 2 %}{% endfor %}{{ x }}{% if true %}{% set x = 3 %}{% endif %}{{ x }}",
                        "13"),
                Arguments.of(
                        "generation blocks render their body",
                        "{% generation %}gen{{ 1 }}{% endgeneration %}|",
                        "gen1|"),
                Arguments.of(
                        "transformers' globals are defined",
                        "{{ strftime_now is defined }} {{ raise_exception is defined }} {{ raise_exception('boom') if false else 'ok' }}",
                        "True True ok"),
                Arguments.of(
                        "strftime_now with Python format codes",
                        "{{ strftime_now('%d %b %Y|%-d %B %y|%A %a %H:%M:%S %I %p|%j|%m/%d|%%') }}",
                        "04 Jul 2026|4 July 26|Saturday Sat 09:05:03 09 AM|185|07/04|%"),
                Arguments.of(
                        "message text is never template code",
                        "{{ injected }}|{{ injected|length }}",
                        "{{ 7*7 }} {% if x %}{# c #}|27"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jinja2")
    void rendersAsJinja2(String feature, String template, String expected) {
        assertEquals(expected, HfJinja.render(template, VARS, CLOCK), feature);
    }

    @Test
    void rendersConcurrently() throws Exception {
        // One jinjava instance serves every model and request: the same template from many threads at once must
        // give the same prompt (and strftime_now each render's own clock).
        String template = "{%- set ns = namespace(n=0) %}{%- for m in messages[::-1] %}{%- set ns.n = ns.n + 1 %}"
                + "{{- m.role.title() + ':' + m.content.strip() + '|' }}{%- endfor %}{{ ns.n }} {{ strftime_now('%Y') }}";
        String expected = HfJinja.render(template, VARS, CLOCK);
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            List<java.util.concurrent.Future<String>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 400; i++) {
                Clock clock = i % 2 == 0
                        ? CLOCK
                        : Clock.fixed(java.time.Instant.parse("2031-01-01T00:00:00Z"), ZoneOffset.UTC);
                results.add(pool.submit(() -> HfJinja.render(template, VARS, clock)));
            }
            for (int i = 0; i < results.size(); i++)
                assertEquals(
                        i % 2 == 0 ? expected : expected.replace("2026", "2031"),
                        results.get(i).get());
        }
    }

    @Test
    void errorsNameTheTemplatesOwnLine() {
        var e = assertThrows(
                TemplateException.class,
                () -> HfJinja.render(
                        "{% if true %}\n  {% for m in messages %}\n{% endfor %}\n{% endif %}\n{{ messages|nope }}",
                        VARS, CLOCK));
        assertTrue(e.getMessage().contains("line 5"), e.getMessage());
    }

    @Test
    void raiseExceptionIsReportedAsTheTemplatesOwnRejection() {
        var e = assertThrows(
                TemplateException.class,
                () -> HfJinja.render("a{{ raise_exception('Conversation roles must alternate') }}b", VARS, CLOCK));
        assertTrue(e.raised());
        assertEquals("Conversation roles must alternate", e.getMessage());
    }

    @Test
    void whatJinja2RejectsFailsInsteadOfRenderingSomethingElse() {
        for (String t : List.of(
                "{{ messages|no_such_filter }}",
                "{{ messages is no_such_test }}",
                "{{ no_such_function() }}",
                "{{ 'x'.casefold() }}",
                "{% no_such_tag %}",
                "{% if true %}unclosed")) {
            var e = assertThrows(TemplateException.class, () -> HfJinja.render(t, VARS, CLOCK), t);
            assertFalse(e.raised(), t);
            assertFalse(e.getMessage().isBlank(), t);
        }
    }
}
