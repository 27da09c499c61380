package dev.edgeai.results;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Reads and writes {@link RunResult} JSON. Writes are atomic: a reader never sees a half-written file. */
public final class ResultsFile {
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private static final JsonSerializer<Double> FINITE_OR_NULL = new JsonSerializer<>() {
        @Override
        public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
            if (v == null || !Double.isFinite(v)) g.writeNull();
            else g.writeNumber(v);
        }
    };

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .registerModule(new SimpleModule()
                    // JSON has no NaN/Infinity: write null so every JSON reader (Python, JS) can load our files...
                    .addSerializer(Double.class, FINITE_OR_NULL)
                    .addSerializer(Double.TYPE, FINITE_OR_NULL)
                    // ...and read null back as NaN for primitive doubles (Jackson would make it 0.0, a fake value).
                    .addDeserializer(Double.TYPE, new StdDeserializer<Double>(Double.TYPE) {
                        @Override
                        public Double deserialize(JsonParser p, DeserializationContext c) throws IOException {
                            return p.currentToken() == JsonToken.VALUE_STRING
                                    ? Double.parseDouble(p.getText())
                                    : p.getDoubleValue();
                        }

                        @Override
                        public Double getNullValue(DeserializationContext c) {
                            return Double.NaN;
                        }
                    }));

    private ResultsFile() {}

    public static ObjectMapper json() {
        return JSON;
    }

    /** A fresh file name like {@code model_compare-20261127-101500.json} under {@code dir}. */
    public static Path newPath(Path dir, String tool) {
        return dir.resolve(tool + "-" + STAMP.format(Instant.now()) + ".json");
    }

    /** Writes atomically: to a temp file beside the target, then a rename. */
    public static Path write(Path file, RunResult result) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                JSON.writeValue(tmp.toFile(), result);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results to " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks, before any work, that results can be written to {@code dir} (creating it), and removes temp files
     * that an earlier run killed mid-write left behind ({@code .<name>.json*.tmp}, older than a minute so a
     * concurrent writer is never disturbed).
     *
     * @throws IllegalArgumentException naming the folder and why it cannot be used
     */
    public static Path prepareDir(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(abs);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot create the results folder " + dir + " ("
                            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                            + "); pass a writable folder with --out",
                    e);
        }
        try {
            Files.deleteIfExists(Files.createTempFile(abs, ".write-check", ".tmp"));
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "the results folder " + dir + " is not writable ("
                            + e.getClass().getSimpleName() + "); pass a writable folder with --out",
                    e);
        }
        removeStaleTemps(abs);
        return dir;
    }

    private static void removeStaleTemps(Path dir) {
        long cutoff = System.currentTimeMillis() - 60_000;
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                if (n.startsWith(".")
                        && n.contains(".json")
                        && n.endsWith(".tmp")
                        && Files.getLastModifiedTime(f).toMillis() < cutoff) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException ignored) {
            // best effort: a stale temp file is clutter, not an error
        }
    }

    /** Reads a results file; a file that is not ours or not JSON fails with a message naming it. */
    public static RunResult read(Path file) {
        try {
            var tree = JSON.readTree(file.toFile());
            String schema = tree == null ? null : tree.path("schema").asText(null);
            if (!RunResult.SCHEMA.equals(schema)) {
                throw new IllegalArgumentException(file + " is not an " + RunResult.SCHEMA + " results file (schema: "
                        + (schema == null ? "none" : schema) + ")");
            }
            return JSON.treeToValue(tree, RunResult.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    file + " is not a readable results file: "
                            + e.getMessage().lines().findFirst().orElse(""),
                    e);
        }
    }
}
