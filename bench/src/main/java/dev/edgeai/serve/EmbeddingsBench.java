package dev.edgeai.serve;

import dev.edgeai.chat.BackendInfo;
import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.chat.ModelInfo;
import dev.edgeai.chat.StreamListener;
import dev.edgeai.metrics.Stats;
import dev.edgeai.openai.EmbeddingList;
import dev.edgeai.openai.Wire;
import dev.edgeai.retrieval.Embedder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code POST /v1/embeddings} adds to the library's MiniLM (not a test: prints figures): one batch of chunk-sized
 * texts embedded directly, and through the server over loopback HTTP as floats and as base64 (request, JSON, the
 * JDK client reading the answer), the three taken in turn per round so a busy machine slows all alike. Reports
 * medians and the paired overhead (served minus direct, per round).
 * Run: {@code java @args dev.edgeai.serve.EmbeddingsBench [texts per request] [rounds]}.
 */
public final class EmbeddingsBench {
    private EmbeddingsBench() {}

    /** No chat model is needed: the route only embeds. */
    record NoChat() implements ChatBackend {
        @Override
        public BackendInfo info() {
            return new BackendInfo("none", null, null);
        }

        @Override
        public List<ModelInfo> models() {
            return List.of();
        }

        @Override
        public ChatResult stream(ChatRequest request, StreamListener listener) {
            throw new UnsupportedOperationException("embeddings only");
        }
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < n; i++)
            texts.add(("Chunk " + i + ": small language models run on the laptop's NPU, the larger ones in the cloud; "
                            + "the router sends each prompt to the cheapest model that answers it well. ")
                    .repeat(4));
        Embedder direct = Embedder.miniLm();
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (OpenAiServer server =
                OpenAiServer.builder().port(0).miniLmEmbeddings().start(new NoChat())) {
            Map<String, String> bodies = Map.of(
                    "float",
                    Wire.toJson(Map.of("model", server.embeddingModel(), "input", texts)),
                    "base64",
                    Wire.toJson(Map.of("model", server.embeddingModel(), "input", texts, "encoding_format", "base64")));
            List<Double> d = new ArrayList<>(), f = new ArrayList<>(), b = new ArrayList<>();
            List<Double> overF = new ArrayList<>(), overB = new ArrayList<>();
            int tokens = 0;
            for (int r = -5; r < rounds; r++) { // five rounds of warm-up
                long t0 = System.nanoTime();
                direct.embedAll(texts);
                long t1 = System.nanoTime();
                EmbeddingList fl = post(http, server, bodies.get("float"));
                long t2 = System.nanoTime();
                EmbeddingList bl = post(http, server, bodies.get("base64"));
                long t3 = System.nanoTime();
                if (fl.data().size() != n || bl.data().size() != n) throw new IllegalStateException("lost vectors");
                tokens = fl.usage().promptTokens();
                if (r < 0) continue;
                d.add((t1 - t0) / 1e6);
                f.add((t2 - t1) / 1e6);
                b.add((t3 - t2) / 1e6);
                overF.add((t2 - t1 - (t1 - t0)) / 1e6);
                overB.add((t3 - t2 - (t1 - t0)) / 1e6);
            }
            System.out.printf(
                    Locale.ROOT,
                    "%d texts of %d chars (%d MiniLM tokens) per request, %d rounds, %d cores%n",
                    n,
                    texts.getFirst().length(),
                    tokens,
                    rounds,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf(
                    Locale.ROOT, "| path | ms p50 | ms p95 | paired overhead ms p50 |%n| --- | ---: | ---: | ---: |%n");
            System.out.printf(
                    Locale.ROOT,
                    "| Embedder.embedAll | %.1f | %.1f | |%n",
                    Stats.of(d).p50(),
                    Stats.of(d).p95());
            System.out.printf(
                    Locale.ROOT,
                    "| POST /v1/embeddings, float | %.1f | %.1f | %.2f |%n",
                    Stats.of(f).p50(),
                    Stats.of(f).p95(),
                    Stats.of(overF).p50());
            System.out.printf(
                    Locale.ROOT,
                    "| POST /v1/embeddings, base64 | %.1f | %.1f | %.2f |%n",
                    Stats.of(b).p50(),
                    Stats.of(b).p95(),
                    Stats.of(overB).p50());
        }
        System.exit(0); // langchain4j's embedding pool keeps the JVM alive
    }

    private static EmbeddingList post(HttpClient http, OpenAiServer server, String body) throws Exception {
        HttpResponse<byte[]> r = http.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/embeddings"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) throw new IllegalStateException(r.statusCode() + " " + new String(r.body()));
        return Wire.JSON.readValue(r.body(), EmbeddingList.class);
    }
}
