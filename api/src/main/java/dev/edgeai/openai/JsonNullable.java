package dev.edgeai.openai;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A field whose presence means something on the wire even when its value is null: in a record whose other fields
 * are left out when null, a {@code JsonNullable} field that is null is left out too, while
 * {@code JsonNullable.of(null)} is written as {@code "field":null}. OpenAI streams {@code "usage":null} on every
 * chunk only when the request asked for usage, and always sends an error's {@code "param"}, null or not.
 */
public record JsonNullable<T>(T value) {
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public JsonNullable {}

    public static <T> JsonNullable<T> of(T value) {
        return new JsonNullable<>(value);
    }

    /** The value, or null when the field holds null or is absent. */
    public static <T> T valueOf(JsonNullable<T> field) {
        return field == null ? null : field.value;
    }

    @Override
    @JsonValue
    public T value() {
        return value;
    }
}
