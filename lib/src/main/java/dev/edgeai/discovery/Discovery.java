package dev.edgeai.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeai.chat.BackendInfo;
import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ModelInfo;
import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a model server, in the workshop's order, and says what it tried:
 * <ol>
 *   <li>an explicit endpoint: {@code --endpoint}, else {@code FOUNDRY_LOCAL_ENDPOINT}, else {@code OPENAI_BASE_URL}
 *       (explicit means "use this or fail": no silent fallback to something else);</li>
 *   <li>serve.java (this kit's own server over the embedded engine) on {@code 127.0.0.1:5273}, its default port
 *       ({@code EDGEAI_SERVE_PORT} moves it, {@code off} skips it); refused connections on loopback fail at once, so
 *       this costs nothing when nothing listens there;</li>
 *   <li>Foundry Local: its port is random, so ask its CLI ({@code foundry service status}, and the 0.10+ verb
 *       {@code foundry server status}) and take the first http://host:port it prints;</li>
 *   <li>Ollama on {@code OLLAMA_HOST} or its default port 11434;</li>
 *   <li>the embedded engine, when the caller allows it (see {@link Options#embeddedFallback()}).</li>
 * </ol>
 * Every candidate is confirmed with {@code GET /v1/models} before it is chosen.
 */
public final class Discovery {
    private static final Pattern URL = Pattern.compile("https?://[A-Za-z0-9.\\-\\[\\]:]+?:\\d+");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param endpoint         the --endpoint option (null when not given)
     * @param env              environment variables to read (System.getenv() in real use; a map in tests)
     * @param probeTimeout     connect/answer timeout of each probe; local servers answer in milliseconds
     * @param embeddedFallback when true and nothing is found, the result is the embedded engine instead of an error
     */
    public record Options(String endpoint, Map<String, String> env, Duration probeTimeout, boolean embeddedFallback) {
        public static Options of(String endpoint) {
            return new Options(endpoint, System.getenv(), Duration.ofSeconds(3), false);
        }

        public Options withEmbeddedFallback(boolean on) {
            return new Options(endpoint, env, probeTimeout, on);
        }

        public Options withEnv(Map<String, String> e) {
            return new Options(endpoint, e, probeTimeout, embeddedFallback);
        }
    }

    /** What was found: the backend, its models (empty for "embedded"), and one line per step tried. */
    public record Found(BackendInfo backend, List<ModelInfo> models, List<String> trace) {
        public boolean embedded() {
            return "embedded".equals(backend.kind());
        }
    }

    /** Discovery failed; the message says what to do and {@link #trace()} lists every step tried. */
    public static final class NotFound extends ChatException {
        private final List<String> trace;

        NotFound(Kind kind, String message, List<String> trace) {
            super(kind, message);
            this.trace = List.copyOf(trace);
        }

        public List<String> trace() {
            return trace;
        }
    }

    private Discovery() {}

    public static Found discover(Options o) {
        List<String> trace = new ArrayList<>();
        String explicit = firstNonBlank(o.endpoint(), "--endpoint", o.env(), trace);
        if (explicit != null) {
            String base = normalize(explicit);
            Probe p = probe(base, apiKey(o.env()), o.probeTimeout());
            trace.add("explicit endpoint " + base + ": " + p.describe());
            if (!p.ok() && p.error().kind() == ChatException.Kind.UNREACHABLE) {
                throw new NotFound(
                        ChatException.Kind.UNREACHABLE,
                        p.error().getMessage() + ". Is the server running there? "
                                + "Foundry Local's port changes: `foundry service status` prints the current URL",
                        trace);
            }
            if (!p.ok()) throw new NotFound(p.error().kind(), p.error().getMessage(), trace);
            return new Found(
                    new BackendInfo("serve.java".equals(p.server()) ? "serve" : kindOf(base), base, null),
                    p.models(),
                    trace);
        }

        Optional<Found> serve = serve(o, trace);
        if (serve.isPresent()) return serve.get();

        Optional<Found> foundry = foundry(o, trace);
        if (foundry.isPresent()) return foundry.get();

        String ollamaHost = o.env().getOrDefault("OLLAMA_HOST", "").trim();
        String ollama = normalize(ollamaHost.isEmpty() ? "http://127.0.0.1:11434" : withScheme(ollamaHost));
        Probe p = probe(ollama, null, o.probeTimeout());
        trace.add("Ollama at " + ollama + ": " + p.describe());
        if (p.ok()) return new Found(new BackendInfo("ollama", ollama, null), p.models(), trace);

        if (o.embeddedFallback()) {
            trace.add("no server found: using the embedded ONNX Runtime engine (models run inside this JVM)");
            return new Found(new BackendInfo("embedded", null, null), List.of(), trace);
        }
        throw new NotFound(
                ChatException.Kind.UNREACHABLE,
                "no local model server found (tried: " + String.join("; ", trace) + "). Start one: "
                        + "`foundry model run phi-4-mini` (Foundry Local) or `ollama serve` + `ollama pull qwen2.5:0.5b`, "
                        + "or point at any OpenAI-compatible server with --endpoint URL / OPENAI_BASE_URL",
                trace);
    }

    private static String firstNonBlank(String option, String optionName, Map<String, String> env, List<String> trace) {
        if (option != null && !option.isBlank()) return option.trim();
        for (String var : List.of("FOUNDRY_LOCAL_ENDPOINT", "OPENAI_BASE_URL")) {
            String v = env.get(var);
            if (v != null && !v.isBlank()) {
                trace.add(var + " is set");
                return v.trim();
            }
        }
        trace.add("no explicit endpoint (" + optionName + ", FOUNDRY_LOCAL_ENDPOINT, OPENAI_BASE_URL unset)");
        return null;
    }

    /** serve.java's default port; scripts/serve.java binds it unless told otherwise. */
    public static final int SERVE_PORT = 5273;
    /**
     * Connecting to a loopback port that nothing listens on fails at once; a short connect timeout bounds the rare
     * case where it does not. Once connected, the usual answer timeout applies: a server just started (cold JIT,
     * busy CPU) may take a second for its first answer.
     */
    private static final Duration SERVE_CONNECT_TIMEOUT = Duration.ofMillis(500);

    private static Optional<Found> serve(Options o, List<String> trace) {
        String port = o.env().getOrDefault("EDGEAI_SERVE_PORT", "").trim();
        if (port.isEmpty()) port = String.valueOf(SERVE_PORT);
        if (List.of("off", "0", "false", "no").contains(port.toLowerCase(java.util.Locale.ROOT))) {
            trace.add("serve.java: not probed (EDGEAI_SERVE_PORT=" + port + ")");
            return Optional.empty();
        }
        if (!port.matches("\\d{1,5}")) {
            trace.add("serve.java: not probed (EDGEAI_SERVE_PORT=" + port + " is not a port number)");
            return Optional.empty();
        }
        String base = "http://127.0.0.1:" + port + "/v1";
        Duration connect =
                o.probeTimeout().compareTo(SERVE_CONNECT_TIMEOUT) < 0 ? o.probeTimeout() : SERVE_CONNECT_TIMEOUT;
        Probe p = probe(base, apiKey(o.env()), connect, o.probeTimeout());
        if (!p.ok()) {
            boolean nothing = p.error().kind() == ChatException.Kind.UNREACHABLE;
            trace.add("serve.java at " + base + ": "
                    + (nothing ? "nothing listening (start it with ./jbang scripts/serve.java)" : p.describe()));
            return Optional.empty();
        }
        boolean ours = "serve.java".equals(p.server());
        trace.add((ours
                        ? "serve.java at " + base
                        : "OpenAI-compatible server at " + base + " (serve.java's port; not serve.java)")
                + ": " + p.describe());
        return Optional.of(new Found(new BackendInfo(ours ? "serve" : "openai", base, null), p.models(), trace));
    }

    private static Optional<Found> foundry(Options o, List<String> trace) {
        Optional<Path> cli = onPath("foundry", o.env());
        if (cli.isEmpty()) {
            trace.add("Foundry Local: `foundry` CLI not on PATH");
            return Optional.empty();
        }
        for (List<String> verb : List.of(List.of("service", "status"), List.of("server", "status"))) {
            String shown = "foundry " + String.join(" ", verb);
            String out;
            try {
                out = run(cli.get(), verb, Duration.ofSeconds(20));
            } catch (IOException e) {
                trace.add("Foundry Local: `" + shown + "` failed: " + e.getMessage());
                continue;
            }
            Optional<String> url = firstUrl(out);
            if (url.isEmpty()) {
                trace.add("Foundry Local: `" + shown + "` printed no URL (" + firstLine(out) + ")");
                continue;
            }
            String base = url.get() + "/v1";
            Probe p = probe(base, apiKey(o.env()), o.probeTimeout());
            if (p.ok() && p.models().isEmpty()) {
                trace.add("Foundry Local at " + base
                        + ": running, but no model loaded — run `foundry model run phi-4-mini`");
            } else {
                trace.add("Foundry Local at " + base + " (from `" + shown + "`): " + p.describe());
            }
            if (p.ok()) return Optional.of(new Found(new BackendInfo("foundry", base, null), p.models(), trace));
        }
        return Optional.empty();
    }

    /** The first http(s)://host:port in CLI output such as "🟢 Model management service is running on http://...". */
    static Optional<String> firstUrl(String text) {
        Matcher m = URL.matcher(text);
        return m.find() ? Optional.of(m.group()) : Optional.empty();
    }

    /** Accepts "host:port", "http://host:port", ".../v1", ".../v1/" and returns "http://host:port/v1". */
    public static String normalize(String url) {
        String u = withScheme(url.trim());
        while (u.endsWith("/")) u = u.substring(0, u.length() - 1);
        if (u.endsWith("/chat/completions")) u = u.substring(0, u.length() - "/chat/completions".length());
        return u.endsWith("/v1") ? u : u + "/v1";
    }

    private static String withScheme(String u) {
        return u.startsWith("http://") || u.startsWith("https://") ? u : "http://" + u;
    }

    private static String kindOf(String base) {
        return base.contains(":11434/") ? "ollama" : "openai";
    }

    private static String apiKey(Map<String, String> env) {
        String k = env.get("OPENAI_API_KEY");
        return k == null || k.isBlank() ? null : k.trim();
    }

    /**
     * @param status the HTTP status (0 when none came back)
     * @param server the X-Edgeai-Server header ("serve.java" for this kit's server), or null
     */
    record Probe(List<ModelInfo> models, ChatException error, int status, String server) {
        Probe(List<ModelInfo> models, ChatException error) {
            this(models, error, 0, null);
        }

        Probe(List<ModelInfo> models, ChatException error, int status) {
            this(models, error, status, null);
        }

        boolean ok() {
            return error == null;
        }

        String describe() {
            if (!ok()) return error.getMessage();
            return models.isEmpty()
                    ? "answers, no models listed"
                    : "answers, models: "
                            + String.join(
                                    ", ", models.stream().map(ModelInfo::id).toList());
        }
    }

    static Probe probe(String base, String apiKey, Duration timeout) {
        return probe(base, apiKey, timeout, timeout);
    }

    /**
     * GET {base}/models, retried like a chat request (408, 409, 429, 5xx: twice, 0.5 s then 1 s), so a server still
     * loading its model is waited for rather than given up on.
     */
    static Probe probe(String base, String apiKey, Duration connectTimeout, Duration timeout) {
        Probe p = probeOnce(base, apiKey, connectTimeout, timeout);
        for (int retry = 0; retry < 2 && retryable(p.status()); retry++) {
            try {
                Thread.sleep(500L << retry);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return p;
            }
            p = probeOnce(base, apiKey, connectTimeout, timeout);
        }
        return p;
    }

    private static boolean retryable(int status) {
        return status == 408 || status == 409 || status == 429 || status >= 500;
    }

    /** One GET {base}/models. Connection problems become an UNREACHABLE error naming the URL. */
    static Probe probeOnce(String base, String apiKey, Duration connectTimeout, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
        try (http) {
            HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(base + "/models"))
                    .timeout(timeout)
                    .GET();
            if (apiKey != null) rb.header("Authorization", "Bearer " + apiKey);
            HttpResponse<String> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (r.statusCode() == 401 || r.statusCode() == 403) {
                return new Probe(
                        List.of(),
                        new ChatException(
                                ChatException.Kind.AUTH,
                                base + " rejected the request (HTTP " + r.statusCode()
                                        + "): set OPENAI_API_KEY to a key it accepts"));
            }
            if (retryable(r.statusCode())) {
                return new Probe(
                        List.of(),
                        new ChatException(
                                ChatException.Kind.SERVER,
                                base + "/models answered HTTP " + r.statusCode()
                                        + " (server error, or still loading; retried): " + snippet(r.body())),
                        r.statusCode());
            }
            if (r.statusCode() / 100 != 2) {
                return new Probe(
                        List.of(),
                        new ChatException(
                                ChatException.Kind.BAD_RESPONSE,
                                base + "/models answered HTTP " + r.statusCode()
                                        + " — is this an OpenAI-compatible endpoint (it should end in /v1)?"),
                        r.statusCode());
            }
            JsonNode data;
            try {
                data = JSON.readTree(r.body()).path("data");
            } catch (IOException e) {
                return new Probe(
                        List.of(),
                        new ChatException(
                                ChatException.Kind.BAD_RESPONSE,
                                base + "/models answered with something that is not JSON: " + snippet(r.body())));
            }
            if (!data.isArray()) {
                return new Probe(
                        List.of(),
                        new ChatException(
                                ChatException.Kind.BAD_RESPONSE,
                                base + "/models answered JSON without a model list (no \"data\" array): "
                                        + snippet(r.body())));
            }
            List<ModelInfo> models = new ArrayList<>();
            for (JsonNode m : data)
                models.add(
                        new ModelInfo(m.path("id").asText(), m.path("owned_by").asText(null)));
            return new Probe(
                    List.copyOf(models),
                    null,
                    r.statusCode(),
                    r.headers().firstValue("X-Edgeai-Server").orElse(null));
        } catch (ConnectException | HttpConnectTimeoutException e) {
            return new Probe(
                    List.of(),
                    new ChatException(
                            ChatException.Kind.UNREACHABLE,
                            "cannot reach " + base + " ("
                                    + (e instanceof HttpConnectTimeoutException
                                            ? "connect timed out"
                                            : "connection refused")
                                    + ")"));
        } catch (HttpTimeoutException e) {
            return new Probe(
                    List.of(),
                    new ChatException(
                            ChatException.Kind.TIMEOUT, base + " did not answer within " + timeout.toMillis() + " ms"));
        } catch (IOException e) {
            return new Probe(
                    List.of(),
                    new ChatException(
                            ChatException.Kind.UNREACHABLE,
                            "cannot reach " + base + " (" + e.getClass().getSimpleName()
                                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")"));
        } catch (IllegalArgumentException e) {
            return new Probe(
                    List.of(),
                    new ChatException(ChatException.Kind.INVALID_INPUT, "not a valid endpoint URL: " + base));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Probe(
                    List.of(), new ChatException(ChatException.Kind.CANCELLED, "interrupted while probing " + base));
        }
    }

    private static Optional<Path> onPath(String exe, Map<String, String> env) {
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) continue;
            for (String name : List.of(exe, exe + ".exe")) {
                Path p = Path.of(dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static String run(Path exe, List<String> args, Duration timeout) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(exe.toString());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        p.getOutputStream().close();
        try {
            // Read in the background: a chatty CLI must not block on a full pipe while we wait for it.
            var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "";
                }
            });
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out after " + timeout.toSeconds() + " s");
            }
            return out.get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return "";
        }
    }

    private static String firstLine(String s) {
        String l = s.strip().lines().findFirst().orElse("no output");
        return l.length() > 120 ? l.substring(0, 120) + "…" : l;
    }

    private static String snippet(String s) {
        String t = s.strip().replaceAll("\\s+", " ");
        return t.length() > 80 ? t.substring(0, 80) + "…" : t;
    }
}
