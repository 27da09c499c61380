package dev.edgeai.engine.hub;

import static org.junit.jupiter.api.Assertions.*;

import dev.edgeai.chat.ChatException;
import dev.edgeai.engine.LoadedModel;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code models import} on the fixture models, copied the ways they reach a workshop: folders, caches, archives. */
class ModelImportTest {
    static final Path QWEN = Path.of("../testdata/models/tiny-random-qwen2.5-instruct-q4");
    static final Path PHI = Path.of("../testdata/models/tiny-random-phi-4-mini-instruct-generic-cpu");

    @TempDir
    Path tmp;

    Path cache;
    ModelStore store;
    final List<String> said = new ArrayList<>();

    @BeforeEach
    void store() {
        cache = tmp.resolve("cache");
        // a dead hub: nothing here may touch the network
        store = new ModelStore(
                cache, tmp.resolve("foundry"), new HubDownloader(URI.create("http://127.0.0.1:9"), null, false, ""));
    }

    @Test
    void aCopiedFolderIsCheckedPlacedAndFoundByName() throws Exception {
        Path usb = copy(QWEN, tmp.resolve("usb/tiny-random-qwen2.5-instruct-q4"));
        ModelStore.Imported i = store.importFrom(usb, null, said::add);
        assertEquals("local/tiny-random-qwen2.5-instruct-q4", i.name());
        assertEquals("tiny-random-qwen2.5-instruct-q4", i.id());
        assertEquals(cache.resolve("local/tiny-random-qwen2.5-instruct-q4"), i.folder());
        assertTrue(Files.isRegularFile(i.folder().resolve("onnx/model_q4.onnx")));
        assertFalse(Files.exists(i.folder().resolve("SOURCE.txt")), "only what the engine loads is copied");
        Provenance p = Provenance.read(i.folder());
        assertEquals("import", p.kind());
        assertEquals(usb.toAbsolutePath().normalize().toString(), p.from());
        assertEquals(
                Provenance.sha256(QWEN.resolve("onnx/model_q4.onnx")),
                p.files().stream()
                        .filter(f -> f.path().equals("onnx/model_q4.onnx"))
                        .findFirst()
                        .orElseThrow()
                        .sha256());
        assertEquals(i.folder(), store.resolve("tiny-random-qwen2.5-instruct-q4"), "found by its name");
        assertEquals(List.of(), store.verify(store.entry("tiny-random-qwen2.5-instruct-q4")));
        try (LoadedModel m = LoadedModel.load(store.resolve("tiny-random-qwen2.5-instruct-q4"))) {
            assertEquals("tiny-random-qwen2.5-instruct-q4", m.id());
        }
        IllegalArgumentException again =
                assertThrows(IllegalArgumentException.class, () -> store.importFrom(usb, null, said::add));
        assertTrue(
                again.getMessage().contains("already in the cache")
                        && again.getMessage().contains("rm"),
                again.getMessage());
        try (Stream<Path> s = Files.list(cache.resolve(".staging"))) {
            assertEquals(0, s.count(), "no staging left behind");
        }
    }

    @Test
    void aFolderNamedLikeADefaultModelBecomesThatModel() throws Exception {
        Path usb = copy(QWEN, tmp.resolve("usb/Qwen2.5-0.5B-Instruct"));
        ModelStore.Imported i = store.importFrom(usb, null, said::add);
        assertEquals(ModelStore.DEFAULT_SLM_REPO, i.name());
        assertEquals(i.folder(), store.resolve(ModelStore.DEFAULT_SLM_REPO), "the default run finds it offline");
        assertEquals(i.folder(), store.resolve("qwen2.5-0.5b"), "and so does its catalog name");
    }

    @Test
    void aFoundryModelFolderImportsItsCpuBuild() throws Exception {
        Path foundry = copy(PHI, tmp.resolve("usb/Phi-4-mini-instruct-generic-cpu"));
        Files.createDirectories(foundry.resolve("cuda-fp16")); // another build, no files: ignored
        Files.writeString(foundry.resolve("cuda-fp16/genai_config.json"), "{}");
        ModelStore.Imported i = store.importFrom(foundry, null, said::add);
        assertEquals("local/Phi-4-mini-instruct-generic-cpu", i.name());
        assertTrue(Files.isRegularFile(i.folder().resolve("genai_config.json")), "the build's files, flattened");
        assertTrue(
                said.stream().anyMatch(l -> l.contains("using the CPU build cpu-int4-rtn-block-32-acc-level-4")),
                said::toString);
        try (LoadedModel m = LoadedModel.load(i.folder())) {
            assertEquals("Phi-4-mini-instruct-generic-cpu", m.id());
        }
    }

    @Test
    void aHuggingFaceSnapshotIsCheckedAgainstItsBlobNames() throws Exception {
        Path hf = tmp.resolve("hub/models--acme--tiny-qwen");
        Path snap = hf.resolve("snapshots/0123abcd");
        Files.createDirectories(hf.resolve("blobs"));
        Files.createDirectories(snap.resolve("onnx"));
        Files.createDirectories(hf.resolve("refs"));
        Files.writeString(hf.resolve("refs/main"), "0123abcd");
        try (Stream<Path> s = Files.walk(QWEN)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                String sha = Provenance.sha256(f);
                Files.copy(f, hf.resolve("blobs").resolve(sha));
                Path link = snap.resolve(QWEN.relativize(f).toString());
                Files.createDirectories(link.getParent());
                Files.createSymbolicLink(
                        link, link.getParent().relativize(hf.resolve("blobs").resolve(sha)));
            }
        }
        ModelStore.Imported i = store.importFrom(hf, null, said::add);
        assertEquals("acme/tiny-qwen", i.name(), "the repo it is, from the cache folder's name");
        assertTrue(i.checked().contains("Hugging Face cache"), i.checked());
        assertEquals("0123abcd", Provenance.read(i.folder()).revision());
        store.remove(store.entry("acme/tiny-qwen"));

