package dev.edgeai.bench;

import dev.edgeai.results.RunMeta;
import dev.edgeai.results.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * Prints benchmark results like llama-bench's printers: a header, one row per summary (flush after each so partial
 * results survive a crash), a footer. Pick one with {@link #forFormat} ({@code md}, {@code csv}, {@code json},
 * {@code jsonl}).
 */
public interface ResultPrinter {

    default void header(RunMeta meta, Appendable out) {}

    void row(RunMeta meta, BenchRow row, Appendable out);

    /** Warnings (estimated tokens, incomplete run) or, for json, the whole result. */
    default void footer(RunResult result, Appendable out) {}

    /** Header, every row, footer. */
    default void print(RunResult result, Appendable out) {
        header(result.meta(), out);
        for (BenchRow r : BenchRow.of(result)) row(result.meta(), r, out);
        footer(result, out);
    }

    default String print(RunResult result) {
        StringBuilder sb = new StringBuilder();
        print(result, sb);
        return sb.toString();
    }

    static ResultPrinter forFormat(String format) {
        return switch (format == null ? "md" : format.toLowerCase(Locale.ROOT)) {
            case "md", "markdown" -> new MarkdownPrinter();
            case "csv" -> new CsvPrinter();
            case "jsonl" -> new JsonlPrinter();
            case "json" -> new JsonPrinter();
            default ->
                throw new IllegalArgumentException("unknown output format '" + format + "' (md, csv, json, jsonl)");
        };
    }

    /** Appends and flushes, turning IOException into UncheckedIOException. */
    static void write(Appendable out, CharSequence text) {
        try {
            out.append(text);
            if (out instanceof java.io.Flushable f) f.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
