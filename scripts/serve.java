///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION A local OpenAI-compatible endpoint (chat, responses, embeddings) over the embedded engine.
//JAVA 21+
//DEPS dev.edgeai:edgeai-cli:0.1.0 dev.edgeai:edgeai-web:0.1.0
//RUNTIME_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn --enable-native-access=ALL-UNNAMED
//RUNTIME_OPTIONS -Xmx512m -XX:MaxDirectMemorySize=16g -XX:G1PeriodicGCInterval=5000 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30
//RUNTIME_OPTIONS -XX:+IgnoreUnrecognizedVMOptions -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=10000

import dev.edgeai.cli.Cli;
import dev.edgeai.cli.Durations;
import dev.edgeai.cli.Ports;
import dev.edgeai.cli.ServerOptions;
import dev.edgeai.discovery.Backends;
import dev.edgeai.chat.ModelResolver;
import dev.edgeai.engine.hub.ModelStore;
import dev.edgeai.openai.ServePort;
import dev.edgeai.serve.OpenAiServer;
import dev.edgeai.web.DemoPage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Serves models running in this JVM (the embedded ONNX Runtime engine) as an OpenAI-compatible endpoint: "
                + "GET /v1/models, POST /v1/chat/completions and POST /v1/responses (blocking and streamed), "
                + "POST /v1/embeddings (all-MiniLM-L6-v2, loaded on first use), GET /health. Open WebUI, the official "
                + "OpenAI SDKs, curl and the other scripts of this kit can use it; they find it on its default port by "
                + "themselves. Requests for one model queue first come, first served.",
        footer = {"", "Examples:",
                "  ./jbang scripts/serve.java          # default pair on http://127.0.0.1:5273/v1",
                "  ./jbang scripts/model_compare.java  # in a second terminal: finds it there",
                "  ./jbang scripts/serve.java --model ~/models/Qwen2.5-0.5B-Instruct \\",
                "      --alias phi-4-mini=Qwen2.5-0.5B-Instruct --api-key s3cret",
                "  curl http://127.0.0.1:5273/v1/chat/completions -H 'Content-Type: application/json' \\",
                "      -d '{\"model\":\"phi-4-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}'"})
