package dev.edgeai.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunResult;
import dev.edgeai.results.Sample;
import dev.edgeai.testkit.Script;
import dev.edgeai.testkit.ScriptedServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workshop notebooks on the real Java kernel, executed headless with Debian's nbconvert (tools/run-notebooks.sh),
 * against a scripted server and with no server at all; plus the kernel start-up stress loop.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NotebooksTest {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final String SLM = "Phi-4-mini-instruct-generic-cpu:4";
    static final String LLM = "gpt-oss-20b-generic-cpu:1";

    @TempDir
    Path tmp;

    /** A finished command; its stdout and stderr together (the tools below report on either). */
    record Run(int exitCode, String output) {}

    static Run run(Map<String, String> env, long timeoutS, String... cmd) throws Exception {
        ScriptRunner.Result r = ScriptRunner.run(env, timeoutS, List.of(cmd));
        return new Run(r.exitCode(), r.stdout() + r.stderr());
    }

    @BeforeAll
    static void installKernel() throws Exception {
        Needs.tool(
                Files.isExecutable(PYTHON)
                        && run(Map.of(), 60, PYTHON.toString(), "-c", "import nbconvert, nbclient, jupyter_client")
                                        .exitCode()
                                == 0,
                "Jupyter (nbconvert, nbclient, jupyter_client, ipykernel) for " + PYTHON,
                "sudo apt install jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel");
        Run r = run(Map.of(), 600, "tools/install-kernel.sh");
        assertEquals(0, r.exitCode(), r.output());
        // Notebooks load the library only: no server, CLI framework or test code on the kernel's class path.
        var dir = java.util.regex.Pattern.compile("installed kernelspec '[^']*' \\(.*\\) in (.*)")
                .matcher(r.output());
        assertTrue(dir.find(), r.output());
        String launcher = Files.readString(Path.of(dir.group(1).strip(), "kernel.sh"));
        assertTrue(launcher.contains("edgeai-lib-0.1.0.jar") && launcher.contains("onnxruntime"), launcher);
        for (String banned : List.of(
                "javalin", "jetty", "picocli", "edgeai-web", "edgeai-cli", "edgeai-testkit", "edgeai-bench", "junit")) {
            assertFalse(launcher.contains(banned), () -> "the notebook class path has " + banned + ": " + launcher);
        }
    }

    @Test
    @Order(1)
    void kernelStartsEveryTime() throws Exception {
        String n = System.getenv().getOrDefault("EDGEAI_KERNEL_STARTS", "100");
        Run r = run(Map.of(), 1800, PYTHON.toString(), "tools/kernel_stress.py", "-n", n);
        System.out.println(r.output()
                .lines()
                .filter(l -> l.startsWith("kernel starts:"))
                .findFirst()
                .orElse(r.output()));
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("kernel starts: " + n + " passed, 0 failed"), r.output());
    }

    @Test
    @Order(2)
    void notebooksRunLiveAndTheirNumbersMatchTheScript() throws Exception {
        try (ScriptedServer server = ScriptedServer.builder()
                .model(SLM, Script.builder().ttftMs(40).itlMs(2).build())
                .model(LLM, Script.builder().ttftMs(90).itlMs(4).build())
                .start()) {
            Path nbResults = Files.createDirectories(tmp.resolve("notebook-results"));
            Run r = run(
                    Map.of("OPENAI_BASE_URL", server.baseUrl(), "RESULTS_DIR", nbResults.toString()),
                    900,
                    "tools/run-notebooks.sh");
            assertEquals(0, r.exitCode(), r.output());
            for (String nb : List.of(
                    "s01_chat_bootstrap",
                    "s02_rag_pipeline",
                    "s03_benchmark",
                    "s04_model_compare",
                    "s04b_evaluation",
                    "s05_agents",
                    "s06_router")) {
                String executed = Files.readString(ScriptRunner.ROOT.resolve("notebooks/executed/" + nb + ".ipynb"));
                JsonNode json = ResultsFile.json().readTree(executed);
                assertTrue(outputs(json).contains("Plotly.newPlot"), nb + " shows a plotly chart");
                assertTrue(!outputs(json).contains("SAVED results"), nb + " ran live");
            }
            // s04b evaluated 6 questions (EVAL_LIMIT default) with both models and the hybrid, after one cold request
            // each
            RunResult evaluation = ResultsFile.read(single(nbResults, "evaluate"));
            assertEquals(2 + 3 * 6, evaluation.samples().size());
            assertEquals(
                    List.of("model", "model", "pipeline"),
                    evaluation.reports().stream().map(x -> x.kind()).toList());
            // s04 saved its comparison; the script, same server and settings, must report the same run.
            RunResult fromNotebook = ResultsFile.read(single(nbResults, "model_compare"));
            Path scriptOut = Files.createDirectories(tmp.resolve("script-results"));
            var script = ScriptRunner.jbang(
                    Map.of("SLM_ALIAS", "phi-4-mini", "LLM_ALIAS", "gpt-oss-20b"),
                    "scripts/model_compare.java",
                    "--endpoint",
                    server.baseUrl(),
                    "--rounds",
                    "3",
                    "--warmup",
                    "1",
                    "--max-tokens",
                    "256",
                    "--out",
                    scriptOut.toString());
            assertEquals(0, script.exitCode(), script::toString);
            RunResult fromScript = ResultsFile.read(single(scriptOut, "model_compare"));
            assertEquals(fromScript.meta().models(), fromNotebook.meta().models());
            assertEquals(fromScript.samples().size(), fromNotebook.samples().size());
            for (int i = 0; i < fromScript.samples().size(); i++) {
                Sample a = fromScript.samples().get(i),
                        b = fromNotebook.samples().get(i);
                assertEquals(a.model(), b.model());
                assertEquals(a.completionTokens(), b.completionTokens());
                assertEquals(a.text(), b.text());
                assertEquals(a.ttftMs(), b.ttftMs(), 60.0, "TTFT of the same scripted delay");
            }
        }
    }

    @Test
    @Order(3)
    void withoutAServerNotebooksShowSavedResults() throws Exception {
        Run r = run(Map.of("RESULTS_DIR", tmp.toString()), 900, "tools/run-notebooks.sh");
        assertEquals(0, r.exitCode(), r.output());
        String s04 = Files.readString(ScriptRunner.ROOT.resolve("notebooks/executed/s04_model_compare.ipynb"));
        assertTrue(s04.contains("SAVED results"), "a visible note says the numbers are saved, not live");
        assertTrue(s04.contains("Plotly.newPlot"), "charts still show");
        for (String nb : List.of("s05_agents", "s06_router")) {
            String executed = Files.readString(ScriptRunner.ROOT.resolve("notebooks/executed/" + nb + ".ipynb"));
            assertTrue(
                    executed.contains("showing saved results") && executed.contains("EXAMPLE"),
                    nb + " says its numbers are saved examples");
            assertTrue(executed.contains("Plotly.newPlot"), nb + " still shows its charts");
        }
        String s04b = Files.readString(ScriptRunner.ROOT.resolve("notebooks/executed/s04b_evaluation.ipynb"));
        assertTrue(
                s04b.contains("SAVED results") && s04b.contains("EXAMPLE"),
                "the synthetic example is shown, and says so");
        assertTrue(s04b.contains("Plotly.newPlot"), "charts still show");
    }

    @Test
    @Order(4)
    void aCellErrorFailsTheRunAndNamesTheCell() throws Exception {
        Path nb = tmp.resolve("broken.ipynb");
        Files.writeString(nb, """
                {"cells": [{"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
                  "source": ["int x = 1 / 0;"]}],
                 "metadata": {"kernelspec": {"display_name": "Java (edgeai)", "language": "java", "name": "java"}},
                 "nbformat": 4, "nbformat_minor": 5}
                """);
        Run r = run(Map.of(), 300, "tools/run-notebooks.sh", nb.toString());
        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.output().contains("broken.ipynb") && r.output().contains("ArithmeticException"), r.output());
    }

    static String outputs(JsonNode nb) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode cell : nb.path("cells")) for (JsonNode o : cell.path("outputs")) sb.append(o.toString());
        return sb.toString();
    }

    static Path single(Path dir, String tool) throws IOException {
        List<Path> files = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().startsWith(tool + "-")).forEach(files::add);
        }
        assertEquals(1, files.size(), "one " + tool + " results file in " + dir + ": " + files);
        return files.get(0);
    }
}
