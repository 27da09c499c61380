package dev.edgeai.client;

import dev.edgeai.chat.BackendInfo;
import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.chat.ModelInfo;
import dev.edgeai.chat.StreamListener;
import java.util.List;

/**
 * Sends every request with {@code stream:false} (BENCH_STREAM=false): the answer arrives in one piece, so only
 * E2E is measured and TTFT/TPOT are NaN. Kept for comparing with tools that time blocking requests.
 */
public final class NonStreamingBackend implements ChatBackend {
    private final ChatBackend delegate;

    public NonStreamingBackend(ChatBackend delegate) {
        if (!(delegate instanceof OpenAiClient)) {
            throw new IllegalArgumentException("non-streaming requests need an HTTP backend, not "
                    + delegate.info().kind());
        }
        this.delegate = delegate;
    }

    @Override
    public BackendInfo info() {
        return delegate.info();
    }

    @Override
    public List<ModelInfo> models() {
        return delegate.models();
    }

    @Override
    public int concurrency(String model) {
        return delegate.concurrency(model);
    }

    @Override
    public ChatResult stream(ChatRequest request, StreamListener listener) {
        ChatResult r = ((OpenAiClient) delegate).complete(request);
        if (!r.text().isEmpty()) listener.onToken(r.text());
        return r;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
