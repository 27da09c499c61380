package dev.edgeai.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeai.chat.ChatMessage;
import dev.edgeai.chat.ChatRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code POST /v1/chat/completions} body, checked field by field the way OpenAI does: a wrong type or value of a
 * field this server knows is a 400 naming the field ({@code param}); fields it does not know are ignored, since
 * clients such as Open WebUI send extra ones.
 *
 * @param model        the model as the client named it (an id, an alias, or a prefix such as "phi-4-mini")
 * @param chat         what to generate, still naming {@code model} (the server swaps in the resolved id)
 * @param includeUsage {@code stream_options.include_usage}: a last chunk with usage and no choices
 */
record CompletionRequest(String model, ChatRequest chat, boolean stream, boolean includeUsage) {
    static final int MAX_STOP = 16;

    static CompletionRequest parse(JsonNode body) {
        if (body == null || !body.isObject())
            throw ApiError.invalid(
                    null, "invalid_request_body", "the request body must be a JSON object with 'model' and 'messages'");
        String model = requiredString(body, "model");
        List<ChatMessage> messages = messages(body.get("messages"));

        rejectUnsupported(body);
        Integer maxTokens = positiveInt(body, "max_completion_tokens");
        if (maxTokens == null) maxTokens = positiveInt(body, "max_tokens");
        Double temperature = number(body, "temperature", 0, 2);
        Double topP = number(body, "top_p", 0, 1);
        if (topP != null && topP == 0)
            throw ApiError.invalid("top_p", "invalid_value", "Invalid 'top_p': must be greater than 0 and at most 1.");
        Long seed = null;
        JsonNode s = present(body, "seed");
        if (s != null) {
            if (!s.isIntegralNumber() || !s.canConvertToLong()) throw wrongType("seed", "an integer", s);
            seed = s.asLong();
        }
        boolean stream = bool(body, "stream");
        boolean includeUsage = false;
        JsonNode so = present(body, "stream_options");
        if (so != null) {
            if (!so.isObject()) throw wrongType("stream_options", "an object", so);
            includeUsage = bool(so, "include_usage", "stream_options.include_usage");
        }
        ChatRequest chat = ChatRequest.builder(model)
                .messages(messages)
                .maxTokens(maxTokens)
                .temperature(temperature)
                .topP(topP)
                .seed(seed)
                .stop(stops(body))
                .build();
        return new CompletionRequest(model, chat, stream, includeUsage);
    }

    /** Known fields whose values this server cannot honour: refused, never silently ignored. */
    private static void rejectUnsupported(JsonNode body) {
        JsonNode n = present(body, "n");
        if (n != null) {
            if (!n.isIntegralNumber()) throw wrongType("n", "an integer", n);
            if (n.asLong() != 1)
                throw ApiError.invalid(
                        "n",
                        "unsupported_value",
                        "Unsupported value for 'n': " + n.asLong()
                                + ". This server generates one choice per request; send n=1 (or leave it out) and repeat the request.");
        }
        for (String f : List.of("tools", "functions")) {
            JsonNode t = present(body, f);
            if (t != null && !(t.isArray() && t.isEmpty()))
                throw ApiError.invalid(
                        f,
                        "unsupported_value",
                        "'" + f + "' is not supported: the models served here have no tool calling. " + "Leave out '"
                                + f + "' (in Open WebUI: turn off native function calling for this model).");
        }
        JsonNode rf = present(body, "response_format");
        if (rf != null && !"text".equals(rf.path("type").asText("")))
            throw ApiError.invalid(
                    "response_format",
                    "unsupported_value",
                    "Unsupported 'response_format' " + rf.path("type")
                            + ": only {\"type\":\"text\"}; ask for JSON in the prompt instead.");
        JsonNode lp = present(body, "logprobs");
        if (lp != null && lp.asBoolean(false))
            throw ApiError.invalid(
                    "logprobs",
                    "unsupported_value",
                    "'logprobs' is not supported by this server; leave it out or set it to false.");
    }

