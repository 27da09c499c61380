package dev.edgeai.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * Who may reach the kit's local servers (serve.java, rag_chat.java): {@code @Mixin ServerOptions server;}, then the
 * values to the server's builder. The checks themselves live in web's {@code dev.edgeai.http.LocalGuard}; here only
 * the words and the environment variables.
 */
public class ServerOptions {
    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description =
                    "Address to bind (default: ${DEFAULT-VALUE}, this machine only). Anything else, e.g. 0.0.0.0, "
                            + "lets other machines on your network use this server.")
    public String host;

    @Option(
            names = "--allowed-hosts",
            paramLabel = "NAMES",
            split = ",",
            defaultValue = "${env:EDGEAI_ALLOWED_HOSTS}",
            description = "More host names this server answers to, comma-separated: besides localhost, IP addresses "
                    + "and the --host name, requests naming another host get 403, which stops web pages from reaching "
                    + "it through DNS rebinding. E.g. host.docker.internal (Open WebUI in Docker), my-laptop.local; "
                    + ".example.com allows a domain and its subdomains, * any name (env EDGEAI_ALLOWED_HOSTS).")
    public List<String> allowedHosts = new ArrayList<>();

    @Option(
            names = "--cors",
            paramLabel = "ORIGINS",
            split = ",",
            defaultValue = "${env:EDGEAI_CORS}",
            description = "Web pages from these origins (e.g. http://localhost:3000, comma-separated; * for any page "
                    + "on the web) may call this server from the browser; others get 403 on every request that runs "
                    + "a model or changes something (env EDGEAI_CORS; default: only this server's own pages).")
    public List<String> cors = new ArrayList<>();

    /** Whether {@link #host} keeps the server on this machine. */
    public boolean loopbackOnly() {
        String h = host.strip().toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.equals("::1") || h.equals("[::1]") || h.startsWith("127.");
    }

    /** One line for stderr when the server is reachable from other machines, or null: {@code what} they could use. */
    public String exposureWarning(String what) {
        return loopbackOnly() ? null : "warning: binding " + host + " lets other machines on your network use " + what;
    }
}