        // a damaged blob (a bad USB stick) is caught while copying, and nothing lands in the cache
        String sha = Provenance.sha256(QWEN.resolve("tokenizer.json"));
        Path blob = hf.resolve("blobs").resolve(sha);
        byte[] b = Files.readAllBytes(blob);
        b[100] ^= 1;
        Files.write(blob, b);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> store.importFrom(snap, null, said::add));
        assertTrue(e.getMessage().contains("tokenizer.json") && e.getMessage().contains("damaged"), e.getMessage());
        assertFalse(Files.exists(cache.resolve("acme/tiny-qwen")));
    }

    @Test
    void zipAndTarGzArchivesImport() throws Exception {
        Path zip = tmp.resolve("usb/qwen.zip");
        Files.createDirectories(zip.getParent());
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip));
                Stream<Path> s = Files.walk(QWEN)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                z.putNextEntry(new ZipEntry(
                        "tiny-qwen/" + QWEN.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, z);
                z.closeEntry();
            }
        }
        assertEquals("local/tiny-qwen", store.importFrom(zip, null, said::add).name(), "named by its top folder");

        Path tgz = tmp.resolve("usb/phi-build.tar.gz");
        writeTarGz(PHI.resolve("cpu-int4-rtn-block-32-acc-level-4"), tgz);
        ModelStore.Imported i = store.importFrom(tgz, "acme/phi", said::add);
        assertEquals("acme/phi", i.name());
        try (LoadedModel m = LoadedModel.load(i.folder())) {
            assertEquals("phi", m.id());
        }
    }

    @Test
    void whatIsNotAModelIsRefusedInOneLine() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("usb/notes/docs"));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> store.importFrom(empty.getParent(), null, said::add));
        assertTrue(e.getMessage().contains("no model in") && e.getMessage().contains("docs/"), e.getMessage());
        Path file = Files.writeString(tmp.resolve("usb/model.txt"), "x");
        e = assertThrows(IllegalArgumentException.class, () -> store.importFrom(file, null, said::add));
        assertTrue(e.getMessage().contains(".zip"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> store.importFrom(tmp.resolve("nope"), null, said::add));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> store.importFrom(QWEN, "../escape", said::add));
        assertTrue(e.getMessage().contains("--as"), e.getMessage());
        Path evil = tmp.resolve("usb/evil.tar.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(evil))) {
            o.write(tarHeader("../../outside.txt", 1, '0'));
            o.write(new byte[512]);
            o.write(new byte[1024]);
        }
        Exception ex = assertThrows(Exception.class, () -> store.importFrom(evil, null, said::add));
        assertTrue(ex.getMessage().contains("outside"), ex.getMessage());
        assertFalse(Files.exists(tmp.resolve("outside.txt")));
    }

    @Test
    void foundryPublisherFolderWithSeveralModelsAsksForOne() throws Exception {
        Path publisher = tmp.resolve("foundry/Microsoft");
        copy(PHI, publisher.resolve("Phi-4-mini-instruct-generic-cpu"));
        copy(PHI, publisher.resolve("Other-model-generic-cpu"));
        ChatException e = assertThrows(ChatException.class, () -> store.resolve(publisher.toString()));
        assertTrue(
                e.getMessage().contains("several models") && e.getMessage().contains("Other-model-generic-cpu/"),
                e.getMessage());
    }

    static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path f : s.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(t);
                else Files.copy(f, t);
            }
        }
        return to;
    }

    /** A tar.gz as `tar czf` writes it: entries under the folder's own name. */
    static void writeTarGz(Path folder, Path tgz) throws IOException {
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(tgz));
                Stream<Path> s = Files.walk(folder)) {
            String top = folder.getFileName().toString();
            for (Path f : s.sorted().toList()) {
                String name = top + "/" + folder.relativize(f).toString().replace('\\', '/');
                if (Files.isDirectory(f)) {
                    o.write(tarHeader(name.endsWith("/") ? name : name + "/", 0, '5'));
                } else {
                    byte[] b = Files.readAllBytes(f);
                    o.write(tarHeader(name, b.length, '0'));
                    o.write(b);
                    o.write(new byte[(512 - b.length % 512) % 512]);
                }
            }
            o.write(new byte[1024]);
        }
    }

    static byte[] tarHeader(String name, long size, char type) {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, h, 0, Math.min(100, n.length));
        put(h, 100, String.format("%07o", 0644));
        put(h, 108, String.format("%07o", 0));
        put(h, 116, String.format("%07o", 0));
        put(h, 124, String.format("%011o", size));
        put(h, 136, String.format("%011o", 0));
        h[156] = (byte) type;
        put(h, 257, "ustar");
        put(h, 263, "00");
        for (int i = 148; i < 156; i++) h[i] = ' ';
        long sum = 0;
        for (byte x : h) sum += x & 0xff;
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }
}