    private static List<ChatMessage> messages(JsonNode arr) {
        if (arr == null || arr.isNull() || arr.isMissingNode())
            throw ApiError.invalid("messages", "missing_required_parameter", "Missing required parameter: 'messages'.");
        if (!arr.isArray()) throw wrongType("messages", "an array", arr);
        if (arr.isEmpty())
            throw ApiError.invalid(
                    "messages",
                    "empty_array",
                    "Invalid 'messages': empty array. Expected at least one message, e.g. "
                            + "[{\"role\":\"user\",\"content\":\"Hello\"}].");
        List<ChatMessage> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            String at = "messages[" + i + "]";
            JsonNode m = arr.get(i);
            if (!m.isObject()) throw wrongType(at, "an object", m);
            JsonNode r = m.get("role");
            if (r == null || !r.isTextual())
                throw ApiError.invalid(
                        at + ".role",
                        "missing_required_parameter",
                        "Missing required parameter: '" + at + ".role' (system, user or assistant).");
            String role = r.asText().toLowerCase(Locale.ROOT);
            role = switch (role) {
                case "system", "developer" -> "system"; // "developer" is OpenAI's newer name for the system role
                case "user", "assistant" -> role;
                case "tool", "function" ->
                    throw ApiError.invalid(
                            at + ".role",
                            "unsupported_value",
                            "Unsupported role '" + role + "' in " + at
                                    + ": the models served here have no tool calling.");
                default ->
                    throw ApiError.invalid(
                            at + ".role",
                            "invalid_value",
                            "Invalid value for '" + at + ".role': '" + r.asText()
                                    + "'. Supported values are: 'system', 'user' and 'assistant'.");
            };
            JsonNode tc = m.get("tool_calls");
            if (tc != null && tc.isArray() && !tc.isEmpty())
                throw ApiError.invalid(
                        at + ".tool_calls",
                        "unsupported_value",
                        "'tool_calls' in " + at + " is not supported: no tool calling here.");
            out.add(new ChatMessage(role, content(m.get("content"), at + ".content", role)));
        }
        return out;
    }

    /** A string, or an array of parts of which only {"type":"text"} can be read by a text model. */
    private static String content(JsonNode c, String at, String role) {
        if (c == null || c.isNull()) {
            if (role.equals("assistant")) return "";
            throw ApiError.invalid(at, "missing_required_parameter", "Missing required parameter: '" + at + "'.");
        }
        if (c.isTextual()) return c.asText();
        if (!c.isArray()) throw wrongType(at, "a string or an array of content parts", c);
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < c.size(); j++) {
            JsonNode part = c.get(j);
            String type = part.path("type").asText("");
            if (!type.equals("text")) {
                throw ApiError.invalid(
                        at + "[" + j + "]",
                        "unsupported_content",
                        "Unsupported content part of type '"
                                + (type.isEmpty()
                                        ? part.getNodeType().toString().toLowerCase(Locale.ROOT)
                                        : type) + "' in " + at + "[" + j
                                + "]: the models served here read text only (send {\"type\":\"text\",\"text\":...}).");
            }
            JsonNode t = part.get("text");
            if (t == null || !t.isTextual()) throw wrongType(at + "[" + j + "].text", "a string", t);
            if (!sb.isEmpty()) sb.append('\n');
            sb.append(t.asText());
        }
        return sb.toString();
    }

    private static List<String> stops(JsonNode body) {
        JsonNode s = present(body, "stop");
        if (s == null) return List.of();
        if (s.isTextual()) return List.of(s.asText());
        if (!s.isArray()) throw wrongType("stop", "a string or an array of strings", s);
        if (s.size() > MAX_STOP)
            throw ApiError.invalid(
                    "stop",
                    "array_above_max_length",
                    "Invalid 'stop': at most " + MAX_STOP + " strings, got " + s.size() + ".");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            if (!s.get(i).isTextual()) throw wrongType("stop[" + i + "]", "a string", s.get(i));
            out.add(s.get(i).asText());
        }
        return out;
    }

    private static String requiredString(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull())
            throw ApiError.invalid(field, "missing_required_parameter", "Missing required parameter: '" + field + "'.");
        if (!v.isTextual()) throw wrongType(field, "a string", v);
        if (v.asText().isBlank())
            throw ApiError.invalid(
                    field, "invalid_value", "Invalid '" + field + "': empty string; name a model from GET /v1/models.");
        return v.asText().strip();
    }

    /** The field, or null when absent or JSON null (OpenAI treats null as "not given"). */
    private static JsonNode present(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? null : v;
    }

    private static Integer positiveInt(JsonNode body, String field) {
        JsonNode v = present(body, field);
        if (v == null) return null;
        if (!v.isIntegralNumber() || !v.canConvertToInt()) throw wrongType(field, "an integer", v);
        if (v.asInt() < 1)
            throw ApiError.invalid(
                    field,
                    "integer_below_min_value",
                    "Invalid '" + field + "': integer below minimum value. " + "Expected a value >= 1, but got "
                            + v.asInt() + " instead.");
        return v.asInt();
    }

    private static Double number(JsonNode body, String field, double min, double max) {
        JsonNode v = present(body, field);
        if (v == null) return null;
        if (!v.isNumber()) throw wrongType(field, "a number", v);
        double d = v.asDouble();
        if (d < min || d > max)
            throw ApiError.invalid(
                    field,
                    d < min ? "decimal_below_min_value" : "decimal_above_max_value",
                    "Invalid '" + field + "': expected a value between " + fmt(min) + " and " + fmt(max) + ", but got "
                            + v.asText() + " instead.");
        return d;
    }

    private static boolean bool(JsonNode body, String field) {
        return bool(body, field, field);
    }

    private static boolean bool(JsonNode body, String field, String param) {
        JsonNode v = present(body, field);
        if (v == null) return false;
        if (!v.isBoolean()) throw wrongType(param, "a boolean", v);
        return v.asBoolean();
    }

    private static ApiError wrongType(String param, String expected, JsonNode got) {
        String kind = got == null
                ? "nothing"
                : Map.of(
                                "STRING",
                                "a string",
                                "NUMBER",
                                "a number",
                                "BOOLEAN",
                                "a boolean",
                                "ARRAY",
                                "an array",
                                "OBJECT",
                                "an object",
                                "NULL",
                                "null")
                        .getOrDefault(
                                got.getNodeType().name(), got.getNodeType().name());
        return ApiError.invalid(
                param,
                "invalid_type",
                "Invalid type for '" + param + "': expected " + expected + ", but got " + kind + " instead.");
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
