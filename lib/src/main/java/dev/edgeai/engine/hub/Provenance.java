package dev.edgeai.engine.hub;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Where a cached model folder came from and what its files must hash to, kept beside the files as
 * {@value #FILE}: written when a download or an import completes, read by {@code models list} and checked by
 * {@code models verify}. A folder without it was placed by hand.
 *
 * @param kind     "hub" (downloaded) or "import" (copied from a folder or archive)
 * @param repo     the hub repository it is, when known (org/name)
 * @param revision the hub revision, for downloads
 * @param from     the hub URL or the local path it was copied from
 * @param time     when it completed, UTC, to the second
 * @param checked  what was checked on arrival, e.g. "sha256 from the hub's file list"
 * @param files    every file and its checksum, paths relative to the folder with '/'
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Provenance(
        String schema,
        String kind,
        String repo,
        String revision,
        String from,
        String time,
        String checked,
        List<FileSum> files) {
    public static final String FILE = ".edgeai-source.json";
    public static final String SCHEMA = "edgeai.model-source/v1";

    public Provenance {
        files = files == null ? List.of() : List.copyOf(files);
    }

    /**
     * One file's expected content: sha256, or for small files a hub lists by git blob id only, that id (sha1 of
     * "blob SIZE\0" + content).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FileSum(
            String path,
            long size,
            String sha256,
            @JsonProperty("git_sha1") String gitSha1) {}

    public static Provenance of(
            String kind, String repo, String revision, String from, String checked, List<FileSum> files) {
        return new Provenance(
                SCHEMA,
                kind,
                repo,
                revision,
                from,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                checked,
                files);
    }

    /** The record of {@code folder}, or null when it has none (placed by hand) or it is unreadable. */
    public static Provenance read(Path folder) {
        Path f = folder.resolve(FILE);
        if (!Files.isRegularFile(f)) return null;
        try {
            return HubDownloader.JSON.readValue(f.toFile(), Provenance.class);
        } catch (IOException e) {
            return null;
        }
    }

    public void write(Path folder) throws IOException {
        Files.writeString(
                folder.resolve(FILE),
                HubDownloader.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n",
                StandardCharsets.UTF_8);
    }

    /** "hub https://…/org/name (main), 2026-12-03T10:11:12Z" or "imported from /media/usb/x, 2026-…". */
    public String describe() {
        String when = time == null ? "" : ", " + time.replace('T', ' ').replace("Z", " UTC");
        return switch (kind == null ? "" : kind) {
            case "hub" -> "downloaded from " + from + (revision == null ? "" : " (" + revision + ")") + when;
            case "import" -> "imported from " + from + when;
            default -> String.valueOf(from) + when;
        };
    }

    /**
     * Checks every recorded file of {@code folder}: present, the recorded size, the recorded checksum. Returns one
     * line per problem (empty: all good).
     */
    public List<String> verify(Path folder) {
        List<String> problems = new ArrayList<>();
        for (FileSum f : files) {
            Path p = folder.resolve(f.path());
            try {
                if (!Files.isRegularFile(p)) {
                    problems.add(f.path() + " is missing");
                    continue;
                }
                long size = Files.size(p);
                if (size != f.size()) {
                    problems.add(f.path() + " has " + size + " bytes, expected " + f.size());
                    continue;
                }
                String problem = mismatch(p, f);
                if (problem != null) problems.add(f.path() + ": " + problem);
            } catch (IOException e) {
                problems.add(f.path() + " cannot be read: " + e.getMessage());
            }
        }
        return problems;
    }

    /** Null when {@code file} matches the recorded checksum (or none is recorded), else what differs. */
    static String mismatch(Path file, FileSum f) throws IOException {
        if (f.sha256() != null) {
            String actual = sha256(file);
            return actual.equalsIgnoreCase(f.sha256()) ? null : "sha256 " + actual + ", expected " + f.sha256();
        }
        if (f.gitSha1() != null) {
            String actual = gitSha1(file);
            return actual.equalsIgnoreCase(f.gitSha1()) ? null : "git sha1 " + actual + ", expected " + f.gitSha1();
        }
        return null;
    }

    public static String sha256(Path file) throws IOException {
        return hex(digest(file, "SHA-256", null));
    }

    /** The id git (and the hub's tree API) gives a small file: sha1 of "blob SIZE\0" followed by the content. */
    public static String gitSha1(Path file) throws IOException {
        byte[] head = ("blob " + Files.size(file) + "\0").getBytes(StandardCharsets.US_ASCII);
        return hex(digest(file, "SHA-1", head));
    }

    private static byte[] digest(Path file, String alg, byte[] prefix) throws IOException {
        MessageDigest md = md(alg);
        if (prefix != null) md.update(prefix);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) >= 0; ) md.update(buf, 0, n);
        }
        return md.digest();
    }

    static MessageDigest md(String alg) {
        try {
            return MessageDigest.getInstance(alg);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b).toLowerCase(Locale.ROOT);
    }
}
