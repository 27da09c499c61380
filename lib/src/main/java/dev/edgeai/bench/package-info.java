/**
 * The benchmark core: {@link dev.edgeai.bench.BenchConfig} (models, prompt set, budget, concurrency sweep) run by
 * {@link dev.edgeai.bench.BenchmarkRunner}, which records every streamed request through a
 * {@link dev.edgeai.results.Recorder}; printers for the console (Markdown, CSV, JSON) and the regression comparison
 * of two results files. The benchmark mains that measure the kit itself live in the bench module, not here.
 */
package dev.edgeai.bench;
