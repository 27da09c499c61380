package dev.edgeai.engine;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.edgeai.chat.StreamListener;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decode speed of our generation loop against a bare ORT session.run loop fed the same way (pinned, double-
 * buffered KV), on the same session, interleaved run by run (order rotated, best of {@link #ROUNDS} per rep) so
 * machine noise hits all alike. A third
 * variant, our Batch (one row) with the greedy sampler but no detokenizer or stop matcher, shows where the time goes:
 * engine − decoder-only is the per-token cost of streaming text. Prints the median and p10–p90 of the per-rep
 * engine/bare ratio. Not a test: timing on a shared 2-core machine is too noisy to assert on.
 *
 * <pre>java -cp ... dev.edgeai.engine.EngineBench [reps] [model folders...]</pre>
 */
public final class EngineBench {
    static final int TOKENS = 64;
    /** Runs of each variant per rep; the rep keeps the fastest of each. */
    static final int ROUNDS = 3;

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 25;
        List<Path> folders = new ArrayList<>();
        for (int i = 1; i < args.length; i++) folders.add(Path.of(args[i]));
        if (folders.isEmpty()) {
            Path root = Path.of("testdata/models");
            folders = List.of(
                    root.resolve("tiny-random-LlamaForCausalLM-fp16"),
                    root.resolve("tiny-random-gpt2-fp32"),
                    root.resolve("tiny-graph-capture-gqa"));
        }
        System.out.printf(
                "EngineBench: ONNX Runtime %s (Java API), Java %s (%s), %s %s, %d cores; %d greedy tokens from the same prompt ids,%n"
                        + "%d reps after 2 warm-up; per rep each variant runs %d times interleaved (order rotated) and keeps its fastest run;%n"
                        + "ratio = per-rep engine time / bare time; columns other than p10–p90 are medians over reps;%n"
                        + "ORT intra-op threads %s, spinning %s%n%n",
                OrtEnvironment.getEnvironment().getVersion(),
                System.getProperty("java.version"),
                System.getProperty("java.vm.name"),
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(),
                TOKENS,
                reps,
                ROUNDS,
                LoadedModel.THREADS > 0 ? LoadedModel.THREADS : "ORT default",
                LoadedModel.SPINNING ? "on (ORT default)" : "off");
        System.out.println(
                "| model | engine tok/s | engine µs/token | decoder-only µs/token | bare tok/s | bare µs/token | engine/bare median | p10–p90 | engine−decoder µs/token | same tokens |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        StringBuilder ids = new StringBuilder();
        for (Path f : folders) {
            try (LoadedModel m = LoadedModel.load(f)) {
                int[] prompt = promptIds(m);
                double[] engine = new double[reps],
                        bare = new double[reps],
                        dec = new double[reps],
                        ratio = new double[reps],
                        over = new double[reps];
                boolean same = true;
                int[] lastTokens = null, bareTokens = null, decoderTokens = null;
                for (int r = -2; r < reps; r++) {
                    // Each variant runs ROUNDS times, interleaved with the others in a rotating order; a rep keeps each
                    // variant's fastest run, so a burst of load from elsewhere spoils one run, not the rep's ratio.
                    double e = Double.MAX_VALUE, b = Double.MAX_VALUE, d = Double.MAX_VALUE;
                    for (int k = 0; k < 3 * ROUNDS; k++) {
                        Run run = switch (Math.floorMod(r + k, 3)) {
                            case 0 -> engineRun(m, prompt);
                            case 1 -> bareRun(m, prompt);
                            default -> decoderRun(m, prompt);
                        };
                        switch (Math.floorMod(r + k, 3)) {
                            case 0 -> {
                                e = Math.min(e, run.nanosPerToken);
                                lastTokens = run.tokens;
                            }
                            case 1 -> {
                                b = Math.min(b, run.nanosPerToken);
                                bareTokens = run.tokens;
                            }
                            default -> {
                                d = Math.min(d, run.nanosPerToken);
                                decoderTokens = run.tokens;
                            }
                        }
                    }
                    same &= Arrays.equals(lastTokens, bareTokens) && Arrays.equals(decoderTokens, bareTokens);
                    if (r >= 0) {
                        engine[r] = e;
                        bare[r] = b;
                        dec[r] = d;
                        ratio[r] = e / b;
                        over[r] = e - d;
                    }
                }
                ids.append(String.format(
                        "- %s: prompt ids %s; first generated ids %s%n",
                        m.id(), join(prompt, prompt.length), join(lastTokens, 8)));
                double me = median(engine), mb = median(bare), md = median(dec);
                System.out.printf(
                        "| %s | %.0f | %.1f | %.1f | %.0f | %.1f | %.3f | %.3f–%.3f | %.1f | %s |%n",
                        m.id(),
                        1e9 / me,
                        me / 1e3,
                        md / 1e3,
                        1e9 / mb,
                        mb / 1e3,
                        median(ratio),
                        percentile(ratio, 0.10),
                        percentile(ratio, 0.90),
                        median(over) / 1e3,
                        same ? "yes" : "NO");
            }
        }
        System.out.printf("%n%s", ids);
    }

    private static String join(int[] v, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(n, v.length); i++)
            b.append(i == 0 ? "" : " ").append(v[i]);
        return b.toString();
    }

    /** The benchmark prompt: ids the GPT-2 fixture accepts (< 1000), else "Hello, my name is" with BOS. */
    static int[] promptIds(LoadedModel m) {
        return m.id().contains("gpt2")
                ? new int[] {98, 15, 286, 262, 11, 314}
                : m.tokenizer().encode("Hello, my name is", true);
    }

    record Run(int[] tokens, double nanosPerToken) {}

    /** Our loop as the backend runs it: sampler, detokenizer and stop matcher included. */
    static Run engineRun(LoadedModel m, int[] prompt) {
        long start = System.nanoTime();
        var out = m.generator()
                .generate(
                        prompt,
                        new Generator.Settings(TOKENS, Sampler.GREEDY, Set.of(), List.of()),
                        StreamListener.NONE);
        long[] steps = out.stepNanos();
        return new Run(out.tokens(), (double) (steps[steps.length - 1] - (start + out.prefillNanos())) / steps.length);
    }

    /** Our Batch (one row) and the greedy sampler alone: the engine loop without scheduler, detokenizer or listener. */
    static Run decoderRun(LoadedModel m, int[] prompt) {
        Batch b = m.batch();
        b.clear();
        float[] logits = b.add(prompt, null, 0, prompt.length + TOKENS);
        long t0 = System.nanoTime();
        int[] tokens = new int[TOKENS];
        int[] feed = new int[1];
        for (int i = 0; i < TOKENS; i++) {
            tokens[i] = Sampler.GREEDY.sample(logits);
            feed[0] = tokens[i];
            if (i < TOKENS - 1) logits = b.step(feed)[0];
        }
        long t1 = System.nanoTime();
        b.clear();
        return new Run(tokens, (double) (t1 - t0) / (TOKENS - 1));
    }

    /** The least code that decodes with ORT: argmax, then run with pinned present buffers that become the next past. */
    static Run bareRun(LoadedModel m, int[] prompt) throws OrtException {
        ModelDescriptor d = m.descriptor();
        KvCacheSpec kv = d.kv();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession s = m.session();
        boolean share = kv.layout() == KvCacheSpec.Layout.SHARE_BUFFER, i32 = d.idType() == OnnxJavaType.INT32;
        int cap = prompt.length + TOKENS, n = kv.pastNames().size(), vocab = d.vocabSize();
        long bytes = kv.elementsPerPosition() * cap * kv.bytesPerElement();
        ByteBuffer[] a = new ByteBuffer[n], b = new ByteBuffer[n];
        for (int i = 0; i < n; i++) {
            a[i] = alloc(bytes);
            b[i] = alloc(bytes);
        }
        ByteBuffer logitsBuf = alloc((long) vocab * (d.logitsType() == OnnxJavaType.FLOAT16 ? 2 : 4));
        OnnxTensor logits = OnnxTensor.createTensor(env, logitsBuf, new long[] {1, 1, vocab}, d.logitsType());
        float[] row = new float[vocab];
        int[] tokens = new int[TOKENS];
        int len = 0;
        long t0 = 0;
        List<OnnxTensor> tmp = new ArrayList<>();
        for (int step = 0; step <= TOKENS - 1; step++) {
            int[] feed = step == 0 ? prompt : new int[] {tokens[step - 1]};
            int total = len + feed.length;
            Map<String, OnnxTensor> in = new HashMap<>();
            Map<String, OnnxValue> outs = new HashMap<>();
            long[] pos = new long[feed.length], ids = new long[feed.length], mask = new long[total];
            for (int i = 0; i < feed.length; i++) {
                ids[i] = feed[i];
                pos[i] = len + i;
            }
            Arrays.fill(mask, 1);
            in.put(d.inputIds(), idTensor(env, ids, i32, tmp));
            if (d.attentionMask() != null) in.put(d.attentionMask(), idTensor(env, mask, i32, tmp));
            if (d.positionIds() != null) in.put(d.positionIds(), idTensor(env, pos, i32, tmp));
            for (int i = 0; i < n; i++) {
                OnnxTensor past = slice(env, a[i], kv, share ? cap : len, tmp);
                in.put(kv.pastNames().get(i), past);
                outs.put(kv.presentNames().get(i), share ? past : slice(env, b[i], kv, total, tmp));
            }
            if (feed.length > 1) { // prefill: whole prompt, logits of its last row only
                try (OrtSession.Result r = s.run(in, Set.of(d.logits()), outs)) {
                    OnnxTensor l = (OnnxTensor) r.get(d.logits()).orElseThrow();
                    toFloats(
                            l.getByteBuffer().order(ByteOrder.nativeOrder()),
                            (feed.length - 1) * vocab,
                            d.logitsType(),
                            row);
                }
            } else {
                outs.put(d.logits(), logits);
                s.run(in, Set.of(), outs).close();
                toFloats(logitsBuf, 0, d.logitsType(), row);
            }
            tmp.forEach(OnnxTensor::close);
            tmp.clear();
            if (!share) {
                ByteBuffer[] t = a;
                a = b;
                b = t;
            }
            len = total;
            if (step == 0) t0 = System.nanoTime();
            tokens[step] = Sampler.GREEDY.sample(row);
        }
        long t1 = System.nanoTime();
        logits.close();
        return new Run(tokens, (double) (t1 - t0) / (TOKENS - 1));
    }

    private static void toFloats(ByteBuffer buf, int offset, OnnxJavaType type, float[] row) {
        if (type == OnnxJavaType.FLOAT16)
            for (int i = 0; i < row.length; i++) row[i] = Float.float16ToFloat(buf.getShort((offset + i) * 2));
        else for (int i = 0; i < row.length; i++) row[i] = buf.getFloat((offset + i) * 4);
    }

    // Shared with RealSizeBench: the bare loop both benches measure against builds its tensors the same way.
    static OnnxTensor slice(OrtEnvironment env, ByteBuffer buf, KvCacheSpec kv, int seq, List<OnnxTensor> tmp)
            throws OrtException {
        int bytes = (int) (kv.elementsPerPosition() * seq * kv.bytesPerElement());
        OnnxTensor t = OnnxTensor.createTensor(
                env,
                buf.duplicate().position(0).limit(bytes).slice().order(ByteOrder.nativeOrder()),
                kv.shapeFor(seq),
                kv.type());
        tmp.add(t);
        return t;
    }

    static OnnxTensor idTensor(OrtEnvironment env, long[] v, boolean i32, List<OnnxTensor> tmp) throws OrtException {
        OnnxTensor t;
        if (i32) {
            int[] x = new int[v.length];
            for (int i = 0; i < v.length; i++) x[i] = (int) v[i];
            t = OnnxTensor.createTensor(env, new int[][] {x});
        } else {
            t = OnnxTensor.createTensor(env, new long[][] {v});
        }
        tmp.add(t);
        return t;
    }

    static ByteBuffer alloc(long bytes) {
        return ByteBuffer.allocateDirect((int) Math.max(8, bytes)).order(ByteOrder.nativeOrder());
    }

    /** Nearest-rank percentile, q in [0, 1]. */
    static double percentile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, Math.max(0, (int) Math.ceil(q * s.length) - 1))];
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
