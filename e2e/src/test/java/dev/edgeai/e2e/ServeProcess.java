package dev.edgeai.e2e;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** serve.java started through ./jbang as attendees start it, its stderr kept in {@code dir/serve.err}; close() stops it. */
final class ServeProcess implements AutoCloseable {
    private final Process process;
    private final Path errFile;

    private ServeProcess(Process process, Path errFile) {
        this.process = process;
        this.errFile = errFile;
    }

    static ServeProcess start(Path dir, List<String> args) throws IOException {
        return start(dir, Map.of(), args);
    }

    /** @param env set for serve.java after the isolation below (e.g. EDGEAI_SERVE_PORT) */
    static ServeProcess start(Path dir, Map<String, String> env, List<String> args) throws IOException {
        List<String> cmd =
                new ArrayList<>(List.of(ScriptRunner.ROOT.resolve("jbang").toString()));
        cmd.addAll(args);
        Path err = dir.resolve("serve.err");
        ProcessBuilder pb =
                new ProcessBuilder(cmd).directory(ScriptRunner.ROOT.toFile()).redirectError(err.toFile());
        Map<String, String> e = pb.environment();
        e.put("EDGEAI_QUIET", "1");
        e.remove("EDGEAI_SERVE_PORT");
        e.remove("SERVE_API_KEY");
        e.put("HF_ENDPOINT", "http://127.0.0.1:" + ScriptRunner.deadPort()); // never the real hub
        e.putAll(env);
        return new ServeProcess(
                pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start(),
                err);
    }

    /** The base URL from serve.java's first stdout line ("serve.java: OpenAI-compatible endpoint at http://…/v1  (…)"). */
    String awaitUrl() throws Exception {
        String line = ScriptRunner.firstLine(process, 180);
        assertNotNull(line, () -> "serve.java printed nothing; stderr: " + err());
        assertTrue(line.startsWith("serve.java: OpenAI-compatible endpoint at "), line);
        return line.substring(line.indexOf("http://"), line.indexOf("  (")).trim();
    }

    /** The JVM running serve.java (./jbang execs it or starts it as a child), e.g. to read its memory from /proc. */
    long serverPid() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(process.toHandle()), process.descendants())
                .filter(h -> cmdline(h.pid()).contains("serve.java")
                        && cmdline(h.pid()).contains("java"))
                .filter(h -> !cmdline(h.pid()).contains("jbang.jar"))
                .mapToLong(ProcessHandle::pid)
                .max()
                .orElseThrow(() -> new AssertionError("no java process running serve.java under " + process.pid()));
    }

    private static String cmdline(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    String err() {
        try {
            return Files.readString(errFile);
        } catch (IOException e) {
            return "<none>";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
