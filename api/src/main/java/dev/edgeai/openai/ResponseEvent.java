package dev.edgeai.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The events of a streamed {@code POST /v1/responses}, each sent as an SSE event named after its {@code type}, with
 * a {@code sequence_number} counting from 0. A text answer is: {@code response.created}, {@code
 * response.in_progress}, {@code response.output_item.added}, {@code response.content_part.added}, one {@code
 * response.output_text.delta} per piece of text, {@code response.output_text.done}, {@code
 * response.content_part.done}, {@code response.output_item.done}, then {@code response.completed} (or {@code
 * response.incomplete}) with usage. A failure after the start is an {@code error} event, then {@code
 * response.failed}.
 */
public sealed interface ResponseEvent {
    String type();

    int sequenceNumber();

    /** created, in_progress, completed, incomplete, failed: the whole response as it stands. */
    record Lifecycle(
            String type, @JsonProperty("sequence_number") int sequenceNumber, ResponseObject response)
            implements ResponseEvent {}

    /** output_item.added / output_item.done. */
    record OutputItem(
            String type,
            @JsonProperty("sequence_number") int sequenceNumber,
            @JsonProperty("output_index") int outputIndex,
            ResponseObject.OutputMessage item)
            implements ResponseEvent {}

    /** content_part.added / content_part.done. */
    record ContentPart(
            String type,
            @JsonProperty("sequence_number") int sequenceNumber,
            @JsonProperty("item_id") String itemId,
            @JsonProperty("output_index") int outputIndex,
            @JsonProperty("content_index") int contentIndex,
            ResponseObject.OutputText part)
            implements ResponseEvent {}

    record TextDelta(
            String type,
            @JsonProperty("sequence_number") int sequenceNumber,
            @JsonProperty("item_id") String itemId,
            @JsonProperty("output_index") int outputIndex,
            @JsonProperty("content_index") int contentIndex,
            String delta,
            List<Object> logprobs)
            implements ResponseEvent {}

    record TextDone(
            String type,
            @JsonProperty("sequence_number") int sequenceNumber,
            @JsonProperty("item_id") String itemId,
            @JsonProperty("output_index") int outputIndex,
            @JsonProperty("content_index") int contentIndex,
            String text,
            List<Object> logprobs)
            implements ResponseEvent {}

    /** {@code error}: OpenAI's in-stream error, flat (code, message, param). */
    record Error(
            String type, @JsonProperty("sequence_number") int sequenceNumber, String code, String message, String param)
            implements ResponseEvent {}
}
