package dev.edgeai.client;

import java.io.BufferedReader;
import java.io.IOException;

/**
 * Server-sent events, just enough for OpenAI-style streams: joins {@code data:} lines with '\n', dispatches an event
 * on a blank line, strips one leading space after the colon, ignores comment lines (":"), and flushes a last event
 * that the server did not terminate with a blank line (some servers close right after the final data line).
 * Line endings \n, \r\n and \r are all handled by {@link BufferedReader#readLine()}.
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

    private SseParser() {}

    /** Reads events until the handler says stop or the input ends; returns the number of events dispatched. */
    public static int parse(BufferedReader in, Handler handler) throws IOException {
        StringBuilder data = new StringBuilder();
        boolean hasData = false;
        String name = null;
        String id = null;
        int events = 0;
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) {
                if (hasData) {
                    events++;
                    if (!handler.onEvent(new Event(name == null ? "message" : name, data.toString(), id))) return events;
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
                    if (hasData) data.append('\n');
                    data.append(value);
                    hasData = true;
                }
                case "event" -> name = value;
                case "id" -> id = value;
                default -> { } // retry: and unknown fields mean nothing to a one-shot stream
            }
        }
        if (hasData) {
            events++;
            handler.onEvent(new Event(name == null ? "message" : name, data.toString(), id));
        }
        return events;
    }
}
