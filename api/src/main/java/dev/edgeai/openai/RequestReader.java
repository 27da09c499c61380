package dev.edgeai.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeai.openai.ChatCompletionRequest.Content;
import dev.edgeai.openai.ChatCompletionRequest.ContentPart;
import dev.edgeai.openai.ChatCompletionRequest.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a request body field by field, with OpenAI's checks and words: a wrong type is {@code invalid_type}, a value
 * out of range {@code integer_below_min_value} / {@code decimal_above_max_value}, each naming the field. JSON null
 * counts as "not given", as OpenAI treats it.
 */
final class RequestReader {
    private RequestReader() {}

    static ChatCompletionRequest read(JsonNode body) {
        if (body == null || !body.isObject())
            throw new InvalidRequest(
                    null, "invalid_request_body", "the request body must be a JSON object with 'model' and 'messages'");
        String model = model(body);
        List<Message> messages = messages(body.get("messages"));
        Integer maxTokens = positiveInt(body, "max_tokens");
        Integer maxCompletionTokens = positiveInt(body, "max_completion_tokens");
        Double temperature = number(body, "temperature", 0, 2);
        Double topP = number(body, "top_p", 0, 1);
        if (topP != null && topP == 0)
            throw new InvalidRequest(
                    "top_p", "invalid_value", "Invalid 'top_p': must be greater than 0 and at most 1.");
        Integer topK = integer(body, "top_k");
        Long seed = null;
        JsonNode s = present(body, "seed");
        if (s != null) {
            if (!s.isIntegralNumber() || !s.canConvertToLong()) throw wrongType("seed", "an integer", s);
            seed = s.asLong();
        }
        refuseUnimplemented(body);
        Boolean stream = bool(body, "stream", "stream");
        ChatCompletionRequest.StreamOptions streamOptions = null;
        JsonNode so = present(body, "stream_options");
        if (so != null) {
            if (!so.isObject()) throw wrongType("stream_options", "an object", so);
            streamOptions =
                    new ChatCompletionRequest.StreamOptions(bool(so, "include_usage", "stream_options.include_usage"));
        }
        return new ChatCompletionRequest(
                model,
                messages,
                stream,
                streamOptions,
                maxTokens,
                maxCompletionTokens,
                temperature,
                topP,
                topK,
                seed,
                stops(body),
                integer(body, "n"),
                number(body, "frequency_penalty", -2, 2),
                number(body, "presence_penalty", -2, 2),
                logitBias(body),
                bool(body, "logprobs", "logprobs"),
                array(body, "tools"),
                present(body, "tool_choice"),
                array(body, "functions"),
                responseFormat(body),
                string(body, "user", "user"),
                number(body, "min_p", 0, 1),
                repetitionPenalty(body));
    }

    private static Double repetitionPenalty(JsonNode body) {
        Double p = number(body, "repetition_penalty", 0, 2);
        if (p != null && p == 0)
            throw new InvalidRequest(
                    "repetition_penalty",
                    "invalid_value",
                    "Invalid 'repetition_penalty': must be greater than 0 (1 means no penalty).");
        return p;
    }

    /**
     * Parameters some client or server knows and this one does not implement: a non-neutral value is refused naming
     * it, never silently ignored. Neutral values (null, 0, false, {}, [], or the listed one) pass, since clients
     * such as Open WebUI send their defaults on every request.
     */
    private record Unimplemented(String field, JsonNode neutral, String advice) {}

    private static final List<Unimplemented> UNIMPLEMENTED = List.of(
            new Unimplemented("top_logprobs", null, "log probabilities are not returned by this server"),
            new Unimplemented("audio", null, "the models served here have no audio output"),
            new Unimplemented("prediction", null, "predicted outputs are not implemented"),
            new Unimplemented("web_search_options", null, "this server has no web search"),
            new Unimplemented("reasoning_effort", null, "the models served here take no reasoning effort"),
            new Unimplemented(
                    "modalities",
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                            .arrayNode()
                            .add("text"),
                    "only text is generated here (send [\"text\"] or leave it out)"),
            new Unimplemented("best_of", one(), "one sequence is generated per request"),
            new Unimplemented("use_beam_search", null, "only sampling and greedy decoding are implemented"),
            new Unimplemented("typical_p", one(), "use top_p, top_k or min_p"),
            new Unimplemented("tfs_z", one(), "use top_p, top_k or min_p"),
            new Unimplemented("mirostat", null, "use top_p, top_k or min_p"),
            new Unimplemented("min_tokens", null, "generation always stops at the model's end-of-sequence token"),
            new Unimplemented("ignore_eos", null, "generation always stops at the model's end-of-sequence token"),
            new Unimplemented("repeat_penalty", one(), "this server reads it as 'repetition_penalty'"));

    private static JsonNode one() {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.numberNode(1);
    }

