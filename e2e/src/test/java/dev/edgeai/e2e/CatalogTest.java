package dev.edgeai.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every script has a catalog alias, and every `alias@.` the README shows resolves (attendees copy them verbatim). */
class CatalogTest {
    private static final Path ROOT = ScriptRunner.ROOT;
    private static final Pattern README_ALIAS = Pattern.compile("\\./jbang\\s+([A-Za-z0-9_-]+)@\\.");

    static Map<String, String> aliases() throws Exception {
        JsonNode catalog =
                new ObjectMapper().readTree(ROOT.resolve("jbang-catalog.json").toFile());
        Map<String, String> out = new java.util.TreeMap<>();
        catalog.path("aliases")
                .fields()
                .forEachRemaining(
                        e -> out.put(e.getKey(), e.getValue().path("script-ref").asText()));
        return out;
    }

    @Test
    void everyScriptHasAnAliasAndEveryAliasAScript() throws Exception {
        Map<String, String> aliases = aliases();
        List<String> missing = new ArrayList<>();
        try (Stream<Path> scripts = Files.list(ROOT.resolve("scripts"))) {
            for (Path s :
                    scripts.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String ref = "scripts/" + s.getFileName();
                if (!aliases.containsValue(ref)) missing.add(ref);
            }
        }
        assertEquals(List.of(), missing, "scripts without an alias in jbang-catalog.json");
        aliases.forEach(
                (alias, ref) -> assertTrue(Files.isRegularFile(ROOT.resolve(ref)), alias + " → missing " + ref));
    }

    @Test
    void everyReadmeAliasResolvesThroughJbang() throws Exception {
        Set<String> used = new TreeSet<>();
        Matcher m = README_ALIAS.matcher(Files.readString(ROOT.resolve("README.md")));
        while (m.find()) used.add(m.group(1));
        assertTrue(used.contains("rag_chat"), "README shows ./jbang rag_chat@. --help: " + used);
        Map<String, String> aliases = aliases();
        for (String alias : used) {
            assertTrue(
                    aliases.containsKey(alias), "README uses " + alias + "@. but jbang-catalog.json has no such alias");
            var r = ScriptRunner.jbang(Map.of(), alias + "@.", "--help");
            assertEquals(0, r.exitCode(), () -> alias + "@. --help: " + r);
            assertTrue(r.stdout().toLowerCase().contains("usage"), () -> alias + "@. --help printed no usage: " + r);
        }
    }
}
