package dev.edgeai.openai;

import dev.edgeai.metrics.Stats;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one streamed token of {@code POST /v1/responses} costs the server to encode and frame (not a test: prints
 * figures): {@link ResponseStream}'s hand-built {@code response.output_text.delta} against the same event as a
 * {@link ResponseEvent.TextDelta} record written with Jackson, and the chat route's {@link ChunkStream} for scale.
 * All write to a discarding stream; rounds alternate between the paths so a busy machine slows all alike.
 * Run: {@code java @args dev.edgeai.openai.ResponseStreamBench [tokens per round] [rounds]}.
 */
public final class ResponseStreamBench {
    private ResponseStreamBench() {}

    private static final String[] TEXTS = {" the", " quick", " brown", " fox", "\n", " \"jumps\"", " é", " over"};
    private static final String MODEL = "tiny-random-LlamaForCausalLM-fp16";
    private static final String ITEM = "msg_0123456789abcdef01234567";

    public static void main(String[] args) {
        int tokens = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        ResponseRequest req = new ResponseRequest(MODEL, List.of(), null, null, null, null, true, null, null);
        ResponseStream fast = new ResponseStream(
                new SseWriter(OutputStream.nullOutputStream()),
                Responses.inProgress("resp_0123456789abcdef01234567", 1, MODEL, req),
                ITEM);
        fast.begin();
        SseWriter sse = new SseWriter(OutputStream.nullOutputStream());
        ChunkStream chat = new ChunkStream(
                new SseWriter(OutputStream.nullOutputStream()), "chatcmpl-0123456789abcdef01234567", 1, MODEL, true);
        List<Double> fastNs = new ArrayList<>(), recordNs = new ArrayList<>(), chatNs = new ArrayList<>();
        List<Double> ratio = new ArrayList<>();
        int seq = 0;
        for (int r = -3; r < rounds; r++) { // three rounds of warm-up
            long t0 = System.nanoTime();
            for (int i = 0; i < tokens; i++) fast.delta(TEXTS[i & 7]);
            long t1 = System.nanoTime();
            for (int i = 0; i < tokens; i++)
                sse.event(
                        "response.output_text.delta",
                        Wire.toJson(new ResponseEvent.TextDelta(
                                "response.output_text.delta", seq++, ITEM, 0, 0, TEXTS[i & 7], List.of())));
            long t2 = System.nanoTime();
            for (int i = 0; i < tokens; i++) chat.content(TEXTS[i & 7]);
            long t3 = System.nanoTime();
            if (r < 0) {
                fast = restart(req); // the accumulated text would grow without bound
                continue;
            }
            fastNs.add((double) (t1 - t0) / tokens);
            recordNs.add((double) (t2 - t1) / tokens);
            chatNs.add((double) (t3 - t2) / tokens);
            ratio.add((double) (t2 - t1) / (t1 - t0));
            fast = restart(req);
        }
        Stats f = Stats.of(fastNs), j = Stats.of(recordNs), c = Stats.of(chatNs), q = Stats.of(ratio);
        System.out.printf(
                Locale.ROOT,
                "per streamed token, %d rounds of %d tokens, %d cores%n",
                rounds,
                tokens,
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "| path | ns p50 | ns p95 |%n| --- | ---: | ---: |%n");
        System.out.printf(Locale.ROOT, "| ResponseStream delta (hand-built) | %.0f | %.0f |%n", f.p50(), f.p95());
        System.out.printf(Locale.ROOT, "| TextDelta record + Jackson + SseWriter | %.0f | %.0f |%n", j.p50(), j.p95());
        System.out.printf(Locale.ROOT, "| ChunkStream (chat completions) | %.0f | %.0f |%n", c.p50(), c.p95());
        System.out.printf(Locale.ROOT, "record / ResponseStream, paired per round: median %.2fx%n", q.p50());
    }

    private static ResponseStream restart(ResponseRequest req) {
        ResponseStream s = new ResponseStream(
                new SseWriter(OutputStream.nullOutputStream()),
                Responses.inProgress("resp_0123456789abcdef01234567", 1, MODEL, req),
                ITEM);
        s.begin();
        return s;
    }
}
