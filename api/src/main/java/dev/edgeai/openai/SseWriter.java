package dev.edgeai.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes Server-Sent Events to a response body, each flushed as soon as it is complete so a token reaches the
 * client when it is made, not when a buffer fills. An event is an optional {@code event:} name and its data; data
 * with line breaks becomes several {@code data:} lines, which readers join again, so no data can end an event
 * early. A write that fails means the client has gone: every later call returns false at once, and the caller
 * (which polls {@link #broken()}) stops generating. Browsers never deliver an event whose data is empty; send JSON.
 * Thread-safe: the RAG app writes from its request thread while a stop request may end the stream.
 */
public final class SseWriter {
    private final OutputStream out;
    private final ObjectMapper json;
    private final StringBuilder pending = new StringBuilder(512);
    private boolean started;
    private volatile boolean broken;

    /** Data objects given to {@link #send} are written with {@link Wire#JSON}. */
    public SseWriter(OutputStream out) {
        this(out, Wire.JSON);
    }

    /** @param json writes the data objects given to {@link #send}; it must write one line per document */
    public SseWriter(OutputStream out, ObjectMapper json) {
        this.out = out;
        this.json = json;
    }

    /** One event whose data is {@code value} as JSON; returns false (and stays false) once the client is gone. */
    public synchronized boolean send(String event, Object value) {
        String data;
        try {
            data = json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
        return event(event, data);
    }

    /** One event: {@code event: name} unless name is null, then the data; flushed. */
    public synchronized boolean event(String name, CharSequence data) {
        append(name, data);
        return flush();
    }

    /** An unnamed event (what OpenAI streams are made of); flushed. */
    public boolean data(CharSequence data) {
        return event(null, data);
    }

    /**
     * Adds an event to the next {@link #flush()}, for events that are ready together (a first chunk and the first
     * token, or the last chunk and the end marker): one write instead of several.
     */
    public synchronized SseWriter append(String name, CharSequence data) {
        if (name != null) pending.append("event: ").append(name).append('\n');
        pending.append("data: ");
        if (!hasLineBreak(data)) {
            pending.append(data); // the usual case, one line of JSON: a bulk copy, no char-by-char loop
        } else {
            int n = data.length();
            int from = 0;
            for (int i = 0; i < n; i++) {
                char c = data.charAt(i);
                if (c == '\r' || c == '\n') {
                    pending.append(data, from, i).append("\ndata: ");
                    if (c == '\r' && i + 1 < n && data.charAt(i + 1) == '\n') i++;
                    from = i + 1;
                }
            }
            pending.append(data, from, n);
        }
        pending.append("\n\n");
        return this;
    }

    /** Vectorised searches for String and StringBuilder (what callers pass); a plain loop for anything else. */
    private static boolean hasLineBreak(CharSequence data) {
        if (data instanceof String s) return s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
        if (data instanceof StringBuilder sb) return sb.indexOf("\n") >= 0 || sb.indexOf("\r") >= 0;
        for (int i = 0; i < data.length(); i++) if (data.charAt(i) == '\n' || data.charAt(i) == '\r') return true;
        return false;
    }

    /**
     * For this package's encoders, which write one line of escaped JSON straight into the event (no copy, no scan
     * for line breaks: escaped JSON has none). Call with this writer's lock held; end with {@link #endEvent()}.
     */
    StringBuilder beginData(String name) {
        if (name != null) pending.append("event: ").append(name).append('\n');
        return pending.append("data: ");
    }

    void endEvent() {
        pending.append("\n\n");
    }

    /** Writes what was appended and flushes; false once the client is gone. */
    public synchronized boolean flush() {
        if (pending.isEmpty()) return !broken;
        byte[] bytes = pending.toString().getBytes(StandardCharsets.UTF_8);
        pending.setLength(0);
        if (broken) return false;
        try {
            out.write(bytes);
            out.flush();
            started = true;
            return true;
        } catch (IOException | RuntimeException e) { // Jetty reports a gone client as IOException (EofException)
            broken = true;
            return false;
        }
    }

    /** Whether anything reached the response (an HTTP status is then committed; later errors go in-band). */
    public synchronized boolean started() {
        return started;
    }

    /** A write failed: the client has gone away. */
    public boolean broken() {
        return broken;
    }
}
