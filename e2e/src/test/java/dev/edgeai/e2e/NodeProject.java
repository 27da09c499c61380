package dev.edgeai.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeai.retrieval.Embedder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A folder under e2e/ with a package.json, a committed package-lock.json and a test script for node: the npm SDKs
 * (OpenAI JS, Vercel AI SDK) are installed from the lock file, and their scripts report "ok …" lines and the
 * embedding vectors they received, which the Java side checks.
 */
record NodeProject(Path dir) {
    /** What the SDK scripts embed; the vectors they print must be the library's MiniLM vectors of these. */
    static final List<String> TEXTS = List.of("The NPU runs small models locally.", "Edge AI workshop");

    static NodeProject at(String folder) {
        return new NodeProject(ScriptRunner.ROOT.resolve(folder));
    }

    /** `npm ci` from the lock file unless node_modules already holds the locked version of every package named. */
    void install(String... packages) throws Exception {
        var json = new ObjectMapper();
        var lock = json.readTree(dir.resolve("package-lock.json").toFile()).path("packages");
        boolean current = true;
        for (String pkg : packages) {
            Path installed = dir.resolve("node_modules/" + pkg + "/package.json");
            current &= Files.isRegularFile(installed)
                    && lock.path("node_modules/" + pkg)
                            .path("version")
                            .asText()
                            .equals(json.readTree(installed.toFile())
                                    .path("version")
                                    .asText());
        }
        if (current) return;
        var r = ScriptRunner.run(
                Map.of(),
                300,
                List.of("npm", "--prefix", dir.toString(), "ci", "--no-audit", "--no-fund", "--loglevel=error"));
        assertEquals(
                0,
                r.exitCode(),
                () -> "npm ci in " + ScriptRunner.ROOT.relativize(dir)
                        + " failed (node + npm and the npm registry are needed):\n" + r);
    }

    /** Runs one of its scripts with node. */
    ScriptRunner.Result node(String script, Map<String, String> env, int timeoutSeconds) throws Exception {
        return ScriptRunner.run(
                env, timeoutSeconds, List.of("node", dir.resolve(script).toString()));
    }

    /** The script ended well and reported every check (its "ok" lines are echoed to the test log). */
    static void assertReported(ScriptRunner.Result r, List<String> checks) {
        assertEquals(0, r.exitCode(), r::toString);
        r.stdout().lines().filter(l -> l.startsWith("ok ")).forEach(System.out::println);
        for (String check : checks) assertTrue(r.stdout().contains(check), () -> check + " missing\n" + r);
    }

    /** The "vector i […]" lines it printed are the library's MiniLM vectors of {@link #TEXTS}. */
    static void assertMiniLmVectors(ScriptRunner.Result r) throws Exception {
        List<float[]> expected = Embedder.miniLm().embedAll(TEXTS);
        var json = new ObjectMapper();
        for (int i = 0; i < TEXTS.size(); i++) {
            String prefix = "vector " + i + " ";
            String line = r.stdout()
                    .lines()
                    .filter(l -> l.startsWith(prefix))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(prefix + "missing\n" + r));
            assertArrayEquals(
                    expected.get(i), json.readValue(line.substring(prefix.length()), float[].class), "vector " + i);
        }
    }
}
