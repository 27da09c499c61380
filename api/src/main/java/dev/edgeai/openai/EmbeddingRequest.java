package dev.edgeai.openai;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code POST /v1/embeddings} body. {@link #parse} checks it the way OpenAI does (each fault an
 * {@link InvalidRequest} naming the field); token-id input, which a text embedder cannot take, is refused there.
 *
 * @param input          a string or an array of strings on the wire; always a list here
 * @param encodingFormat {@code float} (the default) or {@code base64}
 * @param dimensions     accepted only when it equals the model's dimension (the server checks)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EmbeddingRequest(
        String model,
        List<String> input,
        @JsonProperty("encoding_format") String encodingFormat,
        Integer dimensions,
        String user) {

    /** At most this many inputs per request, as OpenAI allows. */
    public static final int MAX_INPUTS = 2048;

    public static final String FLOAT = "float";
    public static final String BASE64 = "base64";

    public EmbeddingRequest {
        input = List.copyOf(input);
    }

    /** {@code encoding_format} is base64: vectors are sent as little-endian float32 bytes in base64. */
    @JsonIgnore
    public boolean base64() {
        return BASE64.equals(encodingFormat);
    }

    /** Reads and checks a request body. */
    public static EmbeddingRequest parse(JsonNode body) {
        if (body == null || !body.isObject())
            throw new InvalidRequest(
                    null, "invalid_request_body", "the request body must be a JSON object with 'model' and 'input'");
        String model = RequestReader.model(body);
        List<String> input = input(body.get("input"));
        String format = RequestReader.string(body, "encoding_format", "encoding_format");
        if (format != null && !format.equals(FLOAT) && !format.equals(BASE64))
            throw new InvalidRequest(
                    "encoding_format",
                    "invalid_value",
                    "Invalid value for 'encoding_format': '" + format
                            + "'. Supported values are: 'float' and 'base64'.");
        Integer dimensions = RequestReader.integer(body, "dimensions");
        return new EmbeddingRequest(model, input, format, dimensions, RequestReader.string(body, "user", "user"));
    }

    private static List<String> input(JsonNode in) {
        if (in == null || in.isNull())
            throw new InvalidRequest("input", "missing_required_parameter", "Missing required parameter: 'input'.");
        if (in.isTextual()) return List.of(nonEmpty(in.asText(), "input"));
        if (!in.isArray()) throw RequestReader.wrongType("input", "a string or an array of strings", in);
        if (in.isEmpty())
            throw new InvalidRequest(
                    "input", "empty_array", "Invalid 'input': empty array. Expected at least one string to embed.");
        if (in.size() > MAX_INPUTS)
            throw new InvalidRequest(
                    "input",
                    "array_above_max_length",
                    "Invalid 'input': array too long. Expected an array with maximum length " + MAX_INPUTS
                            + ", but got an array with length " + in.size() + " instead.");
        List<String> out = new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) {
            JsonNode v = in.get(i);
            String at = "input[" + i + "]";
            if (v.isNumber() || v.isArray())
                throw new InvalidRequest(
                        at,
                        "unsupported_value",
                        "Token ids in '" + at + "' are not supported: this server embeds text; send the strings.");
            if (!v.isTextual()) throw RequestReader.wrongType(at, "a string", v);
            out.add(nonEmpty(v.asText(), at));
        }
        return out;
    }

    private static String nonEmpty(String s, String at) {
        if (s.isEmpty())
            throw new InvalidRequest(
                    at, "invalid_value", "Invalid '" + at + "': empty string. Every input must have some text.");
        return s;
    }
}
