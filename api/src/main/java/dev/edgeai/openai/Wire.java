package dev.edgeai.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.edgeai.chat.ChatMessage;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.chat.FinishReason;
import dev.edgeai.chat.ModelInfo;
import dev.edgeai.chat.Usage;
import dev.edgeai.openai.ChatCompletionRequest.Content;
import dev.edgeai.openai.ChatCompletionRequest.ContentPart;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The OpenAI chat-completions wire format as this kit speaks it: the mapper, and pure conversions between the wire
 * records ({@link ChatCompletionRequest}, {@link ChatCompletion}, {@link ChatCompletionChunk}, {@link ModelList},
 * {@link ErrorResponse}) and the chat contract ({@link ChatRequest}, {@link ChatResult}, {@link Usage},
 * {@link ModelInfo}). {@code to...} goes from the contract to the wire, {@code from...} back. The client, the
 * server and the testkit all go through here, so the three cannot drift apart.
 */
public final class Wire {
    private Wire() {}

    /** Lenient on read (every server adds fields of its own), one line per document on write. */
    public static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .disable(SerializationFeature.INDENT_OUTPUT);

    /** Response header by which discovery tells this kit's serve.java from another server on its port. */
    public static final String SERVER_HEADER = "X-Edgeai-Server";

    /** {@link #SERVER_HEADER}'s value. */
    public static final String SERVER_NAME = "serve.java";

    // ---- chat contract -> wire ----------------------------------------------------------------------------------

    /** A client's request; null knobs are left out so the server applies its own defaults. */
    public static ChatCompletionRequest toCompletionRequest(ChatRequest r, boolean stream) {
        List<ChatCompletionRequest.Message> messages = r.messages().stream()
                .map(m -> ChatCompletionRequest.Message.of(m.role(), m.content()))
                .toList();
        return new ChatCompletionRequest(
                r.model(),
                messages,
                stream,
                stream ? new ChatCompletionRequest.StreamOptions(true) : null,
                r.maxTokens(),
                null,
                r.temperature(),
                r.topP(),
                r.topK(),
                r.seed(),
                r.stop().isEmpty() ? null : r.stop(),
                null,
                r.frequencyPenalty(),
                r.presencePenalty(),
                r.logitBias().isEmpty() ? null : toLogitBias(r.logitBias()),
                null,
                null,
                null,
                null,
                null,
                null,
                r.minP(),
                r.repetitionPenalty());
    }

    private static java.util.Map<String, Double> toLogitBias(java.util.Map<Integer, Double> bias) {
        java.util.Map<String, Double> out = new java.util.TreeMap<>();
        bias.forEach((id, b) -> out.put(String.valueOf(id), b));
        return out;
    }

    /** A server's whole answer. */
    public static ChatCompletion toCompletion(String id, long created, ChatResult r) {
        return new ChatCompletion(
                id,
                ChatCompletion.OBJECT,
                created,
                r.model(),
                null,
                List.of(new ChatCompletion.Choice(
                        0, ChatCompletion.Message.assistant(r.text()), null, toFinishReason(r.finishReason()))),
                toUsage(r.usage()));
    }

    public static CompletionUsage toUsage(Usage u) {
        return new CompletionUsage(u.promptTokens(), u.completionTokens(), u.totalTokens());
    }

    /**
     * The finish reason a finished answer is sent with. A backend that gave none, or one OpenAI clients do not
     * know, ended normally as far as they can tell: "stop".
     *
     * @throws IllegalArgumentException for CANCELLED and ERROR: such an answer did not finish, and is sent as an
     *     error instead
     */
    public static String toFinishReason(FinishReason f) {
        if (f == null) return FinishReason.STOP.wireName();
        return switch (f) {
            case STOP, LENGTH, TOOL_CALLS, CONTENT_FILTER -> f.wireName();
            case OTHER -> FinishReason.STOP.wireName();
            case CANCELLED, ERROR ->
                throw new IllegalArgumentException("a " + f.wireName() + " answer is reported as an error");
        };
    }

