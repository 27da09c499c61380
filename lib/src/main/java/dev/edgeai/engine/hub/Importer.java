package dev.edgeai.engine.hub;

import dev.edgeai.chat.ChatException;
import dev.edgeai.engine.ModelFolder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code models import}: a model that arrived by hand (a USB stick, a shared folder) copied into the cache where
 * every script finds it, checked on the way. Takes a model folder (either layout), a Foundry Local model folder (its
 * CPU build), a Hugging Face cache folder or snapshot, or a .zip/.tar/.tar.gz of any of them. Only the files the
 * engine loads are copied (one ONNX variant of a repo that ships several). Every file is hashed while it is copied,
 * compared with the checksums that came with it (a Hugging Face cache names its blobs by them; a folder this kit
 * downloaded carries its record), then re-read from the cache; the folder must open as a model. Nothing half-copied
 * is left behind: the copy is staged and moved into place when complete.
 */
final class Importer {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern HEX40 = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern NAME = Pattern.compile("[\\w.@+-]+(/[\\w.@+-]+)?");

    private final ModelStore store;
    private final Consumer<String> say;

    Importer(ModelStore store, Consumer<String> say) {
        this.store = store;
        this.say = say;
    }

    /** Where the source's model files are, and what is known about it. */
    private record Located(
            Path build,
            String name,
            String repo,
            String revision,
            Map<String, Provenance.FileSum> sums,
            String origin) {}

    ModelStore.Imported run(Path source, String as) {
        Path src = source.toAbsolutePath().normalize();
        if (!Files.exists(src)) throw new IllegalArgumentException(source + " does not exist");
        if (as != null && (!NAME.matcher(as).matches() || as.startsWith(".") || as.contains("/.")))
            throw new IllegalArgumentException(
                    "--as takes NAME or ORG/NAME (letters, digits, . _ - @), got '" + as + "'");
        Path staging =
                store.cache().resolve(".staging").resolve(UUID.randomUUID().toString());
        try {
            Files.createDirectories(staging);
            Located loc;
            if (Files.isRegularFile(src)) {
                if (!Archives.isArchive(src))
                    throw new IllegalArgumentException(source + " is a file; import takes a model folder or a .zip,"
                            + " .tar, .tar.gz or .tgz archive of one");
                say.accept("unpacking " + src + " ...");
                Path unpacked = staging.resolve("unpacked");
                Archives.extract(src, unpacked);
                List<Path> top = ModelStore.dirs(unpacked);
                boolean onlyFolder = top.size() == 1 && !ModelFolder.holdsModel(unpacked);
                Path root = onlyFolder ? top.get(0) : unpacked;
                loc = locate(root, onlyFolder ? top.get(0).getFileName().toString() : Archives.baseName(src));
            } else {
                loc = locate(src, src.getFileName().toString());
            }
            Path dest = destination(as, loc);
            if (Files.exists(dest)) {
                String name = store.cache().relativize(dest).toString().replace('\\', '/');
                throw new IllegalArgumentException(name + " is already in the cache (" + dest + "); remove it first"
                        + " with `./jbang scripts/models.java rm " + name
                        + "`, or import under another name with --as");
            }
            Path copy = staging.resolve("model");
            List<Provenance.FileSum> files = copy(loc, copy);
            List<String> problems = ModelStore.structure(copy);
            if (!problems.isEmpty())
                throw new IllegalArgumentException(
                        src + " does not hold a model the engine can open: " + String.join("; ", problems));
            boolean summed = files.stream().anyMatch(f -> loc.sums().containsKey(f.path()));
            String checked = summed
                    ? "copied files matched the checksums " + loc.origin() + ", then re-read from the cache"
                    : "no checksums came with it: every file was re-read from the cache and matched the source";
            Provenance.of("import", loc.repo(), loc.revision(), src.toString(), checked, files)
                    .write(copy);
            Files.createDirectories(dest.getParent());
            Files.move(copy, dest, StandardCopyOption.ATOMIC_MOVE);
            long bytes = files.stream().mapToLong(Provenance.FileSum::size).sum();
            String name = store.cache().relativize(dest).toString().replace('\\', '/');
            return new ModelStore.Imported(dest, name, dest.getFileName().toString(), files.size(), bytes, checked);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot import " + source + ": " + e.getMessage(), e);
        } finally {
            ModelStore.deleteTree(staging);
        }
    }

