package dev.edgeai.chat;

/**
 * Receives a streamed answer as it arrives. Every method has a default so callers override only what they need
 * and new callbacks can be added without breaking them.
 */
public interface StreamListener {
    StreamListener NONE = new StreamListener() {};

    /** A piece of answer text (never empty). Called on the thread that runs the request. */
    default void onToken(String text) {}

    /** Reasoning text some models stream before the answer (gpt-oss "reasoning_content"); not part of the answer. */
    default void onReasoning(String text) {}

    /** Polled between chunks: return true to stop generation early; the result then ends with {@link FinishReason#CANCELLED}. */
    default boolean isCancelled() {
        return false;
    }
}
