package dev.edgeai.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.edgeai.engine.hub.ModelStore;
import dev.edgeai.engine.hub.Provenance;
import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunResult;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first five minutes of a new user, offline or not, through ./jbang as attendees run the scripts: the offline
 * start that names the next steps, models staged from a USB stick, a Foundry Local model folder, a busy port, clean
 * output, --version and --help.
 */
class FirstMinutesScriptTest {
    static final String QWEN = "tiny-random-qwen2.5-instruct-q4";
    static final String PHI = "tiny-random-phi-4-mini-instruct-generic-cpu";

    @TempDir
    Path tmp;

    Map<String, String> cache() {
        return Map.of("EDGEAI_MODEL_CACHE", tmp.resolve("cache").toString());
    }

    /** Output people read: no JDK native-access warning, no CUDA probe, no stack trace. */
    static void clean(ScriptRunner.Result r) {
        for (String bad : List.of("WARNING", "CUDA", "Failed to detect GPU", "\tat ", "Exception in thread")) {
            assertFalse(r.stdout().contains(bad) || r.stderr().contains(bad), () -> "'" + bad + "' in\n" + r);
        }
    }

    static List<String> errorLines(ScriptRunner.Result r) {
        return r.stderr().lines().filter(l -> l.startsWith("error:")).toList();
    }

    /** A stand-in for the hub behind a proxy that cannot reach it (HF_ENDPOINT points here). */
    static HttpServer unreachableHub() throws IOException {
        HttpServer hub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hub.createContext("/", ex -> send(ex, 502, "502 Bad Gateway: huggingface.co is unreachable"));
        hub.start();
        return hub;
    }

    @Test
    void offlineStartNamesBothModelsTheirFilesTheImportAndTwoWaysToTryNow() throws Exception {
        HttpServer hub = unreachableHub();
        try {
            String endpoint = "http://127.0.0.1:" + hub.getAddress().getPort();
            Map<String, String> env = new TreeMap<>(cache());
            env.put("HF_ENDPOINT", endpoint);
            var compare = ScriptRunner.jbang(env, "scripts/model_compare.java");
            assertEquals(1, compare.exitCode(), compare::toString);
            clean(compare);
            List<String> errors = errorLines(compare);
            assertEquals(1, errors.size(), compare::toString);
            assertTrue(
                    errors.get(0).contains(ModelStore.DEFAULT_SLM_REPO + " and " + ModelStore.DEFAULT_LLM_REPO)
                            && errors.get(0).contains("HTTP 502"),
                    errors.get(0));
            String err = compare.stderr();
            for (String repo : List.of(ModelStore.DEFAULT_SLM_REPO, ModelStore.DEFAULT_LLM_REPO)) {
                assertTrue(err.contains(endpoint + "/" + repo + "/resolve/main/onnx/model_q4.onnx"), err);
                assertTrue(err.contains(endpoint + "/" + repo + "/resolve/main/tokenizer.json"), err);
                assertTrue(err.contains(tmp.resolve("cache").resolve(repo) + "/"), "the folder it goes in: " + err);
            }
            assertTrue(err.contains("./jbang scripts/models.java import /media/usb/Qwen2.5-0.5B-Instruct"), err);
            String tiny = "./jbang scripts/model_compare.java --model-slm testdata/models/" + QWEN
                    + " --model-llm testdata/models/" + PHI;
            assertTrue(err.contains(tiny), err);
            assertTrue(err.contains("./jbang scripts/fake_server.java --port 8099"), err);
            assertTrue(err.contains("./jbang scripts/model_compare.java --endpoint http://127.0.0.1:8099/v1"), err);

            // the command it prints works as pasted, offline
            var tried = ScriptRunner.jbang(
                    env,
                    (tiny.substring("./jbang ".length()) + " --rounds 1 --warmup 0" + " --max-tokens 4 --out "
                                    + tmp.resolve("results"))
                            .split(" "));
            assertEquals(0, tried.exitCode(), tried::toString);
            clean(tried);
            assertTrue(tried.stderr().contains("using its build cpu-int4-rtn-block-32-acc-level-4"), tried::toString);

            // serve.java and rag_chat say the same, with their own commands
            var serve = ScriptRunner.jbang(env, "scripts/serve.java", "--port", "0");
            assertEquals(1, serve.exitCode(), serve::toString);
            clean(serve);
            assertEquals(errors.get(0), errorLines(serve).get(0), "the same line: " + serve);
            assertTrue(
                    serve.stderr().contains("./jbang scripts/serve.java --model testdata/models/" + QWEN),
                    serve::toString);
            assertTrue(serve.stderr().contains("./jbang scripts/models.java import /media/usb/Qwen2.5-1.5B-Instruct"));
            var rag = ScriptRunner.jbang(env, "scripts/rag_chat.java", "--port", "0");
            assertEquals(1, rag.exitCode(), rag::toString);
            clean(rag);
            assertTrue(
                    errorLines(rag).get(0).contains("the model " + ModelStore.DEFAULT_SLM_REPO + " is not in"),
                    rag::toString);
            assertTrue(
                    rag.stderr().contains("./jbang scripts/rag_chat.java --model testdata/models/" + QWEN),
                    rag::toString);
            assertTrue(
                    rag.stderr().contains("./jbang scripts/rag_chat.java --endpoint http://127.0.0.1:8099/v1"),
                    rag::toString);
        } finally {
            hub.stop(0);
        }
    }

