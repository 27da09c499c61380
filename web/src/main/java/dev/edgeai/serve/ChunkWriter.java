package dev.edgeai.serve;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeai.chat.Usage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes one streamed completion as OpenAI's {@code chat.completion.chunk} events: a role chunk, one chunk per
 * piece of text, a chunk with {@code finish_reason}, with {@code include_usage} a last chunk with usage and no
 * choices, then {@code data: [DONE]}. Each event is flushed as it is made. The fixed part of every chunk is built
 * once and only the text is escaped per token, so the per-token cost stays far below a decode step.
 */
final class ChunkWriter {
    private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();

    private final OutputStream out;
    private final ObjectMapper json;
    private final String head;
    private final String tail;
    private final boolean includeUsage;
    private boolean started;
    private volatile boolean broken;

    ChunkWriter(OutputStream out, ObjectMapper json, String id, long created, String model, boolean includeUsage) {
        this.out = out;
        this.json = json;
        this.includeUsage = includeUsage;
        this.head = "data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":" + created
                + ",\"model\":\"" + new String(ESCAPE.quoteAsString(model))
                + "\",\"system_fingerprint\":null,\"choices\":[";
        this.tail = includeUsage ? ",\"usage\":null}\n\n" : "}\n\n";
    }

    /** Whether anything was sent (the HTTP status is then committed: later errors go in-band). */
    boolean started() {
        return started;
    }

    /** The client went away (a write failed); generation should stop. */
    boolean broken() {
        return broken;
    }

    boolean content(String text) {
        return delta("content", text);
    }

    boolean reasoning(String text) {
        return delta("reasoning_content", text);
    }

    private boolean delta(String field, String text) {
        StringBuilder sb = new StringBuilder(head.length() * 2 + text.length() + 96);
        if (!started) roleChunk(sb);
        sb.append(head)
                .append("{\"index\":0,\"delta\":{\"")
                .append(field)
                .append("\":\"")
                .append(ESCAPE.quoteAsString(text))
                .append("\"},\"logprobs\":null,\"finish_reason\":null}]")
                .append(tail);
        return write(sb);
    }

    /** The finish chunk, the usage chunk when asked for, and [DONE]. */
    boolean finish(String finishReason, Usage usage) {
        StringBuilder sb = new StringBuilder(head.length() * 3 + 256);
        if (!started) roleChunk(sb);
        sb.append(head)
                .append("{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"")
                .append(finishReason)
                .append("\"}]")
                .append(tail);
        if (includeUsage) {
            sb.append(head)
                    .append("],\"usage\":{\"prompt_tokens\":")
                    .append(usage.promptTokens())
                    .append(",\"completion_tokens\":")
                    .append(usage.completionTokens())
                    .append(",\"total_tokens\":")
                    .append(usage.totalTokens())
                    .append("}}\n\n");
        }
        sb.append("data: [DONE]\n\n");
        return write(sb);
    }

    /** An error after the stream began, as OpenAI sends it: an event whose data is the error object. */
    void error(ApiError e) {
        try {
            write(new StringBuilder("data: ")
                    .append(json.writeValueAsString(e.body()))
                    .append("\n\n"));
        } catch (IOException ignored) {
            // nothing more can be said to this client
        }
    }

    private void roleChunk(StringBuilder sb) {
        sb.append(head)
                .append(
                        "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]")
                .append(tail);
        started = true;
    }

    private boolean write(CharSequence s) {
        if (broken) return false;
        try {
            out.write(s.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return true;
        } catch (IOException | RuntimeException e) { // Jetty reports a gone client as IOException (EofException)
            broken = true;
            return false;
        }
    }
}
