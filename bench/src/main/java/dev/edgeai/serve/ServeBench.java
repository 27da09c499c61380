package dev.edgeai.serve;

import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.client.OpenAiClient;
import dev.edgeai.engine.EmbeddedBackend;
import dev.edgeai.metrics.Stats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the server adds to a streamed answer (not a test: prints figures). One JVM, one loaded model, two paths
 * taken alternately so a busy machine slows both alike: the engine called directly, and the same engine through
 * {@link OpenAiServer} and {@link OpenAiClient} over loopback HTTP (request, JSON, SSE chunk per token, client
 * parsing). Reports medians and the median of the paired differences (served minus direct, each pair run back to
 * back), which a shared machine's noise disturbs least.
 * Run: {@code java -cp <lib classpath> dev.edgeai.serve.ServeBench [model folder] [pairs] [max tokens]}; the
 * end-to-end view through two JVMs is {@code bench/serve-vs-embedded.sh}.
 */
public final class ServeBench {
    private ServeBench() {}

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args.length > 0 ? args[0] : "testdata/models/tiny-random-LlamaForCausalLM-fp16");
        int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int maxTokens = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        try (EmbeddedBackend engine = EmbeddedBackend.load(folder);
                OpenAiServer server =
                        OpenAiServer.builder().port(0).maxQueue(256).start(engine);
                OpenAiClient client = OpenAiClient.of(server.baseUrl())) {
            String id = engine.models().getFirst().id();
            // temperature 0: both paths generate the same tokens, so TPOT compares like with like
            ChatRequest req = ChatRequest.builder(id)
                    .user("Write a short story about a robot who learns to paint.")
                    .maxTokens(maxTokens)
                    .temperature(0.0)
                    .build();
            for (int i = 0; i < Math.max(10, pairs / 10); i++) {
                engine.chat(req);
                client.chat(req);
            }
            List<Double> dTtft = new ArrayList<>(),
                    sTtft = new ArrayList<>(),
                    dTpot = new ArrayList<>(),
                    sTpot = new ArrayList<>();
            List<Double> diffTtft = new ArrayList<>(),
                    diffTpot = new ArrayList<>(),
                    serverTtft = new ArrayList<>(),
                    wire = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                boolean directFirst = i % 2 == 0;
                ChatResult a = run(directFirst ? engine : client, req);
                ChatResult b = run(directFirst ? client : engine, req);
                ChatResult direct = directFirst ? a : b, served = directFirst ? b : a;
                if (direct.usage().completionTokens() != served.usage().completionTokens())
                    throw new IllegalStateException("the two paths generated different token counts");
                if (Double.isNaN(direct.timings().ttftMs()) || direct.usage().completionTokens() < 2)
                    throw new IllegalStateException(
                            id + " streamed no text (its tokens decode to nothing?): TTFT and TPOT "
                                    + "cannot be measured on it; pick a model with a real tokenizer");
                dTtft.add(direct.timings().ttftMs());
                sTtft.add(served.timings().ttftMs());
                dTpot.add(direct.tpotMs());
                sTpot.add(served.tpotMs());
                diffTtft.add(served.timings().ttftMs() - direct.timings().ttftMs());
                diffTpot.add(served.tpotMs() - direct.tpotMs());
                double atServer =
                        server.recent().getLast().ttftMs(); // arrival in the handler → first token to the socket
                serverTtft.add(atServer);
                wire.add(served.timings().ttftMs() - atServer);
            }
            Stats dt = Stats.of(dTtft), st = Stats.of(sTtft), dp = Stats.of(dTpot), sp = Stats.of(sTpot);
            System.out.printf(
                    Locale.ROOT,
                    "model %s, %d pairs, %d tokens each, %d cores%n",
                    id,
                    pairs,
                    engine.chat(req).usage().completionTokens(),
                    Runtime.getRuntime().availableProcessors());
            System.out.println("| path | TTFT p50 ms | TTFT p95 ms | TPOT p50 ms | TPOT p95 ms |");
            System.out.println("| --- | ---: | ---: | ---: | ---: |");
            System.out.printf(
                    Locale.ROOT,
                    "| engine direct | %.3f | %.3f | %.4f | %.4f |%n",
                    dt.p50(),
                    dt.p95(),
                    dp.p50(),
                    dp.p95());
            System.out.printf(
                    Locale.ROOT,
                    "| through OpenAiServer | %.3f | %.3f | %.4f | %.4f |%n",
                    st.p50(),
                    st.p95(),
                    sp.p50(),
                    sp.p95());
            Stats ddt = Stats.of(diffTtft), ddp = Stats.of(diffTpot), srv = Stats.of(serverTtft), w = Stats.of(wire);
            System.out.printf(
                    Locale.ROOT,
                    "| served - direct, paired median | %+.3f (%+.1f%%) | | %+.4f (%+.1f%%) | |%n",
                    ddt.p50(),
                    100 * ddt.p50() / dt.p50(),
                    ddp.p50(),
                    100 * ddp.p50() / dp.p50());
            System.out.printf(
                    Locale.ROOT,
                    "TTFT through the server, split: handler arrival -> first token written p50 %.3f ms (p95 %.3f); "
                            + "client send -> handler + socket -> client listener p50 %.3f ms (p95 %.3f)%n",
                    srv.p50(),
                    srv.p95(),
                    w.p50(),
                    w.p95());
        }
    }

    private static ChatResult run(ChatBackend b, ChatRequest req) {
        return b.chat(req);
    }
}
