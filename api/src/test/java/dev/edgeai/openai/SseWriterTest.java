package dev.edgeai.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SseWriterTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final SseWriter sse = new SseWriter(out);

    String written() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void namedAndUnnamedEvents() {
        assertFalse(sse.started());
        assertTrue(sse.data("{\"a\":1}"));
        assertTrue(sse.started());
        assertTrue(sse.event("token", "{\"text\":\"é\"}"));
        assertTrue(sse.send("done", Map.of("ok", true)));
        assertEquals(
                "data: {\"a\":1}\n\nevent: token\ndata: {\"text\":\"é\"}\n\nevent: done\ndata: {\"ok\":true}\n\n",
                written());
    }

    /** A line break in the data must not end the event early: it becomes another data line, which readers join. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "a\\nb|data: a\\ndata: b\\n\\n",
                "a\\r\\nb|data: a\\ndata: b\\n\\n",
                "a\\rb|data: a\\ndata: b\\n\\n",
                "a\\n\\nb|data: a\\ndata: \\ndata: b\\n\\n",
                "a\\n|data: a\\ndata: \\n\\n"
            })
    void lineBreaksInDataBecomeDataLines(String data, String expected) {
        String text = unescape(data);
        sse.data(text);
        sse.data(new StringBuilder(text));
        sse.data(java.nio.CharBuffer.wrap(text));
        assertEquals(unescape(expected).repeat(3), written());
    }

    @Test
    void appendedEventsGoOutTogether() {
        int[] flushes = {0};
        OutputStream counting = new OutputStream() {
            @Override
            public void write(int b) {
                out.write(b);
            }

            @Override
            public void flush() {
                flushes[0]++;
            }
        };
        SseWriter w = new SseWriter(counting);
        w.append(null, "1").append("x", "2");
        assertEquals(0, out.size(), "nothing before flush");
        assertTrue(w.flush());
        assertEquals(1, flushes[0]);
        assertEquals("data: 1\n\nevent: x\ndata: 2\n\n", written());
        assertTrue(w.flush(), "nothing pending: nothing written, still fine");
        assertEquals(1, flushes[0]);
    }

    @Test
    void aGoneClientStaysGone() {
        SseWriter w = new SseWriter(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        });
        assertFalse(w.data("1"));
        assertTrue(w.broken());
        assertFalse(w.started());
        assertFalse(w.data("2"));
        assertFalse(w.flush());
    }

    static String unescape(String s) {
        return s.replace("\\n", "\n").replace("\\r", "\r");
    }
}
