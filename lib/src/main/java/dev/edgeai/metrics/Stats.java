package dev.edgeai.metrics;

import java.util.Arrays;
import java.util.Collection;

/**
 * Summary of a sample: count, mean, sample standard deviation (n-1), min, p50, p95, p99, max.
 * Percentiles use linear interpolation between closest ranks (numpy's default, "linear"), so figures match
 * what attendees compute in Python. NaN values are ignored; an empty sample gives n = 0 and NaN elsewhere.
 */
public record Stats(int n, double mean, double stddev, double min, double p50, double p95, double p99, double max) {

    public static Stats of(Collection<Double> values) {
        return of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    public static Stats of(double... values) {
        double[] v =
                Arrays.stream(values).filter(d -> !Double.isNaN(d)).sorted().toArray();
        int n = v.length;
        if (n == 0)
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        double mean = Arrays.stream(v).average().orElse(Double.NaN);
        double ss = 0;
        for (double x : v) ss += (x - mean) * (x - mean);
        double sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0.0;
        return new Stats(n, mean, sd, v[0], percentile(v, 50), percentile(v, 95), percentile(v, 99), v[n - 1]);
    }

    /** Linear-interpolated percentile of an ascending array (numpy.percentile default). */
    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        if (p <= 0) return sorted[0];
        if (p >= 100) return sorted[sorted.length - 1];
        double rank = p / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = (int) Math.ceil(rank);
        return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
    }
}
