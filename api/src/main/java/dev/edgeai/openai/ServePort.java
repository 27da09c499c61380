package dev.edgeai.openai;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Where this kit's own OpenAI-compatible server (scripts/serve.java) listens unless told otherwise, and where
 * discovery looks for it: {@value #DEFAULT}, moved for both by the environment variable {@value #ENV}.
 */
public final class ServePort {
    public static final int DEFAULT = 5273;
    public static final String ENV = "EDGEAI_SERVE_PORT";

    private static final List<String> OFF = List.of("off", "false", "no");

    private ServePort() {}

    /**
     * The port serve.java binds: {@value #ENV} when set (0 = any free port), else {@value #DEFAULT}.
     *
     * @throws IllegalArgumentException when the variable is neither empty nor a port number
     */
    public static int forServer(Map<String, String> env) {
        String v = env.getOrDefault(ENV, "").strip();
        if (v.isEmpty()) return DEFAULT;
        Integer port = parse(v);
        if (port != null) return port;
        if (OFF.contains(v.toLowerCase(Locale.ROOT)))
            throw new IllegalArgumentException(ENV + "=" + v + " turns off the search for serve.java, but serve.java "
                    + "itself needs a port: unset " + ENV + " (port " + DEFAULT + ") or pass --port N");
        throw new IllegalArgumentException(
                ENV + "='" + v + "' is not a port number (0-65535); unset it (port " + DEFAULT + ") or pass --port N");
    }

    /**
     * The port discovery probes: empty when {@value #ENV} is {@code off}, {@code false}, {@code no} or 0 (a server
     * on "any free port" cannot be found by its port).
     *
     * @throws IllegalArgumentException when the variable is none of these and not a port number
     */
    public static OptionalInt forDiscovery(Map<String, String> env) {
        String v = env.getOrDefault(ENV, "").strip();
        if (v.isEmpty()) return OptionalInt.of(DEFAULT);
        if (OFF.contains(v.toLowerCase(Locale.ROOT))) return OptionalInt.empty();
        Integer port = parse(v);
        if (port == null) throw new IllegalArgumentException(ENV + "=" + v + " is not a port number");
        return port == 0 ? OptionalInt.empty() : OptionalInt.of(port);
    }

    private static Integer parse(String v) {
        if (!v.matches("\\d{1,5}")) return null;
        int p = Integer.parseInt(v);
        return p <= 65535 ? p : null;
    }
}
