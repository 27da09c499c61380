package dev.edgeai.retrieval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A text file (or an upload) as the retriever sees it. {@code source} is the path relative to the docs folder with
 * '/' separators, the name citations show. Offsets of chunks index into {@code text}.
 *
 * @param size  bytes on disk (for an upload, of its UTF-8 encoding)
 * @param mtime last-modified time in milliseconds (0 for an upload)
 */
public record Document(String source, String text, long size, long mtime, String sha256) {

    /** File name endings the loader picks up. PDF is not supported (no small, well-kept extractor in our deps). */
    public static final List<String> EXTENSIONS = List.of(".md", ".txt");

    /** An upload: a name and its text, never written to disk. */
    public static Document of(String source, String text) {
        String name = checkRelative(source);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new Document(name, text, bytes.length, 0, sha256(bytes));
    }

    /**
     * Every .md and .txt file under root, recursively, sorted by source. Hidden files and folders (a name starting
     * with '.', which includes the .index cache) are skipped, and so is anything whose real path leaves root
     * (a symlink to /etc/passwd must not become retrievable context).
     */
    public static List<Document> loadFolder(Path root) throws IOException {
        Path realRoot = root.toRealPath();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(realRoot)) {
            files = walk.filter(p -> !p.equals(realRoot))
                    .filter(p -> !isHidden(realRoot.relativize(p)))
                    .filter(Files::isRegularFile)
                    .filter(Document::hasTextExtension)
                    .toList();
        }
        List<Document> docs = new ArrayList<>();
        for (Path p : files) {
            if (!p.toRealPath().startsWith(realRoot)) continue;
            docs.add(read(realRoot, p));
        }
        docs.sort((a, c) -> a.source.compareTo(c.source));
        return docs;
    }

    /** Reads one file that must lie inside root (after resolving links). */
    public static Document load(Path root, Path file) throws IOException {
        Path realRoot = root.toRealPath();
        Path real = (file.isAbsolute() ? file : realRoot.resolve(file)).toRealPath();
        if (!real.startsWith(realRoot)) throw new IllegalArgumentException(file + " is outside " + root);
        return read(realRoot, real);
    }

    private static Document read(Path realRoot, Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        // Undecodable bytes become U+FFFD rather than failing the whole folder over one stray Latin-1 file.
        String text = new String(bytes, StandardCharsets.UTF_8);
        long mtime = Files.getLastModifiedTime(file).toMillis();
        return new Document(sourceName(realRoot.relativize(file)), text, bytes.length, mtime, sha256(bytes));
    }

    static String sourceName(Path relative) {
        return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
    }

    /** Rejects absolute names and '..' segments, so an upload's name cannot point outside the docs folder. */
    static String checkRelative(String source) {
        String s = source.replace('\\', '/');
        if (s.isBlank() || s.startsWith("/") || s.matches("^[A-Za-z]:.*"))
            throw new IllegalArgumentException("document name must be a relative path: " + source);
        for (String seg : s.split("/"))
            if (seg.equals("..") || seg.equals(".") || seg.isEmpty())
                throw new IllegalArgumentException(
                        "document name must not contain '.', '..' or empty segments: " + source);
        return s;
    }

    private static boolean isHidden(Path relative) {
        for (Path seg : relative) if (seg.toString().startsWith(".")) return true;
        return false;
    }

    private static boolean hasTextExtension(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(n::endsWith);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM ships SHA-256", e);
        }
    }
}