    @Test
    void aCopiedFolderIsImportedAndModelCompareFindsItByName() throws Exception {
        Path usb = copy(ScriptRunner.fixture(QWEN), tmp.resolve("usb").resolve(QWEN));
        Path foundry = copy(ScriptRunner.fixture(PHI), tmp.resolve("usb/Phi-4-mini-instruct-generic-cpu"));
        var imported = ScriptRunner.jbang(cache(), "scripts/models.java", "import", usb.toString());
        assertEquals(0, imported.exitCode(), imported::toString);
        assertTrue(imported.stdout().contains("imported " + usb + " as local/" + QWEN), imported::toString);
        var parent = ScriptRunner.jbang(cache(), "scripts/models.java", "import", foundry.toString());
        assertEquals(0, parent.exitCode(), parent::toString);
        assertTrue(parent.stderr().contains("using its build cpu-int4-rtn-block-32-acc-level-4"), parent::toString);
        var again = ScriptRunner.jbang(cache(), "scripts/models.java", "import", usb.toString());
        assertEquals(1, again.exitCode(), again::toString);
        assertEquals(1, errorLines(again).size(), again::toString);
        assertTrue(errorLines(again).get(0).contains("already in the cache"), again::toString);

        Path out = tmp.resolve("results");
        var r = ScriptRunner.jbang(
                cache(),
                "scripts/model_compare.java",
                "--model-slm",
                QWEN,
                "--model-llm",
                "Phi-4-mini-instruct-generic-cpu",
                "--rounds",
                "1",
                "--warmup",
                "0",
                "--max-tokens",
                "4",
                "--out",
                out.toString());
        assertEquals(0, r.exitCode(), r::toString);
        clean(r);
        RunResult res = ResultsFile.read(ScriptRunner.jsonFiles(out).get(0));
        assertEquals(
                List.of(QWEN, "Phi-4-mini-instruct-generic-cpu"), res.meta().models());

        var list = ScriptRunner.jbang(cache(), "scripts/models.java", "list", "--no-server");
        assertEquals(0, list.exitCode(), list::toString);
        assertTrue(
                list.stdout().contains("local/" + QWEN) && list.stdout().contains("imported from " + usb),
                list::toString);
        assertTrue(
                list.stdout().contains("qwen2.5-0.5b = " + ModelStore.DEFAULT_SLM_REPO + ": missing"), list::toString);

        Path tokenizer = tmp.resolve("cache/local").resolve(QWEN).resolve("tokenizer_config.json");
        Files.writeString(tokenizer, Files.readString(tokenizer).replace('{', '['));
        var verify = ScriptRunner.jbang(cache(), "scripts/models.java", "verify");
        assertEquals(1, verify.exitCode(), verify::toString);
        assertTrue(
                verify.stdout().contains("FAIL  local/" + QWEN + ": tokenizer_config.json: sha256"), verify::toString);
        assertTrue(verify.stdout().contains("ok    local/Phi-4-mini-instruct-generic-cpu"), verify::toString);

        var rm = ScriptRunner.jbang(cache(), "scripts/models.java", "rm", QWEN);
        assertEquals(0, rm.exitCode(), rm::toString);
        assertFalse(Files.exists(tmp.resolve("cache/local").resolve(QWEN)));
        var gone = ScriptRunner.jbang(cache(), "scripts/models.java", "rm", QWEN);
        assertEquals(1, gone.exitCode(), gone::toString);
        assertTrue(errorLines(gone).get(0).contains("no model '" + QWEN + "'"), gone::toString);
    }

