package dev.edgeai.results;

import java.util.List;

/**
 * The one results file every script, notebook and chart reads and writes (see {@link ResultsFile}).
 *
 * @param schema   always {@link #SCHEMA}; readers refuse other values with a clear error
 * @param complete false when the run was interrupted (partial results kept and marked)
 * @param reports  one row per model or pipeline of an evaluation run (scores, cost, memory, cold start); empty
 *                 for other tools and in files written before the field existed
 */
public record RunResult(
        String schema,
        RunMeta meta,
        List<Sample> samples,
        List<Summary> summaries,
        boolean complete,
        String note,
        List<SystemReport> reports) {
    public static final String SCHEMA = "edgeai.results/v1";

    public RunResult {
        samples = List.copyOf(samples);
        summaries = List.copyOf(summaries);
        reports = reports == null ? List.of() : List.copyOf(reports);
    }

    /** A run without evaluation reports. */
    public RunResult(
            String schema, RunMeta meta, List<Sample> samples, List<Summary> summaries, boolean complete, String note) {
        this(schema, meta, samples, summaries, complete, note, List.of());
    }

    /** A finished run whose summaries are computed from its samples. */
    public static RunResult of(RunMeta meta, List<Sample> samples) {
        return new RunResult(SCHEMA, meta, samples, Summary.of(samples), true, null);
    }

    public RunResult withSummaries(List<Summary> s) {
        return new RunResult(schema, meta, samples, s, complete, note, reports);
    }

    public RunResult withReports(List<SystemReport> r) {
        return new RunResult(schema, meta, samples, summaries, complete, note, r);
    }

    public RunResult incomplete(String why) {
        return new RunResult(schema, meta, samples, summaries, false, why, reports);
    }
}
