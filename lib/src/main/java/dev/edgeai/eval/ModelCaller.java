package dev.edgeai.eval;

import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.ChatMessage;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.ChatResult;
import java.util.List;

/**
 * Sends one request the evaluation way: temperature and seed fixed, streamed (so TTFT exists), timed into a
 * {@link Stage}, and the serving process's CPU time read around it.
 */
public final class ModelCaller {
    private final ChatBackend backend;
    private final int maxTokens;
    private final double temperature;
    private final long seed;
    private final ServingProcess process;

    public ModelCaller(ChatBackend backend, int maxTokens, double temperature, long seed, ServingProcess process) {
        if (maxTokens < 1) throw new IllegalArgumentException("--max-tokens must be at least 1, was " + maxTokens);
        if (temperature < 0) throw new IllegalArgumentException("--temperature must be >= 0, was " + temperature);
        this.backend = backend;
        this.maxTokens = maxTokens;
        this.temperature = temperature;
        this.seed = seed;
        this.process = process == null ? ServingProcess.unknown("not measured") : process;
    }

    public ChatBackend backend() {
        return backend;
    }

    public ServingProcess process() {
        return process;
    }

    /** The answer text and its stage. */
    public record Call(String text, Stage stage) {}

    public Call call(String stage, String model, List<ChatMessage> messages, double prepMs) {
        return call(stage, model, messages, prepMs, maxTokens);
    }

    public Call call(String stage, String model, List<ChatMessage> messages, double prepMs, int tokens) {
        ChatRequest req = ChatRequest.builder(model)
                .messages(messages)
                .maxTokens(tokens)
                .temperature(temperature)
                .seed(seed)
                .build();
        ServingProcess.CpuSnapshot cpu0 = process.cpuSnapshot();
        long t0 = System.nanoTime();
        ChatResult r = backend.chat(req);
        double wall = (System.nanoTime() - t0) / 1e6;
        double cpu = process.cpuSecondsSince(cpu0) * 1000;
        double e2e = r.timings().e2eMs();
        Stage s = new Stage(
                stage,
                model,
                prepMs,
                Math.max(0, wall - e2e),
                r.timings().ttftMs(),
                e2e,
                r.usage().promptTokens(),
                r.usage().completionTokens(),
                r.usage().estimated(),
                cpu);
        return new Call(r.text() == null ? "" : r.text(), s);
    }
}
