package dev.edgeai.http;

import dev.edgeai.chat.Terminal;
import java.io.PrintStream;

/**
 * One line per refused or failed request on the server's console, e.g.
 * {@code request refused: POST /v1/chat/completions -> 403 (from 127.0.0.1): Host 'x.example' is not allowed ...}
 * ({@code request failed:} for 5xx): enough to see why a client or page is refused, never a stack trace per request
 * (a hostile client would flood the console) unless the server runs with --verbose. What the client sent is made
 * terminal-safe and cut short.
 */
public final class RequestLog {
    private static final int MAX_PATH = 200;
    private static final int MAX_MESSAGE = 400;

    private final PrintStream out;
    private final boolean verbose;

    /**
     * @param out     where lines go (stderr in the scripts); null: nowhere
     * @param verbose also print the stack trace of an unexpected failure
     */
    public RequestLog(PrintStream out, boolean verbose) {
        this.out = out;
        this.verbose = verbose;
    }

    /** Logs to stderr, stack traces off. */
    public static RequestLog stderr() {
        return new RequestLog(System.err, false);
    }

    public boolean verbose() {
        return verbose;
    }

    /** A request answered with an error status: one line. */
    public void refused(int status, String method, String path, String from, String message) {
        if (out == null) return;
        out.println(line(status, method, path, from, message));
    }

    /** A request that failed on the server's side: one line, and the stack trace with --verbose. */
    public void failed(int status, String method, String path, String from, Throwable error) {
        if (out == null) return;
        String what = error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
        out.println(line(status, method, path, from, what + (verbose ? "" : " (--verbose shows the stack trace)")));
        if (verbose) error.printStackTrace(out);
    }

    private static String line(int status, String method, String path, String from, String message) {
        return (status >= 500 ? "request failed: " : "request refused: ") + clip(method, 16) + " "
                + clip(path, MAX_PATH) + " -> " + status + (from == null ? "" : " (from " + clip(from, 64) + ")")
                + ": " + clip(message, MAX_MESSAGE);
    }

    /** Terminal-safe, on one line, at most {@code max} characters. */
    static String clip(String s, int max) {
        if (s == null) return "-";
        String one = Terminal.safe(s).replaceAll("\\s*\\R\\s*", " ").replace('\t', ' ');
        return one.length() <= max ? one : one.substring(0, max) + "…";
    }
}
