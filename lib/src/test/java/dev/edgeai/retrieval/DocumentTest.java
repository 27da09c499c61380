package dev.edgeai.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentTest {
    @TempDir
    Path root;

    @TempDir
    Path outside;

    @Test
    void loadsMarkdownAndTextRecursivelySortedSkippingHiddenAndOtherFiles() throws Exception {
        Files.createDirectories(root.resolve("b/sub"));
        Files.createDirectories(root.resolve(".index"));
        Files.writeString(root.resolve("b/sub/z.md"), "z");
        Files.writeString(root.resolve("a.txt"), "a é");
        Files.writeString(root.resolve("b/c.MD"), "c");
        Files.writeString(root.resolve(".hidden.md"), "h");
        Files.writeString(root.resolve(".index/chunks.md"), "cache");
        Files.writeString(root.resolve("notes.pdf"), "pdf");
        List<Document> docs = Document.loadFolder(root);
        assertEquals(
                List.of("a.txt", "b/c.MD", "b/sub/z.md"),
                docs.stream().map(Document::source).toList());
        assertEquals("a é", docs.get(0).text());
        assertEquals(4, docs.get(0).size(), "size counts bytes");
    }

    @Test
    void skipsSymlinksThatLeaveTheRoot() throws Exception {
        Files.writeString(outside.resolve("secret.md"), "secret");
        Files.writeString(root.resolve("ok.md"), "ok");
        Files.createSymbolicLink(root.resolve("link.md"), outside.resolve("secret.md"));
        assertEquals(
                List.of("ok.md"),
                Document.loadFolder(root).stream().map(Document::source).toList());
        assertThrows(IllegalArgumentException.class, () -> Document.load(root, root.resolve("link.md")));
        assertThrows(
                IllegalArgumentException.class,
                () -> Document.load(root, Path.of("../" + outside.getFileName() + "/secret.md")));
        Files.delete(root.resolve("link.md")); // @TempDir cleanup warns about links that leave it
    }

    @Test
    void uploadNamesMustStayInside() {
        for (String bad : List.of("../x.md", "/etc/passwd", "a/../../x.md", "", "C:\\x.md", "a//b.md"))
            assertThrows(IllegalArgumentException.class, () -> Document.of(bad, "x"), bad);
        assertEquals("uploads/x.md", Document.of("uploads\\x.md", "x").source());
    }

    @Test
    void hashChangesWithContent() {
        assertEquals(Document.of("a.md", "x").sha256(), Document.of("b.md", "x").sha256());
        assertEquals(64, Document.of("a.md", "x").sha256().length());
        org.junit.jupiter.api.Assertions.assertNotEquals(
                Document.of("a.md", "x").sha256(), Document.of("a.md", "y").sha256());
    }
}
