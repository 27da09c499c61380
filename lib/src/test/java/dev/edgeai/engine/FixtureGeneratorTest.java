package dev.edgeai.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed fixtures are exactly what tools/fixtures/make_fixtures.py writes (seeded), so the script, not a
 * binary blob, is their source. Needs Debian's python3-onnx and python3-numpy (.ci/run installs them).
 */
class FixtureGeneratorTest {
    static final Path SCRIPT = Path.of("../tools/fixtures/make_fixtures.py");
    static final List<Path> GENERATED =
            List.of(Fixtures.QWEN_Q4, Fixtures.QWEN_GENAI.getParent(), Fixtures.PHI_GENAI.getParent());

    @Test
    void scriptRebuildsTheCommittedFixturesByteForByte(@TempDir Path out) throws Exception {
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Process p = new ProcessBuilder(python, SCRIPT.toString(), "--out", out.toString())
                .redirectErrorStream(true)
                .start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "generator timed out");
        assertEquals(0, p.exitValue(), "make_fixtures.py failed (needs python3-onnx and python3-numpy):\n" + log);
        int files = 0;
        for (Path fixture : GENERATED) {
            Path rebuilt = out.resolve(fixture.getFileName());
            try (Stream<Path> s = Files.walk(fixture)) {
                for (Path f : s.filter(Files::isRegularFile).toList()) {
                    Path g = rebuilt.resolve(fixture.relativize(f).toString());
                    assertTrue(Files.exists(g), "the script no longer writes " + f);
                    assertEquals(
                            -1L,
                            Files.mismatch(f, g),
                            f + " differs from what the script writes; rerun tools/fixtures/make_fixtures.py");
                    files++;
                }
            }
            try (Stream<Path> s = Files.walk(rebuilt)) {
                for (Path g : s.filter(Files::isRegularFile).toList())
                    assertTrue(
                            Files.exists(fixture.resolve(rebuilt.relativize(g).toString())), "not committed: " + g);
            }
        }
        assertTrue(files >= 17, "files compared: " + files);
    }
}
