package dev.edgeai.openai;

import dev.edgeai.metrics.Stats;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one streamed token costs the server to encode and frame (not a test: prints figures): {@link ChunkStream}'s
 * per-token path against the same chunk built as a {@link ChatCompletionChunk} record and written with Jackson and
 * {@link SseWriter}, the baseline it exists to beat. Both write to a discarding stream, so only encoding is timed;
 * rounds alternate between the two so a busy machine slows both alike.
 * Run: {@code java @args dev.edgeai.openai.ChunkStreamBench [tokens per round] [rounds]}.
 */
public final class ChunkStreamBench {
    private ChunkStreamBench() {}

    private static final String[] TEXTS = {" the", " quick", " brown", " fox", "\n", " \"jumps\"", " é", " over"};
    private static final String ID = "chatcmpl-0123456789abcdef01234567";
    private static final String MODEL = "tiny-random-LlamaForCausalLM-fp16";

    public static void main(String[] args) {
        int tokens = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        ChunkStream fast = new ChunkStream(new SseWriter(OutputStream.nullOutputStream()), ID, 1, MODEL, true);
        SseWriter sse = new SseWriter(OutputStream.nullOutputStream());
        List<Double> fastNs = new ArrayList<>(), recordNs = new ArrayList<>(), ratio = new ArrayList<>();
        for (int r = -3; r < rounds; r++) { // three rounds of warm-up
            long t0 = System.nanoTime();
            for (int i = 0; i < tokens; i++) fast.content(TEXTS[i & 7]);
            long t1 = System.nanoTime();
            for (int i = 0; i < tokens; i++)
                sse.data(Wire.toJson(ChatCompletionChunk.of(
                        ID, 1, MODEL, ChatCompletionChunk.Delta.content(TEXTS[i & 7]), null, true)));
            long t2 = System.nanoTime();
            if (r < 0) continue;
            fastNs.add((double) (t1 - t0) / tokens);
            recordNs.add((double) (t2 - t1) / tokens);
            ratio.add((double) (t2 - t1) / (t1 - t0));
        }
        Stats f = Stats.of(fastNs), j = Stats.of(recordNs), q = Stats.of(ratio);
        System.out.printf(
                Locale.ROOT,
                "per streamed token, %d rounds of %d tokens, %d cores%n",
                rounds,
                tokens,
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "| path | ns p50 | ns p95 |%n| --- | ---: | ---: |%n");
        System.out.printf(Locale.ROOT, "| ChunkStream (pre-built head) | %.0f | %.0f |%n", f.p50(), f.p95());
        System.out.printf(Locale.ROOT, "| record + Jackson + SseWriter | %.0f | %.0f |%n", j.p50(), j.p95());
        System.out.printf(Locale.ROOT, "record / ChunkStream, paired per round: median %.2fx%n", q.p50());
    }
}
