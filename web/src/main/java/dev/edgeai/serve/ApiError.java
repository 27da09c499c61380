package dev.edgeai.serve;

import dev.edgeai.chat.ChatException;
import dev.edgeai.openai.ErrorResponse;
import dev.edgeai.openai.InvalidRequest;

/**
 * A failure answered in OpenAI's error shape, {@code {"error":{"message","type","param","code"}}}, with its HTTP
 * status. The official SDKs pick their exception class from the status (404 → NotFoundError, 429 →
 * RateLimitError) and show {@code message}, so the message says what to do.
 */
final class ApiError extends RuntimeException {
    final int status;
    final String type;
    final String param;
    final String code;
    /** Seconds for the Retry-After header (429 and 503), or null. */
    final Integer retryAfterS;

    ApiError(int status, String type, String param, String code, String message, Integer retryAfterS) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.retryAfterS = retryAfterS;
    }

    /** OpenAI's {@code type} for a status: the SDKs branch on the status, people read the type. */
    static String typeFor(int status) {
        if (status == 429) return "rate_limit_error";
        if (status == 401) return "authentication_error";
        if (status == 403) return "permission_error";
        return status >= 500 ? "server_error" : "invalid_request_error";
    }

    static ApiError invalid(String param, String code, String message) {
        return new ApiError(400, "invalid_request_error", param, code, message, null);
    }

    static ApiError notFound(String code, String message) {
        return new ApiError(404, "invalid_request_error", null, code, message, null);
    }

    static ApiError unavailable(String code, String message) {
        return new ApiError(503, "server_error", null, code, message, null);
    }

    /** A request the wire layer refused: 400, naming the field. */
    static ApiError from(InvalidRequest e) {
        return invalid(e.param(), e.code(), e.getMessage());
    }

    /** What a backend failure means to an HTTP client of this server. */
    static ApiError from(ChatException e) {
        String m = e.getMessage();
        return switch (e.kind()) {
            case INVALID_INPUT ->
                invalid(
                        "messages",
                        "context_length_exceeded".equals(codeOf(m)) ? "context_length_exceeded" : "invalid_value",
                        m);
            case UNKNOWN_MODEL -> notFound("model_not_found", m);
            case RATE_LIMITED -> new ApiError(429, "rate_limit_error", null, "rate_limit_exceeded", m, 1);
            case UNREACHABLE, TIMEOUT -> unavailable("backend_unavailable", m);
            default -> new ApiError(500, "server_error", null, "backend_error", m, null);
        };
    }

    private static String codeOf(String message) {
        return message != null && message.contains("context") ? "context_length_exceeded" : null;
    }

    ErrorResponse body() {
        return ErrorResponse.of(getMessage(), type, param, code);
    }
}
