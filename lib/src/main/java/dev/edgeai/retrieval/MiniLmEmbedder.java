package dev.edgeai.retrieval;

import dev.edgeai.engine.DjlNatives;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.List;

/**
 * all-MiniLM-L6-v2 (int8-quantized ONNX, mean pooling) through langchain4j. Texts longer than the model's 510
 * word pieces are split and their embeddings averaged by langchain4j; our ~800-character chunks stay well below.
 */
final class MiniLmEmbedder implements Embedder {
    static {
        DjlNatives.prepare(); // langchain4j loads DJL's tokenizer: offline, and no CUDA probe
    }

    static final String MODEL_NAME = "all-minilm-l6-v2-q";
    static final int DIMENSION = 384;

    // Creating the ONNX session costs ~1 s and ~100 MB, so every Retriever in the JVM shares one.
    private static volatile MiniLmEmbedder shared;

    private final AllMiniLmL6V2QuantizedEmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();

    static MiniLmEmbedder shared() {
        MiniLmEmbedder s = shared;
        if (s == null) {
            synchronized (MiniLmEmbedder.class) {
                if (shared == null) shared = new MiniLmEmbedder();
                s = shared;
            }
        }
        return s;
    }

    @Override
    public float[] embed(String text) {
        return Embedder.normalize(model.embed(text).content().vector());
    }

    /** langchain4j spreads a batch over its own thread pool, which is what makes indexing throughput scale. */
    @Override
    public List<float[]> embedAll(List<String> texts) {
        if (texts.isEmpty()) return List.of();
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        return model.embedAll(segments).content().stream()
                .map(e -> Embedder.normalize(e.vector()))
                .toList();
    }

    /** langchain4j counts the texts' word pieces (without [CLS] and [SEP]) in the same pass. */
    @Override
    public Counted embedCounted(List<String> texts) {
        if (texts.isEmpty()) return new Counted(List.of(), 0);
        var response = model.embedAll(texts.stream().map(TextSegment::from).toList());
        List<float[]> vectors = response.content().stream()
                .map(e -> Embedder.normalize(e.vector()))
                .toList();
        Integer tokens =
                response.tokenUsage() == null ? null : response.tokenUsage().inputTokenCount();
        if (tokens == null) throw new IllegalStateException("langchain4j reported no token usage for the embeddings");
        return new Counted(vectors, tokens);
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public String modelName() {
        return MODEL_NAME;
    }
}
