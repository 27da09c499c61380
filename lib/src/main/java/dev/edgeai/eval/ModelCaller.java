package dev.edgeai.eval;

import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.ChatMessage;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.chat.StreamListener;
import dev.edgeai.rag.RagFlow;
import dev.edgeai.results.Recorder;
import java.util.List;

/**
 * Sends requests the evaluation way: temperature and seed fixed, streamed (so TTFT exists), each call recorded
 * by a {@link Recorder} that also reads the serving process's CPU time around it, and turned into a {@link Stage}.
 */
public final class ModelCaller {
    private static final String CPU_START = "eval.cpu_start";
    private static final String CPU_MS = "eval.cpu_ms";

    private final ChatBackend backend;
    private final int maxTokens;
    private final double temperature;
    private final long seed;
    private final ServingProcess process;
    private final Recorder recorder;

    public ModelCaller(ChatBackend backend, int maxTokens, double temperature, long seed, ServingProcess process) {
        if (maxTokens < 1) throw new IllegalArgumentException("--max-tokens must be at least 1, was " + maxTokens);
        if (temperature < 0) throw new IllegalArgumentException("--temperature must be >= 0, was " + temperature);
        this.backend = backend;
        this.maxTokens = maxTokens;
        this.temperature = temperature;
        this.seed = seed;
        this.process = process == null ? ServingProcess.unknown("not measured") : process;
        this.recorder = new Recorder(backend).listen(new Recorder.Listener() {
            @Override
            public void onRequest(Recorder.Context c) {
                c.attributes().put(CPU_START, ModelCaller.this.process.cpuSnapshot());
            }

            @Override
            public void onResponse(Recorder.Context c) {
                cpu(c);
            }

            @Override
            public void onError(Recorder.Context c) {
                cpu(c);
            }
        });
    }

    private void cpu(Recorder.Context c) {
        if (c.attributes().get(CPU_START) instanceof ServingProcess.CpuSnapshot start)
            c.attributes().put(CPU_MS, process.cpuSecondsSince(start) * 1000);
    }

    public ChatBackend backend() {
        return backend;
    }

    /** Every call of this caller goes through this recorder (stage = the call's stage name). */
    public Recorder recorder() {
        return recorder;
    }

    public ServingProcess process() {
        return process;
    }

    public int maxTokens() {
        return maxTokens;
    }

    public double temperature() {
        return temperature;
    }

    public long seed() {
        return seed;
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
        Recorder.Context c =
                recorder.record(Recorder.Call.of(stage).attribute(PREP_MS, prepMs), req, StreamListener.NONE);
        return new Call(c.text(), stage(c));
    }

    /** Attribute of a recorded call: input preparation before it (retrieval, prompt building), in ms. */
    public static final String PREP_MS = RagFlow.PREP_MS;

    /**
     * A recorded call of this caller as a stage: prep from the {@link #PREP_MS} attribute, send = wall time the
     * backend's clock does not see, CPU from the serving process.
     */
    public Stage stage(Recorder.Context c) {
        ChatResult r = c.result();
        if (r == null) throw c.error();
        double e2e = r.timings().e2eMs();
        double prep = c.attributes().get(PREP_MS) instanceof Number n ? n.doubleValue() : 0;
        double cpu = c.attributes().get(CPU_MS) instanceof Number n ? n.doubleValue() : Double.NaN;
        return new Stage(
                c.call().stage(),
                c.request().model(),
                prep,
                Math.max(0, c.wallMs() - e2e),
                r.timings().ttftMs(),
                e2e,
                r.usage().promptTokens(),
                r.usage().completionTokens(),
                r.usage().estimated(),
                cpu);
    }
}
