package dev.edgeai.openai;

import dev.edgeai.chat.ChatMessage;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.chat.FinishReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Pure conversions between OpenAI's Responses API ({@link ResponseRequest}, {@link ResponseObject}) and the chat
 * contract. A response continues a stored conversation ({@code previous_response_id}): the caller keeps the
 * conversations ({@link #conversation}) and hands the previous one back. Instructions are not part of it: OpenAI
 * does not carry them over to the next response either.
 */
public final class Responses {
    private Responses() {}

    /** What to generate: the instructions as a system message, the previous conversation, then this input. */
    public static ChatRequest fromRequest(ResponseRequest r, List<ChatMessage> previous) {
        List<ChatMessage> messages = new ArrayList<>();
        if (r.instructions() != null && !r.instructions().isBlank()) messages.add(ChatMessage.system(r.instructions()));
        messages.addAll(conversation(r, previous));
        return ChatRequest.builder(r.model())
                .messages(messages)
                .maxTokens(r.maxOutputTokens())
                .temperature(r.temperature())
                .topP(r.topP())
                .build();
    }

    /** The previous conversation and this request's input ("developer" is the system role's newer name). */
    public static List<ChatMessage> conversation(ResponseRequest r, List<ChatMessage> previous) {
        List<ChatMessage> out = new ArrayList<>(previous);
        for (ResponseRequest.InputMessage m : r.input())
            out.add(new ChatMessage(m.role().equals("developer") ? "system" : m.role(), m.text()));
        return List.copyOf(out);
    }

    /** The conversation to store once the answer is done, for a later {@code previous_response_id}. */
    public static List<ChatMessage> conversation(ResponseRequest r, List<ChatMessage> previous, String answer) {
        List<ChatMessage> out = new ArrayList<>(conversation(r, previous));
        out.add(ChatMessage.assistant(answer));
        return List.copyOf(out);
    }

    /** The response as {@code response.created} announces it: no output, no usage yet. */
    public static ResponseObject inProgress(String id, long createdAt, String model, ResponseRequest r) {
        return response(id, createdAt, model, r, "in_progress", null, null, List.of(), null);
    }

    /**
     * The finished response: {@code completed}, or {@code incomplete} with reason {@code max_output_tokens} when the
     * token limit (or the context) ended it.
     */
    public static ResponseObject done(
            String id, long createdAt, String messageId, ResponseRequest r, ChatResult result) {
        boolean cut = result.finishReason() == FinishReason.LENGTH;
        String status = cut ? "incomplete" : "completed";
        var message = ResponseObject.OutputMessage.of(
                messageId, status, List.of(ResponseObject.OutputText.of(result.text())));
        return response(
                id,
                createdAt,
                result.model(),
                r,
                status,
                null,
                cut ? new ResponseObject.IncompleteDetails("max_output_tokens") : null,
                List.of(message),
                ResponseObject.Usage.of(
                        result.usage().promptTokens(), result.usage().completionTokens()));
    }

    /** A response that failed part-way ({@code response.failed}); the text so far is not kept. */
    public static ResponseObject failed(
            String id, long createdAt, String model, ResponseRequest r, String code, String message) {
        return response(
                id, createdAt, model, r, "failed", new ResponseObject.Error(code, message), null, List.of(), null);
    }

    private static ResponseObject response(
            String id,
            long createdAt,
            String model,
            ResponseRequest r,
            String status,
            ResponseObject.Error error,
            ResponseObject.IncompleteDetails incomplete,
            List<ResponseObject.OutputMessage> output,
            ResponseObject.Usage usage) {
        return new ResponseObject(
                id,
                ResponseObject.OBJECT,
                createdAt,
                status,
                error,
                incomplete,
                r.instructions(),
                r.maxOutputTokens(),
                model,
                output,
                false,
                r.previousResponseId(),
                r.temperature(),
                r.topP(),
                "auto",
                List.of(),
                ResponseObject.Text.PLAIN,
                "disabled",
                r.stored(),
                usage,
                Map.of());
    }
}
