package dev.edgeai.engine;

import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.chat.StreamListener;
import dev.edgeai.client.OpenAiClient;
import dev.edgeai.serve.OpenAiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * serve.java under concurrent streamed requests: one request alone, then {@code --clients} at once, through
 * {@link OpenAiServer} over loopback HTTP with the kit's own {@link OpenAiClient}, alternating rep by rep in one JVM,
 * with the engine batching them and (same model loaded a second time) with batching off. Per request: TPOT and the
 * median inter-token gap; per burst: aggregate decode tok/s = Σ(tokens − 1) over the decode window (first first token
 * to last last token). Ratios are against the lone request of the same rep. Not a test: prints figures.
 *
 * <p>{@code --prompts docs} (default) asks to summarize paragraphs of data/docs, hundreds of tokens each, so the
 * joiners' prefills weigh heavily; {@code --prompts short} uses the benchmark's short questions
 * (data/prompts/short.jsonl), where decoding dominates.
 *
 * <pre>java -cp ... dev.edgeai.engine.ServeBatchBench [--tokens 64] [--reps 5] [--clients 4] [--off true]
 *     [--prompts docs|short|long] folder</pre>
 */
public final class ServeBatchBench {
    record Sample(ChatResult result, long sentNanos) {
        double firstMs() {
            return sentNanos / 1e6 + result.timings().ttftMs();
        }

        double endMs() {
            return sentNanos / 1e6 + result.timings().e2eMs();
        }

        int tokens() {
            return result.usage().completionTokens();
        }

        /** When each content chunk arrived, ms on the nanoTime clock. */
        double[] chunkTimesMs() {
            List<Double> gaps = result.timings().chunkGapsMs();
            double[] t = new double[gaps.size() + 1];
            t[0] = firstMs();
            for (int i = 0; i < gaps.size(); i++) t[i + 1] = t[i] + gaps.get(i);
            return t;
        }

        double maxGap() {
            return result.timings().chunkGapsMs().stream()
                    .mapToDouble(Double::doubleValue)
                    .max()
                    .orElse(Double.NaN);
        }

        double itlP50() {
            double[] g = result.timings().chunkGapsMs().stream()
                    .mapToDouble(Double::doubleValue)
                    .toArray();
            return g.length == 0 ? Double.NaN : EngineBench.median(g);
        }
    }

