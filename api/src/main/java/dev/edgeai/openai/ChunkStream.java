package dev.edgeai.openai;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * Streams one answer as OpenAI does, over an {@link SseWriter}: a role chunk, one {@link ChatCompletionChunk} per
 * piece of text, a chunk with {@code finish_reason}, with {@code include_usage} a last chunk with usage and no
 * choices, then {@code data: [DONE]}. An error after the first chunk goes in-band as an event named {@code error}
 * whose data is the {@link ErrorResponse} (the OpenAI SDKs read the data, LangChain4j the event name).
 *
 * <p>The part of a chunk that is the same for the whole stream is made once, and only the text is escaped per
 * token, so the per-token cost stays far below a decode step; the tests hold every chunk to the JSON of the
 * equivalent {@link ChatCompletionChunk} record, byte for byte. One stream per instance, on one thread at a time.
 */
public final class ChunkStream {
    /** The end marker OpenAI sends after the last chunk. */
    public static final String DONE = "[DONE]";

    private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();
    private static final String ROLE = "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
            + "\"logprobs\":null,\"finish_reason\":null}]";
    private static final String DELTA_END = "\"},\"logprobs\":null,\"finish_reason\":null}]";

    private final SseWriter sse;
    private final String head;
    private final String tail;
    private final boolean includeUsage;
    private boolean begun;

    /** @param includeUsage the request's {@code stream_options.include_usage} */
    public ChunkStream(SseWriter sse, String id, long created, String model, boolean includeUsage) {
        this.sse = sse;
        this.includeUsage = includeUsage;
        StringBuilder h = new StringBuilder("{\"id\":\"");
        ESCAPE.quoteAsString(id, h);
        h.append("\",\"object\":\"")
                .append(ChatCompletionChunk.OBJECT)
                .append("\",\"created\":")
                .append(created);
        h.append(",\"model\":\"");
        ESCAPE.quoteAsString(model, h);
        this.head = h.append("\",\"system_fingerprint\":null,\"choices\":[").toString();
        this.tail = includeUsage ? ",\"usage\":null}" : "}";
    }

    /** Sends the role chunk now if it was not sent yet (servers send it at once; content() sends it anyway). */
    public boolean begin() {
        synchronized (sse) {
            if (!begun) appendRole();
            return sse.flush();
        }
    }

    public boolean content(String text) {
        return delta("content", text);
    }

    /** Thinking text (gpt-oss style), as {@code delta.reasoning_content}. */
    public boolean reasoning(String text) {
        return delta("reasoning_content", text);
    }

    // Chunks are built straight into the writer's buffer: one copy per token, as when serve wrote raw bytes itself.
    private boolean delta(String field, String text) {
        synchronized (sse) {
            if (!begun) appendRole();
            StringBuilder chunk = sse.beginData(null);
            chunk.append(head)
                    .append("{\"index\":0,\"delta\":{\"")
                    .append(field)
                    .append("\":\"");
            ESCAPE.quoteAsString(text, chunk);
            chunk.append(DELTA_END).append(tail);
            sse.endEvent();
            return sse.flush();
        }
    }

    /**
     * The finish chunk, the usage chunk when the request asked for usage, and [DONE], in one write.
     *
     * @param finishReason as sent, see {@link Wire#toFinishReason}
     * @param usage        needed when the request asked for usage, else ignored
     */
    public boolean finish(String finishReason, CompletionUsage usage) {
        synchronized (sse) {
            if (!begun) appendRole();
            StringBuilder chunk = sse.beginData(null);
            chunk.append(head).append("{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"");
            ESCAPE.quoteAsString(finishReason, chunk);
            chunk.append("\"}]").append(tail);
            sse.endEvent();
            if (includeUsage) {
                sse.beginData(null)
                        .append(head)
                        .append("],\"usage\":")
                        .append(Wire.toJson(usage))
                        .append('}');
                sse.endEvent();
            }
            sse.append(null, DONE);
            return sse.flush();
        }
    }

    /** An error after the stream began: an {@code error} event with OpenAI's error body, and no [DONE]. */
    public boolean error(ErrorResponse e) {
        return sse.event("error", Wire.toJson(e));
    }

    /** Whether the role chunk went out (the HTTP status is then committed: errors must go in-band). */
    public boolean begun() {
        return begun;
    }

    /** The client went away (a write failed); generation should stop. */
    public boolean broken() {
        return sse.broken();
    }

    private void appendRole() {
        sse.beginData(null).append(head).append(ROLE).append(tail);
        sse.endEvent();
        begun = true;
    }
}