public class serve implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "N",
            description = "Port (env " + ServePort.ENV + "; default: " + ServePort.DEFAULT
                    + ", where the other scripts look; 0 = any free port).")
    Integer port;

    @Mixin ServerOptions server;

    @Option(names = "--model", paramLabel = "MODEL",
            description = "A model to serve (repeatable): a model folder, a Foundry Local cache id or a Hugging Face repo id "
                    + "(downloaded once). Served under its folder name. Default: " + ModelStore.DEFAULT_SLM_REPO + " and "
                    + ModelStore.DEFAULT_LLM_REPO + ", also answering to phi-4-mini and gpt-oss-20b (the workshop's names).")
    List<String> models = new ArrayList<>();

    @Option(names = "--alias", paramLabel = "NAME=MODEL",
            description = "Another name for a served model (repeatable), e.g. phi-4-mini=Qwen2.5-0.5B-Instruct; MODEL is a served id or a --model value.")
    List<String> aliases = new ArrayList<>();

    @Option(names = "--api-key", defaultValue = "${env:SERVE_API_KEY}",
            description = "Require 'Authorization: Bearer KEY' on /v1 (env SERVE_API_KEY; default: no key).")
    String apiKey;

    @Option(names = "--max-queue", defaultValue = "64",
            description = "Requests that may wait per model; one more is answered 429 with Retry-After (default: ${DEFAULT-VALUE}).")
    int maxQueue;

    @Option(names = "--request-timeout", paramLabel = "DURATION", defaultValue = "${env:EDGEAI_REQUEST_TIMEOUT:-600s}",
            converter = Durations.class,
            description = "Longest a request may take from arrival (queue included) to its last token; 30s, 10m "
                    + "(env EDGEAI_REQUEST_TIMEOUT; default: ${DEFAULT-VALUE}).")
    Duration requestTimeout;

    @Option(names = "--max-tokens-cap", paramLabel = "N",
            description = "At most N tokens per answer, also when a request leaves max_tokens out (default: no cap; "
                    + "an answer then ends at the model's end of text or a full context).")
    Integer maxTokensCap;

    @Option(names = {"-v", "--verbose"}, description = "Log one line per request and show full errors (stack traces).")
    boolean verbose;

    public static void main(String... args) {
        System.exit(Cli.execute(new serve(), args));
    }

    @Override
    public Integer call() throws Exception {
        int port = this.port != null ? this.port : ServePort.forServer(System.getenv());
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be 0..65535, was " + port);
        Ports.requireFree(server.host, port, "another serve.java (or another server on that port)");
        if (requestTimeout.toMillis() < 1000)
            throw new IllegalArgumentException("--request-timeout must be at least 1s, was " + requestTimeout.toMillis()
                    + " ms");
        Map<String, String> wanted = new LinkedHashMap<>();
        for (String a : aliases) {
            int eq = a.indexOf('=');
            if (eq < 1 || eq == a.length() - 1) throw new IllegalArgumentException("--alias takes NAME=MODEL, e.g. phi-4-mini=Qwen2.5-0.5B-Instruct; got '" + a + "'");
            wanted.put(a.substring(0, eq).strip(), a.substring(eq + 1).strip());
        }
        OpenAiServer.Builder b = OpenAiServer.builder().host(server.host).port(port).apiKey(apiKey)
                .allowedHosts(server.allowedHosts).cors(server.cors).maxQueue(maxQueue).requestTimeout(requestTimeout)
                .log(verbose ? System.err : null).verbose(verbose).maxTokensCap(maxTokensCap).miniLmEmbeddings();
        b.config();   // a bad --allowed-hosts or --cors fails here, before any model is loaded
        boolean defaults = models.isEmpty();
        List<String> specs = defaults ? List.of(ModelStore.DEFAULT_SLM_REPO, ModelStore.DEFAULT_LLM_REPO) : models;
        String exposed = server.exposureWarning("your models" + (apiKey == null ? " (and no --api-key is set)" : ""));
        if (exposed != null) System.err.println(exposed);
        var selection = Backends.embedded(specs, System.err);
        List<String> ids = selection.modelIds();
        if (defaults) {   // the names every workshop step uses, so model_compare and benchmark work unchanged
            wanted.putIfAbsent("phi-4-mini", ids.get(0));
            wanted.putIfAbsent("gpt-oss-20b", ids.get(1));
        }
        b.extension(cfg -> DemoPage.mount(cfg, selection.backend()));   // the page runs served folders too
        wanted.forEach((name, target) -> b.alias(name, servedId(target, specs, ids)));
        try (var backend = selection.backend(); OpenAiServer http = b.start(backend)) {
            String url = http.baseUrl();
            System.out.println("serve.java: OpenAI-compatible endpoint at " + url + "  (Ctrl+C to stop)");
            System.out.flush();
            System.err.println("  models:  " + String.join(", ", ids));
            http.aliases().forEach((n, id) -> System.err.println("  alias:   " + n + " -> " + id));
            for (String id : ids) System.err.println("  defaults " + id + ": " + http.defaultsLine(id));
            System.err.println("  embeddings: " + http.embeddingModel() + " (loaded on the first /v1/embeddings)");
            System.err.println("  Open WebUI: Settings > Connections > OpenAI API, URL " + url + ", key " + (apiKey == null ? "anything" : "your --api-key"));
            System.err.println("  SDKs and other tools: base URL " + url + " (or FOUNDRY_LOCAL_ENDPOINT=" + url + ")");
            String found = http.port() == ServePort.DEFAULT ? " by themselves"
                    : " with --endpoint " + url + " (or " + ServePort.ENV + "=" + http.port() + ")";
            System.err.println("  this kit's scripts find it on port " + http.port() + found);
            System.err.println("  try: curl " + url + "/models");
            System.err.println("  browser demo: " + url.replace("/v1", DemoPage.PATH));
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
        }
        return 0;
    }

    /** A --model value as given, else a served id (or Foundry-style prefix of one). */
    private static String servedId(String target, List<String> specs, List<String> ids) {
        int i = specs.indexOf(target);
        if (i >= 0) return ids.get(i);
        return ModelResolver.find(target, ids).orElseThrow(() -> new IllegalArgumentException(
                "--alias target '" + target + "' is not served; served models: " + String.join(", ", ids)));
    }
}
