package dev.edgeai.serve;

import dev.edgeai.chat.ModelResolver;
import dev.edgeai.openai.EmbeddingList;
import dev.edgeai.openai.EmbeddingRequest;
import dev.edgeai.openai.InvalidRequest;
import dev.edgeai.retrieval.Embedder;
import io.javalin.http.Context;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * {@code POST /v1/embeddings} over one {@link Embedder} (serve.java: the library's MiniLM, the one the RAG index
 * uses), so Open WebUI's document RAG and LangChain / LlamaIndex pipelines can embed against the local endpoint.
 * The embedder is loaded on the first request (about a second and 100 MB for MiniLM), not at start-up. Requests
 * embed one at a time (the embedder spreads each batch over the cores itself); the others wait behind it first come,
 * first served within the per-request timeout, and a full queue is a 429, as for chat.
 */
final class EmbeddingsRoutes {
    /** The model id of {@link Embedder#miniLm()} in /v1/models. */
    static final String MINILM = "all-minilm-l6-v2";

    /** An embedding model as served: its id, and how to load it. */
    record Model(String id, Supplier<Embedder> loader) {
        Model {
            if (id == null || id.isBlank()) throw new IllegalArgumentException("an embedding model needs an id");
        }
    }

    private final OpenAiServer server;
    private final Model model;
    private final ModelGate gate;
    private volatile Embedder embedder;

    EmbeddingsRoutes(OpenAiServer server, Model model) {
        this.server = server;
        this.model = model;
        this.gate = new ModelGate(1, server.config().maxQueue());
    }

    String id() {
        return model.id();
    }

    /** Whether a request for {@code requested} means this model (exact, case, :version or prefix, as for chat). */
    boolean answersTo(String requested) {
        return ModelResolver.find(requested, List.of(model.id())).isPresent();
    }

    void create(Context ctx) {
        long t0 = System.nanoTime();
        String id = "embd-" + HexFormat.of().formatHex(random());
        EmbeddingRequest req;
        try {
            try {
                req = EmbeddingRequest.parse(server.readJson(ctx));
            } catch (InvalidRequest e) {
                throw ApiError.from(e);
            }
            if (!answersTo(req.model()))
                throw ApiError.notFound(
                        "model_not_found",
                        "The model '" + req.model() + "' does not embed on this server: use '" + model.id()
                                + "' (chat models cannot embed).");
        } catch (ApiError e) {
            server.refused(id, e, t0);
            throw e;
        }
        long deadline = t0 + server.config().requestTimeout().toNanos();
        try {
            if (!gate.enter(deadline - System.nanoTime()))
                throw server.timeout("waiting for " + model.id() + " (" + gate.waiting() + " requests ahead)");
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw ApiError.unavailable("server_shutting_down", "the server is shutting down");
        }
        long admitted = System.nanoTime();
        Embedder.Counted out;
        try {
            Embedder e = embedder();
            if (req.dimensions() != null && req.dimensions() != e.dimension())
                throw ApiError.invalid(
                        "dimensions",
                        "unsupported_value",
                        "'dimensions' " + req.dimensions() + " is not supported: " + model.id() + " makes "
                                + e.dimension() + "-dimensional vectors; leave 'dimensions' out.");
            out = e.embedCounted(req.input());
        } finally {
            gate.leave((System.nanoTime() - admitted) / 1e9);
        }
        ctx.json(EmbeddingList.of(model.id(), out.vectors(), req.base64(), out.tokens()));
        double ms = OpenAiServer.ms(System.nanoTime() - t0);
        server.record(new OpenAiServer.RequestRecord(
                id,
                model.id(),
                false,
                200,
                null,
                out.tokens(),
                0,
                OpenAiServer.ms(admitted - t0),
                Double.NaN,
                ms,
                null));
        if (server.log() != null)
            server.log()
                    .printf(
                            Locale.ROOT,
                            "%s %s embeddings 200 %d inputs, %d tokens, %s, total %.0f ms%n",
                            id,
                            model.id(),
                            req.input().size(),
                            out.tokens(),
                            req.base64() ? "base64" : "float",
                            ms);
    }

    private static byte[] random() {
        byte[] b = new byte[12];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    private Embedder embedder() {
        Embedder e = embedder;
        if (e == null) {
            synchronized (this) {
                if (embedder == null) {
                    try {
                        embedder = model.loader().get();
                    } catch (RuntimeException | LinkageError x) {
                        server.guard.log().failed(503, "POST", "/v1/embeddings", "-", x);
                        throw ApiError.unavailable(
                                "embedding_model_unavailable",
                                "the embedding model " + model.id() + " could not be loaded: " + x
                                        + " (serve.java's console has the details)");
                    }
                }
                e = embedder;
            }
        }
        return e;
    }
}
