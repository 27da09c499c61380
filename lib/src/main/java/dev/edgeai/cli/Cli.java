package dev.edgeai.cli;

import dev.edgeai.chat.ChatException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * The one way scripts run their picocli command, so every script fails the same way: one line on stderr that
 * says what to do, exit code 1 (2 for bad options, as picocli does), and a stack trace only with --verbose.
 */
public final class Cli {
    private Cli() {}

    public static int execute(Object command, String... args) {
        CommandLine cmd = new CommandLine(command);
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            boolean verbose = parseResult.hasMatchedOption("--verbose");
            if (isExpected(ex) && !verbose) {
                err.println("error: " + oneLine(ex.getMessage()));
                err.println("       (run with --verbose for details)");
            } else {
                err.println("error: " + oneLine(String.valueOf(ex.getMessage())));
                ex.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        return cmd.execute(args);
    }

    private static boolean isExpected(Throwable ex) {
        return ex instanceof ChatException || ex instanceof IllegalArgumentException || ex instanceof UncheckedIOException
                || ex instanceof IllegalStateException;
    }

    private static String oneLine(String s) {
        return s == null ? "unknown error" : s.replaceAll("\\s*\\R\\s*", " ");
    }
}
