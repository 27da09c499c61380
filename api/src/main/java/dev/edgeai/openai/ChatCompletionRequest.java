package dev.edgeai.openai;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A {@code POST /v1/chat/completions} body: every field a server of this kit reads or refuses. Fields left null are
 * left out when written, so the receiving server applies its own defaults. {@link #parse} reads a body the way
 * OpenAI checks it (a wrong type or value is an {@link InvalidRequest} naming the field); fields it does not know are
 * ignored, since clients such as Open WebUI send extra ones. What the chat contract cannot express (tools, several
 * choices, images) is refused later, by {@link Wire#fromCompletionRequest}.
 *
 * @param stop             a string or a list on the wire; always a list here
 * @param topK             vLLM's, llama.cpp's and Ollama's extension (Open WebUI sends it); -1 and 0 mean off
 * @param logitBias        token id (a string of digits, as OpenAI has it) to a bias between -100 and 100
 * @param minP             vLLM's and llama.cpp's extension: 0 means off
 * @param repetitionPenalty vLLM's extension (Hugging Face's penalty): 1 means off
 * @param tools            kept as JSON: a server of this kit only needs to know they were sent
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatCompletionRequest(
        String model,
        List<Message> messages,
        Boolean stream,
        @JsonProperty("stream_options") StreamOptions streamOptions,
        @JsonProperty("max_tokens") Integer maxTokens,
        @JsonProperty("max_completion_tokens") Integer maxCompletionTokens,
        Double temperature,
        @JsonProperty("top_p") Double topP,
        @JsonProperty("top_k") Integer topK,
        Long seed,
        List<String> stop,
        Integer n,
        @JsonProperty("frequency_penalty") Double frequencyPenalty,
        @JsonProperty("presence_penalty") Double presencePenalty,
        @JsonProperty("logit_bias") Map<String, Double> logitBias,
        Boolean logprobs,
        List<JsonNode> tools,
        @JsonProperty("tool_choice") JsonNode toolChoice,
        List<JsonNode> functions,
        @JsonProperty("response_format") ResponseFormat responseFormat,
        String user,
        @JsonProperty("min_p") Double minP,
        @JsonProperty("repetition_penalty") Double repetitionPenalty) {

    /** At most this many stop strings, as OpenAI allows. */
    public static final int MAX_STOP = 16;

    /** At most this many messages, as OpenAI allows: refused before any work per message. */
    public static final int MAX_MESSAGES = 2048;

    /** Reads and checks a request body; see the class comment. */
    public static ChatCompletionRequest parse(JsonNode body) {
        return RequestReader.read(body);
    }

    /** {@code stream} is true. */
    @JsonIgnore
    public boolean streaming() {
        return Boolean.TRUE.equals(stream);
    }

    /** {@code stream_options.include_usage}: a last chunk with usage and no choices. */
    @JsonIgnore
    public boolean includeUsage() {
        return streamOptions != null && Boolean.TRUE.equals(streamOptions.includeUsage());
    }

    /** {@code max_completion_tokens} (OpenAI's newer name) if given, else {@code max_tokens}. */
    @JsonIgnore
    public Integer tokenLimit() {
        return maxCompletionTokens != null ? maxCompletionTokens : maxTokens;
    }

    /**
     * One message. {@code content} is null when absent (an assistant message that only calls tools).
     *
     * @param toolCalls kept as JSON, like {@link ChatCompletionRequest#tools}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Message(
            String role,
            @JsonInclude(JsonInclude.Include.ALWAYS) Content content,
            String name,
            @JsonProperty("tool_calls") List<JsonNode> toolCalls,
            @JsonProperty("tool_call_id") String toolCallId) {
        public static Message of(String role, String text) {
            return new Message(role, new Content.Text(text), null, null, null);
        }
    }

    /** A message's content: a string, or a list of typed parts (text, image_url, input_audio, ...). */
    public sealed interface Content {
        /** The text a text-only model can read: the string, or the text parts joined with newlines. */
        String text();

        record Text(@JsonValue String text) implements Content {}

        record Parts(@JsonValue List<ContentPart> parts) implements Content {
            @Override
            public String text() {
                StringBuilder sb = new StringBuilder();
                for (ContentPart p : parts) {
                    if (!"text".equals(p.type()) || p.text() == null) continue;
                    if (!sb.isEmpty()) sb.append('\n');
                    sb.append(p.text());
                }
                return sb.toString();
            }
        }
    }

    /**
     * One part of a content list. Only the type of a part other than text is kept: nothing here reads images.
     *
     * @param type null when the part had none
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ContentPart(String type, String text) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StreamOptions(
            @JsonProperty("include_usage") Boolean includeUsage) {}

    /** {@code {"type":"text"}}, {@code "json_object"} or {@code "json_schema"} (the schema is not kept). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ResponseFormat(String type) {}
}
