package dev.edgeai.discovery;

import dev.edgeai.chat.BackendInfo;
import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ModelInfo;
import dev.edgeai.client.ClientSettings;
import dev.edgeai.client.EndpointUrl;
import dev.edgeai.client.OpenAiClient;
import dev.edgeai.openai.ServePort;
import dev.edgeai.openai.Wire;
import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a model server, in the workshop's order, and says what it tried:
 * <ol>
 *   <li>an explicit endpoint: {@code --endpoint}, else {@code FOUNDRY_LOCAL_ENDPOINT}, else {@code OPENAI_BASE_URL}
 *       (explicit means "use this or fail": no silent fallback to something else);</li>
 *   <li>serve.java (this kit's own server over the embedded engine) on {@code 127.0.0.1:}{@value
 *       ServePort#DEFAULT}, its default port ({@code EDGEAI_SERVE_PORT} moves it, {@code off} skips it); refused
 *       connections on loopback fail at once, so this costs nothing when nothing listens there;</li>
 *   <li>Foundry Local: its port is random, so ask its CLI ({@code foundry service status}, and the 0.10+ verb
 *       {@code foundry server status}) and take the first http://host:port it prints;</li>
 *   <li>Ollama on {@code OLLAMA_HOST} or its default port 11434;</li>
 *   <li>the embedded engine, when the caller allows it (see {@link Options#embeddedFallback()}).</li>
 * </ol>
 * Every candidate is confirmed with {@code GET /v1/models} through the {@link OpenAiClient}, with the timeouts and
 * retries the script was given ({@link ClientSettings}): a server still loading (503) is waited for. Where an
 * address is only a guess (serve.java's port, Ollama's), a refused connection is not retried: nothing listens
 * there, and retrying would only delay the next candidate.
 */
public final class Discovery {
    private static final Pattern URL = Pattern.compile("https?://[A-Za-z0-9.\\-\\[\\]:]+?:\\d+");

    /**
     * @param endpoint         the --endpoint option (null when not given)
     * @param env              environment variables to read (System.getenv() in real use; a map in tests)
     * @param client           timeouts and retries of every probe, as for the requests that follow
     * @param embeddedFallback when true and nothing is found, the result is the embedded engine instead of an error
     */
    public record Options(String endpoint, Map<String, String> env, ClientSettings client, boolean embeddedFallback) {
        public static Options of(String endpoint) {
            return new Options(endpoint, System.getenv(), ClientSettings.defaults(), false);
        }

        public Options withEmbeddedFallback(boolean on) {
            return new Options(endpoint, env, client, on);
        }

        public Options withEnv(Map<String, String> e) {
            return new Options(endpoint, e, client, embeddedFallback);
        }

        public Options withClient(ClientSettings c) {
            return new Options(endpoint, env, c, embeddedFallback);
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
            String base;
            try {
                base = EndpointUrl.normalise(explicit);
            } catch (IllegalArgumentException e) {
                throw new NotFound(ChatException.Kind.INVALID_INPUT, "not a valid endpoint URL: " + explicit, trace);
            }
            Probe p = probe(base, o, true);
            trace.add("explicit endpoint " + base + ": " + p.describe());
            if (!p.ok() && p.error().kind() == ChatException.Kind.UNREACHABLE) {
                throw new NotFound(
                        ChatException.Kind.UNREACHABLE,
                        "cannot reach " + base + " (" + p.why() + "). Is the server running there? "
                                + "Foundry Local's port changes: `foundry service status` prints the current URL",
                        trace);
            }
            if (!p.ok()) throw new NotFound(p.error().kind(), p.error().getMessage(), trace);
            return new Found(new BackendInfo(p.serveJava() ? "serve" : kindOf(base), base, null), p.models(), trace);
        }

        Optional<Found> serve = serve(o, trace);
        if (serve.isPresent()) return serve.get();

        Optional<Found> foundry = foundry(o, trace);
        if (foundry.isPresent()) return foundry.get();

        String ollamaHost = o.env().getOrDefault("OLLAMA_HOST", "").trim();
        String ollama = EndpointUrl.normalise(ollamaHost.isEmpty() ? "http://127.0.0.1:11434" : ollamaHost);
        Probe p = probe(ollama, o, false);
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

    private static Optional<Found> serve(Options o, List<String> trace) {
        OptionalInt port;
        try {
            port = ServePort.forDiscovery(o.env());
        } catch (IllegalArgumentException e) {
            trace.add("serve.java: not probed (" + e.getMessage() + ")");
            return Optional.empty();
        }
        if (port.isEmpty()) {
            trace.add("serve.java: not probed (" + ServePort.ENV + "=" + o.env().get(ServePort.ENV) + ")");
            return Optional.empty();
        }
        String base = "http://127.0.0.1:" + port.getAsInt() + "/v1";
        Probe p = probe(base, o, false);
        if (!p.ok()) {
            boolean nothing = p.error().kind() == ChatException.Kind.UNREACHABLE;
            trace.add("serve.java at " + base + ": "
                    + (nothing ? "nothing listening (start it with ./jbang scripts/serve.java)" : p.describe()));
            return Optional.empty();
        }
        trace.add((p.serveJava()
                        ? "serve.java at " + base
                        : "OpenAI-compatible server at " + base + " (serve.java's port; not serve.java)")
                + ": " + p.describe());
        return Optional.of(
                new Found(new BackendInfo(p.serveJava() ? "serve" : "openai", base, null), p.models(), trace));
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
            Probe p = probe(base, o, true);
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

    private static String kindOf(String base) {
        return base.contains(":11434/") ? "ollama" : "openai";
    }

    private static String apiKey(Map<String, String> env) {
        String k = env.get("OPENAI_API_KEY");
        return k == null || k.isBlank() ? null : k.trim();
    }

    /** @param server the {@link Wire#SERVER_HEADER} the server sent, or null */
    record Probe(List<ModelInfo> models, ChatException error, String server) {
        boolean ok() {
            return error == null;
        }

        boolean serveJava() {
            return Wire.SERVER_NAME.equals(server);
        }

        /** Why a connection failed, in a few words ("connection refused"); the client's message otherwise. */
        String why() {
            for (Throwable t = error; t != null; t = t.getCause()) {
                if (t instanceof HttpConnectTimeoutException) return "connect timed out";
                if (t instanceof ConnectException) return "connection refused";
                if (t instanceof UnknownHostException) return "unknown host";
            }
            return error.getMessage();
        }

        String describe() {
            if (!ok())
                return error.kind() == ChatException.Kind.UNREACHABLE
                        ? "not reachable (" + why() + ")"
                        : error.getMessage();
            return models.isEmpty()
                    ? "answers, no models listed"
                    : "answers, models: "
                            + String.join(
                                    ", ", models.stream().map(ModelInfo::id).toList());
        }
    }

    /**
     * {@code GET {base}/models} through the client, retried like any request of the script.
     *
     * @param known false where the address is a guess: a refused connection is then not retried
     */
    static Probe probe(String base, Options o, boolean known) {
        OpenAiClient.Builder b = o.client()
                .applyTo(OpenAiClient.builder())
                .baseUrl(base)
                .apiKey(apiKey(o.env()))
                .retryConnectFailures(known);
        try (OpenAiClient client = b.build()) {
            OpenAiClient.Listing l = client.listModels();
            return new Probe(l.models(), null, l.server());
        } catch (ChatException e) {
            return new Probe(List.of(), e, null);
        } catch (IllegalArgumentException e) {
            return new Probe(
                    List.of(),
                    new ChatException(ChatException.Kind.INVALID_INPUT, "not a valid endpoint URL: " + base, e),
                    null);
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
}