    /** @param ownerIfUnknown the {@code owned_by} of a model whose backend does not say */
    public static ModelList.Model toModel(ModelInfo m, long created, String ownerIfUnknown) {
        return ModelList.Model.of(m.id(), created, m.ownedBy() == null ? ownerIfUnknown : m.ownedBy());
    }

    // ---- wire -> chat contract ----------------------------------------------------------------------------------

    /**
     * What to generate, or an {@link InvalidRequest} for what the chat contract cannot carry: tool calling, more
     * than one choice, non-text content, log probabilities, a response format other than text. These are refused,
     * never silently dropped, so a client learns at once why its feature does nothing.
     */
    public static ChatRequest fromCompletionRequest(ChatCompletionRequest r) {
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < r.messages().size(); i++)
            messages.add(fromMessage(r.messages().get(i), "messages[" + i + "]"));
        if (r.n() != null && r.n() != 1)
            throw new InvalidRequest(
                    "n",
                    "unsupported_value",
                    "Unsupported value for 'n': " + r.n()
                            + ". This server generates one choice per request; send n=1 (or leave it out) and repeat the request.");
        refuseTools("tools", r.tools());
        refuseTools("functions", r.functions());
        ChatCompletionRequest.ResponseFormat rf = r.responseFormat();
        if (rf != null && !"text".equals(rf.type()))
            throw new InvalidRequest(
                    "response_format",
                    "unsupported_value",
                    "Unsupported 'response_format' " + (rf.type() == null ? "without a type" : "\"" + rf.type() + "\"")
                            + ": only {\"type\":\"text\"}; ask for JSON in the prompt instead.");
        if (Boolean.TRUE.equals(r.logprobs()))
            throw new InvalidRequest(
                    "logprobs",
                    "unsupported_value",
                    "'logprobs' is not supported by this server; leave it out or set it to false.");
        return ChatRequest.builder(r.model())
                .messages(messages)
                .maxTokens(r.tokenLimit())
                .temperature(r.temperature())
                .topP(r.topP())
                .topK(r.topK() == null || r.topK() <= 0 ? null : r.topK()) // vLLM's -1 and 0 mean "off"
                .seed(r.seed())
                .stop(r.stop())
                .minP(r.minP())
                .frequencyPenalty(r.frequencyPenalty())
                .presencePenalty(r.presencePenalty())
                .repetitionPenalty(r.repetitionPenalty())
                .logitBias(fromLogitBias(r.logitBias()))
                .build();
    }

    /**
     * OpenAI's token-id strings as ids. Whether an id is in the model's vocabulary is for the server to check: only
     * it knows the model.
     */
    private static java.util.Map<Integer, Double> fromLogitBias(java.util.Map<String, Double> bias) {
        if (bias == null || bias.isEmpty()) return java.util.Map.of();
        java.util.Map<Integer, Double> out = new java.util.LinkedHashMap<>();
        for (var e : bias.entrySet()) {
            String key = e.getKey().strip();
            int id;
            try {
                id = Integer.parseInt(key);
            } catch (NumberFormatException x) {
                id = -1;
            }
            if (id < 0 || !key.chars().allMatch(Character::isDigit))
                throw new InvalidRequest(
                        "logit_bias",
                        "invalid_value",
                        "Invalid 'logit_bias': key '" + e.getKey()
                                + "' is not a token id; keys are token ids as strings, e.g. {\"1234\": -100}.");
            double b = e.getValue();
            if (!(b >= -100 && b <= 100))
                throw new InvalidRequest(
                        "logit_bias",
                        b < -100 ? "decimal_below_min_value" : "decimal_above_max_value",
                        "Invalid 'logit_bias': the bias of token " + id + " is " + b
                                + "; expected a value between -100 and 100.");
            if (b != 0) out.put(id, b);
        }
        return out;
    }

    private static void refuseTools(String field, List<JsonNode> tools) {
        if (tools != null && !tools.isEmpty())
            throw new InvalidRequest(
                    field,
                    "unsupported_value",
                    "'" + field + "' is not supported: the models served here have no tool calling. Leave out '" + field
                            + "' (in Open WebUI: turn off native function calling for this model).");
    }

    private static ChatMessage fromMessage(ChatCompletionRequest.Message m, String at) {
        String role = m.role().toLowerCase(Locale.ROOT);
        role = switch (role) {
            case "system", "developer" -> "system"; // "developer" is OpenAI's newer name for the system role
            case "user", "assistant" -> role;
            case "tool", "function" ->
                throw new InvalidRequest(
                        at + ".role",
                        "unsupported_value",
                        "Unsupported role '" + role + "' in " + at + ": the models served here have no tool calling.");
            default ->
                throw new InvalidRequest(
                        at + ".role",
                        "invalid_value",
                        "Invalid value for '" + at + ".role': '" + m.role()
                                + "'. Supported values are: 'system', 'user' and 'assistant'.");
        };
        if (m.toolCalls() != null && !m.toolCalls().isEmpty())
            throw new InvalidRequest(
                    at + ".tool_calls",
                    "unsupported_value",
                    "'tool_calls' in " + at + " is not supported: no tool calling here.");
        return new ChatMessage(role, fromContent(m.content(), at + ".content", role));
    }

    /** The text of a message; only text parts can be read by a text model. */
    private static String fromContent(Content c, String at, String role) {
        if (c == null) {
            if (role.equals("assistant")) return "";
            throw new InvalidRequest(at, "missing_required_parameter", "Missing required parameter: '" + at + "'.");
        }
        if (c instanceof Content.Parts(List<ContentPart> parts)) {
            for (int j = 0; j < parts.size(); j++) {
                String type = parts.get(j).type();
                if (!"text".equals(type))
                    throw new InvalidRequest(
                            at + "[" + j + "]",
                            "unsupported_content",
                            "Unsupported content part of type '" + (type == null ? "(none)" : type) + "' in " + at
                                    + "[" + j
                                    + "]: the models served here read text only (send {\"type\":\"text\",\"text\":...}).");
            }
        }
        return c.text();
    }

    /** Token counts when the server sent both; null when it sent none or only some (the caller estimates). */
    public static Usage fromUsage(CompletionUsage u) {
        if (u == null || u.promptTokens() == null || u.completionTokens() == null) return null;
        return new Usage(u.promptTokens(), u.completionTokens(), false);
    }

    public static ModelInfo fromModel(ModelList.Model m) {
        return new ModelInfo(m.id(), m.ownedBy());
    }

    /**
     * The models a client can chat with: those the server marked as embedding models are left out.
     *
     * @throws IllegalArgumentException when the list has no {@code data} array
     */
    public static List<ModelInfo> fromModelList(ModelList list) {
        if (list == null || list.data() == null) throw new IllegalArgumentException("no \"data\" array");
        return list.data().stream()
                .filter(m -> !m.embeds())
                .map(Wire::fromModel)
                .toList();
    }

    /** One line of JSON; the wire records always serialise, so a failure here is a bug, not bad input. */
    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    // ---- reading what other servers send ------------------------------------------------------------------------

    /** The server's own words from an error body: {"error":{"message":..}}, {"error":".."} or {"message":..}. */
    public static String errorMessage(JsonNode body) {
        if (body == null || !body.isObject()) return null;
        JsonNode error = body.get("error");
        if (error != null && error.isObject() && error.hasNonNull("message"))
            return error.get("message").asText();
        if (error != null && error.isTextual()) return error.asText();
        if (body.hasNonNull("message")) return body.get("message").asText();
        if (body.hasNonNull("detail")) return body.get("detail").toString();
        return null;
    }

    /** Parses JSON or returns null, so callers can tell "not JSON" from a JSON error. */
    public static JsonNode tryParse(String text) {
        try {
            JsonNode n = JSON.readTree(text);
            return n == null || n.isMissingNode() ? null : n;
        } catch (Exception e) {
            return null;
        }
    }

    /** All message texts, for estimating prompt tokens when a server sends no usage. */
    public static String prompt(List<ChatMessage> messages) {
        StringBuilder sb = new StringBuilder();
        for (ChatMessage m : messages) sb.append(m.content());
        return sb.toString();
    }
}
