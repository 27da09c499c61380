package dev.edgeai.openai;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One streamed event, {@code "object":"chat.completion.chunk"}: a piece of the answer in {@code delta}, the
 * {@code finish_reason} in the last choice, and (when the request set {@code stream_options.include_usage}) a final
 * chunk with usage and no choices, the others carrying {@code "usage":null}. {@link ChunkStream} writes these
 * without building the records; its tests hold it to the records' JSON byte for byte.
 *
 * @param usage absent unless usage was asked for; see {@link JsonNullable}
 * @param error set by servers that report a failure mid-stream this way (vLLM, Ollama); never written by this kit
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatCompletionChunk(
        String id,
        String object,
        long created,
        String model,

        @JsonProperty("system_fingerprint") @JsonInclude(JsonInclude.Include.ALWAYS)
        String systemFingerprint,

        List<ChunkChoice> choices,
        JsonNullable<CompletionUsage> usage,
        JsonNode error) {
    public static final String OBJECT = "chat.completion.chunk";

    /** A chunk with one choice, as this kit's servers send them. */
    public static ChatCompletionChunk of(
            String id, long created, String model, Delta delta, String finishReason, boolean includeUsage) {
        return new ChatCompletionChunk(
                id,
                OBJECT,
                created,
                model,
                null,
                List.of(new ChunkChoice(0, delta, null, finishReason)),
                includeUsage ? JsonNullable.of(null) : null,
                null);
    }

    /** The last chunk of a stream that asked for usage: no choices. */
    public static ChatCompletionChunk usageOnly(String id, long created, String model, CompletionUsage usage) {
        return new ChatCompletionChunk(id, OBJECT, created, model, null, List.of(), JsonNullable.of(usage), null);
    }

    /** The usage of the usage chunk; null on every other chunk. */
    public CompletionUsage usageValue() {
        return JsonNullable.valueOf(usage);
    }

    /** Some servers stream a {@code message} instead of a {@code delta}: read both. */
    public record ChunkChoice(
            int index,
            @JsonAlias("message") Delta delta,
            @JsonInclude(JsonInclude.Include.ALWAYS) JsonNode logprobs,

            @JsonProperty("finish_reason") @JsonInclude(JsonInclude.Include.ALWAYS)
            String finishReason) {}

    /** What a chunk adds; reasoning as in {@link ChatCompletion.Message}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(
            String role,
            String content,
            @JsonProperty("reasoning_content") String reasoningContent,
            String reasoning) {
        public static final Delta ROLE = new Delta("assistant", "", null, null);
        public static final Delta NONE = new Delta(null, null, null, null);

        public static Delta content(String text) {
            return new Delta(null, text, null, null);
        }

        public static Delta reasoning(String text) {
            return new Delta(null, null, text, null);
        }

        /** Whichever reasoning field the server filled, or null. */
        public String anyReasoning() {
            return reasoningContent != null && !reasoningContent.isEmpty() ? reasoningContent : reasoning;
        }
    }
}
