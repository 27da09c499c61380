package dev.edgeai.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptSetTest {
    @TempDir
    Path dir;

    @Test
    void shippedSetsLoad() {
        Path root = Path.of("..", "data", "prompts");
        PromptSet s = PromptSet.load(root.resolve("short.jsonl"));
        assertEquals("short", s.name());
        assertEquals(8, s.prompts().size());
        assertEquals("short-1", s.prompts().get(0).id());
        PromptSet l = PromptSet.load(root.resolve("long.jsonl"));
        assertEquals(4, l.prompts().size());
        for (Prompt p : l.prompts()) assertTrue(p.prompt().split("\\s+").length > 250, p.id());
    }

    @Test
    void parsesAndSkipsBlankAndComments() throws Exception {
        Path f = dir.resolve("x.jsonl");
        Files.writeString(f, "# comment\n{\"id\":\"a\",\"prompt\":\"hi\",\"max_tokens\":8}\n\n{\"prompt\":\"yo\"}\n");
        PromptSet s = PromptSet.load(f);
        assertEquals(2, s.prompts().size());
        assertEquals(8, s.prompts().get(0).maxTokens());
        assertEquals("x-2", s.prompts().get(1).id());
        assertNull(s.prompts().get(1).maxTokens());
    }

    @Test
    void malformedLineNamesFileAndLine() throws Exception {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, "{\"id\":\"a\",\"prompt\":\"hi\"}\n{\"id\":\"b\",\"prompt\": oops}\n");
        var e = assertThrows(PromptSet.PromptSetException.class, () -> PromptSet.load(f));
        assertTrue(e.getMessage().startsWith(f + ":2: not valid JSON"), e.getMessage());
        Files.writeString(f, "{\"id\":\"a\"}\n");
        e = assertThrows(PromptSet.PromptSetException.class, () -> PromptSet.load(f));
        assertTrue(e.getMessage().contains(f + ":1:") && e.getMessage().contains("\"prompt\""), e.getMessage());
        Files.writeString(f, "{\"prompt\":\"a\",\"max_tokens\":-3}\n");
        e = assertThrows(PromptSet.PromptSetException.class, () -> PromptSet.load(f));
        assertTrue(e.getMessage().contains("max_tokens"), e.getMessage());
    }

    @Test
    void missingFileNamed() {
        Path f = dir.resolve("nope.jsonl");
        var e = assertThrows(PromptSet.PromptSetException.class, () -> PromptSet.load(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }
}