    /** Understands what the source is: a Hugging Face cache folder or snapshot, a model folder, a Foundry folder. */
    private Located locate(Path root, String fallbackName) throws IOException {
        String rootName = root.getFileName().toString();
        if (rootName.startsWith("models--") && Files.isDirectory(root.resolve("snapshots"))) {
            Path snapshot = snapshot(root);
            return hf(snapshot, rootName);
        }
        Path parent = root.getParent();
        if (parent != null
                && parent.getFileName() != null
                && parent.getFileName().toString().equals("snapshots")
                && parent.getParent() != null
                && parent.getParent().getFileName().toString().startsWith("models--")) {
            return hf(root, parent.getParent().getFileName().toString());
        }
        List<Path> hfModels = ModelStore.dirs(root).stream()
                .filter(d -> d.getFileName().toString().startsWith("models--"))
                .toList();
        if (!hfModels.isEmpty() && !ModelFolder.holdsModel(root)) {
            if (hfModels.size() == 1)
                return hf(
                        snapshot(hfModels.get(0)), hfModels.get(0).getFileName().toString());
            throw new IllegalArgumentException(root + " is a Hugging Face cache with several models ("
                    + String.join(
                            ", ",
                            hfModels.stream()
                                    .map(p -> p.getFileName().toString())
                                    .toList())
                    + "); import one of them");
        }
        ModelFolder.Build b = pick(root);
        Provenance p = Provenance.read(b.folder());
        if (p == null) p = Provenance.read(root);
        Map<String, Provenance.FileSum> sums = new HashMap<>();
        if (p != null) for (Provenance.FileSum f : p.files()) sums.put(f.path(), f);
        String name =
                b.folder().equals(root) ? fallbackName : root.getFileName().toString();
        return new Located(
                b.folder(),
                name,
                p == null ? null : p.repo(),
                p == null ? null : p.revision(),
                sums,
                "this kit recorded when it downloaded it");
    }

