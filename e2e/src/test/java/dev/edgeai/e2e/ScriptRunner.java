package dev.edgeai.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a workshop script the way attendees do — `./jbang scripts/x.java args` — in a child process. */
final class ScriptRunner {
    /** The repository root: surefire runs e2e tests with e2e/ as working directory. */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    record Result(int exitCode, String stdout, String stderr, long millis) {
        /**
         * Without JBang's own "[jbang] Resolving dependencies / Building jar" lines, which appear only when a script
         * is (re)compiled: whether that happens depends on which test ran the script first, not on the script.
         */
        Result withoutJbangChatter() {
            String err = stderr.lines()
                    .filter(l -> !l.startsWith("[jbang] "))
                    .collect(java.util.stream.Collectors.joining("\n", "", stderr.endsWith("\n") ? "\n" : ""));
            return new Result(exitCode, stdout, err, millis);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + " after " + millis + " ms\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    private ScriptRunner() {}

    static Result jbang(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return jbang(180, env, args);
    }

    /** With a longer limit, for scripts that drive slow tools (headless Chromium on a loaded machine). */
    static Result jbang(long timeoutS, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ROOT.resolve("jbang").toString());
        cmd.addAll(List.of(args));
        Map<String, String> e = new java.util.HashMap<>();
        e.put("EDGEAI_QUIET", "1");
        // No model hub at test time: downloads go to a dead port, into a throwaway cache.
        e.put("HF_ENDPOINT", "http://127.0.0.1:" + deadPort());
        e.put("EDGEAI_MODEL_CACHE", ROOT.resolve("e2e/target/model-cache").toString());
        e.putAll(env);
        return run(e, timeoutS, cmd).withoutJbangChatter();
    }

    /** Runs a command from the repository root, isolated from whatever model servers the developer runs. */
    static Result run(Map<String, String> env, long timeoutS, List<String> cmd)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile());
        Map<String, String> e = pb.environment();
        // Isolate from whatever the developer runs: no real endpoints, no Foundry CLI, Ollama and serve.java on dead
        // ports.
        e.remove("OPENAI_BASE_URL");
        e.remove("FOUNDRY_LOCAL_ENDPOINT");
        e.remove("OPENAI_API_KEY");
        e.put("OLLAMA_HOST", "127.0.0.1:" + deadPort());
        e.put("EDGEAI_SERVE_PORT", String.valueOf(deadPort())); // nor a serve.java someone runs on 5273
        e.putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        CompletableFuture<String> out = read(p.getInputStream());
        CompletableFuture<String> err = read(p.getErrorStream());
        if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish in " + timeoutS + " s\n" + out.getNow("")
                    + err.getNow(""));
        }
        return new Result(p.exitValue(), out.join(), err.join(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** The first line a long-running script prints on stdout (its URL), or null when it printed none within timeoutS. */
    static String firstLine(Process p, long timeoutS) throws Exception {
        var reader =
                new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        return CompletableFuture.supplyAsync(() -> {
                    try {
                        return reader.readLine();
                    } catch (IOException e) {
                        return null;
                    }
                })
                .get(timeoutS, TimeUnit.SECONDS);
    }

    private static CompletableFuture<String> read(java.io.InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException ex) {
                return "<unreadable: " + ex + ">";
            }
        });
    }

    static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A fixture model folder shipped with lib's tests (random weights: gibberish text, real mechanics). */
    static Path fixture(String name) {
        return ROOT.resolve("testdata/models").resolve(name);
    }

    static List<Path> jsonFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (var s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".json")).toList();
        }
    }
}