    public static void main(String[] args) throws Exception {
        int tokens = 64, reps = 5, clients = 4;
        boolean off = true;
        String promptSet = "docs";
        Path folder = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--tokens" -> tokens = Integer.parseInt(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--off" -> off = Boolean.parseBoolean(args[++i]);
                case "--prompts" -> promptSet = args[++i];
                default -> folder = Path.of(args[i]);
            }
        }
        if (folder == null) {
            System.err.println(
                    "usage: ServeBatchBench [--tokens 64] [--reps 5] [--clients 4] [--off true] [--prompts docs|short|long] folder");
            System.exit(2);
        }
        List<String> questions = new ArrayList<>();
        if (promptSet.equals("docs")) {
            try (var files = Files.list(Path.of("data/docs"))) {
                for (Path p :
                        files.filter(p -> p.toString().endsWith(".md")).sorted().toList())
                    for (String para : Files.readString(p).split("\n\n"))
                        if (para.strip().length() > 200) questions.add("Summarize: " + para.strip());
            }
        } else
            for (var p : dev.edgeai.bench.PromptSet.load(Path.of("data/prompts/" + promptSet + ".jsonl"))
                    .prompts()) questions.add(p.prompt());
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        var options = LoadedModel.Options.fromSettings();
        try (EmbeddedBackend batched = EmbeddedBackend.load(List.of(folder), options);
                EmbeddedBackend serial = off ? EmbeddedBackend.load(List.of(folder), options.maxBatch(1)) : null;
                OpenAiServer on = OpenAiServer.builder().port(0).start(batched);
                OpenAiServer offServer = off ? OpenAiServer.builder().port(0).start(serial) : null) {
            String id = batched.models().getFirst().id();
            System.out.printf(
                    "ServeBatchBench: %s through serve.java (loopback HTTP, streamed), ONNX Runtime %s, %d cores, load"
                            + " average %s; %d greedy tokens per request; engine batch %d; %d"
                            + " reps; prompts: %s%n%n",
                    id,
                    ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion(),
                    Runtime.getRuntime().availableProcessors(),
                    RealSizeBench.loadAverage(),
                    tokens,
                    batched.maxBatch(id),
                    reps,
                    promptSet.equals("docs")
                            ? "paragraphs of data/docs (hundreds of tokens)"
                            : "data/prompts/" + promptSet + ".jsonl");
            // warm-up
            burst(on, id, questions, 0, 1, tokens, pool);
            burst(on, id, questions, 1, clients, tokens, pool);
            if (off) burst(offServer, id, questions, 2, 2, tokens, pool);

            double[] single = new double[reps], singleItl = new double[reps], singleTpot = new double[reps];
            double[] agg = new double[reps],
                    aggRatio = new double[reps],
                    itl = new double[reps],
                    itlRatio = new double[reps];
            double[] tpot = new double[reps], tpotRatio = new double[reps], ttft = new double[reps];
            double[] singleMax = new double[reps], maxGap = new double[reps];
            double[] steady = new double[reps], steadyRatio = new double[reps];
            double[] offAgg = new double[reps];
            for (int r = 0; r < reps; r++) {
                List<Sample> one = null, many = null, serialMany = null;
                int variants = off ? 3 : 2;
                for (int k = 0; k < variants; k++) {
                    int v = (k + r) % variants;
                    batched.model(id).generator().cache().clear();
                    if (off) serial.model(id).generator().cache().clear();
                    int base = 10 + r * 10 + v * 5;
                    switch (v) {
                        case 0 -> one = burst(on, id, questions, base, 1, tokens, pool);
                        case 1 -> many = burst(on, id, questions, base, clients, tokens, pool);
                        default -> serialMany = burst(offServer, id, questions, base, clients, tokens, pool);
                    }
                }
                Sample s = one.getFirst();
                single[r] = (s.tokens() - 1) / ((s.endMs() - s.firstMs()) / 1000);
                singleItl[r] = s.itlP50();
                singleTpot[r] = s.result().tpotMs();
                singleMax[r] = s.maxGap();
                maxGap[r] = many.stream().mapToDouble(Sample::maxGap).max().orElseThrow();
                steady[r] = allDecoding(many);
                steadyRatio[r] = steady[r] / single[r];
                agg[r] = aggregate(many);
                aggRatio[r] = agg[r] / single[r];
                itl[r] = EngineBench.median(
                        many.stream().mapToDouble(Sample::itlP50).toArray());
                itlRatio[r] = itl[r] / singleItl[r];
                tpot[r] = EngineBench.median(
                        many.stream().mapToDouble(x -> x.result().tpotMs()).toArray());
                tpotRatio[r] = tpot[r] / singleTpot[r];
                ttft[r] = EngineBench.median(many.stream()
                        .mapToDouble(x -> x.result().timings().ttftMs())
                        .toArray());
                if (off) offAgg[r] = aggregate(serialMany);
            }
            System.out.println("| what | median | min-max |");
            System.out.println("|---|---|---|");
            row("1 request: decode tok/s", single);
            row("1 request: p50 inter-token gap ms", singleItl);
            row("1 request: TPOT ms", singleTpot);
            row("1 request: longest inter-token gap ms", singleMax);
            row(clients + " requests batched: aggregate decode tok/s", agg);
            row("  aggregate / 1 request (per rep)", aggRatio);
            row("  while all " + clients + " decode: aggregate tok/s", steady);
            row("  while all decode / 1 request (per rep)", steadyRatio);
            row("  p50 inter-token gap ms (median over requests)", itl);
            row("  p50 gap / 1 request's (per rep)", itlRatio);
            row("  TPOT ms (median over requests; includes joiners' prefills)", tpot);
            row("  TPOT / 1 request's (per rep)", tpotRatio);
            row("  longest inter-token gap ms (over all requests)", maxGap);
            row("  TTFT ms (median over requests)", ttft);
            if (off) row(clients + " requests, batching off (one at a time): aggregate decode tok/s", offAgg);
            System.out.printf("%npeak rows decoded together: %d%n", batched.peakBatch(id));
        } finally {
            pool.shutdownNow();
        }
    }

    static void row(String what, double[] v) {
        System.out.printf(
                "| %s | %.2f | %.2f-%.2f |%n",
                what, EngineBench.median(v), PrefixReuseBench.min(v), PrefixReuseBench.max(v));
    }

    /**
     * Tokens per second while every request of the burst is decoding: chunks arrived between the last first token and
     * the first last chunk, scaled by each request's tokens per chunk. The batch's steady state, without the joiners'
     * prefills before it or the stragglers after it.
     */
    static double allDecoding(List<Sample> burst) {
        double from = burst.stream().mapToDouble(Sample::firstMs).max().orElseThrow();
        double to = burst.stream()
                .mapToDouble(s -> {
                    double[] t = s.chunkTimesMs();
                    return t[t.length - 1];
                })
                .min()
                .orElseThrow();
        if (to <= from) return Double.NaN;
        double tokens = 0;
        for (Sample s : burst) {
            double[] t = s.chunkTimesMs();
            double perChunk = (double) s.tokens() / t.length;
            for (int i = 1; i < t.length; i++) if (t[i] > from && t[i] <= to) tokens += perChunk;
        }
        return tokens / ((to - from) / 1000);
    }

    /** Σ(tokens − 1) over the window from the first first token to the last last token, per second. */
    static double aggregate(List<Sample> burst) {
        double first = burst.stream().mapToDouble(Sample::firstMs).min().orElseThrow();
        double last = burst.stream().mapToDouble(Sample::endMs).max().orElseThrow();
        int tokens = burst.stream().mapToInt(x -> x.tokens() - 1).sum();
        return tokens / ((last - first) / 1000);
    }

    /** {@code n} streamed requests sent at once, each with its own prompt, each on its own client. */
    static List<Sample> burst(
            OpenAiServer server, String id, List<String> questions, int base, int n, int tokens, ExecutorService pool)
            throws Exception {
        List<CompletableFuture<Sample>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ChatRequest req = ChatRequest.builder(id)
                    .user(questions.get((base + i) % questions.size()))
                    .maxTokens(tokens)
                    .temperature(0.0)
                    .build();
            calls.add(CompletableFuture.supplyAsync(
                    () -> {
                        try (OpenAiClient c = OpenAiClient.of(server.baseUrl())) {
                            long sent = System.nanoTime();
                            return new Sample(c.stream(req, StreamListener.NONE), sent);
                        }
                    },
                    pool));
        }
        List<Sample> out = new ArrayList<>();
        for (var c : calls) out.add(c.get());
        for (Sample s : out)
            if (s.tokens() != tokens)
                throw new IllegalStateException("a request ended after " + s.tokens() + " tokens ("
                        + s.result().finishReason() + "), not " + tokens + ": pick a model that does not stop early");
        return out;
    }

    static String join(double[] v) {
        return Arrays.toString(v);
    }
}
