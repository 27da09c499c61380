package dev.edgeai.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.edgeai.openai.Wire;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.router.EndpointNotFound;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.EofException;

/**
 * What keeps a server on 127.0.0.1 from being driven by the web pages its user visits, installed on a Javalin config
 * as before-handlers ({@link #install}); serve.java and rag_chat install the same guard.
 *
 * <ul>
 *   <li><b>Host allow-list</b> (DNS rebinding: a page on {@code attacker.example} whose name re-resolves to 127.0.0.1
 *       talks to this server with {@code Host: attacker.example}): answered are {@code localhost} and its subdomains,
 *       IP literals (a request naming an address was not routed by anyone's DNS), the bound host, and the names in
 *       {@code --allowed-hosts}. Anything else gets 403 naming the option. Every route, pages included, except the
 *       {@link Builder#open open paths} (/health), which then learn {@link #hostAllowed} is false.
 *   <li><b>Origin</b> (cross-site "simple" requests need no preflight: form posts, text/plain, a {@code no-cors}
 *       fetch of a Blob): a POST (any method but GET, HEAD, OPTIONS) whose {@code Origin} is neither this server's own
 *       nor one allowed with {@code --cors} gets 403. Browsers send Origin on every such request; clients that are not
 *       browsers send none and pass. {@code Sec-Fetch-Site: cross-site} without an Origin is refused too.
 *   <li><b>Content-Type</b>: JSON routes refuse any other declared type (415); upload routes take multipart from the
 *       page's own origin, or from a client that sends {@link #PAGE_HEADER} (a header no cross-site form can add).
 *   <li><b>CORS</b> headers and preflights for the {@code --cors} origins only.
 *   <li><b>Errors as JSON</b> in the app's shape ({@link ErrorBody}): 404 and 405 (with Allow), a path whose
 *       percent-encoding is malformed (400), Jetty's protocol errors (400, 413, 414, 431, 505), and anything
 *       unexpected (500 with no exception text). Each is logged as one line ({@link RequestLog}).
 *   <li><b>Headers</b>: {@code X-Content-Type-Options: nosniff}, {@code X-Frame-Options: DENY} and
 *       {@code Referrer-Policy: same-origin} on every answer; pages add their Content-Security-Policy with
 *       {@link #pageHeaders}.
 * </ul>
 */
public final class LocalGuard {
    /** The header rag_chat's page sends with uploads; curl and scripts can send it too ({@code -H 'X-Edgeai-Page: 1'}). */
    public static final String PAGE_HEADER = "X-Edgeai-Page";

    /** The environment variables behind {@code --allowed-hosts} and {@code --cors} (cli's ServerOptions), named in refusals. */
    public static final String ALLOWED_HOSTS_ENV = "EDGEAI_ALLOWED_HOSTS";

