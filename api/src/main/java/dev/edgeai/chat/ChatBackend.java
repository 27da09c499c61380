package dev.edgeai.chat;

import java.util.List;

/**
 * The one interface every workshop tool talks to. Two kinds live behind it: a remote OpenAI-compatible endpoint
 * (Foundry Local, Ollama, vLLM, ...) and the embedded ONNX Runtime engine. Compare, benchmark, chat and the
 * notebooks do not care which.
 */
public interface ChatBackend extends AutoCloseable {
    BackendInfo info();

    /** The models this backend can answer with now. */
    List<ModelInfo> models();

    /** Streams one answer, calling the listener per piece of text, and returns it with usage and timings. */
    ChatResult stream(ChatRequest request, StreamListener listener);

    /** A blocking answer. Streaming by default so timings (TTFT) exist for every backend. */
    default ChatResult chat(ChatRequest request) {
        return stream(request, StreamListener.NONE);
    }

    /**
     * Requests for {@code model} this backend works on together (the embedded engine decodes several in one step); a
     * server lets that many in at once and queues the rest. One unless a backend says otherwise.
     */
    default int concurrency(String model) {
        return 1;
    }

    /** What this backend uses for sampling knobs a request leaves out, for {@code model}; none by default. */
    default GenerationDefaults defaults(String model) {
        return GenerationDefaults.NONE;
    }

    @Override
    default void close() {}
}
