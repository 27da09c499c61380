///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION A scripted OpenAI-compatible server (127.0.0.1) for trying the workshop scripts without a real model.
//JAVA 21+
//DEPS dev.edgeai:edgeai-cli:0.1.0 dev.edgeai:edgeai-testkit:0.1.0
//RUNTIME_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn --enable-native-access=ALL-UNNAMED

import dev.edgeai.cli.Cli;
import dev.edgeai.cli.Durations;
import dev.edgeai.cli.Ports;
import dev.edgeai.testkit.Script;
import dev.edgeai.testkit.ScriptedServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "fake_server", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Serves canned answers as an OpenAI-compatible endpoint (GET /v1/models, POST "
                + "/v1/chat/completions, streamed or not) on 127.0.0.1, with the first-token delay and the gap between "
                + "tokens you ask for: good for seeing how the scripts measure TTFT and TPOT, useless for judging "
                + "models. Results of runs against it are marked as such in reports. Stops on Ctrl+C.",
        footer = {"", "Examples:",
                "  ./jbang scripts/fake_server.java --port 8099",
                "  ./jbang scripts/model_compare.java --endpoint http://127.0.0.1:8099/v1   # in a second terminal",
                "  ./jbang scripts/fake_server.java --models qwen2.5:0.5b,qwen2.5:7b --ttft 300ms --tokens 64"})
public class fake_server implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "${env:FAKE_SERVER_PORT:-0}",
            description = "Port (env FAKE_SERVER_PORT; default: ${DEFAULT-VALUE} = any free port, printed at start).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--models", split = ",", paramLabel = "MODEL", defaultValue = "phi-4-mini,gpt-oss-20b",
            description = "Model ids it lists and answers as (default: ${DEFAULT-VALUE}).")
    List<String> models;

    @Option(names = "--ttft", paramLabel = "DURATION", defaultValue = "120ms", converter = Durations.class,
            description = "Delay before the first token: 120ms, 1.5s (default: ${DEFAULT-VALUE}).")
    Duration ttft;

    @Option(names = "--itl", paramLabel = "DURATION", defaultValue = "25ms", converter = Durations.class,
            description = "Delay between two tokens (default: ${DEFAULT-VALUE}).")
    Duration itl;

    @Option(names = "--tokens", paramLabel = "N", defaultValue = "0",
            description = "Tokens per answer; 0 = a built-in canned sentence (default: ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--usage", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Send token usage in the last chunk, as most servers do (--no-usage: send none, as some do).")
    boolean usage;

    public static void main(String... args) {
        System.exit(Cli.execute(new fake_server(), args));
    }

    @Override
    public Integer call() throws Exception {
        Ports.requireFree(host, port, "another fake_server (or another server on that port)");
        if (models.isEmpty() || models.stream().anyMatch(String::isBlank))
            throw new IllegalArgumentException("--models needs at least one model id, e.g. phi-4-mini,gpt-oss-20b");
        if (tokens < 0) throw new IllegalArgumentException("--tokens must be 0 or more, was " + tokens);
        Script.Builder script = Script.builder().ttft(ttft).itl(itl).sendUsage(usage);
        if (tokens > 0) script.tokenCount(tokens);
        try (ScriptedServer server = ScriptedServer.builder().host(host).port(port)
                .models(models.stream().map(String::strip).toList(), script.build()).start()) {
            String url = server.baseUrl();
            System.out.println(
                    "fake_server.java: scripted OpenAI-compatible endpoint at " + url + "  (Ctrl+C to stop)");
            System.out.flush();
            System.err.println("  models:  " + String.join(", ", models) + " (canned answers, TTFT " + ttft.toMillis()
                    + " ms, " + itl.toMillis() + " ms between tokens)");
            System.err.println("  try:     ./jbang scripts/model_compare.java --endpoint " + url);
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
        }
        return 0;
    }
}
