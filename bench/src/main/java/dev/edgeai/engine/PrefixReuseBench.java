package dev.edgeai.engine;

import dev.edgeai.chat.ChatMessage;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.ChatResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Time to first token of the next turn of a conversation of about {@code --tokens} tokens, with the prefix cache (the
 * previous turn's KV is there, as after a real previous turn) and without it (cache emptied: the whole conversation
 * is prefilled), interleaved rep by rep in one JVM on one loaded model, through {@link EmbeddedBackend#stream} (chat
 * template and tokenizer included). Checks that both answers are the same text. Not a test: prints figures.
 *
 * <pre>java -cp ... dev.edgeai.engine.PrefixReuseBench [--tokens 1000] [--reps 5] [--answer 16] folder</pre>
 */
public final class PrefixReuseBench {
    public static void main(String[] args) throws Exception {
        int target = 1000, reps = 5, answer = 16;
        Path folder = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--tokens" -> target = Integer.parseInt(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--answer" -> answer = Integer.parseInt(args[++i]);
                default -> folder = Path.of(args[i]);
            }
        }
        if (folder == null) {
            System.err.println("usage: PrefixReuseBench [--tokens 1000] [--reps 5] [--answer 16] folder");
            System.exit(2);
        }
        List<String> paragraphs = new ArrayList<>();
        try (var files = Files.list(Path.of("data/docs"))) {
            for (Path p :
                    files.filter(p -> p.toString().endsWith(".md")).sorted().toList())
                for (String para : Files.readString(p).split("\n\n"))
                    if (para.strip().length() > 80) paragraphs.add(para.strip());
        }
        try (EmbeddedBackend backend = EmbeddedBackend.load(folder)) {
            String id = backend.models().getFirst().id();
            LoadedModel m = backend.model(id);
            // Build the conversation turn by turn (each turn a question about a paragraph, answered greedily) until
            // a short follow-up question on top of it reaches the target length: that follow-up is the measured turn.
            List<ChatMessage> chat = new ArrayList<>(List.of(ChatMessage.system(
                    "You are a helpful assistant for a workshop on local language models. Answer briefly.")));
            ChatMessage followUp = ChatMessage.user("Thanks. And what does that mean for a laptop with 8 GB of RAM?");
            List<ChatMessage> previous = null;
            int turns = 0;
            for (int k = 0; m.promptIds(with(chat, followUp)).length < target; k++) {
                List<ChatMessage> asked = with(
                        chat,
                        ChatMessage.user("Explain this in one sentence:\n" + paragraphs.get(k % paragraphs.size())));
                ChatResult r = backend.stream(request(id, asked, answer), dev.edgeai.chat.StreamListener.NONE);
                previous = asked;
                chat = with(asked, ChatMessage.assistant(r.text()));
                turns++;
            }
            chat = with(chat, followUp);
            int promptTokens = m.promptIds(chat).length;
            System.out.printf(
                    "PrefixReuseBench: %s, ONNX Runtime %s, %d cores, load average %s; a follow-up question after %d turns:"
                            + " %d prompt tokens, %d-token greedy answers; %d reps, with and without reuse alternating%n%n",
                    id,
                    ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion(),
                    Runtime.getRuntime().availableProcessors(),
                    RealSizeBench.loadAverage(),
                    turns,
                    promptTokens,
                    answer,
                    reps);
            double[] with = new double[reps], without = new double[reps], ratio = new double[reps];
            int reused = 0;
            boolean same = true;
            for (int r = 0; r < reps; r++) {
                ChatResult a = null, b = null;
                for (int k = 0; k < 2; k++) {
                    boolean reuse = (k + r) % 2 == 0;
                    m.generator().cache().clear();
                    if (reuse) {
                        // As after the real previous turn: its prompt and answer are in the cache.
                        backend.stream(request(id, previous, answer), dev.edgeai.chat.StreamListener.NONE);
                        String before = m.generator().cacheStats();
                        a = backend.stream(request(id, chat, answer), dev.edgeai.chat.StreamListener.NONE);
                        reused = reusedSince(before, m.generator().cacheStats());
                        with[r] = a.timings().ttftMs();
                    } else {
                        b = backend.stream(request(id, chat, answer), dev.edgeai.chat.StreamListener.NONE);
                        without[r] = b.timings().ttftMs();
                    }
                }
                same &= a.text().equals(b.text())
                        && a.usage().completionTokens() == b.usage().completionTokens();
                ratio[r] = with[r] / without[r];
            }
            System.out.println(
                    "| prompt tokens | reused | TTFT with reuse ms | TTFT without ms | with / without (per rep) | same answer |");
            System.out.println("|---|---|---|---|---|---|");
            System.out.printf(
                    "| %d | %d | %.0f (%.0f-%.0f) | %.0f (%.0f-%.0f) | %.3f (%.3f-%.3f) | %s |%n",
                    promptTokens,
                    reused,
                    EngineBench.median(with),
                    min(with),
                    max(with),
                    EngineBench.median(without),
                    min(without),
                    max(without),
                    EngineBench.median(ratio),
                    min(ratio),
                    max(ratio),
                    same ? "yes" : "NO");
        }
    }

    static List<ChatMessage> with(List<ChatMessage> chat, ChatMessage next) {
        List<ChatMessage> out = new ArrayList<>(chat);
        out.add(next);
        return out;
    }

    static ChatRequest request(String id, List<ChatMessage> messages, int tokens) {
        return ChatRequest.builder(id)
                .messages(messages)
                .maxTokens(tokens)
                .temperature(0.0)
                .build();
    }

    /** Tokens reused between two cacheStats() lines ("h/n hits, T tokens reused, ..."). */
    static int reusedSince(String before, String after) {
        return tokens(after) - tokens(before);
    }

    private static int tokens(String stats) {
        String s = stats.substring(stats.indexOf("hits, ") + 6);
        return Integer.parseInt(s.substring(0, s.indexOf(' ')));
    }

    static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}
