package dev.edgeai.engine;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeai.chat.ChatMessage;
import dev.edgeai.engine.template.HfJinja;
import dev.edgeai.engine.template.TemplateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders the 45 third-party chat-template cases (llama.cpp, huggingface.js, mistral.rs; see
 * testdata/chat-templates/README.md) and requires each prompt to equal, byte for byte, what the source
 * project expects from Hugging Face's Jinja2 rendering.
 */
class ChatTemplateConformanceTest {
    static final Path DIR = Path.of("../testdata/chat-templates");
    static final int CASES = 45;

    /** The SmolLM3 case prints strftime_now("%d %B %Y"); its expected string was made on this day. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-07-10T12:00:00Z"), ZoneOffset.UTC);

    /**
     * Cases judged wrong upstream, id to the reason; each must still differ from its expected string, so an entry
     * cannot outlive its reason. Empty: every case renders exactly as expected.
     */
    static final Map<String, String> WRONG_UPSTREAM = Map.of();

    record Case(String id, String template, String bos, String eos, List<ChatMessage> messages, String expected) {
        @Override
        public String toString() {
            return id;
        }
    }

    static Stream<Case> cases() {
        ObjectMapper om = new ObjectMapper();
        List<Case> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file :
                    files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                for (JsonNode c : om.readTree(file.toFile()).path("cases")) {
                    List<ChatMessage> msgs = new ArrayList<>();
                    for (JsonNode m : c.path("messages"))
                        msgs.add(new ChatMessage(
                                m.path("role").asText(), m.path("content").asText()));
                    all.add(new Case(
                            c.path("id").asText(),
                            c.path("template").asText(),
                            c.path("bos_token").asText(""),
                            c.path("eos_token").asText(""),
                            msgs,
                            c.path("expected").asText()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all.stream();
    }

    @Test
    void allCasesAreHere() {
        assertEquals(CASES, cases().count(), "cases in " + DIR);
        assertTrue(
                cases().map(Case::id).toList().containsAll(WRONG_UPSTREAM.keySet()),
                "WRONG_UPSTREAM names unknown cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rendersExactlyAsHuggingFace(Case c) {
        PromptFormat.Jinja f =
                ChatTemplates.jinja(c.template(), c.bos(), c.eos(), c.id()).withClock(CLOCK);
        String out = render(f, c);
        if (WRONG_UPSTREAM.containsKey(c.id())) {
            assertNotEquals(
                    c.expected(),
                    out,
                    c.id() + " is listed as wrong upstream (" + WRONG_UPSTREAM.get(c.id())
                            + ") but now matches: remove it from WRONG_UPSTREAM");
            return;
        }
        if (!out.equals(c.expected())) fail(c.id() + ": " + firstDifference(c.expected(), out));
        // The public path renders the same (a template that fails would silently get its fallback there).
        assertEquals(c.expected(), f.render(c.messages()), c.id());
    }

    /** Every case in one report: the count that passes and, for each failure, where it first differs. */
    @Test
    void summary() {
        List<String> failures = new ArrayList<>();
        List<Case> all = cases().toList();
        for (Case c : all) {
            if (WRONG_UPSTREAM.containsKey(c.id())) continue;
            String out = render(
                    ChatTemplates.jinja(c.template(), c.bos(), c.eos(), c.id()).withClock(CLOCK), c);
            if (!out.equals(c.expected())) failures.add(c.id() + ": " + firstDifference(c.expected(), out));
        }
        int passing = all.size() - WRONG_UPSTREAM.size() - failures.size();
        assertTrue(
                failures.isEmpty(),
                passing + "/" + all.size() + " pass (" + WRONG_UPSTREAM.size()
                        + " listed as wrong upstream); failing:\n" + String.join("\n", failures));
    }

    private static String render(PromptFormat.Jinja f, Case c) {
        try {
            return HfJinja.render(f.template(), ChatTemplates.variables(f, c.messages()), f.clock());
        } catch (TemplateException e) {
            return "<" + (e.raised() ? "template raised: " : "cannot render: ") + e.getMessage() + ">";
        }
    }

    /** Where two strings first differ, escaped, with 30 characters of context on each side. */
    static String firstDifference(String expected, String actual) {
        int i = 0;
        while (i < expected.length() && i < actual.length() && expected.charAt(i) == actual.charAt(i)) i++;
        int from = Math.max(0, i - 30);
        return "first difference at character " + i + ":\n  expected …"
                + escape(expected.substring(from, Math.min(expected.length(), i + 30))) + "…\n  actual   …"
                + escape(actual.substring(from, Math.min(actual.length(), i + 30))) + "…";
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) sb.append(String.format("\\u%04x", (int) ch));
                    else sb.append(ch);
                }
            }
        }
        return sb.toString();
    }
}