    @Test
    void pullShowsALinePerFileInAPipeChecksTheHubsChecksumsAndSaysWhatToDoOffline() throws Exception {
        Path fixture = ScriptRunner.fixture(QWEN);
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(fixture)) {
            for (Path f : s.filter(Files::isRegularFile).toList())
                files.put(fixture.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
        }
        HttpServer hub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hub.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            if (path.startsWith("/api/models/acme/tiny-qwen/tree/main")) {
                StringBuilder sb = new StringBuilder("[");
                for (var e : files.entrySet()) {
                    if (sb.length() > 1) sb.append(',');
                    sb.append("{\"type\":\"file\",\"path\":\"")
                            .append(e.getKey())
                            .append("\",\"size\":")
                            .append(e.getValue().length)
                            .append(",\"lfs\":{\"oid\":\"")
                            .append(sha256(e.getValue()))
                            .append("\",\"size\":")
                            .append(e.getValue().length)
                            .append("}}");
                }
                send(ex, 200, sb.append(']').toString());
            } else if (path.startsWith("/acme/tiny-qwen/resolve/main/")
                    && files.containsKey(path.substring("/acme/tiny-qwen/resolve/main/".length()))) {
                byte[] b = files.get(path.substring("/acme/tiny-qwen/resolve/main/".length()));
                ex.sendResponseHeaders(200, b.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(b);
                }
            } else {
                send(ex, 404, "Entry not found");
            }
        });
        hub.start();
        try {
            Map<String, String> env = new TreeMap<>(cache());
            env.put("HF_ENDPOINT", "http://127.0.0.1:" + hub.getAddress().getPort());
            var pull = ScriptRunner.jbang(env, "scripts/models.java", "pull", "acme/tiny-qwen");
            assertEquals(0, pull.exitCode(), pull::toString);
            clean(pull);
            assertFalse(pull.stderr().contains("\r"), "no progress-bar redraws in a pipe: " + pull);
            assertTrue(pull.stderr().contains("downloading onnx/model_q4.onnx ("), pull::toString);
            assertTrue(
                    pull.stderr().contains("  done onnx/model_q4.onnx in ")
                            && pull.stderr().contains("sha256 ok"),
                    pull::toString);
            assertTrue(pull.stdout().contains("pulled acme/tiny-qwen"), pull::toString);
            Provenance p = Provenance.read(tmp.resolve("cache/acme/tiny-qwen"));
            assertNotNull(p);
            assertEquals("hub", p.kind());
            var again = ScriptRunner.jbang(env, "scripts/models.java", "pull", "acme/tiny-qwen");
            assertEquals(0, again.exitCode(), again::toString);
            assertTrue(again.stdout().contains("already here: acme/tiny-qwen"), again::toString);
        } finally {
            hub.stop(0);
        }
        HttpServer down = unreachableHub();
        try {
            Map<String, String> env = new TreeMap<>(cache());
            env.put("HF_ENDPOINT", "http://127.0.0.1:" + down.getAddress().getPort());
            var offline = ScriptRunner.jbang(env, "scripts/models.java", "pull", "defaults");
            assertEquals(1, offline.exitCode(), offline::toString);
            assertEquals(1, errorLines(offline).size(), offline::toString);
            assertTrue(offline.stderr().contains("/resolve/main/onnx/model_q4.onnx"), offline::toString);
            assertTrue(
                    offline.stderr().contains("models.java import /media/usb/Qwen2.5-0.5B-Instruct"),
                    offline::toString);
        } finally {
            down.stop(0);
        }
    }

    @Test
    void aBusyPortIsOneLineAndExitCodeOneForEveryServerScript() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String port = String.valueOf(taken.getLocalPort());
            Map<String, String> holder = Map.of(
                    "serve", "another serve.java (or another server on that port)",
                    "rag_chat", "another rag_chat",
                    "fake_server", "another fake_server (or another server on that port)");
            for (var e : holder.entrySet()) {
                var r = ScriptRunner.jbang(Map.of(), "scripts/" + e.getKey() + ".java", "--port", port);
                assertEquals(1, r.exitCode(), r::toString);
                clean(r);
                assertEquals(
                        List.of("error: cannot listen on 127.0.0.1:" + port + " (the port is in use): is "
                                + e.getValue()
                                + " running? Stop it, or pass --port 0 for any free port (or another --port)"),
                        errorLines(r),
                        r::toString);
            }
        }
    }

    @Test
    void ragChatOnTheEmbeddedEngineStartsWithoutWarningsOrCudaProbes() throws Exception {
        Path err = tmp.resolve("rag.err");
        ProcessBuilder pb = new ProcessBuilder(
                        ScriptRunner.ROOT.resolve("jbang").toString(),
                        "scripts/rag_chat.java",
                        "--port",
                        "0",
                        "--model",
                        ScriptRunner.fixture(QWEN).toString(),
                        "--data",
                        tmp.resolve("data").toString())
                .directory(ScriptRunner.ROOT.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("EDGEAI_QUIET", "1");
        pb.environment().put("HF_ENDPOINT", "http://127.0.0.1:" + ScriptRunner.deadPort());
        Process p = pb.start();
        try {
            String line = ScriptRunner.firstLine(p, 180);
            assertNotNull(line, () -> "rag_chat printed nothing: " + read(err));
            assertTrue(line.startsWith("RAG chat running at http://127.0.0.1:"), line);
        } finally {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        String stderr = read(err);
        for (String bad : List.of("WARNING", "CUDA", "Failed to detect GPU", "\tat "))
            assertFalse(stderr.contains(bad), "'" + bad + "' in rag_chat's output:\n" + stderr);
    }

    @Test
    void everyScriptEnablesNativeAccess() throws Exception {
        List<String> missing = new ArrayList<>();
        try (Stream<Path> s = Files.list(ScriptRunner.ROOT.resolve("scripts"))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                boolean ok = Files.readAllLines(f).stream()
                        .anyMatch(l ->
                                l.startsWith("//RUNTIME_OPTIONS") && l.contains("--enable-native-access=ALL-UNNAMED"));
                if (!ok) missing.add(f.getFileName().toString());
            }
        }
        assertEquals(List.of(), missing, "JDK 24+ prints a four-line restricted-method WARNING without it");
    }

    @Test
    void versionHelpAndTheFakeServerFollowTheSameConventions() throws Exception {
        for (String script : List.of("model_compare", "fake_server", "models")) {
            var v = ScriptRunner.jbang(Map.of(), "scripts/" + script + ".java", "--version");
            assertEquals(0, v.exitCode(), v::toString);
            List<String> lines = v.stdout().lines().toList();
            assertEquals(3, lines.size(), v::toString);
            assertTrue(lines.get(0).startsWith(script + ": edgeai workshop kit 0.1.0"), v::toString);
            assertTrue(
                    lines.get(1).startsWith("ONNX Runtime ") || lines.get(1).startsWith("ONNX Runtime: not"),
                    v::toString);
            assertTrue(lines.get(2).startsWith("Java "), v::toString);
        }
        var help = ScriptRunner.jbang(Map.of(), "scripts/benchmark.java", "--help");
        assertEquals(0, help.exitCode(), help::toString);
        String example = "  ./jbang scripts/benchmark.java --embedded --models ~/models/Qwen2.5-0.5B-Instruct,"
                + "onnx-community/Qwen2.5-1.5B-Instruct";
        assertTrue(help.stdout().lines().anyMatch(example::equals), "examples are never wrapped:\n" + help.stdout());

        var fake = ScriptRunner.jbang(Map.of(), "scripts/fake_server.java", "--help");
        assertEquals(0, fake.exitCode(), fake::toString);
        for (String s : List.of("--port", "--models", "--ttft", "--itl", "--tokens", "--[no-]usage", "Examples:"))
            assertTrue(fake.stdout().contains(s), () -> s + " missing in\n" + fake);
        var bad = ScriptRunner.jbang(Map.of(), "scripts/fake_server.java", "--ttft", "soon");
        assertEquals(2, bad.exitCode(), bad::toString);
        assertEquals(1, errorLines(bad).size(), bad::toString);
        assertTrue(errorLines(bad).get(0).contains("'soon' is not a duration"), bad::toString);
    }

    @Test
    void theFakeServerStartsAndTheBenchmarkAgainstItPrintsALinePerStageInAPipe() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(
                        ScriptRunner.ROOT.resolve("jbang").toString(),
                        "scripts/fake_server.java",
                        "--ttft",
                        "20ms",
                        "--itl",
                        "2ms",
                        "--tokens",
                        "8")
                .directory(ScriptRunner.ROOT.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("EDGEAI_QUIET", "1");
        Process p = pb.start();
        try {
            String line = ScriptRunner.firstLine(p, 180);
            assertNotNull(line, "fake_server printed nothing");
            assertTrue(
                    line.startsWith("fake_server.java: scripted OpenAI-compatible endpoint at http://127.0.0.1:"),
                    line);
            String url = line.substring(line.indexOf("http://"), line.indexOf("  ("));
            var r = ScriptRunner.jbang(
                    Map.of(),
                    "scripts/benchmark.java",
                    "--endpoint",
                    url,
                    "--rounds",
                    "1",
                    "--concurrency",
                    "1,2",
                    "--out",
                    tmp.resolve("results").toString());
            assertEquals(0, r.exitCode(), r::toString);
            clean(r);
            assertFalse(r.stderr().contains("\r"), "no progress-bar redraws in a pipe: " + r);
            assertTrue(r.stderr().contains("benchmark: phi-4-mini c=1"), r::toString);
            assertTrue(r.stderr().contains("benchmark: phi-4-mini c=2"), r::toString);
            assertTrue(
                    r.stderr().lines().anyMatch(l -> l.matches("benchmark: \\d+ requests done in [0-9.]+ s")),
                    r::toString);
            assertTrue(r.stderr().contains("the scripted stand-in"), "the backend line says what it is: " + r);
        } finally {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
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

    static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }

    static String sha256(byte[] b) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return "<none>";
        }
    }
}
