package dev.edgeai.engine;

import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.FinishReason;
import dev.edgeai.chat.StreamListener;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** The generation loop: prefill, then sample → stream text → feed back, until a stop condition. */
public final class Generator {
    private final Decoder decoder;
    private final TextTokenizer tokenizer;
    private final int contextLength;

    Generator(Decoder decoder, TextTokenizer tokenizer, int contextLength) {
        this.decoder = decoder;
        this.tokenizer = tokenizer;
        this.contextLength = contextLength;
    }

    /**
     * @param maxTokens upper bound on generated tokens (the context length may cut it shorter)
     * @param eosIds    ids that end generation without being emitted; empty for benchmarks that must run to length
     * @param stop      strings that end generation; the text ends before them
     */
    public record Settings(int maxTokens, Sampler sampler, Set<Integer> eosIds, List<String> stop) {
        public Settings {
            eosIds = Set.copyOf(eosIds);
            stop = stop.stream().filter(s -> !s.isEmpty()).toList();
        }
    }

    /**
     * @param tokens       generated ids (EOS excluded)
     * @param prefillNanos from the call until the first logits
     * @param stepNanos    System.nanoTime() after each decode step, for per-token times
     */
    public record Outcome(
            int[] tokens,
            String text,
            FinishReason finishReason,
            int promptTokens,
            long prefillNanos,
            long[] stepNanos) {}

    public Outcome generate(int[] prompt, Settings s, StreamListener listener) {
        if (prompt.length >= contextLength)
            throw new ChatException(
                    ChatException.Kind.INVALID_INPUT,
                    "the prompt has " + prompt.length + " tokens but the model's context is " + contextLength
                            + "; shorten the prompt or the RAG context");
        long start = System.nanoTime();
        decoder.reset(Math.min(prompt.length + s.maxTokens(), contextLength));
        float[] logits = decoder.prefill(prompt);
        long prefill = System.nanoTime() - start;

        IncrementalDetokenizer detok = new IncrementalDetokenizer(tokenizer);
        StopMatcher stops = new StopMatcher(s.stop(), listener);
        int[] out = new int[Math.max(16, Math.min(s.maxTokens(), 4096))];
        long[] steps = new long[out.length];
        int[] eos = s.eosIds().stream().mapToInt(Integer::intValue).toArray(); // no boxing per token
        int n = 0;
        FinishReason reason;
        while (true) {
            if (listener.isCancelled()) {
                reason = FinishReason.CANCELLED;
                break;
            }
            int token = s.sampler().sample(logits);
            if (contains(eos, token)) {
                reason = FinishReason.STOP;
                break;
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
                steps = Arrays.copyOf(steps, n * 2);
            }
            out[n++] = token;
            if (stops.add(detok.add(token))) {
                reason = FinishReason.STOP;
                break;
            }
            if (n >= s.maxTokens() || decoder.length() >= decoder.capacity()) {
                reason = FinishReason.LENGTH;
                break;
            }
            logits = decoder.next(token);
            steps[n - 1] = System.nanoTime();
        }
        if (!stops.stopped()) {
            if (stops.add(detok.flush())) reason = FinishReason.STOP;
            else stops.finish();
        }
        return new Outcome(
                Arrays.copyOf(out, n),
                stops.text(),
                reason,
                prompt.length,
                prefill,
                Arrays.copyOf(steps, Math.max(0, n - 1)));
    }

    private static boolean contains(int[] values, int v) {
        for (int x : values) if (x == v) return true;
        return false;
    }

    /**
     * Passes text on while holding back any tail that could be the start of a stop string, so a stop string is
     * never streamed and then taken back.
     */
    static final class StopMatcher {
        private final List<String> stops;
        private final StreamListener listener;
        private final StringBuilder text = new StringBuilder();
        private String pending = "";
        private boolean stopped;

        StopMatcher(List<String> stops, StreamListener listener) {
            this.stops = stops;
            this.listener = listener;
        }

        /** Returns true when a stop string was found (the text before it has been emitted). */
        boolean add(String piece) {
            if (piece.isEmpty() || stopped) return stopped;
            if (stops.isEmpty()) {
                emit(piece);
                return false;
            }
            pending += piece;
            int cut = -1;
            for (String s : stops) {
                int at = pending.indexOf(s);
                if (at >= 0 && (cut < 0 || at < cut)) cut = at;
            }
            if (cut >= 0) {
                emit(pending.substring(0, cut));
                pending = "";
                stopped = true;
                return true;
            }
            int hold = 0;
            for (String s : stops)
                for (int k = Math.min(s.length() - 1, pending.length()); k > hold; k--)
                    if (pending.endsWith(s.substring(0, k))) {
                        hold = k;
                        break;
                    }
            emit(pending.substring(0, pending.length() - hold));
            pending = pending.substring(pending.length() - hold);
            return false;
        }

        void finish() {
            emit(pending);
            pending = "";
        }

        boolean stopped() {
            return stopped;
        }

        String text() {
            return text.toString();
        }

        private void emit(String s) {
            if (s.isEmpty()) return;
            text.append(s);
            listener.onToken(s);
        }
    }
}
