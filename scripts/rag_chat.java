///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Chat with your documents (RAG): a Chainlit-like web app on 127.0.0.1 answering only from data/docs.
//JAVA 21+
//DEPS dev.edgeai:edgeai-cli:0.1.0 dev.edgeai:edgeai-web:0.1.0
//RUNTIME_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn --enable-native-access=ALL-UNNAMED

import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.ModelInfo;
import dev.edgeai.cli.BackendOptions;
import dev.edgeai.cli.Cli;
import dev.edgeai.chat.ModelResolver;
import dev.edgeai.eval.EscalationRule;
import dev.edgeai.retrieval.Mode;
import dev.edgeai.retrieval.Retriever;
import dev.edgeai.web.RagChatApp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
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

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to bind (default: ${DEFAULT-VALUE}). Anything else exposes your documents to the network.")
    String host;

    @Option(names = "--docs", defaultValue = "${env:RAG_DOCS:-data/docs}", description = "Folder of .md/.txt documents (env RAG_DOCS; default: ${DEFAULT-VALUE}).")
    Path docs;

    @Option(names = "--data", defaultValue = "data", description = "Where feedback, uploads and results are written (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--model", defaultValue = "${env:RAG_MODEL:-${env:SLM_ALIAS:-phi-4-mini}}",
            description = "Default model id or alias (env RAG_MODEL, then SLM_ALIAS; default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--embedded", description = "Run --model in-process on the embedded ONNX Runtime engine (a model folder, "
            + "Foundry Local cache id or Hugging Face repo id; implied when --model is a folder).")
    boolean embedded;

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
        if (!Files.isDirectory(docs)) {
            throw new IllegalArgumentException("--docs " + docs + " is not a folder; pass a folder of .md/.txt files (default: data/docs)");
        }
        if (port != 0) {
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName(host))) {
                probe.setReuseAddress(true);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot listen on " + host + ":" + port + " (" + e.getMessage()
                        + "): is another rag_chat running? Pass --port 0 for any free port, or another --port");
            }
        }
        var selection = backendOptions.select(escalateTo == null ? List.of(model) : List.of(model, escalateTo), "--model", embedded, System.err);
        ChatBackend backend = selection.backend();
        if (!selection.embedded()) {
            List<String> served = backend.models().stream().map(ModelInfo::id).toList();
            String asked = model;
            model = ModelResolver.find(model, served).orElseThrow(() -> new IllegalArgumentException("unknown --model '" + asked
                    + "': " + backend.info().url() + " serves " + (served.isEmpty() ? "no models" : String.join(", ", served))));
            if (escalateTo != null) {
                String llm = escalateTo;
                escalateTo = ModelResolver.find(llm, served).orElseThrow(() -> new IllegalArgumentException("unknown --escalate-to '"
                        + llm + "': " + backend.info().url() + " serves " + String.join(", ", served)));
            }
        } else {
            model = selection.modelIds().get(0);
            if (escalateTo != null) escalateTo = selection.modelIds().get(1);
        }
        Retriever retriever = Retriever.open(docs, Retriever.Options.defaults().withMode(mode).withTopK(topK));
        System.err.println("index: " + retriever.status().message());
        var cfg = RagChatApp.Config.defaults(data).withHost(host).withPort(port).withModel(model).withFallback(fallback)
                .withMaxUploadBytes(maxUploadKb * 1024);
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
