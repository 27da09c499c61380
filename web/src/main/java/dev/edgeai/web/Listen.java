package dev.edgeai.web;

import io.javalin.Javalin;
import java.net.BindException;

/**
 * Starts a Javalin server so that a port another process holds is one actionable line (an
 * {@link IllegalStateException} the scripts print as such), not Jetty's stack trace.
 */
public final class Listen {
    private Listen() {}

    /** @param who what probably holds the port, e.g. "another serve.java" */
    public static void start(Javalin server, String host, int port, String who) {
        try {
            server.start(host, port);
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
                    stopQuietly(server);
                    throw new IllegalStateException(
                            "cannot listen on " + host + ":" + port + " (the port is in use): is " + who
                                    + " running? Stop it, or pass --port 0 for any free port (or another --port)",
                            e);
                }
            }
            throw e;
        }
    }

    private static void stopQuietly(Javalin server) {
        try {
            server.stop();
        } catch (RuntimeException ignored) {
            // it never started
        }
    }
}
