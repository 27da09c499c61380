package dev.edgeai.openai;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * OpenAI's error body, {@code {"error":{"message","type","param","code"}}}. The official SDKs show {@code message}
 * and pick their exception class from the HTTP status; {@code type} and {@code code} let programs tell errors apart.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorResponse(Error error) {
    /** The full OpenAI shape: {@code param} and {@code code} are written even when null. */
    public static ErrorResponse of(String message, String type, String param, String code) {
        return new ErrorResponse(new Error(message, type, JsonNullable.of(param), code));
    }

    /** Without {@code param} at all: the scripted test server answers so, since clients must not need every field. */
    public static ErrorResponse withoutParam(String message, String type, String code) {
        return new ErrorResponse(new Error(message, type, null, code));
    }

    /** @param param the request field at fault, e.g. {@code messages[0].content}; a null field is left out */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Error(
            String message,
            String type,
            JsonNullable<String> param,
            @JsonInclude(JsonInclude.Include.ALWAYS) String code) {}
}
