package dev.edgeai.retrieval;

import dev.edgeai.metrics.Stats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Retrieval speed at corpus sizes beyond the shipped docs: synthesises N chunks by perturbing the real ones
 * (dropping words, rotating sentences, so every text and vector differs), then times indexing (chunking excluded,
 * MiniLM embedding included), BM25 queries, dense queries and hybrid queries (query embedding included).
 * Markdown table to stdout, progress to stderr.
 * <pre>
 *   java -cp ... dev.edgeai.retrieval.RetrievalBench [--docs data/docs] [--sizes 1000,10000] [--rounds 5] [--quick]
 * </pre>
 * {@code --quick} embeds at most 1,000 synthetic chunks and fills larger sizes with noisy copies of those vectors,
 * so the 10k query timings come in seconds; its indexing figure then excludes most embedding and is marked "*".
 */
public final class RetrievalBench {
    private static final List<String> QUERIES = List.of(
            "What does TTFT measure?",
            "Why must prompt tokens not be counted in tokens per second?",
            "How much memory does an int4 model need?",
            "Which port does Ollama listen on by default?",
            "How do I find the Foundry Local endpoint URL?",
            "How many parameters are active per token in GPT-OSS-20B?",
            "What is reciprocal rank fusion?",
            "Why does multi-threaded wasm need special headers?",
            "What limits decode speed on a laptop?",
            "How long until the answer begins to show up?");

    public static void main(String[] args) throws Exception {
        Path docs = Path.of("data/docs");
        int[] sizes = {1000, 10000};
        int rounds = 5;
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--docs" -> docs = Path.of(args[++i]);
                case "--sizes" ->
                    sizes = Arrays.stream(args[++i].split(","))
                            .mapToInt(Integer::parseInt)
                            .toArray();
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--quick" -> quick = true;
                default -> {
                    System.err.println(
                            "usage: RetrievalBench [--docs DIR] [--sizes 1000,10000] [--rounds N] [--quick]");
                    System.exit(2);
                }
            }
        }
        List<Chunk> base = new ArrayList<>();
        for (Document d : Document.loadFolder(docs))
            base.addAll(Chunker.defaults().chunk(d));
        Embedder embedder = Embedder.miniLm();
        embedder.embed("warm up the ONNX session");

        System.out.printf(
                "Retrieval benchmark: %d base chunks from %s, MiniLM %s, %d CPUs, Java %s, %d queries x %d rounds%n%n",
                base.size(),
                docs,
                embedder.modelName(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                QUERIES.size(),
                rounds);
        System.out.println(
                "| chunks | index chunks/s | BM25 ms/query p50 | BM25 p95 | query embed ms p50 | dense ms/query p50 | hybrid ms/query p50 | hybrid p95 |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
        List<float[]> embeddedPool = new ArrayList<>();
        for (int n : sizes) {
            List<Chunk> chunks = synthesise(base, n);
            System.err.printf("indexing %d chunks...%n", n);
            long t0 = System.nanoTime();
            int toEmbed = quick ? Math.min(n, 1000) : n;
            List<float[]> vectors = new ArrayList<>(embedder.embedAll(
                    chunks.subList(0, toEmbed).stream().map(Chunk::indexText).toList()));
            if (embeddedPool.size() < vectors.size()) embeddedPool = vectors;
            Random rnd = new Random(n);
            for (int i = toEmbed; i < n; i++) vectors.add(jitter(embeddedPool.get(i % embeddedPool.size()), rnd));
            HybridRetriever index = new HybridRetriever(embedder);
            index.addAll(chunks, vectors);
            double indexS = (System.nanoTime() - t0) / 1e9;

            SearchOptions opt = new SearchOptions(Mode.BM25, SearchOptions.DEFAULT_TOP_K, -1, 0, 0);
            Stats embed = timeEmbedding(embedder, rounds);
            Stats bm25 = time(index, opt, rounds);
            Stats dense = time(index, opt.withMode(Mode.DENSE), rounds);
            Stats hybrid = time(index, opt.withMode(Mode.HYBRID), rounds);
            System.out.printf(
                    "| %d | %.0f%s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
                    n,
                    n / indexS,
                    toEmbed < n ? "*" : "",
                    bm25.p50(),
                    bm25.p95(),
                    embed.p50(),
                    dense.p50(),
                    hybrid.p50(),
                    hybrid.p95());
            System.out.flush();
        }
        if (quick)
            System.out.println(
                    "\n* --quick: only 1,000 chunks were embedded; the rest reuse those vectors with noise.");
        System.out.println("\nNot timed: reading and chunking files. Dense and hybrid include embedding the query.");
    }

    private static Stats timeEmbedding(Embedder embedder, int rounds) {
        List<Double> ms = new ArrayList<>();
        for (int r = 0; r < rounds; r++)
            for (String q : QUERIES) {
                long t = System.nanoTime();
                embedder.embed(q);
                ms.add((System.nanoTime() - t) / 1e6);
            }
        return Stats.of(ms);
    }

    /** One warm-up pass, then every query `rounds` times; per-query wall times in ms. */
    private static Stats time(HybridRetriever index, SearchOptions opt, int rounds) {
        for (String q : QUERIES) index.search(q, opt);
        List<Double> ms = new ArrayList<>();
        for (int r = 0; r < rounds; r++)
            for (String q : QUERIES) {
                long t = System.nanoTime();
                index.search(q, opt);
                ms.add((System.nanoTime() - t) / 1e6);
            }
        return Stats.of(ms);
    }

    /** Copy c of base chunk j drops every k-th word and rotates its sentences, so texts (and vectors) differ. */
    static List<Chunk> synthesise(List<Chunk> base, int n) {
        List<Chunk> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Chunk b = base.get(i % base.size());
            int copy = i / base.size();
            String text = copy == 0 ? b.text() : perturb(b.text(), copy);
            out.add(new Chunk(
                    "synthetic#" + i, "copy" + copy + "/" + b.source(), b.headingPath(), 0, text.length(), text));
        }
        return out;
    }

    private static String perturb(String text, int copy) {
        String[] sentences = text.split("(?<=[.!?])\\s+");
        int rot = copy % sentences.length;
        StringBuilder sb = new StringBuilder();
        int k = 3 + copy % 7, w = 0;
        for (int s = 0; s < sentences.length; s++) {
            for (String word : sentences[(s + rot) % sentences.length].split(" ")) {
                if (++w % k == 0) continue;
                sb.append(word).append(' ');
            }
        }
        return sb.toString().strip();
    }

    private static float[] jitter(float[] v, Random rnd) {
        float[] out = v.clone();
        for (int i = 0; i < out.length; i++) out[i] += (float) (rnd.nextGaussian() * 0.02);
        return Embedder.normalize(out);
    }
}
