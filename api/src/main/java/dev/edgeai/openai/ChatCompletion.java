package dev.edgeai.openai;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A whole answer, {@code "object":"chat.completion"}. Written with the fields OpenAI always sends (null
 * {@code system_fingerprint}, {@code logprobs} and {@code refusal} included, as SDKs with strict types expect);
 * read leniently, since every server adds its own fields and some leave usage out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatCompletion(
        String id,
        String object,
        long created,
        String model,

        @JsonProperty("system_fingerprint") @JsonInclude(JsonInclude.Include.ALWAYS)
        String systemFingerprint,

        List<Choice> choices,
        CompletionUsage usage) {
    public static final String OBJECT = "chat.completion";

    /** Some servers answer a whole completion with a {@code delta} instead of a {@code message}: read both. */
    public record Choice(
            int index,
            @JsonAlias("delta") Message message,
            @JsonInclude(JsonInclude.Include.ALWAYS) JsonNode logprobs,

            @JsonProperty("finish_reason") @JsonInclude(JsonInclude.Include.ALWAYS)
            String finishReason) {}

    /**
     * The assistant's message. gpt-oss style servers put thinking in {@code reasoning_content} (vLLM, Foundry Local)
     * or {@code reasoning} (Ollama); it is not part of the answer.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Message(
            String role,
            @JsonInclude(JsonInclude.Include.ALWAYS) String content,
            @JsonInclude(JsonInclude.Include.ALWAYS) String refusal,
            @JsonProperty("reasoning_content") String reasoningContent,
            String reasoning) {
        public static Message assistant(String content) {
            return new Message("assistant", content, null, null, null);
        }

        /** Whichever reasoning field the server filled, or null. */
        public String anyReasoning() {
            return reasoningContent != null && !reasoningContent.isEmpty() ? reasoningContent : reasoning;
        }
    }
}
