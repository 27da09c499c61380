package dev.edgeai.openai;

/**
 * A chat-completions request this kit cannot take, said the way OpenAI says it: the field at fault ({@code param},
 * e.g. {@code messages[0].role}), a machine-readable {@code code} ({@code invalid_type}, {@code unsupported_value},
 * ...) and one line for the user. A server answers it as HTTP 400 with {@code type} {@code invalid_request_error}.
 */
public final class InvalidRequest extends RuntimeException {
    private final String param;
    private final String code;

    public InvalidRequest(String param, String code, String message) {
        super(message);
        this.param = param;
        this.code = code;
    }

    /** The field at fault, or null when the whole body is. */
    public String param() {
        return param;
    }

    public String code() {
        return code;
    }

    public ErrorResponse body() {
        return ErrorResponse.of(getMessage(), "invalid_request_error", param, code);
    }
}
