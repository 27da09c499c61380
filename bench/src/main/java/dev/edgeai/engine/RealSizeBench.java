package dev.edgeai.engine;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.edgeai.chat.StreamListener;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Prefill and decode speed of real-size models (tools/fixtures/make_fixtures.py --bench: random weights with
 * Qwen2.5-0.5B-Instruct's shapes) for our engine (as it opens a file: int4 at accuracy level 4), a bare ORT Java loop
 * on the unmodified file and, with {@code --tfjs}, transformers.js on it (a Node process per run, so all three
 * interleave), each as a fraction of the memory-bandwidth
 * bound: (weight bytes one step reads + KV bytes at that context) ÷ the copy bandwidth measured in the same run with
 * as many threads as ORT uses. Decode of a 0.5B model is expected to be bandwidth-bound, so the fraction says how much
 * speed is left on the table; prefill is compute-bound, its fraction is printed for completeness only.
 * Not a test: timings on a shared machine are noisy; compare within one run.
 *
 * <pre>java -cp ... dev.edgeai.engine.RealSizeBench [--prompts 128,1024] [--tokens 32] [--reps 3] [--bare true]
 *     [--tfjs bench/transformers-js/realsize.mjs] folders...</pre>
 * Each folder needs bench_info.json (written by the generator) for its weight bytes per token.
 */
public final class RealSizeBench {
    public static void main(String[] args) throws Exception {
        int[] prompts = {128, 1024};
        int tokens = 32, reps = 3;
        boolean bare = true;
        String tfjs = null;
        List<Path> folders = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--prompts" ->
                    prompts = Arrays.stream(args[++i].split(","))
                            .mapToInt(Integer::parseInt)
                            .toArray();
                case "--tokens" -> tokens = Integer.parseInt(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--bare" -> bare = Boolean.parseBoolean(args[++i]);
                case "--tfjs" -> tfjs = args[++i];
                default -> folders.add(Path.of(args[i]));
            }
        }
        if (folders.isEmpty()) {
            System.err.println("usage: RealSizeBench [--prompts 128,1024] [--tokens 32] [--reps 3] [--bare true|false] "
                    + "[--tfjs bench/transformers-js/realsize.mjs] folders...\n"
                    + "  make the folders with: /usr/bin/python3 tools/fixtures/make_fixtures.py --bench DIR");
            System.exit(2);
        }
        int threads = LoadedModel.THREADS > 0
                ? LoadedModel.THREADS
                : Runtime.getRuntime().availableProcessors();
        double bw = copyBandwidth(threads);
        System.out.printf(
                "RealSizeBench: ONNX Runtime %s, Java %s, %d cores, load average %s; ORT intra-op threads %s, spinning %s, "
                        + "graph optimization %s, engine accuracy level setting %s%n",
                OrtEnvironment.getEnvironment().getVersion(),
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                loadAverage(),
                LoadedModel.THREADS > 0 ? LoadedModel.THREADS : "ORT default",
                LoadedModel.SPINNING ? "on" : "off",
                LoadedModel.OPT_LEVEL,
                LoadedModel.ACCURACY_LEVEL);
        System.out.printf(
                "copy bandwidth (%d threads, read+write bytes / time, best of 5): %.1f GB/s%n", threads, bw / 1e9);
        System.out.printf(
                "%d decode tokens after each prompt; medians of %d reps after a short warm-up per model, variants rotated"
                        + " within each rep; \"vs bare\" = median (min-max) of the per-rep ratio to the bare ORT loop on the"
                        + " unmodified file; bound = bandwidth / (weight bytes per token + KV bytes at the mean decode"
                        + " context)%n%n",
                tokens, reps);
        System.out.println(
                "| model | prompt | variant | prefill tok/s | decode tok/s | decode vs bare | bytes/token (MB) | bound tok/s | decode / bound | prefill / bound |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (Path f : folders) {
            long weightBytes = ModelFolder.readJson(f.resolve("bench_info.json"))
                    .path("weight_bytes_read_per_token")
                    .asLong();
            boolean node = tfjs != null && Files.exists(f.resolve("config.json"));
            try (LoadedModel m = LoadedModel.load(f);
                    // The bare loop gets the file as it is, like any program that opens it with plain ORT.
                    OrtSession plain =
                            bare ? LoadedModel.openSession(m.descriptor().modelFile(), 0) : null) {
                // One short warm-up per model and variant (first-run allocations, lazy kernel setup), then every run
                // counts.
                engineRun(m, promptIds(32), 4);
                if (bare) bareRun(m, plain, promptIds(32), 4);
                KvCacheSpec kv = m.descriptor().kv();
                long kvPerPosition = kv.elementsPerPosition() * kv.pastNames().size() * kv.bytesPerElement();
                for (int p : prompts) {
                    int[] prompt = promptIds(p);
                    double ctx = p + tokens / 2.0;
                    double bytes = weightBytes + kvPerPosition * ctx;
                    double bound = bw / bytes;
                    double prefillBound = bw / (weightBytes + kvPerPosition * p / 2.0) * p;
                    List<String> variants = new ArrayList<>(List.of("engine"));
                    if (bare) variants.add("bare ORT loop");
                    if (node) variants.add("transformers.js");
                    double[][] pre = new double[variants.size()][reps], dec = new double[variants.size()][reps];
                    // Reps outermost and the variants' order rotating, so load from elsewhere drifting during the
                    // run hits all alike.
                    for (int r = 0; r < reps; r++) {
                        for (int k = 0; k < variants.size(); k++) {
                            int v = (k + r) % variants.size();
                            double[] t = switch (variants.get(v)) {
                                case "engine" -> engineRun(m, prompt, tokens);
                                case "bare ORT loop" -> bareRun(m, plain, prompt, tokens);
                                default -> tfjsRun(tfjs, f, p, tokens, threads);
                            };
                            pre[v][r] = t[0];
                            dec[v][r] = t[1];
                        }
                    }
                    for (int v = 0; v < variants.size(); v++) {
                        double prefillTps = p / (EngineBench.median(pre[v]) / 1e9),
                                decodeTps = 1e9 / EngineBench.median(dec[v]);
                        String vsBare = "";
                        if (bare) {
                            int b = variants.indexOf("bare ORT loop");
                            double[] ratio = new double[reps];
                            for (int r = 0; r < reps; r++) ratio[r] = dec[b][r] / dec[v][r];
                            double[] sorted = ratio.clone();
                            Arrays.sort(sorted);
                            vsBare = String.format(
                                    "%.2fx (%.2f-%.2f)", EngineBench.median(ratio), sorted[0], sorted[reps - 1]);
                        }
                        System.out.printf(
                                "| %s | %d | %s | %.0f | %.1f | %s | %.0f | %.1f | %.2f | %.3f |%n",
                                m.id(),
                                p,
                                variants.get(v),
                                prefillTps,
                                decodeTps,
                                vsBare,
                                bytes / 1e6,
                                bound,
                                decodeTps / bound,
                                prefillTps / prefillBound);
                    }
                }
            }
        }
    }

    /**
     * One transformers.js run (a fresh Node process: load, warm-up, one timed generate), so it interleaves with the
     * Java variants; {prefill nanos, decode nanos per token}.
     */
    static double[] tfjsRun(String script, Path folder, int prompt, int tokens, int threads) throws Exception {
        Process p = new ProcessBuilder(
                        "node",
                        script,
                        "--prompts",
                        String.valueOf(prompt),
                        "--tokens",
                        String.valueOf(tokens),
                        "--reps",
                        "1",
                        "--threads",
                        String.valueOf(threads),
                        folder.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        for (String line : out.split("\n")) {
            String[] c = line.split("\\|");
            if (c.length >= 5 && c[2].strip().equals(String.valueOf(prompt))) {
                double prefillTps = Double.parseDouble(c[3].strip()), decodeTps = Double.parseDouble(c[4].strip());
                return new double[] {prompt / prefillTps * 1e9, 1e9 / decodeTps};
            }
        }
        throw new IllegalStateException("transformers.js gave no figures for " + folder + ":\n" + out);
    }

    /** Deterministic ids inside every tokenizer's ordinary range; bench/transformers-js/realsize.mjs uses the same. */
    static int[] promptIds(int n) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = 32 + (i * 37 + 11) % 300;
        return ids;
    }

    /**
     * {prefill nanos, decode nanos per token} of our generation loop (sampler, detokenizer, stop matcher included),
     * with the prefix cache emptied first so the whole prompt is prefilled every time.
     */
    static double[] engineRun(LoadedModel m, int[] prompt, int tokens) {
        m.generator().cache().clear();
        long start = System.nanoTime();
        var out = m.generator()
                .generate(
                        prompt,
                        new Generator.Settings(tokens, Sampler.GREEDY, Set.of(), List.of()),
                        StreamListener.NONE);
        long[] steps = out.stepNanos();
        return new double[] {
            out.prefillNanos(), (double) (steps[steps.length - 1] - (start + out.prefillNanos())) / steps.length
        };
    }

    /**
     * The least code that generates with ORT: the whole prompt in one run (logits for every row, as a naive loop and
     * transformers.js get them), then one token per run with pinned present buffers that become the next past.
     */
    static double[] bareRun(LoadedModel m, OrtSession s, int[] prompt, int tokens) throws OrtException {
        ModelDescriptor d = m.descriptor();
        KvCacheSpec kv = d.kv();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        boolean share = kv.layout() == KvCacheSpec.Layout.SHARE_BUFFER, i32 = d.idType() == OnnxJavaType.INT32;
        int cap = prompt.length + tokens, n = kv.pastNames().size(), vocab = d.vocabSize();
        long bytes = kv.elementsPerPosition() * cap * kv.bytesPerElement();
        ByteBuffer[] a = new ByteBuffer[n], b = new ByteBuffer[n];
        for (int i = 0; i < n; i++) {
            a[i] = EngineBench.alloc(bytes);
            b[i] = share ? null : EngineBench.alloc(bytes);
        }
        ByteBuffer logitsBuf = EngineBench.alloc((long) vocab * 4);
        OnnxTensor logits = OnnxTensor.createTensor(env, logitsBuf, new long[] {1, 1, vocab}, OnnxJavaType.FLOAT);
        float[] row = new float[vocab];
        int len = 0, last = 0;
        long t0 = System.nanoTime(), prefill = 0;
        List<OnnxTensor> tmp = new ArrayList<>();
        for (int step = 0; step < tokens; step++) {
            int[] feed = step == 0 ? prompt : new int[] {last};
            int total = len + feed.length;
            Map<String, OnnxTensor> in = new HashMap<>();
            Map<String, OnnxValue> outs = new HashMap<>();
            long[] pos = new long[feed.length], ids = new long[feed.length], mask = new long[total];
            for (int i = 0; i < feed.length; i++) {
                ids[i] = feed[i];
                pos[i] = len + i;
            }
            Arrays.fill(mask, 1);
            in.put(d.inputIds(), EngineBench.idTensor(env, ids, i32, tmp));
            if (d.attentionMask() != null) in.put(d.attentionMask(), EngineBench.idTensor(env, mask, i32, tmp));
            if (d.positionIds() != null) in.put(d.positionIds(), EngineBench.idTensor(env, pos, i32, tmp));
            for (int i = 0; i < n; i++) {
                OnnxTensor past = EngineBench.slice(env, a[i], kv, share ? cap : len, tmp);
                in.put(kv.pastNames().get(i), past);
                outs.put(kv.presentNames().get(i), share ? past : EngineBench.slice(env, b[i], kv, total, tmp));
            }
            if (feed.length > 1) {
                try (OrtSession.Result r = s.run(in, Set.of(d.logits()), outs)) {
                    ((OnnxTensor) r.get(d.logits()).orElseThrow())
                            .getFloatBuffer()
                            .get((feed.length - 1) * vocab, row);
                }
            } else {
                outs.put(d.logits(), logits);
                s.run(in, Set.of(), outs).close();
                logitsBuf.asFloatBuffer().get(0, row);
            }
            tmp.forEach(OnnxTensor::close);
            tmp.clear();
            if (!share) {
                ByteBuffer[] t = a;
                a = b;
                b = t;
            }
            len = total;
            last = Sampler.GREEDY.sample(row);
            if (step == 0) {
                prefill = System.nanoTime() - t0;
                t0 = System.nanoTime();
            }
        }
        long t1 = System.nanoTime();
        logits.close();
        return new double[] {prefill, (double) (t1 - t0) / (tokens - 1)};
    }

    /** Bytes moved per second (read + write) by {@code threads} threads each copying its own 256 MB; best of 5. */
    static double copyBandwidth(int threads) throws InterruptedException {
        int longs = 32 << 20;
        long[][] src = new long[threads][longs], dst = new long[threads][longs];
        for (long[] x : src) Arrays.fill(x, 1L);
        double best = 0;
        for (int rep = 0; rep < 6; rep++) {
            CountDownLatch go = new CountDownLatch(1), done = new CountDownLatch(threads);
            for (int t = 0; t < threads; t++) {
                int k = t;
                Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    System.arraycopy(src[k], 0, dst[k], 0, longs);
                    done.countDown();
                });
            }
            long t0 = System.nanoTime();
            go.countDown();
            done.await();
            double secs = (System.nanoTime() - t0) / 1e9;
            if (rep > 0) best = Math.max(best, 2.0 * 8 * longs * threads / secs);
        }
        return best;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "?";
        }
    }
}
