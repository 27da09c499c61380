package dev.edgeai.engine;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.function.Supplier;

/**
 * The attention cache of recently finished sequences of one model, so a request whose tokens start the same way (the
 * next turn of a chat re-sends the whole conversation; RAG and agent prompts repeat their system prompt) runs only
 * its new tokens, as llama.cpp's server and Ollama do. A small LRU bounded in bytes: each entry is a copy of one
 * sequence's KV (prompt + generated tokens that were fed), {@link Batch#bytesPerPosition()} per token; an entry that
 * a longer one extends is dropped, since the longer one serves every request the shorter one could.
 *
 * <p>{@code -Dedgeai.engine.prefixCacheMB} (env {@code EDGEAI_PREFIX_CACHE_MB}, default 256) sets the budget per
 * model; 0 turns reuse off.
 */
final class PrefixCache {
    static final long DEFAULT_MB = 256;
    static final int MAX_ENTRIES = 8;
    /** Below this many shared tokens a lookup is a miss: copying would save next to nothing. */
    static final int MIN_REUSE = 4;

    /** @param kv one compact buffer per KV tensor holding {@code tokens.length} positions */
    record Entry(int[] tokens, ByteBuffer[] kv, long bytes) {
        int length() {
            return tokens.length;
        }
    }

    /** @param reuse how many leading prompt positions to copy from the entry */
    record Hit(Entry entry, int reuse) {}

    private final long budget;
    private final ArrayDeque<Entry> lru = new ArrayDeque<>(); // most recent first
    private long bytes;
    private long hits, misses, reusedTokens;

    PrefixCache(long budgetBytes) {
        this.budget = Math.max(0, budgetBytes);
    }

    static long budgetFromSettings() {
        String v = System.getProperty(
                "edgeai.engine.prefixCacheMB",
                System.getenv().getOrDefault("EDGEAI_PREFIX_CACHE_MB", String.valueOf(DEFAULT_MB)));
        try {
            long mb = Long.parseLong(v.strip());
            if (mb < 0) throw new NumberFormatException();
            return mb << 20;
        } catch (NumberFormatException e) {
            throw new dev.edgeai.chat.ChatException(
                    dev.edgeai.chat.ChatException.Kind.INVALID_INPUT,
                    "edgeai.engine.prefixCacheMB (EDGEAI_PREFIX_CACHE_MB) must be a number of MB >= 0 (0 turns prompt"
                            + " reuse off), not '" + v + "'");
        }
    }

    boolean enabled() {
        return budget > 0;
    }

    /** The entry sharing the longest prefix with {@code prompt}, leaving at least its last token to run; or null. */
    synchronized Hit lookup(int[] prompt) {
        if (!enabled()) return null;
        Entry best = null;
        int bestLength = 0;
        for (Entry e : lru) {
            int n = Arrays.mismatch(e.tokens, prompt);
            if (n < 0) n = prompt.length; // identical
            if (n > bestLength) {
                best = e;
                bestLength = n;
            }
        }
        int reuse = Math.min(bestLength, prompt.length - 1);
        if (best == null || reuse < MIN_REUSE) {
            misses++;
            return null;
        }
        lru.remove(best);
        lru.addFirst(best);
        hits++;
        reusedTokens += reuse;
        return new Hit(best, reuse);
    }

    /**
     * Keeps the KV of a finished sequence: {@code snapshot} copies it out of the batch, and runs only when the entry
     * is kept (it is not when a longer entry already holds these tokens or it alone exceeds the budget).
     */
    synchronized void put(int[] tokens, long bytesPerPosition, Supplier<ByteBuffer[]> snapshot) {
        if (!enabled() || tokens.length < MIN_REUSE) return;
        long size = bytesPerPosition * tokens.length;
        if (size > budget) return;
        for (Iterator<Entry> it = lru.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (startsWith(e.tokens, tokens)) { // an entry already covers these tokens: just mark it used
                it.remove();
                lru.addFirst(e);
                return;
            }
            if (startsWith(tokens, e.tokens)) { // the new one extends it (the conversation went on)
                it.remove();
                bytes -= e.bytes;
            }
        }
        lru.addFirst(new Entry(tokens.clone(), snapshot.get(), size));
        bytes += size;
        while (bytes > budget || lru.size() > MAX_ENTRIES) bytes -= lru.removeLast().bytes;
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return lru.size();
    }

    /** "hits/lookups, tokens reused, MB held" for logs and benchmarks. */
    synchronized String stats() {
        return String.format(
                "%d/%d hits, %d tokens reused, %.1f MB in %d entries",
                hits, hits + misses, reusedTokens, bytes / 1048576.0, lru.size());
    }

    synchronized void clear() {
        lru.clear();
        bytes = 0;
    }

    private static boolean startsWith(int[] a, int[] prefix) {
        return a.length >= prefix.length && Arrays.equals(a, 0, prefix.length, prefix, 0, prefix.length);
    }
}
