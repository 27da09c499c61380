package dev.edgeai.client;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * The one place endpoint URLs are read: {@link #check} names a typo in an --endpoint value as a typo ("scheme 'ftp'
 * is not supported", "port 'abc' is not a number", "host 'not-a-url' does not resolve") before any request, instead
 * of letting it surface as "connection refused"; {@link #normalise} turns what users paste into the base every
 * OpenAI path hangs from.
 */
public final class EndpointUrl {
    private EndpointUrl() {}

    /**
     * {@code host:port}, {@code http://host:port}, {@code .../v1/}, {@code .../v1/chat/completions} and
     * {@code .../v1/models} all become {@code http://host:port/v1}.
     *
     * @throws IllegalArgumentException when the result is not a URL at all
     */
    public static String normalise(String url) {
        String u = url.strip();
        if (!u.contains("://")) u = "http://" + u;
        while (u.endsWith("/")) u = u.substring(0, u.length() - 1);
        for (String tail : List.of("/chat/completions", "/models")) {
            if (u.endsWith(tail)) u = u.substring(0, u.length() - tail.length());
        }
        while (u.endsWith("/")) u = u.substring(0, u.length() - 1);
        if (!u.endsWith("/v1")) u = u + "/v1";
        URI.create(u); // fail here, with the user's text, rather than deep inside a request
        return u;
    }

    /** @throws IllegalArgumentException saying which part of the URL is wrong and what a good one looks like */
    public static void check(String raw) {
        if (raw == null || raw.isBlank()) return;
        String v = raw.strip();
        String example = "; expected e.g. http://127.0.0.1:5273/v1";
        int sep = v.indexOf("://");
        if (sep >= 0) {
            String scheme = v.substring(0, sep).toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("--endpoint '" + raw + "': scheme '" + v.substring(0, sep)
                        + "' is not supported, use http:// or https://" + example);
            }
        } else if (v.matches("^[A-Za-z][A-Za-z0-9+.-]*:[^0-9].*")) {
            throw new IllegalArgumentException("--endpoint '" + raw + "': '" + v.substring(0, v.indexOf(':'))
                    + ":' is not a scheme this kit speaks, use http:// or https://" + example);
        }
        String withScheme = sep >= 0 ? v : "http://" + v;
        String authority = withScheme.substring(withScheme.indexOf("://") + 3).split("[/?#]", 2)[0];
        if (authority.isEmpty())
            throw new IllegalArgumentException("--endpoint '" + raw + "': the host is missing" + example);
        if (authority.contains("@")) authority = authority.substring(authority.lastIndexOf('@') + 1);
        String host = authority;
        String port = null;
        if (authority.startsWith("[")) { // IPv6 literal
            int end = authority.indexOf(']');
            if (end < 0)
                throw new IllegalArgumentException("--endpoint '" + raw + "': unclosed '[' in the IPv6 host" + example);
            host = authority.substring(0, end + 1);
            if (authority.length() > end + 1) port = authority.substring(end + 2);
        } else if (authority.contains(":")) {
            host = authority.substring(0, authority.indexOf(':'));
            port = authority.substring(authority.indexOf(':') + 1);
        }
        if (host.isEmpty())
            throw new IllegalArgumentException("--endpoint '" + raw + "': the host is missing" + example);
        if (port != null) {
            if (!port.matches("\\d{1,5}")) {
                throw new IllegalArgumentException(
                        "--endpoint '" + raw + "': port '" + port + "' is not a number" + example);
            }
            int p = Integer.parseInt(port);
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException(
                        "--endpoint '" + raw + "': port " + p + " is out of range 1-65535" + example);
            }
        }
        if (!host.startsWith("[") && !host.matches("[A-Za-z0-9.-]+")) {
            throw new IllegalArgumentException(
                    "--endpoint '" + raw + "': host '" + host + "' has characters a host name cannot have" + example);
        }
        try {
            new URI(withScheme);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--endpoint '" + raw + "' is not a valid URL (" + e.getReason()
                    + " at index " + e.getIndex() + ")" + example);
        }
        try {
            InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(
                    "--endpoint '" + raw + "': host '" + host + "' does not resolve (a typo?)" + example);
        }
    }
}
