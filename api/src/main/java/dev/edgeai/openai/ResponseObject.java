package dev.edgeai.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A response of OpenAI's Responses API as this kit sends it: the answer of a blocking {@code POST /v1/responses},
 * and the {@code response} inside the lifecycle events of a streamed one. Fields that are null are written as null,
 * as OpenAI does. Built by {@link Responses}.
 *
 * @param status    {@code in_progress}, {@code completed}, {@code incomplete} (max_output_tokens reached) or
 *                  {@code failed}
 * @param usage     null until the response is done
 */
public record ResponseObject(
        String id,
        String object,
        @JsonProperty("created_at") long createdAt,
        String status,
        Error error,
        @JsonProperty("incomplete_details") IncompleteDetails incompleteDetails,
        String instructions,
        @JsonProperty("max_output_tokens") Integer maxOutputTokens,
        String model,
        List<OutputMessage> output,
        @JsonProperty("parallel_tool_calls") boolean parallelToolCalls,
        @JsonProperty("previous_response_id") String previousResponseId,
        Double temperature,
        @JsonProperty("top_p") Double topP,
        @JsonProperty("tool_choice") String toolChoice,
        List<Object> tools,
        Text text,
        String truncation,
        boolean store,
        Usage usage,
        Map<String, String> metadata) {

    public static final String OBJECT = "response";

    public record Error(String code, String message) {}

    /** @param reason {@code max_output_tokens} */
    public record IncompleteDetails(String reason) {}

    /** The assistant's message: one output_text part. */
    public record OutputMessage(String type, String id, String status, String role, List<OutputText> content) {
        public static OutputMessage of(String id, String status, List<OutputText> content) {
            return new OutputMessage("message", id, status, "assistant", List.copyOf(content));
        }

        /** The text of all parts, what the SDKs call {@code output_text}. */
        public String text() {
            StringBuilder sb = new StringBuilder();
            for (OutputText t : content) sb.append(t.text());
            return sb.toString();
        }
    }

    public record OutputText(String type, String text, List<Object> annotations, List<Object> logprobs) {
        public static OutputText of(String text) {
            return new OutputText("output_text", text, List.of(), List.of());
        }
    }

    /** {@code {"format":{"type":"text"}}}: the only output format served. */
    public record Text(Format format) {
        public static final Text PLAIN = new Text(new Format("text"));
    }

    public record Format(String type) {}

    public record Usage(
            @JsonProperty("input_tokens") int inputTokens,
            @JsonProperty("input_tokens_details") InputDetails inputTokensDetails,
            @JsonProperty("output_tokens") int outputTokens,
            @JsonProperty("output_tokens_details") OutputDetails outputTokensDetails,
            @JsonProperty("total_tokens") int totalTokens) {
        public static Usage of(int input, int output) {
            return new Usage(input, new InputDetails(0), output, new OutputDetails(0), input + output);
        }
    }

    public record InputDetails(
            @JsonProperty("cached_tokens") int cachedTokens) {}

    public record OutputDetails(
            @JsonProperty("reasoning_tokens") int reasoningTokens) {}

    /** The text of the first output message, or "" (what the SDKs call {@code output_text}). */
    public String outputText() {
        return output == null || output.isEmpty() ? "" : output.getFirst().text();
    }
}
