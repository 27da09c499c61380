package dev.edgeai.chat;

/**
 * A failure the user can act on. The message is one line that says what happened and what to do; scripts print
 * it without a stack trace unless --verbose.
 */
public class ChatException extends RuntimeException {
    public enum Kind {
        UNREACHABLE,
        AUTH,
        UNKNOWN_MODEL,
        BAD_RESPONSE,
        SERVER,
        RATE_LIMITED,
        TIMEOUT,
        CANCELLED,
        INVALID_INPUT,
        MODEL_LOAD
    }

    private final Kind kind;

    public ChatException(Kind kind, String message) {
        this(kind, message, null);
    }

    public ChatException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
