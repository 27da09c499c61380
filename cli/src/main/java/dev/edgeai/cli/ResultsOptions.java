package dev.edgeai.cli;

import dev.edgeai.results.ResultsFile;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The results folder option every measuring script shares: {@code @Mixin ResultsOptions results;}. */
public class ResultsOptions {
    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "${env:RESULTS_DIR:-data/results}",
            description = "Folder for results files (env RESULTS_DIR; default: ${DEFAULT-VALUE}).")
    public Path out;

    /** The folder, created and checked writable before any work; stale temp files of ours removed. */
    public Path dir() {
        return ResultsFile.prepareDir(out);
    }
}
