package dev.edgeai.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * The start-up check every server script makes before loading anything: a busy port fails at once, in one line that
 * says what to do, instead of after the models loaded (or as the web server's stack trace).
 */
public final class Ports {
    private Ports() {}

    /**
     * @param who what probably holds the port, for the message ("another serve.java")
     * @throws IllegalArgumentException naming the address, why it cannot be used and the options that help
     */
    public static void requireFree(String host, int port, String who) {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be 0..65535, was " + port);
        if (port == 0) return;
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // a server that just stopped leaves TIME_WAIT sockets: the port is free
            probe.bind(new java.net.InetSocketAddress(InetAddress.getByName(host), port), 1);
        } catch (IOException e) {
            throw new IllegalArgumentException(busy(host, port, who, e));
        }
    }

    /** The one-line message for a port that cannot be bound. */
    public static String busy(String host, int port, String who, Exception e) {
        String why = e instanceof java.net.BindException
                        || String.valueOf(e.getMessage()).contains("in use")
                ? "the port is in use"
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        return "cannot listen on " + host + ":" + port + " (" + why + "): is " + who
                + " running? Stop it, or pass --port 0 for any free port (or another --port)";
    }
}