    public static final String CORS_ENV = "EDGEAI_CORS";

    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]*:[0-9a-f:.]*(%25[0-9a-z._~-]+)?]");
    private static final Pattern HOST_NAME =
            Pattern.compile("\\.?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_-]+)*\\.?");
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    /** An app's error body: OpenAI's shape for serve.java, {@code {"error": message}} for the RAG page. */
    @FunctionalInterface
    public interface ErrorBody {
        Object of(int status, String code, String message);
    }

    /**
     * Who may talk to a server, as the user configured it.
     *
     * @param allowedHosts host names answered besides localhost, IP literals and the bound host: {@code name},
     *                     {@code .domain} (the domain and its subdomains) or {@code *} (any: no rebinding protection)
     * @param corsOrigins  origins ({@code http://localhost:3000}) whose pages may call the server, or {@code *}
     */
    public record Access(List<String> allowedHosts, List<String> corsOrigins) {
        public static final Access LOCAL = new Access(List.of(), List.of());

        public Access {
            allowedHosts = allowedHosts.stream()
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .map(LocalGuard::hostEntry)
                    .distinct()
                    .toList();
            corsOrigins = corsOrigins.stream()
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .map(LocalGuard::origin)
                    .distinct()
                    .toList();
        }
    }

    public static Builder builder(String app) {
        return new Builder(app);
    }

    public static final class Builder {
        private final String app;
        private String bindHost = "127.0.0.1";
        private Access access = Access.LOCAL;
        private final List<String> uploads = new ArrayList<>();
        private final List<String> open = new ArrayList<>();
        private String routes = "";
        private ErrorBody errorBody = (status, code, message) -> Map.of("error", message);
        private RequestLog log;

        private Builder(String app) {
            this.app = app;
        }

        /** The address the server binds: a name here is answered too (an address already is). */
        public Builder bindHost(String h) {
            bindHost = h;
            return this;
        }

        public Builder access(Access a) {
            access = a;
            return this;
        }

        /** A multipart upload route: own origin or {@link #PAGE_HEADER} required. */
        public Builder upload(String path) {
            uploads.add(path);
            return this;
        }

        /** A route answered whatever the Host (a health check); its handler asks {@link #hostAllowed}. */
        public Builder open(String path) {
            open.add(path);
            return this;
        }

        /** Listed in the 404 message, e.g. {@code GET /v1/models, POST /v1/chat/completions}. */
        public Builder routes(String r) {
            routes = r;
            return this;
        }

        public Builder errorBody(ErrorBody b) {
            errorBody = b;
            return this;
        }

        public Builder log(RequestLog l) {
            log = l;
            return this;
        }

        public LocalGuard build() {
            return new LocalGuard(this);
        }
    }

    private static final String HOST_OK = "edgeai.hostAllowed";

    private final String app;
    private final String bindHost;
    private final Access access;
    private final Set<String> uploads;
    private final Set<String> open;
    private final String routes;
    private final ErrorBody errorBody;
    private final RequestLog log;

    private LocalGuard(Builder b) {
        this.app = b.app;
        String h = b.bindHost == null ? "" : b.bindHost.strip().toLowerCase(Locale.ROOT);
        this.bindHost = h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h; // an IPv6 Host header has brackets
        this.access = b.access;
        this.uploads = Set.copyOf(b.uploads);
        this.open = Set.copyOf(b.open);
        this.routes = b.routes;
        this.errorBody = b.errorBody;
        this.log = b.log != null ? b.log : RequestLog.stderr();
    }

    public Access access() {
        return access;
    }

    public RequestLog log() {
        return log;
    }

    /**
     * Registers the checks (first, so they run before the app's own before-handlers), CORS preflights, the error
     * mapping and Jetty's error handler. Call it before registering the app's routes.
     */
    public void install(JavalinConfig cfg) {
        cfg.http.prefer405over404 = true;
        JsonErrorHandler jetty = new JsonErrorHandler(this);
        cfg.jetty.modifyServer(server -> server.setErrorHandler(jetty));
        cfg.jetty.modifyServletContextHandler(
                context -> context.setErrorHandler(new JsonErrorHandler.InContext(jetty)));
        cfg.routes.before(this::check);
        if (!access.corsOrigins().isEmpty()) cfg.routes.options("/<path>", ctx -> ctx.status(204));
        cfg.routes.exception(Refused.class, (e, ctx) -> answer(ctx, e.status(), e.code(), e.getMessage()));
        cfg.routes.exception(
                EndpointNotFound.class,
                (e, ctx) -> answer(
                        ctx,
                        404,
                        "unknown_route",
                        "Unknown route: " + ctx.method() + " " + RequestLog.clip(ctx.path(), 120)
                                + (routes.isEmpty() ? "" : ". Routes: " + routes)));
        cfg.routes.exception(MethodNotAllowedResponse.class, (e, ctx) -> {
            String allowed = e.getDetails().getOrDefault("availableMethods", "");
            if (!allowed.isBlank()) ctx.header("Allow", allowed.replace(" ", ""));
            answer(
                    ctx,
                    405,
                    "method_not_allowed",
                    ctx.method() + " is not allowed on " + RequestLog.clip(ctx.path(), 120)
                            + (allowed.isBlank() ? "" : "; allowed: " + allowed));
        });
        cfg.routes.exception(Exception.class, this::unexpected);
    }

    /**
     * Headers for a page (the HTML and what it loads): everything {@link #install} sets plus this Content-Security-
     * Policy, which should include {@code frame-ancestors 'none'} (no other site can frame the page and trick clicks).
     */
    public static Map<String, String> pageHeaders(String contentSecurityPolicy) {
        Map<String, String> h = new LinkedHashMap<>(commonHeaders());
        h.put("Content-Security-Policy", contentSecurityPolicy);
        return Map.copyOf(h);
    }

    /** Whether the request's Host is one this server answers; false only on {@link Builder#open open paths}. */
    public static boolean hostAllowed(Context ctx) {
        return !Boolean.FALSE.equals(ctx.attribute(HOST_OK));
    }

    /** Writes an error in the app's shape and logs one line; nothing when the response is already on its way. */
    public void answer(Context ctx, int status, String code, String message) {
        log.refused(status, ctx.method().name(), ctx.path(), ctx.ip(), message);
        if (ctx.res().isCommitted()) return;
        ctx.status(status).contentType("application/json").result(json(status, code, message));
    }

    byte[] json(int status, String code, String message) {
        try {
            return Wire.JSON.writeValueAsBytes(errorBody.of(status, code, message));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- the checks ---------------------------------------------------------------------------------------------

    private static Map<String, String> commonHeaders() {
        return Map.of(
                "X-Content-Type-Options", "nosniff",
                "X-Frame-Options", "DENY",
                "Referrer-Policy", "same-origin");
    }

    private void check(Context ctx) {
        commonHeaders().forEach(ctx::header);
        checkPath(ctx.req().getRequestURI());
        String host = hostOf(ctx.header("Host"));
        boolean hostOk = host == null || hostAllowed(host);
        if (!hostOk) {
            if (!open.contains(ctx.path())) throw hostRefused(host);
            ctx.attribute(HOST_OK, false);
        }
        String origin = ctx.header("Origin");
        boolean corsOk = origin != null && corsAllowed(origin);
        if (corsOk) cors(ctx, origin);
        String method = ctx.method().name();
        if (SAFE_METHODS.contains(method)) return;
        boolean own = origin != null && ownOrigin(origin, ctx.header("Host"));
        if (origin != null && !own && !corsOk) throw originRefused(origin, ctx.header("Host"));
        if (origin == null) {
            String site = ctx.header("Sec-Fetch-Site");
            if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none"))
                throw new Refused(
                        403,
                        "cross_site_request",
                        "cross-site request refused (Sec-Fetch-Site: " + RequestLog.clip(site, 20)
                                + "): only this server's own pages may send it");
        }
        String type = ctx.header("Content-Type");
        String media = type == null ? null : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (uploads.contains(ctx.path())) {
            if (media == null || !media.equals("multipart/form-data"))
                throw new Refused(
                        415,
                        "unsupported_media_type",
                        "an upload is a multipart/form-data request with the file in the field 'file'" + " (curl -H '"
                                + PAGE_HEADER + ": 1' -F file=@notes.md ...)");
            if (!own && !corsOk && ctx.header(PAGE_HEADER) == null)
                throw new Refused(
                        403,
                        "upload_needs_page",
                        "uploads are taken from this app's own page; a script or curl sends the header " + PAGE_HEADER
                                + ": 1 (curl -H '" + PAGE_HEADER + ": 1' -F file=@notes.md ...)");
            return;
        }
        if (media != null && !media.equals("application/json") && !media.endsWith("+json"))
            throw new Refused(
                    415,
                    "unsupported_media_type",
                    "Content-Type must be application/json, got '" + RequestLog.clip(type, 80)
                            + "' (curl: add -H \"Content-Type: application/json\").");
    }

    /** A percent sign must start two hex digits: Javalin would throw decoding {@code %u0041} later (a 500). */
    private static void checkPath(String rawPath) {
        if (rawPath == null) return;
        for (int i = rawPath.indexOf('%'); i >= 0; i = rawPath.indexOf('%', i + 1)) {
            if (i + 2 >= rawPath.length() || !hex(rawPath.charAt(i + 1)) || !hex(rawPath.charAt(i + 2)))
                throw new Refused(
                        400,
                        "malformed_path",
                        "malformed percent-encoding in the path: '%' must be followed by two hex digits");
        }
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** The host part of a Host header, lower-case, brackets kept for IPv6, one trailing dot dropped; null if none. */
    static String hostOf(String header) {
        if (header == null || header.isBlank()) return null;
        String h = header.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.lastIndexOf(':');
        if (colon >= 0) h = h.substring(0, colon);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    boolean hostAllowed(String host) {
        if (host.equals("localhost") || host.endsWith(".localhost")) return true; // browsers resolve these themselves
        if (IPV4.matcher(host).matches() || IPV6.matcher(host).matches()) return true;
        if (host.equals(bindHost)) return true;
        for (String a : access.allowedHosts()) {
            if (a.equals("*") || a.equals(host)) return true;
            if (a.startsWith(".") && (host.endsWith(a) || host.equals(a.substring(1)))) return true;
        }
        return false;
    }

    private Refused hostRefused(String host) {
        String shown = RequestLog.clip(host, 100);
        return new Refused(
                403,
                "host_not_allowed",
                "Host '" + shown + "' is not allowed: " + app + " answers to localhost and IP addresses"
                        + (access.allowedHosts().isEmpty() ? "" : " and " + String.join(", ", access.allowedHosts()))
                        + ", so that no web page can reach it through DNS rebinding. If you use this name on purpose,"
                        + " start it with --allowed-hosts " + shown + " (or " + ALLOWED_HOSTS_ENV + "=" + shown + ").");
    }

    private boolean corsAllowed(String origin) {
        if (access.corsOrigins().contains("*")) return true;
        String o = origin.strip().toLowerCase(Locale.ROOT);
        return access.corsOrigins().contains(o);
    }

    /** The page this server served: same scheme-less host and port as the request's Host. */
    static boolean ownOrigin(String origin, String hostHeader) {
        if (hostHeader == null) return false;
        String o = origin.strip().toLowerCase(Locale.ROOT);
        String h = hostHeader.strip().toLowerCase(Locale.ROOT);
        return o.equals("http://" + h) || o.equals("https://" + h);
    }

    private Refused originRefused(String origin, String hostHeader) {
        String shown = RequestLog.clip(origin, 100);
        return new Refused(
                403,
                "origin_not_allowed",
                "cross-site request refused: Origin '" + shown + "' is not this server's own page"
                        + (hostHeader == null ? "" : " (http://" + RequestLog.clip(hostHeader, 100) + ")")
                        + ". To let that page call " + app + ", start it with --cors " + shown + " (or " + CORS_ENV
                        + ").");
    }

    private void cors(Context ctx, String origin) {
        boolean any = access.corsOrigins().contains("*");
        ctx.header("Access-Control-Allow-Origin", any ? "*" : origin);
        ctx.header("Vary", "Origin");
        if (ctx.method().name().equals("OPTIONS")) {
            ctx.header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
            String asked = ctx.header("Access-Control-Request-Headers");
            ctx.header(
                    "Access-Control-Allow-Headers",
                    asked != null && asked.length() < 1000 ? asked : "Authorization, Content-Type");
            ctx.header("Access-Control-Max-Age", "600");
        }
    }

    /** What Javalin or Jetty threw: a client error keeps its status with a short reason; the rest is a 500. */
    private void unexpected(Exception e, Context ctx) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpResponseException h && h.getStatus() < 500) {
                answer(ctx, h.getStatus(), codeFor(h.getStatus()), reasonFor(h.getStatus()));
                return;
            }
            if (t instanceof HttpException h && h.getCode() < 500) {
                answer(ctx, h.getCode(), codeFor(h.getCode()), reasonFor(h.getCode()));
                return;
            }
            if (t instanceof EofException) {
                answer(ctx, 400, "client_gone", "the client closed the connection before its request arrived");
                return;
            }
        }
        log.failed(500, ctx.method().name(), ctx.path(), ctx.ip(), e);
        if (ctx.res().isCommitted()) return;
        ctx.status(500)
                .contentType("application/json")
                .result(json(500, "internal_error", "internal error in " + app + " (its console has the details)"));
    }

    static String codeFor(int status) {
        return switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "request_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 431 -> "headers_too_large";
            case 505 -> "http_version_not_supported";
            default -> status >= 500 ? "server_error" : "bad_request";
        };
    }

    static String reasonFor(int status) {
        return switch (status) {
            case 400 -> "malformed request";
            case 404 -> "not found";
            case 405 -> "method not allowed";
            case 408 -> "the request took too long to arrive";
            case 413 -> "request body too large";
            case 414 -> "request URI too long";
            case 415 -> "unsupported Content-Type";
            case 431 -> "request headers too large";
            case 505 -> "HTTP version not supported (HTTP/1.1 is)";
            default -> "request refused (HTTP " + status + ")";
        };
    }

    /** {@code host}, {@code .domain}, {@code *} or an IP literal, lower-case; a port is dropped. */
    static String hostEntry(String s) {
        String h = s.toLowerCase(Locale.ROOT);
        if (h.equals("*")) return h;
        if (h.contains("://"))
            throw new IllegalArgumentException(
                    "--allowed-hosts takes host names, not URLs: '" + s + "' (e.g. host.docker.internal)");
        if (h.startsWith("[") || h.chars().filter(c -> c == ':').count() > 1) {
            String inner = h.startsWith("[") ? h.substring(1, Math.max(1, h.indexOf(']'))) : h;
            return "[" + inner + "]";
        }
        String name = h.contains(":") ? h.substring(0, h.indexOf(':')) : h;
        if (!HOST_NAME.matcher(name).matches())
            throw new IllegalArgumentException("--allowed-hosts: '" + s
                    + "' is not a host name (use a name like my-laptop.local, .example.com for a domain, or *)");
        return name.endsWith(".") && name.length() > 1 ? name.substring(0, name.length() - 1) : name;
    }

    /** {@code scheme://host[:port]}, lower-case, no path; or {@code *}. */
    static String origin(String s) {
        if (s.equals("*")) return s;
        String o = s.toLowerCase(Locale.ROOT);
        if (o.endsWith("/")) o = o.substring(0, o.length() - 1);
        try {
            URI u = new URI(o);
            if (u.getScheme() == null
                    || u.getHost() == null
                    || (u.getRawPath() != null && !u.getRawPath().isEmpty())
                    || u.getRawQuery() != null) throw new URISyntaxException(s, "not an origin");
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "--cors takes origins like http://localhost:3000 (scheme, host, port; no path) or *, got '" + s
                            + "'");
        }
        return o;
    }
}
