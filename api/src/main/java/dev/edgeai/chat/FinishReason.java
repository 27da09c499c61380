package dev.edgeai.chat;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Why an answer ended, with the name OpenAI-compatible servers use for it ({@link #wireName()}, also its JSON form).
 * Servers name the same reasons differently (TGI says {@code eos_token}, vLLM {@code abort}); {@link #fromWire}
 * maps them onto these, and what it does not know becomes {@link #OTHER} rather than an error.
 */
public enum FinishReason {
    /** The model ended its answer (end-of-sequence token) or a stop string was reached. */
    STOP("stop"),
    /** The max-tokens limit or the model's context was reached. */
    LENGTH("length"),
    /** The model called a tool (servers with tool calling; nothing in this kit asks for it). */
    TOOL_CALLS("tool_calls"),
    /** The server's content filter ended the answer. */
    CONTENT_FILTER("content_filter"),
    /** The caller stopped it ({@link StreamListener#isCancelled()}, a closed connection, a deadline). */
    CANCELLED("cancelled"),
    /** The server says generation failed part-way. */
    ERROR("error"),
    /** A reason this kit does not know. */
    OTHER("other");

    private final String wireName;

    FinishReason(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The reason a server sent; null stays null (the server sent none). */
    @JsonCreator
    public static FinishReason fromWire(String name) {
        if (name == null) return null;
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "stop", "eos", "eos_token", "stop_sequence", "end_turn" -> STOP;
            case "length", "max_tokens" -> LENGTH;
            case "tool_calls", "function_call", "tool_use" -> TOOL_CALLS;
            case "content_filter" -> CONTENT_FILTER;
            case "cancelled", "canceled", "abort" -> CANCELLED;
            case "error" -> ERROR;
            default -> OTHER;
        };
    }
}
