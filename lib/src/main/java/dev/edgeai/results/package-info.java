/**
 * The one results schema: {@link dev.edgeai.results.RunResult} (a run: metadata, environment, samples, summaries)
 * read and written atomically by {@link dev.edgeai.results.ResultsFile}. {@link dev.edgeai.results.Recorder} turns
 * each call on a backend into a {@link dev.edgeai.results.Sample}, the same way for every tool;
 * {@link dev.edgeai.results.RunLog} holds a run's partial results for a Ctrl-C handler.
 */
package dev.edgeai.results;
