/**
 * Session 1's comparison: one prompt to a small and a large model, measured by the benchmark core
 * ({@link dev.edgeai.bench.BenchmarkRunner}: concurrency 1, warmup excluded) and printed side by side by
 * {@link dev.edgeai.compare.ModelCompare#table}.
 */
package dev.edgeai.compare;
