package dev.edgeai.retrieval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** Keeps the k best of a dense score array with a min-heap; ties go to the lower doc id so rankings are stable. */
final class TopK {
    private TopK() {}

    static final Comparator<Match> BEST_FIRST =
            Comparator.comparingDouble(Match::score).reversed().thenComparingInt(Match::doc);

    /** @param include skip docs whose score the caller marks as "not a match" (e.g. BM25 docs sharing no term) */
    static List<Match> of(double[] scores, int n, int k, java.util.function.IntPredicate include) {
        if (k <= 0) return List.of();
        PriorityQueue<Match> heap = new PriorityQueue<>(k + 1, BEST_FIRST.reversed());
        for (int d = 0; d < n; d++) {
            if (!include.test(d)) continue;
            double s = scores[d];
            if (heap.size() < k) heap.add(new Match(d, s));
            else if (s > heap.peek().score()) {
                heap.poll();
                heap.add(new Match(d, s));
            }
        }
        List<Match> out = new ArrayList<>(heap);
        out.sort(BEST_FIRST);
        return out;
    }
}
