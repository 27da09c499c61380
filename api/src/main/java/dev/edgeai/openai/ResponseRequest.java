package dev.edgeai.openai;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@code POST /v1/responses} body (OpenAI's Responses API), text only. {@link #parse} reads {@code input} as a
 * string or a list of message items and refuses, naming the field, what a text model served here cannot do: tools,
 * images and files, non-text output formats, reasoning settings, background mode. Fields that change nothing about
 * the text (metadata, user, truncation, service_tier, ...) are ignored, as clients send them by default.
 *
 * @param input              the conversation items this request adds, in order (a string is one user message)
 * @param previousResponseId continue the conversation of a stored response
 * @param store              false: the answer is not kept for a later {@code previous_response_id} (default true)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResponseRequest(
        String model,
        List<InputMessage> input,
        String instructions,
        @JsonProperty("max_output_tokens") Integer maxOutputTokens,
        Double temperature,
        @JsonProperty("top_p") Double topP,
        Boolean stream,
        @JsonProperty("previous_response_id") String previousResponseId,
        Boolean store) {

    /** At most this many input items, like messages in chat completions. */
    public static final int MAX_ITEMS = ChatCompletionRequest.MAX_MESSAGES;

    public ResponseRequest {
        input = List.copyOf(input);
    }

    /** One message item: its role (system, developer, user or assistant) and its text parts joined. */
    public record InputMessage(String role, String text) {}

    @JsonIgnore
    public boolean streaming() {
        return Boolean.TRUE.equals(stream);
    }

    /** Whether the answer is kept for {@code previous_response_id} (OpenAI's default is to store). */
    @JsonIgnore
    public boolean stored() {
        return !Boolean.FALSE.equals(store);
    }

    /** Reads and checks a request body; see the class comment. */
    public static ResponseRequest parse(JsonNode body) {
        if (body == null || !body.isObject())
            throw new InvalidRequest(
                    null, "invalid_request_body", "the request body must be a JSON object with 'model' and 'input'");
        String model = RequestReader.model(body);
        List<InputMessage> input = input(RequestReader.present(body, "input"));
        Double topP = RequestReader.number(body, "top_p", 0, 1);
        if (topP != null && topP == 0)
            throw new InvalidRequest(
                    "top_p", "invalid_value", "Invalid 'top_p': must be greater than 0 and at most 1.");
        refuseUnsupported(body);
        String previous = RequestReader.string(body, "previous_response_id", "previous_response_id");
        if (input.isEmpty() && previous == null)
            throw new InvalidRequest(
                    "input",
                    "empty_array",
                    "Invalid 'input': empty array. Expected at least one item, e.g. "
                            + "[{\"role\":\"user\",\"content\":\"Hello\"}] or just \"Hello\".");
        return new ResponseRequest(
                model,
                input,
                RequestReader.string(body, "instructions", "instructions"),
                RequestReader.positiveInt(body, "max_output_tokens"),
                RequestReader.number(body, "temperature", 0, 2),
                topP,
                RequestReader.bool(body, "stream", "stream"),
                previous,
                RequestReader.bool(body, "store", "store"));
    }

    private static List<InputMessage> input(JsonNode in) {
        if (in == null)
            throw new InvalidRequest("input", "missing_required_parameter", "Missing required parameter: 'input'.");
        if (in.isTextual()) return List.of(new InputMessage("user", in.asText()));
        if (!in.isArray()) throw RequestReader.wrongType("input", "a string or an array of input items", in);
        if (in.size() > MAX_ITEMS)
            throw new InvalidRequest(
                    "input",
                    "array_above_max_length",
                    "Invalid 'input': array too long. Expected an array with maximum length " + MAX_ITEMS
                            + ", but got an array with length " + in.size() + " instead.");
        List<InputMessage> out = new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) out.add(item(in.get(i), "input[" + i + "]"));
        return out;
    }

    private static InputMessage item(JsonNode item, String at) {
        if (!item.isObject()) throw RequestReader.wrongType(at, "an object (an input item)", item);
        String type = RequestReader.string(item, "type", at + ".type");
        if (type != null && !type.equals("message"))
            throw new InvalidRequest(
                    at + ".type",
                    "unsupported_value",
                    "Unsupported input item of type '" + type + "' in " + at + ": this server reads message items "
                            + "only ({\"role\":\"user\",\"content\":\"...\"}); it has no tools"
                            + (type.equals("item_reference") ? " and resolves no item references" : "")
                            + ".");
        JsonNode r = item.get("role");
        if (r == null || !r.isTextual())
            throw new InvalidRequest(
                    at + ".role",
                    "missing_required_parameter",
                    "Missing required parameter: '" + at + ".role' (system, developer, user or assistant).");
        String role = r.asText().toLowerCase(Locale.ROOT);
        if (!List.of("system", "developer", "user", "assistant").contains(role))
            throw new InvalidRequest(
                    at + ".role",
                    "invalid_value",
                    "Invalid value for '" + at + ".role': '" + r.asText()
                            + "'. Supported values are: 'system', 'developer', 'user' and 'assistant'.");
        return new InputMessage(role, content(item.get("content"), at + ".content"));
    }

    /** A string, or parts of type input_text / output_text; an image, file or audio part is refused. */
    private static String content(JsonNode c, String at) {
        if (c == null || c.isNull())
            throw new InvalidRequest(at, "missing_required_parameter", "Missing required parameter: '" + at + "'.");
        if (c.isTextual()) return c.asText();
        if (!c.isArray()) throw RequestReader.wrongType(at, "a string or an array of content parts", c);
        StringBuilder text = new StringBuilder();
        for (int j = 0; j < c.size(); j++) {
            String partAt = at + "[" + j + "]";
            JsonNode part = c.get(j);
            if (!part.isObject()) throw RequestReader.wrongType(partAt, "an object (a content part)", part);
            String type = RequestReader.string(part, "type", partAt + ".type");
            if (!"input_text".equals(type) && !"output_text".equals(type))
                throw new InvalidRequest(
                        partAt,
                        "unsupported_content",
                        "Unsupported content part of type '" + (type == null ? "(none)" : type) + "' in " + partAt
                                + ": the models served here read text only, no images, files or audio (send "
                                + "{\"type\":\"input_text\",\"text\":...}).");
            JsonNode t = part.get("text");
            if (t == null || !t.isTextual()) throw RequestReader.wrongType(partAt + ".text", "a string", t);
            if (!text.isEmpty()) text.append('\n');
            text.append(t.asText());
        }
        return text.toString();
    }

    /** Features with no text-only equivalent: a 400 naming them; their neutral values (none, empty) pass. */
    private static void refuseUnsupported(JsonNode body) {
        JsonNode tools = RequestReader.present(body, "tools");
        if (tools != null && (!tools.isArray() || !tools.isEmpty()))
            throw new InvalidRequest(
                    "tools",
                    "unsupported_value",
                    "'tools' is not supported: the models served here have no tool calling. Leave out 'tools'.");
        JsonNode choice = RequestReader.present(body, "tool_choice");
        if (choice != null && !(choice.isTextual() && List.of("auto", "none").contains(choice.asText())))
            throw new InvalidRequest(
                    "tool_choice",
                    "unsupported_value",
                    "'tool_choice' " + choice + " is not supported: no tools here; leave it out (or send \"auto\").");
        JsonNode format = RequestReader.present(body.path("text"), "format");
        if (format != null && !"text".equals(format.path("type").asText(null)))
            throw new InvalidRequest(
                    "text.format",
                    "unsupported_value",
                    "Unsupported 'text.format' " + format.path("type")
                            + ": only {\"type\":\"text\"}; ask for JSON in the prompt instead.");
        JsonNode reasoning = RequestReader.present(body, "reasoning");
        if (reasoning != null
                && (RequestReader.present(reasoning, "effort") != null
                        || RequestReader.present(reasoning, "summary") != null))
            throw new InvalidRequest(
                    "reasoning",
                    "unsupported_value",
                    "'reasoning' settings are not supported by this server: the model reasons (or not) as it was "
                            + "trained. Leave out 'reasoning'.");
        JsonNode include = RequestReader.present(body, "include");
        if (include != null && (!include.isArray() || !include.isEmpty()))
            throw new InvalidRequest(
                    "include",
                    "unsupported_value",
                    "'include' " + include + " is not supported: this server sends the output text and usage only.");
        if (Boolean.TRUE.equals(RequestReader.bool(body, "background", "background")))
            throw new InvalidRequest(
                    "background",
                    "unsupported_value",
                    "'background' responses are not supported: send the request with stream=true instead.");
        Integer logprobs = RequestReader.integer(body, "top_logprobs");
        if (logprobs != null && logprobs != 0)
            throw new InvalidRequest(
                    "top_logprobs",
                    "unsupported_value",
                    "'top_logprobs' is not supported by this server; leave it out.");
    }
}
