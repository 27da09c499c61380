package dev.edgeai.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Reference values computed by hand with numpy's default 'linear' method: rank = p/100 * (n-1), interpolate. */
class StatsTest {
    private static final double EPS = 1e-9;

    @Test
    void oneToTen() {
        Stats s = Stats.of(IntStream.rangeClosed(1, 10).asDoubleStream().toArray());
        // np.percentile(range(1,11), [50,95,99]) -> 5.5, 9.55, 9.91
        assertEquals(10, s.n());
        assertEquals(5.5, s.mean(), EPS);
        assertEquals(5.5, s.p50(), EPS);
        assertEquals(9.55, s.p95(), EPS);
        assertEquals(9.91, s.p99(), EPS);
        assertEquals(1, s.min(), EPS);
        assertEquals(10, s.max(), EPS);
        assertEquals(Math.sqrt(82.5 / 9), s.stddev(), EPS); // sum of squares about 5.5 is 82.5, ddof=1
    }

    @Test
    void oneToHundred() {
        Stats s = Stats.of(IntStream.rangeClosed(1, 100).asDoubleStream().toArray());
        // rank(50) = 49.5 -> 50.5; rank(95) = 94.05 -> 95.05; rank(99) = 98.01 -> 99.01
        assertEquals(50.5, s.p50(), EPS);
        assertEquals(95.05, s.p95(), EPS);
        assertEquals(99.01, s.p99(), EPS);
    }

    @Test
    void skewedAndUnsorted() {
        // sorted: 1 1 2 2 3 5 8 13 100 1000 (n=10)
        Stats s = Stats.of(100, 1, 13, 2, 1000, 3, 1, 8, 2, 5);
        assertEquals(4.0, s.p50(), EPS); // rank 4.5 between 3 and 5
        assertEquals(595.0, s.p95(), EPS); // rank 8.55: 100 + 0.55 * 900
        assertEquals(919.0, s.p99(), EPS); // rank 8.91: 100 + 0.91 * 900
        assertEquals(113.5, s.mean(), EPS);
    }

    @Test
    void singleValue() {
        Stats s = Stats.of(42.0);
        assertEquals(1, s.n());
        assertEquals(42, s.p50(), EPS);
        assertEquals(42, s.p95(), EPS);
        assertEquals(42, s.p99(), EPS);
        assertEquals(0, s.stddev(), EPS);
    }

    @Test
    void nanIgnoredAndEmpty() {
        Stats s = Stats.of(1, Double.NaN, 3);
        assertEquals(2, s.n());
        assertEquals(2, s.p50(), EPS);
        Stats e = Stats.of(Double.NaN);
        assertEquals(0, e.n());
        assertTrue(Double.isNaN(e.p50()));
    }
}
