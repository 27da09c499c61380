package dev.edgeai.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests a client library would normalise or refuse to send: any Host, a
 * malformed path, a bad header, a body with no Content-Type. One request per connection ({@code Connection: close}).
 */
public final class RawHttp {
    private RawHttp() {}

    public record Response(int status, Map<String, String> headers, String body) {
        /** A header by its lower-case name, or null. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body;
        }
    }

    /** Sends {@code head} (request line and headers, CRLF-separated, no blank line) and {@code body}; reads the answer. */
    public static Response send(int port, String head, byte[] body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            String h = head + "\r\nConnection: close" + (body == null ? "" : "\r\nContent-Length: " + body.length)
                    + "\r\n\r\n";
            out.write(h.getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) out.write(body);
            out.flush();
            return parse(readAll(s.getInputStream()));
        }
    }

    public static Response send(int port, String head) throws IOException {
        return send(port, head, (byte[]) null);
    }

    public static Response send(int port, String head, String body) throws IOException {
        return send(port, head, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A GET with this Host header and any extra header lines. */
    public static Response get(int port, String host, String path, String... headers) throws IOException {
        return send(port, "GET " + path + " HTTP/1.1\r\nHost: " + host + extra(headers));
    }

    /** A POST with this Host header, body and any extra header lines (a Content-Type only if given among them). */
    public static Response post(int port, String host, String path, String body, String... headers) throws IOException {
        return send(port, "POST " + path + " HTTP/1.1\r\nHost: " + host + extra(headers), body);
    }

    private static String extra(String... headers) {
        StringBuilder sb = new StringBuilder();
        for (String h : headers) sb.append("\r\n").append(h);
        return sb.toString();
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) b.write(buf, 0, n);
        } catch (java.net.SocketException e) {
            if (b.size() == 0) throw e; // a reset after the answer arrived: keep the answer
        }
        return b.toByteArray();
    }

    private static Response parse(byte[] raw) {
        String latin = new String(raw, StandardCharsets.ISO_8859_1); // one char per byte: indexes are byte offsets
        int split = latin.indexOf("\r\n\r\n");
        if (split < 0) throw new IllegalStateException("no HTTP answer: '" + latin + "'");
        String[] lines = latin.substring(0, split).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            if (c > 0)
                headers.merge(
                        lines[i].substring(0, c).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(c + 1).strip(),
                        (a, b) -> a + ", " + b);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int i = split + 4;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            while (i < raw.length) {
                int eol = latin.indexOf("\r\n", i);
                if (eol < 0) break;
                int size =
                        Integer.parseInt(latin.substring(i, eol).split(";")[0].strip(), 16);
                if (size == 0) break;
                body.write(raw, eol + 2, Math.min(size, raw.length - eol - 2));
                i = eol + 2 + size + 2;
            }
        } else {
            body.write(raw, i, raw.length - i);
        }
        return new Response(status, headers, body.toString(StandardCharsets.UTF_8));
    }
}
