///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Chat with your documents (RAG): a Chainlit-like web app on 127.0.0.1 answering only from data/docs.
//JAVA 21+
//DEPS dev.edgeai:edgeai-cli:0.1.0 dev.edgeai:edgeai-web:0.1.0
//RUNTIME_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn --enable-native-access=ALL-UNNAMED
//RUNTIME_OPTIONS -Xmx512m -XX:MaxDirectMemorySize=16g -XX:G1PeriodicGCInterval=5000 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30
//RUNTIME_OPTIONS -XX:+IgnoreUnrecognizedVMOptions -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=10000

import dev.edgeai.chat.ChatBackend;
import dev.edgeai.cli.BackendOptions;
import dev.edgeai.cli.Cli;
import dev.edgeai.cli.DocsOptions;
import dev.edgeai.cli.GenerationOptions;
import dev.edgeai.cli.Ports;
import dev.edgeai.cli.ServerOptions;
import dev.edgeai.discovery.Backends;
import dev.edgeai.discovery.ModelChoice;
import dev.edgeai.engine.hub.ModelStore;
import dev.edgeai.eval.EscalationRule;
import dev.edgeai.http.LocalGuard;
import dev.edgeai.retrieval.Mode;
import dev.edgeai.retrieval.Retriever;
import dev.edgeai.web.RagChatApp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "rag_chat", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Indexes a folder of .md/.txt files (BM25 + MiniLM embeddings, cached on disk) and serves a chat page "
                + "that answers ONLY from the retrieved context, with citations, streamed tokens and per-answer "
                + "latency.",
        footer = {"", "Examples:", "  ./jbang scripts/rag_chat.java                      # then open the printed URL",
                "  ./jbang scripts/rag_chat.java --docs ~/notes --model qwen2.5-7b --fallback"})
public class rag_chat implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "${env:RAG_PORT:-8000}", description = "Port (env RAG_PORT; default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Mixin ServerOptions server;

    @Mixin DocsOptions docs;

    @Option(names = "--data", defaultValue = "data", description = "Where feedback, uploads and results are written (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "${env:SLM_ALIAS}",
            description = "The model that answers, as the server names it or an alias (env SLM_ALIAS; default: "
                    + ModelChoice.DEFAULT_SLM + " when served, else the smallest served model; with no server found: "
                    + ModelStore.DEFAULT_SLM_REPO + " in-process).")
    String model;

    @Option(names = "--embedded", description = "Run --model in-process on the embedded ONNX Runtime engine (a model folder, "
            + "Foundry Local cache id or Hugging Face repo id; implied when --model is a folder).")
    boolean embedded;

    @Mixin GenerationOptions gen = GenerationOptions.defaults(512, 0.0, null);

    @Option(names = "--mode", defaultValue = "hybrid", description = "Retrieval: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Mode mode;

    @Option(names = "--top-k", defaultValue = "4", description = "Chunks per answer (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--fallback", description = "When no chunk is relevant, let the model answer on its own (marked) instead of refusing.")
    boolean fallback;

    @Option(names = "--escalate-to", defaultValue = "${env:RAG_ESCALATE_TO}",
            description = "RAG with LLM escalation: when the answer refuses, is empty or is poorly grounded in the retrieved chunks, "
                    + "this larger model answers the same prompt instead, marked as escalated (env RAG_ESCALATE_TO; e.g. gpt-oss-20b).")
    String escalateTo;

    @Option(names = "--max-upload-kb", defaultValue = "1024", description = "Largest accepted upload in KiB (default: ${DEFAULT-VALUE}).")
    long maxUploadKb;

    @Mixin BackendOptions backendOptions;

    public static void main(String... args) {
        System.exit(Cli.execute(new rag_chat(), args));
    }

    @Override
    public Integer call() throws Exception {
        // Everything that can be wrong with the command line fails here, as one line, before any loading.
        Path docsDir = docs.dir();
        var access = new LocalGuard.Access(server.allowedHosts, server.cors);
        String exposed = server.exposureWarning("your documents and models");
        if (exposed != null) System.err.println(exposed);
        String host = server.host;
        Ports.requireFree(host, port, "another rag_chat");
        var generation = RagChatApp.Config.defaults(data)
                .withGeneration(gen.maxTokens(), gen.temperature(), gen.seed());
        List<ModelChoice.Want> wants = new ArrayList<>();
        wants.add(ModelChoice.Want.of("model", ModelChoice.Size.SMALL, model, ModelChoice.DEFAULT_SLM, "--model")
                .inProcess(embedded ? (model != null ? model : ModelStore.DEFAULT_SLM_REPO) : null, "--model")
                .fallback(ModelStore.DEFAULT_SLM_REPO));
        if (escalateTo != null) {
            wants.add(ModelChoice.Want.of("escalation", ModelChoice.Size.LARGE, escalateTo, null, "--escalate-to")
                    .inProcess(embedded ? escalateTo : null, "--escalate-to")
                    .fallback(ModelStore.DEFAULT_LLM_REPO));
        }
        Backends.Chosen chosen = backendOptions.choose(wants, System.err);
        ChatBackend backend = chosen.backend();
        model = chosen.id(0);
        if (escalateTo != null) escalateTo = chosen.id(1);
        Retriever retriever = Retriever.open(docsDir, Retriever.Options.defaults().withMode(mode).withTopK(topK));
        System.err.println("index: " + retriever.status().message());
        var cfg = generation.withHost(host).withPort(port).withModel(model).withFallback(fallback)
                .withMaxUploadBytes(maxUploadKb * 1024).withAccess(access).withVerbose(backendOptions.verbose);
        cfg = cfg.withSearch(retriever.options().search());
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {   // a stalled backend stream must not keep Ctrl+C waiting: give the app 1.5 s to close
                if (!closed.await(1500, TimeUnit.MILLISECONDS)) Runtime.getRuntime().halt(130);
            } catch (InterruptedException e) {
                Runtime.getRuntime().halt(130);
            }
        }));
        try (backend; RagChatApp app = RagChatApp.start(backend, retriever, cfg)) {
            if (escalateTo != null) app.escalateTo(new RagChatApp.Escalation(escalateTo, EscalationRule.defaults()));
            System.out.println("RAG chat running at " + app.url() + "  (Ctrl+C to stop)");
            System.out.flush();
            stop.await();
        } finally {
            closed.countDown();
        }
        return 0;
    }
}
