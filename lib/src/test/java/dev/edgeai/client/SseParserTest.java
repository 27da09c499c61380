package dev.edgeai.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseParserTest {

    private static List<SseParser.Event> parse(String text) throws IOException {
        List<SseParser.Event> events = new ArrayList<>();
        SseParser.parse(new BufferedReader(new StringReader(text)), e -> events.add(e));
        return events;
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n", "\r"})
    void splits_events_on_blank_lines_whatever_the_line_ending(String nl) throws IOException {
        // given two events and a comment
        String text = ": keep-alive" + nl + "data: {\"a\":1}" + nl + nl + "data: [DONE]" + nl + nl;
        // when / then
        assertEquals(
                List.of(
                        new SseParser.Event("message", "{\"a\":1}", null),
                        new SseParser.Event("message", "[DONE]", null)),
                parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n"})
    void joins_multi_line_data_with_newlines(String nl) throws IOException {
        String text = "data: first" + nl + "data:second" + nl + "data:  third" + nl + nl;
        assertEquals("first\nsecond\n third", parse(text).getFirst().data());
    }

    @Test
    void strips_exactly_one_leading_space() throws IOException {
        assertEquals(
                List.of("x", " y", ""),
                parse("data: x\n\ndata:  y\n\ndata:\n\n").stream()
                        .map(SseParser.Event::data)
                        .toList());
    }

    @Test
    void reads_event_names_and_ids_and_resets_the_name_per_event() throws IOException {
        List<SseParser.Event> events = parse("event: error\nid: 7\ndata: boom\n\ndata: ok\n\n");
        assertEquals(new SseParser.Event("error", "boom", "7"), events.get(0));
        assertEquals("message", events.get(1).name());
    }

    @Test
    void flushes_the_last_event_at_eof_without_blank_line() throws IOException {
        assertEquals(
                List.of("a", "b"),
                parse("data: a\n\ndata: b").stream().map(SseParser.Event::data).toList());
    }

    @Test
    void ignores_blank_lines_without_data_and_unknown_fields() throws IOException {
        assertEquals(
                List.of("z"),
                parse("\n\nretry: 10\nfoo: bar\n\ndata: z\n\n").stream()
                        .map(SseParser.Event::data)
                        .toList());
    }

    @Test
    void stops_when_the_handler_says_so() throws IOException {
        List<String> seen = new ArrayList<>();
        int n = SseParser.parse(new BufferedReader(new StringReader("data: 1\n\ndata: 2\n\ndata: 3\n\n")), e -> {
            seen.add(e.data());
            return !e.data().equals("2");
        });
        assertEquals(List.of("1", "2"), seen);
        assertEquals(2, n);
    }
}