    private ModelFolder.Build pick(Path folder) {
        try {
            ModelFolder.Build b = ModelFolder.pickBuild(folder);
            if (b.note() != null) say.accept(b.note());
            return b;
        } catch (ChatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** A Hugging Face snapshot: files are links to blobs named by their sha256 (git sha1 for small files). */
    private Located hf(Path snapshot, String cacheName) throws IOException {
        String repo = cacheName.substring("models--".length()).replace("--", "/");
        ModelFolder.Build b = pick(snapshot);
        Map<String, Provenance.FileSum> sums = new HashMap<>();
        try (Stream<Path> s = Files.walk(b.folder())) {
            for (Path f : s.filter(Files::isSymbolicLink).toList()) {
                String blob = Files.readSymbolicLink(f).getFileName().toString();
                String rel = b.folder().relativize(f).toString().replace('\\', '/');
                long size = Files.size(f);
                if (HEX64.matcher(blob).matches()) sums.put(rel, new Provenance.FileSum(rel, size, blob, null));
                else if (HEX40.matcher(blob).matches()) sums.put(rel, new Provenance.FileSum(rel, size, null, blob));
            }
        }
        String revision = snapshot.getFileName().toString();
        return new Located(
                b.folder(),
                repo.substring(repo.indexOf('/') + 1),
                repo,
                revision,
                sums,
                "of the Hugging Face cache (its blob names)");
    }

    /** refs/main's snapshot, else the only (or newest) one. */
    private static Path snapshot(Path hfModel) throws IOException {
        Path ref = hfModel.resolve("refs/main");
        if (Files.isRegularFile(ref)) {
            Path s = hfModel.resolve("snapshots").resolve(Files.readString(ref).strip());
            if (Files.isDirectory(s)) return s;
        }
        List<Path> all = ModelStore.dirs(hfModel.resolve("snapshots"));
        if (all.isEmpty()) throw new IllegalArgumentException(hfModel + " has no snapshot to import");
        return all.stream()
                .max(Comparator.comparing(p -> p.toFile().lastModified()))
                .orElseThrow();
    }

    /**
     * Where the model goes: --as; the hub repo it is (known from its record or a Hugging Face cache); the catalog
     * repo when its folder is named like one (so a USB copy of Qwen2.5-0.5B-Instruct is the default model); else
     * local/NAME.
     */
    private Path destination(String as, Located loc) {
        if (as != null)
            return as.contains("/")
                    ? store.cache().resolve(as)
                    : store.cache().resolve(ModelStore.LOCAL).resolve(as);
        if (loc.repo() != null) return store.cacheFolder(loc.repo());
        for (ModelStore.Suggested s : ModelStore.CATALOG)
            if (s.baseName().equalsIgnoreCase(loc.name())) return store.cacheFolder(s.repo());
        return store.cache().resolve(ModelStore.LOCAL).resolve(loc.name());
    }

    /** Copies the files the engine loads, checking each (see the class comment); returns what was copied. */
    private List<Provenance.FileSum> copy(Located loc, Path into) throws IOException {
        List<HubFile> listed = new ArrayList<>();
        try (Stream<Path> s = Files.walk(loc.build())) {
            for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                String rel = loc.build().relativize(f).toString().replace('\\', '/');
                if (rel.startsWith(".") || rel.contains("/.") || rel.endsWith(".part") || rel.endsWith(".lock"))
                    continue;
                listed.add(new HubFile(rel, Files.size(f), null, null));
            }
        }
        HubDownloader.Selection sel;
        try {
            sel = store.downloader().select(listed, loc.name());
        } catch (ChatException e) {
            throw new IllegalArgumentException(loc.build() + ": " + e.getMessage(), e);
        }
        List<Provenance.FileSum> out = new ArrayList<>();
        long total = sel.files().stream().mapToLong(HubFile::size).sum();
        say.accept("copying " + sel.files().size() + " files (" + ModelStore.size(total) + ") from " + loc.build());
        for (HubFile f : sel.files()) {
            String rel = sel.localName(f);
            Path from = loc.build().resolve(f.path());
            Path to = into.resolve(rel);
            Files.createDirectories(to.getParent());
            Provenance.FileSum expected = loc.sums().get(f.path());
            MessageDigest sha256 = Provenance.md("SHA-256");
            MessageDigest sha1 = expected != null && expected.sha256() == null && expected.gitSha1() != null
                    ? Provenance.md("SHA-1")
                    : null;
            if (sha1 != null) sha1.update(("blob " + f.size() + "\0").getBytes(StandardCharsets.US_ASCII));
            try (InputStream in = Files.newInputStream(from);
                    OutputStream o = Files.newOutputStream(to)) {
                byte[] buf = new byte[1 << 20];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    sha256.update(buf, 0, n);
                    if (sha1 != null) sha1.update(buf, 0, n);
                    o.write(buf, 0, n);
                }
            }
            String got = Provenance.hex(sha256.digest());
            if (expected != null) {
                String want = expected.sha256() != null ? expected.sha256() : expected.gitSha1();
                String have = expected.sha256() != null ? got : Provenance.hex(sha1.digest());
                if (want != null && !want.equalsIgnoreCase(have))
                    throw new IllegalArgumentException(from + " does not match its checksum " + loc.origin() + " ("
                            + have + ", expected " + want + "): the source copy is damaged; copy it again");
            }
            String reread = Provenance.sha256(to);
            if (!reread.equals(got))
                throw new IllegalArgumentException(
                        to + " reads back differently from what was written: the disk holding " + store.cache()
                                + " has a problem");
            out.add(new Provenance.FileSum(rel, Files.size(to), got, null));
        }
        return out;
    }
}
