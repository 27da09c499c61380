package dev.edgeai.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ChatMessage;
import dev.edgeai.chat.StreamListener;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A request that starts with the tokens of an earlier one (the next turn of a chat) runs only its new tokens, and
 * generates exactly what it generates with reuse off.
 */
class PrefixReuseTest {
    static Stream<Path> fixtures() {
        return Stream.of(
                Fixtures.QWEN_Q4, Fixtures.QWEN_GENAI, Fixtures.PHI_GENAI, Fixtures.LLAMA, Fixtures.GQA, Fixtures.GPT2);
    }

    static Generator.Settings greedy(int tokens) {
        return new Generator.Settings(tokens, Sampler.GREEDY, Set.of(), List.of());
    }

    static int[] ids(LoadedModel m, int n, int seed) {
        int vocab = Math.min(m.descriptor().vocabSize(), 1000);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = 5 + (i * 37 + seed * 11) % (vocab - 5);
        return out;
    }

    static int[] concat(int[]... parts) {
        int n = 0;
        for (int[] p : parts) n += p.length;
        int[] out = new int[n];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** Three turns, each prompt = the previous prompt + its answer + a new message; with and without reuse. */
    @ParameterizedTest
    @MethodSource("fixtures")
    void laterTurnsReuseTheConversationAndGenerateTheSame(Path fixture) {
        var on = LoadedModel.Options.fromSettings().maxBatch(1);
        try (LoadedModel reuse = LoadedModel.load(fixture, on);
                LoadedModel fresh = LoadedModel.load(fixture, on.prefixCacheBytes(0))) {
            int[] prompt = ids(reuse, 21, 1);
            for (int turn = 0; turn < 3; turn++) {
                Generator.Outcome a = reuse.generator().generate(prompt, greedy(12), StreamListener.NONE);
                Generator.Outcome b = fresh.generator().generate(prompt, greedy(12), StreamListener.NONE);
                assertArrayEquals(b.tokens(), a.tokens(), reuse.id() + " turn " + turn + ": with vs without reuse");
                assertEquals(0, b.reusedTokens());
                if (turn == 0) assertEquals(0, a.reusedTokens());
                else
                    // all but the last answer token (sampled, never fed) and the new message
                    assertEquals(prompt.length - 10, a.reusedTokens(), reuse.id() + " turn " + turn);
                prompt = concat(prompt, a.tokens(), ids(reuse, 9, turn + 2));
            }
            assertTrue(
                    reuse.generator().cacheStats().startsWith("2/3 hits"),
                    reuse.generator().cacheStats());
        }
    }

    @Test
    void aChatThroughTheBackendReusesThePreviousTurn() {
        try (EmbeddedBackend backend = EmbeddedBackend.load(Fixtures.QWEN_Q4)) {
            LoadedModel m = backend.model(null);
            List<ChatMessage> chat = new ArrayList<>(List.of(
                    ChatMessage.system("You are terse."), ChatMessage.user("Hello, my name is Ada. What is ONNX?")));
            var first = backend.stream(
                    dev.edgeai.chat.ChatRequest.builder(m.id())
                            .messages(chat)
                            .maxTokens(8)
                            .temperature(0.0)
                            .build(),
                    StreamListener.NONE);
            chat.add(ChatMessage.assistant(first.text()));
            chat.add(ChatMessage.user("Thank you! The answer is 42."));
            int[] next = m.promptIds(chat);
            var again = m.generator().generate(next, greedy(8), StreamListener.NONE);
            // The conversation up to the first answer is served from the cache: at least the first prompt.
            assertTrue(again.reusedTokens() >= first.usage().promptTokens(), again.reusedTokens() + " reused");
        }
    }

    @Test
    void zeroBudgetTurnsReuseOff() {
        try (LoadedModel m = LoadedModel.load(
                Fixtures.LLAMA, LoadedModel.Options.fromSettings().prefixCacheBytes(0))) {
            int[] p = ids(m, 30, 3);
            m.generator().generate(p, greedy(5), StreamListener.NONE);
            assertEquals(
                    0, m.generator().generate(p, greedy(5), StreamListener.NONE).reusedTokens());
            assertEquals(0, m.generator().cache().size());
        }
    }

    @Test
    void budgetSettingIsCheckedWithAClearMessage() {
        String old = System.getProperty("edgeai.engine.prefixCacheMB");
        try {
            System.setProperty("edgeai.engine.prefixCacheMB", "lots");
            var e = assertThrows(ChatException.class, PrefixCache::budgetFromSettings);
            assertTrue(e.getMessage().contains("0 turns prompt reuse off"), e.getMessage());
            System.setProperty("edgeai.engine.prefixCacheMB", "0");
            assertEquals(0, PrefixCache.budgetFromSettings());
        } finally {
            if (old == null) System.clearProperty("edgeai.engine.prefixCacheMB");
            else System.setProperty("edgeai.engine.prefixCacheMB", old);
        }
    }

    // ---- the cache on its own (no model): longest match, LRU by bytes, superseded entries

    static ByteBuffer[] kv() {
        return new ByteBuffer[] {ByteBuffer.allocate(1)};
    }

    @Test
    void longestSharedPrefixWinsAndLeavesOneTokenToRun() {
        PrefixCache c = new PrefixCache(1 << 20);
        c.put(new int[] {1, 2, 3, 4, 5, 6}, 10, PrefixReuseTest::kv);
        c.put(new int[] {1, 2, 3, 9, 9, 9, 9, 9}, 10, PrefixReuseTest::kv);
        var hit = c.lookup(new int[] {1, 2, 3, 4, 5, 6, 7});
        assertEquals(6, hit.reuse());
        assertEquals(5, c.lookup(new int[] {1, 2, 3, 4, 5, 6}).reuse(), "the last prompt token always runs");
        assertNull(c.lookup(new int[] {1, 2, 3}), "fewer shared tokens than MIN_REUSE is a miss");
    }

    @Test
    void evictsLeastRecentlyUsedBeyondTheBudgetAndDropsSupersededEntries() {
        AtomicInteger snapshots = new AtomicInteger();
        PrefixCache c = new PrefixCache(120); // bytes: 10 per position
        c.put(new int[] {1, 1, 1, 1, 1}, 10, () -> {
            snapshots.incrementAndGet();
            return kv();
        });
        c.put(new int[] {2, 2, 2, 2, 2}, 10, PrefixReuseTest::kv);
        assertEquals(100, c.bytes());
        c.lookup(new int[] {1, 1, 1, 1, 1, 7}); // 1s now most recent
        c.put(new int[] {3, 3, 3, 3}, 10, PrefixReuseTest::kv); // 140 > 120: the 2s go
        assertNull(c.lookup(new int[] {2, 2, 2, 2, 2, 7}));
        assertTrue(c.lookup(new int[] {1, 1, 1, 1, 1, 7}) != null);
        c.put(new int[] {1, 1, 1, 1}, 10, () -> {
            snapshots.incrementAndGet();
            return kv();
        });
        assertEquals(1, snapshots.get(), "an entry already covering the tokens is not copied again");
        c.put(new int[] {3, 3, 3, 3, 3, 3}, 10, PrefixReuseTest::kv); // extends the 3s: replaces them
        assertEquals(2, c.size());
        assertEquals(110, c.bytes());
        c.put(new int[20], 10, PrefixReuseTest::kv);
        assertEquals(2, c.size(), "an entry larger than the whole budget is not kept");
        assertTrue(Arrays.equals(
                new int[] {3, 3, 3, 3, 3, 3},
                c.lookup(new int[] {3, 3, 3, 3, 3, 3, 3}).entry().tokens()));
    }
}
