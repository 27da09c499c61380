package dev.edgeai.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The few files of a pinned npm package that the browser demo loads, kept in a local cache: ONNX Runtime Web
 * ({@code onnxruntime-web}, the default), and for text generation in the page the two small libraries transformers.js
 * is built from, {@link #TOKENIZERS} (tokenizer.json → ids, ids → text) and {@link #JINJA} (chat templates).
 *
 * <p>Why a cache and not the repository or the lib jar: the two ORT bundles the page uses (plain wasm, and WebGPU with
 * its wasm fallback) weigh 14 MB + 27 MB, the package tarball 33 MB (136 MB unpacked); committing them would
 * multiply the checkout's size, and attendees run the scripts with only a JDK (no npm). So each pinned tarball is
 * fetched once, verified against the sha512 {@code integrity} the npm registry publishes (the value a
 * package-lock.json records), and only its {@link Pin#files} are unpacked into {@code <cache>/ort-web/<name>-VERSION/}.
 * The tarball is taken, in order, from: that folder's parent (the file {@code npm pack <name>@VERSION} writes, e.g.
 * {@code onnxruntime-web-VERSION.tgz} — the offline route: copy it there from a USB stick), then the npm registry
 * ({@code npm_config_registry}, default registry.npmjs.org) when {@link #install} is asked to download.
 */
public final class OrtWebAssets {
    /**
     * One pinned npm package: its name, version, {@code dist.integrity}, and the files of its {@code dist/} folder
     * the page loads.
     */
    public record Pin(String name, String version, String integrity, List<String> files) {
        public Pin {
            files = List.copyOf(files);
        }

        /** The file {@code npm pack name@version} writes: {@code @scope/pkg} becomes {@code scope-pkg-VERSION.tgz}. */
        public String tarball() {
            return folder() + ".tgz";
        }

        /** Where the files are unpacked, beside the tarball. */
        public String folder() {
            return name.replaceFirst("^@", "").replace('/', '-') + "-" + version;
        }

        /** The registry's tarball path: {@code @scope/pkg/-/pkg-VERSION.tgz}. */
        String registryPath() {
            return name + "/-/" + name.substring(name.lastIndexOf('/') + 1) + "-" + version + ".tgz";
        }

        /** The shell command that writes {@link #tarball()}. */
        public String npmPack() {
            return "npm pack " + name + "@" + version;
        }

        Pin withIntegrity(String other) {
            return new Pin(name, version, other, files);
        }
    }

    public static final String VERSION = "1.30.0";
    /** {@code npm view onnxruntime-web@1.30.0 dist.integrity}. */
    public static final String INTEGRITY =
            "sha512-q0y+JrrtukXSzsBWEMccVfqX25LRmosXHF+CaRJmg8pZClzcV7svNc4rKY3jL02Vb7QmRMDs1SigqR4CXAfKYQ==";

    public static final String TARBALL = "onnxruntime-web-" + VERSION + ".tgz";
    /**
     * What the page loads: {@code ort.wasm.min.mjs} fetches the plain SIMD wasm (14 MB); {@code ort.webgpu.min.mjs}
     * fetches the asyncify build (27 MB) that holds both the WebGPU and the wasm (CPU) execution providers.
     */
    public static final List<String> FILES = List.of(
            "ort.wasm.min.mjs",
            "ort-wasm-simd-threaded.mjs",
            "ort-wasm-simd-threaded.wasm",
            "ort.webgpu.min.mjs",
            "ort-wasm-simd-threaded.asyncify.mjs",
            "ort-wasm-simd-threaded.asyncify.wasm");

    public static final Pin ORT_WEB = new Pin("onnxruntime-web", VERSION, INTEGRITY, FILES);
    /**
     * Hugging Face's tokenizers.js (zero dependencies, 37 KB minified): the tokenizer code of transformers.js, so
     * the page reads any model's tokenizer.json (byte-level BPE, Metaspace, WordPiece, ...) as Hugging Face does.
     */
    public static final Pin TOKENIZERS = new Pin(
            "@huggingface/tokenizers",
            "0.2.0",
            "sha512-LidMHe1FpcSYH4vcSjXooda34pC0M8m1gmDOv7SQi6Iv+ib1zX7J3sHBCC9/3FPCkn2k1b55FneVqMRxrr99pg==",
            List.of("tokenizers.min.mjs"));
    /** Hugging Face's Jinja for chat templates (zero dependencies), the renderer transformers.js uses. */
    public static final Pin JINJA = new Pin(
            "@huggingface/jinja",
            "0.5.11",
            "sha512-YzEzwM5oQf4r0vs7ifWQ+yuVR1YkAHrjERQ+a8WRsStHHp4NRBg+NesjiFc+X2AFUpRvvrIeHDS1xFy9jY/IjQ==",
            List.of("index.js"));

    private static final String MARKER = ".complete";

    private final Pin pin;
    private final Path dir;
    private final URI registry;

    /** @param dir where ORT-web's files are (or will be) unpacked; {@code <dir>/../TARBALL} is looked for first */
    public OrtWebAssets(Path dir, String integrity) {
        this(dir, integrity, defaultRegistry());
    }

    /** @param registry an npm registry base URL, e.g. {@code https://registry.npmjs.org/} */
    public OrtWebAssets(Path dir, String integrity, URI registry) {
        this(ORT_WEB.withIntegrity(integrity), dir, registry);
    }

    public OrtWebAssets(Pin pin, Path dir, URI registry) {
        this.pin = pin;
        this.dir = dir;
        this.registry = registry;
    }

    /** {@code $EDGEAI_ORT_WEB_DIR}, else {@code ${EDGEAI_CACHE:-${XDG_CACHE_HOME:-~/.cache}/edgeai}/ort-web/onnxruntime-web-VERSION}. */
    public static OrtWebAssets fromEnvironment() {
        String explicit = System.getenv("EDGEAI_ORT_WEB_DIR");
        if (explicit != null && !explicit.isBlank()) return new OrtWebAssets(Path.of(explicit), INTEGRITY);
        return new OrtWebAssets(defaultCache().resolve("ort-web").resolve(ORT_WEB.folder()), INTEGRITY);
    }

    /** Another pinned package in the same cache folder (and from the same registry). */
    public OrtWebAssets sibling(Pin other) {
        return new OrtWebAssets(other, dir.toAbsolutePath().getParent().resolve(other.folder()), registry);
    }

    static Path defaultCache() {
        String cache = System.getenv("EDGEAI_CACHE");
        if (cache != null && !cache.isBlank()) return Path.of(cache);
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("edgeai");
    }

    public Pin pin() {
        return pin;
    }

    public Path dir() {
        return dir;
    }

    /** Where a hand-copied tarball is picked up from. */
    public Path tarball() {
        return dir.toAbsolutePath().getParent().resolve(pin.tarball());
    }

    public boolean installed() {
        return Files.isRegularFile(dir.resolve(MARKER))
                && pin.files().stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)));
    }

    /** One of the pin's files, when installed; anything else (other names, traversal) is empty. */
    public Optional<Path> file(String name) {
        if (!pin.files().contains(name) || !installed()) return Optional.empty();
        return Optional.of(dir.resolve(name));
    }

    /** What to do when the files are missing, in one line (shown by the page). */
    public String howToInstall() {
        String what = pin.name().equals(ORT_WEB.name())
                ? "ONNX Runtime Web " + pin.version() + " is not in " + dir + ". Click \"Download\" (33 MB, once, from"
                : pin.name() + " " + pin.version() + " is not in " + dir
                        + ". Click \"Download\" (under 0.1 MB, once, from";
        return what + " the npm registry), or offline: run `" + pin.npmPack() + "` on a connected machine and copy"
                + " the .tgz to " + tarball() + " (checked against its sha512), then reload.";
    }

    /**
     * Unpacks the pin's files from the local tarball, or, if there is none and {@code download} is true, from the npm
     * registry. Verifies the whole tarball's sha512 first and replaces the folder atomically, so a half-written
     * install is never served. No-op when already installed.
     *
     * @throws IOException with a one-line reason: no tarball and no download, integrity mismatch, network failure
     */
    public synchronized void install(boolean download) throws IOException {
        if (installed()) return;
        Path local = tarball();
        if (Files.isRegularFile(local)) {
            unpack(local);
            return;
        }
        if (!download) throw new IOException("no " + local + " (run `" + pin.npmPack() + "` and copy it there)");
        Files.createDirectories(local.getParent());
        Path part = Files.createTempFile(local.getParent(), pin.tarball(), ".part");
        try {
            URI uri = registry.resolve(pin.registryPath());
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(15))
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
            HttpResponse<Path> r;
            try {
                r = http.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofMinutes(10))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofFile(part));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("download of " + uri + " interrupted", e);
            } catch (IOException e) {
                throw new IOException(
                        "cannot download " + uri + " (" + e + "); offline, copy `" + pin.npmPack() + "`'s file to "
                                + local,
                        e);
            }
            if (r.statusCode() != 200) throw new IOException("GET " + uri + " answered HTTP " + r.statusCode());
            unpack(part); // verifies first: a bad download never becomes the cached tarball
            Files.move(part, local, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** npm's own setting, {@code npm_config_registry}, else registry.npmjs.org. */
    static URI defaultRegistry() {
        String registry = Optional.ofNullable(System.getenv("npm_config_registry"))
                .filter(s -> !s.isBlank())
                .orElse("https://registry.npmjs.org/");
        return URI.create(registry.endsWith("/") ? registry : registry + "/");
    }

    private void unpack(Path tgz) throws IOException {
        String actual = integrityOf(tgz);
        if (!actual.equals(pin.integrity())) {
            throw new IOException(tgz + " is not " + pin.name() + " " + pin.version() + ": its integrity is " + actual
                    + ", expected " + pin.integrity());
        }
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, dir.getFileName() + ".unpacking");
        try {
            List<String> found = new ArrayList<>();
            Set<String> wanted = Set.copyOf(pin.files());
            try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz), 1 << 16)) {
                Tar.forEachFile(in, (name, data) -> {
                    String base = name.startsWith("package/dist/") ? name.substring("package/dist/".length()) : null;
                    if (base != null && wanted.contains(base)) {
                        Files.copy(data, tmp.resolve(base));
                        found.add(base);
                    }
                });
            }
            if (found.size() != pin.files().size()) {
                throw new IOException(tgz + " lacks "
                        + pin.files().stream().filter(f -> !found.contains(f)).toList());
            }
            Files.writeString(tmp.resolve(MARKER), pin.name() + " " + pin.version() + " " + pin.integrity() + "\n");
            deleteTree(dir);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(tmp);
        }
    }

    /** {@code sha512-<base64>}, the form of npm's {@code dist.integrity} and package-lock.json. */
    static String integrityOf(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-512"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return "sha512-"
                    + Base64.getEncoder()
                            .encodeToString(
                                    ((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(x -> {
                try {
                    Files.delete(x);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** Just enough of ustar/pax to read an npm tarball: regular files with their (possibly prefixed) names. */
    static final class Tar {
        interface FileVisitor {
            void visit(String name, InputStream data) throws IOException;
        }

        static void forEachFile(InputStream in, FileVisitor visitor) throws IOException {
            byte[] header = new byte[512];
            String paxPath = null;
            while (in.readNBytes(header, 0, 512) == 512) {
                if (isZero(header)) return;
                String name = string(header, 0, 100);
                String prefix = string(header, 345, 155);
                if (!prefix.isEmpty()) name = prefix + "/" + name;
                long size = octal(header, 124, 12);
                char type = (char) header[156];
                long padded = (size + 511) / 512 * 512;
                if (type == 'x') { // pax extended header: may carry a long path for the next entry
                    String pax = new String(in.readNBytes((int) size), java.nio.charset.StandardCharsets.UTF_8);
                    in.skipNBytes(padded - size);
                    for (String line : pax.split("\n")) {
                        int eq = line.indexOf(" path=");
                        if (eq > 0) paxPath = line.substring(eq + 6);
                    }
                    continue;
                }
                if (paxPath != null) {
                    name = paxPath;
                    paxPath = null;
                }
                if (type == '0' || type == 0) {
                    BoundedInput data = new BoundedInput(in, size);
                    visitor.visit(name, data);
                    data.skipRest();
                    in.skipNBytes(padded - size);
                } else {
                    in.skipNBytes(padded);
                }
            }
        }

        private static boolean isZero(byte[] b) {
            for (byte x : b) if (x != 0) return false;
            return true;
        }

        private static String string(byte[] b, int off, int len) {
            int end = off;
            while (end < off + len && b[end] != 0) end++;
            return new String(b, off, end - off, java.nio.charset.StandardCharsets.UTF_8);
        }

        private static long octal(byte[] b, int off, int len) {
            long v = 0;
            for (int i = off; i < off + len; i++) {
                if (b[i] >= '0' && b[i] <= '7') v = v * 8 + (b[i] - '0');
                else if (v > 0 || (b[i] != ' ' && b[i] != 0)) break;
            }
            return v;
        }
    }

    /** The current tar entry's bytes; closing it does not close the archive. */
    private static final class BoundedInput extends InputStream {
        private final InputStream in;
        private long left;

        BoundedInput(InputStream in, long size) {
            this.in = in;
            this.left = size;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) return -1;
            int b = in.read();
            if (b >= 0) left--;
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (left <= 0) return -1;
            int n = in.read(buf, off, (int) Math.min(len, left));
            if (n > 0) left -= n;
            return n;
        }

        void skipRest() throws IOException {
            in.skipNBytes(left);
            left = 0;
        }

        @Override
        public void close() {}
    }
}
