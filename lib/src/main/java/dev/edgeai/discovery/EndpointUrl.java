package dev.edgeai.discovery;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Checks an --endpoint value before any request, so a typo is named as a typo ("scheme 'ftp' is not supported",
 * "port 'abc' is not a number", "host 'not-a-url' does not resolve") instead of surfacing as "connection refused".
 */
public final class EndpointUrl {
    private EndpointUrl() {}

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
