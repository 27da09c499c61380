package dev.edgeai.retrieval;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Chunks and embeddings on disk, so a second start skips the model: {@code manifest.json} (settings and one entry
 * per file: size, mtime, SHA-256), {@code chunks.json}, and {@code vectors.f32} (little-endian float32, one row of
 * {@code dimension} per chunk, in chunk order; numpy reads it with {@code np.fromfile(f, '<f4').reshape(-1, 384)}).
 * Each file is written to a temporary name and moved into place, so a crash leaves the old cache or none, and the
 * manifest goes last so a half-written cache never looks valid.
 */
public final class IndexCache {
    static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public record FileEntry(String source, long size, long mtime, String sha256) {}

    /** Everything that must match for cached vectors to be reused. */
    public record Manifest(
            int format, String model, int dimension, int targetChars, int overlapChars, List<FileEntry> files) {
        boolean sameSettings(Manifest o) {
            return o != null
                    && format == o.format
                    && model.equals(o.model)
                    && dimension == o.dimension
                    && targetChars == o.targetChars
                    && overlapChars == o.overlapChars;
        }
    }

    public record Contents(Manifest manifest, List<Chunk> chunks, List<float[]> vectors) {}

    private final Path dir;

    public IndexCache(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    static Manifest manifestOf(List<Document> docs, Embedder embedder, Chunker chunker) {
        List<FileEntry> files = new ArrayList<>();
        for (Document d : docs) files.add(new FileEntry(d.source(), d.size(), d.mtime(), d.sha256()));
        return new Manifest(
                FORMAT,
                embedder.modelName(),
                embedder.dimension(),
                chunker.targetChars(),
                chunker.overlapChars(),
                files);
    }

    /** The cached contents, or null when absent, from another format, or unreadable (it is then simply rebuilt). */
    public Contents read() {
        try {
            Path m = dir.resolve("manifest.json");
            if (!Files.exists(m)) return null;
            Manifest manifest = JSON.readValue(m.toFile(), Manifest.class);
            if (manifest.format() != FORMAT) return null;
            List<Chunk> chunks =
                    JSON.readValue(dir.resolve("chunks.json").toFile(), new TypeReference<List<Chunk>>() {});
            byte[] bytes = Files.readAllBytes(dir.resolve("vectors.f32"));
            int dim = manifest.dimension();
            if (bytes.length != (long) chunks.size() * dim * Float.BYTES) return null;
            FloatBuffer floats =
                    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            List<float[]> vectors = new ArrayList<>(chunks.size());
            for (int i = 0; i < chunks.size(); i++) {
                float[] v = new float[dim];
                floats.get(v);
                vectors.add(v);
            }
            return new Contents(manifest, chunks, vectors);
        } catch (IOException | RuntimeException e) {
            System.err.println("retrieval: ignoring unreadable index cache in " + dir + ": " + e);
            return null;
        }
    }

    public void write(Contents c) throws IOException {
        Files.createDirectories(dir);
        int dim = c.manifest().dimension();
        ByteBuffer buf =
                ByteBuffer.allocate(c.vectors().size() * dim * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] v : c.vectors()) for (float x : v) buf.putFloat(x);
        replace("vectors.f32", buf.array());
        replace("chunks.json", JSON.writeValueAsBytes(c.chunks()));
        replace("manifest.json", JSON.writeValueAsBytes(c.manifest()));
    }

    private void replace(String name, byte[] bytes) throws IOException {
        Path tmp = dir.resolve(name + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
