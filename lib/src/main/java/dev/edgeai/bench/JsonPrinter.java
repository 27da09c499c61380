package dev.edgeai.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunMeta;
import dev.edgeai.results.RunResult;
import java.io.UncheckedIOException;

/** The whole {@link RunResult} as one JSON document (the results-file schema), written at the end. */
public final class JsonPrinter implements ResultPrinter {
    @Override
    public void row(RunMeta meta, BenchRow row, Appendable out) {}

    @Override
    public void footer(RunResult result, Appendable out) {
        try {
            ResultPrinter.write(out, ResultsFile.json().writeValueAsString(result) + "\n");
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