    private static void refuseUnimplemented(JsonNode body) {
        for (Unimplemented u : UNIMPLEMENTED) {
            JsonNode v = present(body, u.field());
            if (v == null || neutral(v) || (u.neutral() != null && sameValue(v, u.neutral()))) continue;
            throw new InvalidRequest(
                    u.field(),
                    "unsupported_parameter",
                    "Unsupported parameter: '" + u.field() + "' is not implemented by this server (" + u.advice()
                            + "); leave it out" + (u.neutral() == null ? "" : " or send " + u.neutral()) + ".");
        }
    }

    private static boolean neutral(JsonNode v) {
        if (v.isNumber()) return v.asDouble() == 0;
        if (v.isBoolean()) return !v.asBoolean();
        if (v.isContainerNode()) return v.isEmpty();
        return false;
    }

    private static boolean sameValue(JsonNode v, JsonNode neutral) {
        if (v.isNumber() && neutral.isNumber()) return v.asDouble() == neutral.asDouble();
        return v.equals(neutral);
    }

    static String model(JsonNode body) {
        JsonNode v = body.get("model");
        if (v == null || v.isNull())
            throw new InvalidRequest("model", "missing_required_parameter", "Missing required parameter: 'model'.");
        if (!v.isTextual()) throw wrongType("model", "a string", v);
        if (v.asText().isBlank())
            throw new InvalidRequest(
                    "model", "invalid_value", "Invalid 'model': empty string; name a model from GET /v1/models.");
        return v.asText().strip();
    }

