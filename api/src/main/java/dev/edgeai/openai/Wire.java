package dev.edgeai.openai;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeai.chat.ChatMessage;
import dev.edgeai.chat.ChatRequest;
import java.util.List;

/**
 * The OpenAI chat-completions wire format, only the fields we read or write. Unknown fields are ignored because
 * every server (Foundry Local, Ollama, vLLM, llama.cpp) adds its own.
 */
public final class Wire {
    private Wire() {}

    public static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Message(String role, String content) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StreamOptions(
            @JsonProperty("include_usage") boolean includeUsage) {}

    /** Null knobs are left out so the server applies its own defaults. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CompletionRequest(
            String model,
            List<Message> messages,
            boolean stream,
            @JsonProperty("stream_options") StreamOptions streamOptions,
            @JsonProperty("max_tokens") Integer maxTokens,
            Double temperature,
            @JsonProperty("top_p") Double topP,
            @JsonProperty("top_k") Integer topK,
            Long seed,
            List<String> stop) {

        public static CompletionRequest of(ChatRequest r, boolean stream) {
            List<Message> messages = r.messages().stream()
                    .map(m -> new Message(m.role(), m.content()))
                    .toList();
            return new CompletionRequest(
                    r.model(),
                    messages,
                    stream,
                    stream ? new StreamOptions(true) : null,
                    r.maxTokens(),
                    r.temperature(),
                    r.topP(),
                    r.topK(),
                    r.seed(),
                    r.stop().isEmpty() ? null : r.stop());
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record UsageWire(
            @JsonProperty("prompt_tokens") Integer promptTokens,
            @JsonProperty("completion_tokens") Integer completionTokens,
            @JsonProperty("total_tokens") Integer totalTokens) {}

    /** A streamed delta or a non-streamed message; gpt-oss style servers put thinking in reasoning(_content). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Delta(
            String role,
            String content,
            @JsonProperty("reasoning_content") String reasoningContent,
            String reasoning) {
        public String anyReasoning() {
            return reasoningContent != null && !reasoningContent.isEmpty() ? reasoningContent : reasoning;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Choice(
            Integer index,
            Delta delta,
            Delta message,
            @JsonProperty("finish_reason") String finishReason) {}

    /** Both a {@code chat.completion.chunk} and a whole {@code chat.completion}; error is set by some servers mid-stream. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Completion(
            String id, String object, String model, List<Choice> choices, UsageWire usage, JsonNode error) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ModelEntry(
            String id, @JsonProperty("owned_by") String ownedBy) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ModelList(List<ModelEntry> data) {}

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

    public static String prompt(List<ChatMessage> messages) {
        StringBuilder sb = new StringBuilder();
        for (ChatMessage m : messages) sb.append(m.content());
        return sb.toString();
    }
}
