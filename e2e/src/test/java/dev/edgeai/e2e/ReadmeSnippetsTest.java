package dev.edgeai.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.testkit.Script;
import dev.edgeai.testkit.ScriptedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Snippets attendees copy out of the README run as the README says to run them. */
class ReadmeSnippetsTest {
    static final Path README = ScriptRunner.ROOT.resolve("README.md");

    /** The fenced block that follows {@code marker} in the README, without its indentation. */
    static String block(String marker, String lang) throws Exception {
        String text = Files.readString(README);
        int at = text.indexOf(marker);
        assertTrue(at >= 0, "README lacks " + marker);
        Matcher m =
                Pattern.compile("(?s)\\n( *)```" + lang + "\\n(.*?)\\n *```").matcher(text);
        assertTrue(m.find(at), "no ```" + lang + " block after " + marker);
        String indent = m.group(1);
        return m.group(2)
                .lines()
                .map(l -> l.startsWith(indent) ? l.substring(indent.length()) : l)
                .reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    void theJavaScriptSnippetRunsAsAnEsModuleWithTheOfficialSdk() throws Exception {
        String marker = "JavaScript (`npm install openai`";
        String intro =
                Files.readString(README).substring(Files.readString(README).indexOf(marker));
        assertTrue(
                intro.substring(0, 200).contains("chat.mjs"),
                "the README says how to save and run it: " + intro.substring(0, 200));
        String js = block(marker, "js");
        assertTrue(js.contains("http://127.0.0.1:5273/v1"), js);
        OpenAiJsSdkTest.installSdk();
        try (ScriptedServer server = ScriptedServer.builder()
                .model(
                        "phi-4-mini",
                        Script.builder()
                                .tokens("An", " SLM", " is", " a", " small", " model.")
                                .build())
                .start()) {
            // the same file, pointed at this test's server instead of serve.java's default port
            Path file = OpenAiJsSdkTest.JS.dir().resolve("readme-snippet.mjs"); // beside node_modules, git-ignored
            Files.writeString(file, js.replace("http://127.0.0.1:5273/v1", server.baseUrl()));
            try {
                var r = ScriptRunner.run(Map.of(), 120, List.of("node", file.toString()));
                assertEquals(0, r.exitCode(), r::toString);
                assertEquals("An SLM is a small model.", r.stdout().strip(), r::toString);
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }
}