    private static List<Message> messages(JsonNode arr) {
        if (arr == null || arr.isNull())
            throw new InvalidRequest(
                    "messages", "missing_required_parameter", "Missing required parameter: 'messages'.");
        if (!arr.isArray()) throw wrongType("messages", "an array", arr);
        if (arr.size() > ChatCompletionRequest.MAX_MESSAGES) // before any work per message: 100k cost seconds
        throw new InvalidRequest(
                    "messages",
                    "array_above_max_length",
                    "Invalid 'messages': array too long. Expected an array with maximum length "
                            + ChatCompletionRequest.MAX_MESSAGES + ", but got an array with length " + arr.size()
                            + " instead.");
        if (arr.isEmpty())
            throw new InvalidRequest(
                    "messages",
                    "empty_array",
                    "Invalid 'messages': empty array. Expected at least one message, e.g. "
                            + "[{\"role\":\"user\",\"content\":\"Hello\"}].");
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            String at = "messages[" + i + "]";
            JsonNode m = arr.get(i);
            if (!m.isObject()) throw wrongType(at, "an object", m);
            JsonNode r = m.get("role");
            if (r == null || !r.isTextual())
                throw new InvalidRequest(
                        at + ".role",
                        "missing_required_parameter",
                        "Missing required parameter: '" + at + ".role' (system, user or assistant).");
            out.add(new Message(
                    r.asText(),
                    content(m.get("content"), at + ".content"),
                    string(m, "name", at + ".name"),
                    array(m, "tool_calls", at + ".tool_calls"),
                    string(m, "tool_call_id", at + ".tool_call_id")));
        }
        return out;
    }

    /** A string, or an array of parts, each an object with a type; a text part's text must be a string. */
    private static Content content(JsonNode c, String at) {
        if (c == null || c.isNull()) return null;
        if (c.isTextual()) return new Content.Text(c.asText());
        if (!c.isArray()) throw wrongType(at, "a string or an array of content parts", c);
        List<ContentPart> parts = new ArrayList<>();
        for (int j = 0; j < c.size(); j++) {
            String partAt = at + "[" + j + "]";
            JsonNode part = c.get(j);
            if (!part.isObject()) throw wrongType(partAt, "an object (a content part)", part);
            String type = string(part, "type", partAt + ".type");
            String text = null;
            if ("text".equals(type)) {
                JsonNode t = part.get("text");
                if (t == null || !t.isTextual()) throw wrongType(partAt + ".text", "a string", t);
                text = t.asText();
            }
            parts.add(new ContentPart(type, text));
        }
        return new Content.Parts(List.copyOf(parts));
    }

    private static List<String> stops(JsonNode body) {
        JsonNode s = present(body, "stop");
        if (s == null) return null;
        if (s.isTextual()) return List.of(s.asText());
        if (!s.isArray()) throw wrongType("stop", "a string or an array of strings", s);
        if (s.size() > ChatCompletionRequest.MAX_STOP)
            throw new InvalidRequest(
                    "stop",
                    "array_above_max_length",
                    "Invalid 'stop': at most " + ChatCompletionRequest.MAX_STOP + " strings, got " + s.size() + ".");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            if (!s.get(i).isTextual()) throw wrongType("stop[" + i + "]", "a string", s.get(i));
            out.add(s.get(i).asText());
        }
        return List.copyOf(out);
    }

    private static Map<String, Double> logitBias(JsonNode body) {
        JsonNode b = present(body, "logit_bias");
        if (b == null) return null;
        if (!b.isObject()) throw wrongType("logit_bias", "an object (token id to bias)", b);
        Map<String, Double> out = new LinkedHashMap<>();
        for (var e : b.properties()) {
            if (!e.getValue().isNumber()) throw wrongType("logit_bias." + e.getKey(), "a number", e.getValue());
            out.put(e.getKey(), e.getValue().asDouble());
        }
        return out;
    }

    private static ChatCompletionRequest.ResponseFormat responseFormat(JsonNode body) {
        JsonNode rf = present(body, "response_format");
        if (rf == null) return null;
        if (!rf.isObject()) throw wrongType("response_format", "an object such as {\"type\":\"text\"}", rf);
        return new ChatCompletionRequest.ResponseFormat(string(rf, "type", "response_format.type"));
    }

    /** The field, or null when absent or JSON null. */
    static JsonNode present(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? null : v;
    }

    static String string(JsonNode body, String field, String param) {
        JsonNode v = present(body, field);
        if (v == null) return null;
        if (!v.isTextual()) throw wrongType(param, "a string", v);
        return v.asText();
    }

    private static List<JsonNode> array(JsonNode body, String field) {
        return array(body, field, field);
    }

    private static List<JsonNode> array(JsonNode body, String field, String param) {
        JsonNode v = present(body, field);
        if (v == null) return null;
        if (!v.isArray()) throw wrongType(param, "an array", v);
        List<JsonNode> out = new ArrayList<>();
        v.forEach(out::add);
        return List.copyOf(out);
    }

    /**
     * An integer: a JSON number without a fraction ({@code 1e3} and {@code 256.0} included). One beyond the int range
     * is named as such ({@code 1e12} is an integer, just too large), not as a wrong type.
     */
    static Integer integer(JsonNode body, String field) {
        JsonNode v = present(body, field);
        if (v == null) return null;
        if (!v.isNumber()) throw wrongType(field, "an integer", v);
        if ((v.isDouble() || v.isFloat()) && !Double.isFinite(v.doubleValue()))
            throw new InvalidRequest(
                    field,
                    v.doubleValue() > 0 ? "integer_above_max_value" : "integer_below_min_value",
                    "Invalid '" + field + "': " + v.asText() + " is out of range; expected an integer up to "
                            + Integer.MAX_VALUE + ".");
        java.math.BigDecimal d = v.decimalValue();
        if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) throw wrongType(field, "an integer", v);
        if (d.compareTo(INT_MAX) > 0)
            throw new InvalidRequest(
                    field,
                    "integer_above_max_value",
                    "Invalid '" + field + "': integer above maximum value. Expected a value <= " + Integer.MAX_VALUE
                            + ", but got " + plain(d) + " instead.");
        if (d.compareTo(INT_MIN) < 0)
            throw new InvalidRequest(
                    field,
                    "integer_below_min_value",
                    "Invalid '" + field + "': integer below minimum value. Expected a value >= " + Integer.MIN_VALUE
                            + ", but got " + plain(d) + " instead.");
        return d.intValueExact();
    }

    private static final java.math.BigDecimal INT_MAX = java.math.BigDecimal.valueOf(Integer.MAX_VALUE);
    private static final java.math.BigDecimal INT_MIN = java.math.BigDecimal.valueOf(Integer.MIN_VALUE);

    /** {@code 1e12} as 1000000000000; a huge exponent stays in scientific notation rather than a million digits. */
    private static String plain(java.math.BigDecimal d) {
        java.math.BigDecimal s = d.stripTrailingZeros();
        return s.precision() - s.scale() > 40 ? s.toString() : s.toPlainString();
    }

    static Integer positiveInt(JsonNode body, String field) {
        Integer v = integer(body, field);
        if (v != null && v < 1)
            throw new InvalidRequest(
                    field,
                    "integer_below_min_value",
                    "Invalid '" + field + "': integer below minimum value. Expected a value >= 1, but got " + v
                            + " instead.");
        return v;
    }

    static Double number(JsonNode body, String field, double min, double max) {
        JsonNode v = present(body, field);
        if (v == null) return null;
        if (!v.isNumber()) throw wrongType(field, "a number", v);
        double d = v.asDouble();
        if (d < min || d > max)
            throw new InvalidRequest(
                    field,
                    d < min ? "decimal_below_min_value" : "decimal_above_max_value",
                    "Invalid '" + field + "': expected a value between " + fmt(min) + " and " + fmt(max) + ", but got "
                            + v.asText() + " instead.");
        return d;
    }

    static Boolean bool(JsonNode body, String field, String param) {
        JsonNode v = present(body, field);
        if (v == null) return null;
        if (!v.isBoolean()) throw wrongType(param, "a boolean", v);
        return v.asBoolean();
    }

    static InvalidRequest wrongType(String param, String expected, JsonNode got) {
        String kind = got == null ? "nothing" : got.getNodeType().name().toLowerCase(Locale.ROOT);
        kind = switch (kind) {
            case "nothing", "null" -> kind;
            case "missing" -> "nothing";
            case "array", "object" -> "an " + kind;
            default -> "a " + kind;
        };
        return new InvalidRequest(
                param,
                "invalid_type",
                "Invalid type for '" + param + "': expected " + expected + ", but got " + kind + " instead.");
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
