package dev.edgeai.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes Server-Sent Events to a response stream, one flush per event so tokens reach the browser as they are
 * made. Data is always JSON (never empty: an empty data field is never delivered by browsers).
 */
public final class SseWriter {
    private final OutputStream out;
    private final ObjectMapper json;
    private volatile boolean broken;

    public SseWriter(OutputStream out, ObjectMapper json) {
        this.out = out;
        this.json = json;
    }

    /** Sends one event; returns false (and stays false) once the client has gone away. */
    public synchronized boolean send(String event, Object data) {
        if (broken) return false;
        try {
            String payload = json.writeValueAsString(data);
            out.write(("event: " + event + "\ndata: " + payload + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return true;
        } catch (IOException | UncheckedIOException e) {
            broken = true;
            return false;
        }
    }

    public boolean broken() {
        return broken;
    }
}
