package dev.edgeai.client;

import java.io.BufferedReader;
import java.io.IOException;

/**
 * Server-sent events, just enough for OpenAI-style streams: joins {@code data:} lines with '\n', dispatches an event
 * on a blank line, strips one leading space after the colon, ignores comment lines (":"), and flushes a last event
 * that the server did not terminate with a blank line (some servers close right after the final data line).
 * Line endings \n, \r\n and \r are all handled. A line or event larger than {@link #MAX_LINE} / {@link #MAX_EVENT}
 * characters fails with {@link TooLarge} instead of growing memory until the read timeout (a broken or hostile
 * server can send megabytes without a newline).
 * What the data means ({@code [DONE]}, JSON) is the caller's business.
 */
public final class SseParser {
    /** One event; {@code name} is "message" unless the server sent an {@code event:} field. */
    public record Event(String name, String data, String id) {}

    @FunctionalInterface
    public interface Handler {
        /** Returns false to stop reading (end marker, cancellation). */
        boolean onEvent(Event event) throws IOException;
    }

    /** Far above any real chunk (a few hundred bytes; a whole non-streamed answer stays well under 1 MiB). */
    public static final int MAX_LINE = 1 << 20;

    public static final int MAX_EVENT = 4 << 20;

    /** A line or an event over the limit. */
    public static final class TooLarge extends IOException {
        TooLarge(String what, int limit) {
            super(what + " longer than " + (limit >> 20) + " MiB");
        }
    }

    private SseParser() {}

    /** Reads events until the handler says stop or the input ends; returns the number of events dispatched. */
    public static int parse(BufferedReader in, Handler handler) throws IOException {
        StringBuilder data = new StringBuilder();
        boolean hasData = false;
        String name = null;
        String id = null;
        int events = 0;
        Lines lines = new Lines(in);
        String line;
        while ((line = lines.next()) != null) {
            if (line.isEmpty()) {
                if (hasData) {
                    events++;
                    if (!handler.onEvent(new Event(name == null ? "message" : name, data.toString(), id)))
                        return events;
                }
                data.setLength(0);
                hasData = false;
                name = null;
                continue;
            }
            if (line.charAt(0) == ':') continue;
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) value = value.substring(1);
            switch (field) {
                case "data" -> {
                    if (data.length() + value.length() > MAX_EVENT) throw new TooLarge("a stream event", MAX_EVENT);
                    if (hasData) data.append('\n');
                    data.append(value);
                    hasData = true;
                }
                case "event" -> name = value;
                case "id" -> id = value;
                default -> {} // retry: and unknown fields mean nothing to a one-shot stream
            }
        }
        if (hasData) {
            events++;
            handler.onEvent(new Event(name == null ? "message" : name, data.toString(), id));
        }
        return events;
    }

    /** readLine with a length limit; \r\n, \n and \r end a line (a lone \r does not wait for the next char). */
    private static final class Lines {
        private final BufferedReader in;
        private final StringBuilder line = new StringBuilder();
        private boolean skipLf;

        Lines(BufferedReader in) {
            this.in = in;
        }

        String next() throws IOException {
            line.setLength(0);
            int c;
            while ((c = in.read()) >= 0) {
                if (skipLf) {
                    skipLf = false;
                    if (c == '\n') continue;
                }
                if (c == '\n') return line.toString();
                if (c == '\r') {
                    skipLf = true;
                    return line.toString();
                }
                if (line.length() >= MAX_LINE) throw new TooLarge("a stream line", MAX_LINE);
                line.append((char) c);
            }
            return line.isEmpty() ? null : line.toString();
        }
    }
}
