package dev.edgeai.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.chat.ChatMessage;
import dev.edgeai.chat.StreamListener;
import dev.edgeai.engine.EmbeddedBackend;
import dev.edgeai.engine.Generator;
import dev.edgeai.engine.LoadedModel;
import dev.edgeai.engine.Sampler;
import dev.edgeai.retrieval.ContextBuilder;
import dev.edgeai.web.OrtWebAssets;
import dev.edgeai.web.PageModels;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Text generation inside the demo page, in real headless Chromium: serve's server runs the tiny Qwen2.5 int4 fixture
 * in the embedded engine and hands the page the same folder's files; the page tokenizes with tokenizers.js, renders
 * the chat template with Hugging Face's Jinja, and decodes on ONNX Runtime Web. Its prompt text, prompt ids and greedy
 * ids must equal the Java engine's (TextTokenizer, ChatTemplates/HfJinja, Generator) on wasm and on WebGPU through
 * SwiftShader; the attendee's flow streams, stops, honours max tokens mid-answer, charts the run and stays on the
 * page's origin.
 */
class DemoGenerateBrowserTest {
    static final String QWEN = "tiny-random-qwen2.5-instruct-q4";
    static final Path FOLDER = ScriptRunner.fixture(QWEN);

    static EmbeddedBackend engine;
    static LoadedModel java;
    static DemoHarness demo;
    static String missing;

    @TempDir
    static Path tmp;

    /** A plain question, the demo's own RAG prompt, and text the byte-level BPE must split carefully. */
    static final List<List<ChatMessage>> CONVERSATIONS = List.of(
            List.of(ChatMessage.system("You are brief."), ChatMessage.user("What does TTFT measure?")),
            List.of(
                    ChatMessage.system(ContextBuilder.SYSTEM_PROMPT),
                    ChatMessage.user("Context:\n[1] paragraph 1\nTime to first token (TTFT) is the time from sending a"
                            + " request to receiving the first generated token.\n\nQuestion: What does TTFT measure?")),
            List.of(ChatMessage.user(
                    "Naïve café-owners' résumés: don't split U.S.A. (e.g. 3.14) — okay?! 東京 🎉 \t\n  x  \u00a0 end.")));

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(
                Files.isExecutable(Browser.CHROMIUM) && Files.isExecutable(Browser.CHROMEDRIVER),
                "needs /usr/bin/chromium and /usr/bin/chromedriver (apt install chromium chromium-driver)");
        OrtWebAssets ort = OrtWebAssets.fromEnvironment();
        try { // from the cached `npm pack` tarballs (.ci/run puts them there); never the network here
            ort.install(false);
            ort.sibling(OrtWebAssets.TOKENIZERS).install(false);
            ort.sibling(OrtWebAssets.JINJA).install(false);
        } catch (IOException e) {
            missing = e.getMessage();
        }
        engine = EmbeddedBackend.load(FOLDER);
        java = LoadedModel.load(FOLDER);
        demo = DemoHarness.serving(engine, ort);
    }

    @AfterAll
    static void stop() {
        if (demo != null) demo.close();
        if (java != null) java.close();
        if (engine != null) engine.close();
    }

    static void assumeLibraries() {
        Assumptions.assumeTrue(missing == null, () -> "the page's npm packages are not cached: " + missing);
    }

    // ---- the Java engine's side ------------------------------------------------------------------------------------

    /**
     * @param runnerUp the second-best token at each greedy step, and {@code margin} its logit gap to the best one
     */
    record JavaRun(
            String prompt,
            int[] promptIds,
            int[] ids,
            String text,
            double ttftMs,
            double totalMs,
            List<Integer> runnerUp,
            List<Float> margin) {}

    static JavaRun javaRun(List<ChatMessage> messages, int maxTokens, Sampler sampler, boolean ignoreEos) {
        return javaRun(java, messages, maxTokens, sampler, ignoreEos);
    }

    static JavaRun javaRun(
            LoadedModel java, List<ChatMessage> messages, int maxTokens, Sampler sampler, boolean ignoreEos) {
        int[] prompt = java.promptIds(messages);
        Set<Integer> eos =
                ignoreEos ? Set.of() : new HashSet<>(java.descriptor().eosIds());
        List<Integer> runnerUp = new ArrayList<>();
        List<Float> margin = new ArrayList<>();
        Sampler recording = sampler != Sampler.GREEDY
                ? sampler
                : logits -> {
                    int best = Sampler.GREEDY.sample(logits), second = best == 0 ? 1 : 0;
                    for (int i = 0; i < logits.length; i++) if (i != best && logits[i] > logits[second]) second = i;
                    runnerUp.add(second);
                    margin.add(logits[best] - logits[second]);
                    return best;
                };
        double[] first = {Double.NaN};
        long t0 = System.nanoTime();
        var out = java.generator()
                .generate(prompt, new Generator.Settings(maxTokens, recording, eos, List.of()), new StreamListener() {
                    @Override
                    public void onToken(String text) {
                        if (Double.isNaN(first[0])) first[0] = (System.nanoTime() - t0) / 1e6;
                    }
                });
        double total = (System.nanoTime() - t0) / 1e6;
        return new JavaRun(
                java.format().render(messages), prompt, out.tokens(), out.text(), first[0], total, runnerUp, margin);
    }

    // ---- the page's side -------------------------------------------------------------------------------------------

    static List<Map<String, String>> wire(List<ChatMessage> messages) {
        return messages.stream()
                .map(m -> Map.of("role", m.role(), "content", m.content()))
                .toList();
    }

    static Map<String, Object> pageRun(DemoBrowserTest.Chromium b, Map<String, Object> request, String ep) {
        Map<String, Object> m = pageAttempt(b, request, ep);
        assertNull(m.get("error"), () -> "in-page generation failed: " + m.get("error"));
        return m;
    }

    /** The page's answer, or {@code error}: what the page would show. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> pageAttempt(DemoBrowserTest.Chromium b, Map<String, Object> request, String ep) {
        Object r = ((JavascriptExecutor) b.driver())
                .executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + "window.demoGenerate(arguments[0], arguments[1])"
                                + ".then(done, e => done({error: String(e && (e.pageMessage || e.stack) || e)}));",
                        request,
                        ep);
        return (Map<String, Object>) r;
    }

    static Map<String, Object> request(List<ChatMessage> messages, int maxTokens) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("messages", wire(messages));
        r.put("max_tokens", maxTokens);
        r.put("temperature", 0);
        return r;
    }

    static int[] ints(Object list) {
        return ((List<?>) list).stream().mapToInt(x -> ((Number) x).intValue()).toArray();
    }

    static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    /**
     * Two ORT builds do not compute int4 MatMulNBits alike: ORT Java (1.23.2) on this CPU quantizes the activations to
     * int8 (the fixture's accuracy_level 4), ORT-web's wasm and WebGPU kernels compute in float, so logits differ by a
     * few hundredths. The fixture's random weights make near-ties common, and there greedy may rightly pick the other
     * token. So the ids must be equal, or equal up to a step where Java's two best logits are within {@link #NEAR_TIE}
     * and the page took Java's runner-up (the sequences then differ by construction). A wrong prompt, position, mask or
     * cache changes logits by far more and fails at a clear step.
     */
    static final float NEAR_TIE = 0.1f;

    /** Prompt text, prompt ids, greedy ids and text of every conversation, page vs Java; returns the ids compared. */
    static int assertSameAsJava(DemoBrowserTest.Chromium b, String ep, int maxTokens) {
        return assertSameAsJava(b, java, QWEN, ep, maxTokens, CONVERSATIONS);
    }

    static int assertSameAsJava(
            DemoBrowserTest.Chromium b,
            LoadedModel java,
            String model,
            String ep,
            int maxTokens,
            List<List<ChatMessage>> conversations) {
        int compared = 0;
        for (List<ChatMessage> conv : conversations) {
            JavaRun j = javaRun(java, conv, maxTokens, Sampler.GREEDY, false);
            Map<String, Object> req = request(conv, maxTokens);
            req.put("model", model);
            Map<String, Object> p = pageRun(b, req, ep);
            assertEquals(ep, p.get("ep"), () -> "ran on " + p.get("ep") + ": " + p.get("note"));
            assertEquals(j.prompt(), p.get("promptText"), "the chat template renders as in Java (HfJinja)");
            assertArrayEquals(j.promptIds(), ints(p.get("promptIds")), "tokenizer.json: page vs Java (DJL)");
            int[] page = ints(p.get("ids"));
            int k = 0;
            while (k < page.length && k < j.ids().length && page[k] == j.ids()[k]) k++;
            System.out.printf(
                    "in-page (%s) greedy ids %s%n                 Java ids %s: equal for %d of %d%s%n",
                    ep,
                    Arrays.toString(page),
                    Arrays.toString(j.ids()),
                    k,
                    j.ids().length,
                    k < j.ids().length ? ", then Java's margin " + j.margin().get(k) : "");
            compared += k;
            if (k == j.ids().length && k == page.length) {
                assertEquals(j.text(), p.get("text"), "streamed text");
                assertEquals(j.ids().length < maxTokens ? "stop" : "length", p.get("finishReason"));
                continue;
            }
            int at = k;
            assertTrue(
                    at < j.margin().size()
                            && j.margin().get(at) < NEAR_TIE
                            && page.length > at
                            && page[at] == j.runnerUp().get(at),
                    () -> "greedy ids on " + ep + " differ at step " + at + " where Java's best token leads by "
                            + (at < j.margin().size() ? j.margin().get(at) : "?") + " (page took "
                            + (page.length > at ? page[at] : "nothing") + "), for " + conv);
        }
        return compared;
    }

    // ---- tests -----------------------------------------------------------------------------------------------------

    @Test
    void greedyIdsInThePageEqualTheJavaEngineOnWasmAndSeededSamplingToo() {
        assumeLibraries();
        try (var b = DemoBrowserTest.Chromium.start(false)) {
            b.open(demo.url());
            int equal = assertSameAsJava(b, "wasm", 40);
            assertTrue(equal >= 30, "most greedy ids equal Java's outright: " + equal);

            // sampling: the page's sampler is the Java engine's (rules and SplittableRandom sequence): on the same
            // logits, with the same settings and seed, it picks the same tokens
            SplittableRandom r = new SplittableRandom(1);
            List<List<Float>> rows = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                List<Float> row = new ArrayList<>();
                for (int v = 0; v < 2000; v++) row.add((float) (r.nextGaussian() * 3));
                rows.add(row);
            }
            for (Object[] st : new Object[][] {{0.7, 0, 1.0, 1L}, {1.0, 20, 0.8, 2L}, {1.3, 0, 0.95, -3L}}) {
                Sampler sampler = Sampler.of((Double) st[0], (Integer) st[1], (Double) st[2], (Long) st[3]);
                List<Integer> expected = rows.stream()
                        .map(row -> {
                            float[] l = new float[row.size()];
                            for (int i = 0; i < l.length; i++) l[i] = row.get(i);
                            return sampler.sample(l);
                        })
                        .toList();
                Object picks = ((JavascriptExecutor) b.driver())
                        .executeAsyncScript(
                                "const [rows, t, k, p, seed, done] = arguments;"
                                        + "import('/demo/sampling.js').then(m => {"
                                        + " const s = m.sampler({temperature: t, topK: k, topP: p, seed: BigInt(seed)});"
                                        + " done(rows.map(row => s.sample(Float32Array.from(row)))); },"
                                        + " e => done(String(e)));",
                                rows,
                                st[0],
                                st[1],
                                st[2],
                                st[3]);
                assertEquals(
                        expected,
                        ((List<?>) picks)
                                .stream().map(x -> ((Number) x).intValue()).toList(),
                        "sampling " + Arrays.toString(st));
            }
            // and a seeded in-page answer repeats itself, which a greedy one cannot show
            Map<String, Object> req = request(CONVERSATIONS.get(0), 24);
            req.put("temperature", 0.8);
            req.put("top_p", 0.9);
            req.put("seed", 7);
            req.put("ignore_eos", true);
            List<?> once = (List<?>) pageRun(b, req, "wasm").get("ids");
            Map<String, Object> again = pageRun(b, req, "wasm");
            assertEquals(once, again.get("ids"));
            assertEquals("temperature 0.8, top-p 0.9, seed 7", again.get("sampling"));

            DemoBrowserTest.assertSameOrigin(b.requestedUrls(), demo.origin());
            var errors = b.consoleErrors();
            assertTrue(errors.isEmpty(), () -> "console errors: " + errors);
        }
    }

    /**
     * WebGPU on the CPU through SwiftShader. Its adapter has no shader-f16, and the fixture keeps its embedding table
     * in fp16 (a Cast makes it fp32): the WebGPU EP cannot run it there, which the page must say (WebGPU chosen) or
     * fall back to wasm for, saying why (auto). A copy whose fp16 table is widened to fp32 (the same values, so the
     * same logits) then runs on WebGPU, and its greedy ids must equal Java's for that copy.
     */
    @Test
    void onWebGpuThroughSwiftShaderGreedyIdsEqualJavaAndAnUnsupportedModelIsExplained() throws Exception {
        assumeLibraries();
        Path wide = fp32Embedding(FOLDER, tmp.resolve("tiny-random-qwen2.5-instruct-q4-fp32-embedding"));
        Map<String, Path> folders = new LinkedHashMap<>();
        folders.put(QWEN, FOLDER);
        folders.put(wide.getFileName().toString(), wide);
        try (var b = DemoBrowserTest.Chromium.start(true);
                LoadedModel ref = LoadedModel.load(wide);
                var page = DemoHarness.serving(engine, OrtWebAssets.fromEnvironment(), PageModels.of(folders))) {
            b.open(page.url());
            Object adapter = ((JavascriptExecutor) b.driver())
                    .executeAsyncScript("const done = arguments[0];"
                            + "(navigator.gpu ? navigator.gpu.requestAdapter() : Promise.resolve(null))"
                            + ".then(a => done(a ? [...a.features].sort().join(' ') : null), e => done(null));");
            System.out.println("WebGPU adapter under SwiftShader, features: " + adapter);
            if (adapter == null) {
                Map<String, Object> r = pageRun(b, request(CONVERSATIONS.get(0), 4), "webgpu");
                assertEquals("wasm", r.get("ep"));
                assertTrue(String.valueOf(r.get("note")).startsWith("wasm fallback: "), String.valueOf(r.get("note")));
                Assumptions.abort("no WebGPU adapter in this Chromium; the wasm fallback was shown: " + r.get("note"));
            }
            if (!String.valueOf(adapter).contains("shader-f16")) {
                Map<String, Object> failed = pageAttempt(b, request(CONVERSATIONS.get(0), 4), "webgpu");
                String error = String.valueOf(failed.get("error"));
                assertTrue(
                        error.startsWith("The WebGPU execution provider of ONNX Runtime Web cannot run this model")
                                && error.contains("f16")
                                && error.endsWith("choose wasm (CPU)."),
                        error);
                Map<String, Object> auto = pageRun(b, request(CONVERSATIONS.get(0), 40), "auto");
                assertEquals("wasm", auto.get("ep"));
                String note = String.valueOf(auto.get("note"));
                assertTrue(
                        note.startsWith("wasm fallback: The WebGPU execution provider") && note.contains("f16"), note);
                assertArrayEquals(
                        javaRun(CONVERSATIONS.get(0), 40, Sampler.GREEDY, false).ids(), ints(auto.get("ids")));
            }
            // SwiftShader runs this graph at about 14 s per step (measured here): one conversation, 6 tokens
            b.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(400));
            int equal =
                    assertSameAsJava(b, ref, wide.getFileName().toString(), "webgpu", 6, CONVERSATIONS.subList(0, 1));
            assertEquals(6, equal, "greedy ids on WebGPU equal Java's");
            DemoBrowserTest.assertSameOrigin(b.requestedUrls(), page.origin());
        }
    }

    /** A copy of a model folder whose fp16 initializers are widened to fp32 (python3-onnx, as the fixtures are made). */
    static Path fp32Embedding(Path from, Path to) throws Exception {
        Files.createDirectories(to.resolve("onnx"));
        for (String f : List.of("config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json"))
            Files.copy(from.resolve(f), to.resolve(f));
        String script = String.join(
                "\n",
                "import sys, numpy as np, onnx",
                "from onnx import numpy_helper",
                "m = onnx.load(sys.argv[1])",
                "for t in m.graph.initializer:",
                "    if t.data_type == onnx.TensorProto.FLOAT16:",
                "        t.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(t).astype(np.float32), t.name))",
                "del m.graph.value_info[:]",
                "onnx.save(m, sys.argv[2])");
        Process p = new ProcessBuilder(
                        "/usr/bin/python3",
                        "-c",
                        script,
                        from.resolve("onnx/model_q4.onnx").toString(),
                        to.resolve("onnx/model_q4.onnx").toString())
                .redirectErrorStream(true)
                .start();
        String log = new String(p.getInputStream().readAllBytes());
        Needs.tool(
                p.waitFor() == 0,
                "/usr/bin/python3 with onnx and numpy (" + log.strip() + ")",
                "sudo apt install python3-onnx python3-numpy");
        return to;
    }

    /** What an attendee does: "in this page", Send; then Stop, and max tokens lowered mid-answer. */
    @Test
    void inPageAnswersStreamStopAndChartNextToTheEndpoint() throws Exception {
        assumeLibraries();
        try (var b = DemoBrowserTest.Chromium.start(false)) {
            b.open(demo.url());
            assertEquals(
                    QWEN,
                    new Select(b.driver().findElement(By.id("page-model")))
                            .getFirstSelectedOption()
                            .getDomAttribute("value"));
            b.js(
                    "window.__lengths = []; new MutationObserver(() => { const a = document.querySelector('#answers .answer');"
                            + " if (a) window.__lengths.push(a.textContent.length); }).observe(document.getElementById('answers'),"
                            + " {subtree: true, childList: true, characterData: true});");
            b.driver()
                    .findElement(By.cssSelector("input[name=which][value=page]"))
                    .click();
            setField(b, "temperature", "1");
            setField(b, "max-tokens", "64");
            b.driver().findElement(By.id("send")).click();
            WebElement card = awaitCard(b, "page");
            awaitFinish(b, card, 180);
            WebElement metrics = card.findElement(By.cssSelector(".metrics"));
            assertEquals("length", metrics.getDomAttribute("data-finish"), card.getText());
            assertEquals("64", metrics.getDomAttribute("data-tokens"));
            assertTrue(
                    metrics.getText()
                            .matches("TTFT [\\d.]+ m?s · total [\\d.]+ m?s · 64 tokens · [\\d.]+ tok/s · wasm ·"
                                    + " max tokens reached"),
                    metrics.getText());
            @SuppressWarnings("unchecked")
            List<Object> lengths = (List<Object>) b.js("return [...new Set(window.__lengths)]");
            assertTrue(lengths.size() >= 10, "the answer grew token by token: " + lengths);
            assertTrue(
                    card.findElement(By.cssSelector(".head")).getText().contains("wasm fallback: navigator.gpu"),
                    "says which EP ran and why: " + card.getText());
            assertEquals(List.of(0, 0, 0, 0, 1, 1), DemoBrowserTest.chartPoints(b), "the chart gained an in-page run");
            String used = b.driver().findElement(By.id("page-used")).getText();
            assertTrue(used.startsWith("EP: wasm (wasm fallback: navigator.gpu"), used);

            // the endpoint (the same model in the JVM) for the same prompt: its bars stand next to the page's
            b.driver()
                    .findElement(By.cssSelector("input[name=which][value=slm]"))
                    .click();
            b.driver().findElement(By.id("send")).click();
            awaitFinish(b, awaitCard(b, "slm"), 60);
            assertEquals(List.of(1, 1, 0, 0, 1, 1), DemoBrowserTest.chartPoints(b));
            b.screenshot("demo-generate-in-page");

            // Stop mid-answer: the page ends within a token or two of the click
            b.driver()
                    .findElement(By.cssSelector("input[name=which][value=page]"))
                    .click();
            setField(b, "max-tokens", "1500");
            b.driver().findElement(By.id("send")).click();
            WebElement stopped = awaitCard(b, "page", 2);
            awaitStreamed(b, stopped, 8);
            List<?> click = (List<?>)
                    b.js(
                            "const m = document.querySelector('#answers .answer-card .metrics');"
                                    + " const n = Number(m.dataset.streamed); const s = document.getElementById('stop');"
                                    + " const was = s.disabled; const busy = window.demoState.busy; s.click(); return [n, was, window.demoState.stopRequested, busy, document.querySelectorAll('.answer-card').length];");
            assertEquals(false, click.get(1), "Stop is enabled while an answer runs: " + click);
            assertEquals(true, click.get(2), "Stop was heard");
            long atClick = ((Number) click.get(0)).longValue();
            awaitFinish(b, stopped, 60);
            WebElement sm = stopped.findElement(By.cssSelector(".metrics"));
            assertEquals("cancelled", sm.getDomAttribute("data-finish"), stopped.getText());
            long after = Long.parseLong(sm.getDomAttribute("data-tokens"));
            System.out.printf("stop clicked after %d tokens, generation ended at %d%n", atClick, after);
            assertTrue(after >= atClick && after <= atClick + 2, "stopped at " + after + ", clicked at " + atClick);
            assertTrue(sm.getText().endsWith("· stopped"), sm.getText());
            assertEquals(List.of(1, 1, 0, 0, 1, 1), DemoBrowserTest.chartPoints(b), "a stopped run is not charted");

            // max tokens lowered mid-answer: the answer ends there
            b.driver().findElement(By.id("send")).click();
            WebElement cut = awaitCard(b, "page", 3);
            awaitStreamed(b, cut, 8);
            long limit = ((Number) b.js("const m = document.querySelector('#answers .answer-card .metrics');"
                            + " const f = document.getElementById('max-tokens');"
                            + " f.value = Number(m.dataset.streamed) + 3; return Number(f.value);"))
                    .longValue();
            awaitFinish(b, cut, 60);
            WebElement cm = cut.findElement(By.cssSelector(".metrics"));
            assertEquals("length", cm.getDomAttribute("data-finish"), cut.getText());
            assertTrue(Long.parseLong(cm.getDomAttribute("data-tokens")) <= limit, cut.getText() + " limit " + limit);

            assertTrue(b.driver()
                    .findElements(By.cssSelector("#answers img, #answers script"))
                    .isEmpty());
            DemoBrowserTest.assertSameOrigin(b.requestedUrls(), demo.origin());
            var errors = b.consoleErrors();
            assertTrue(errors.isEmpty(), () -> "console errors: " + errors);
        }
    }

    /**
     * Tokens per second of the same model, in the page on wasm vs in the JVM, interleaved so both see the same machine
     * load: 64 tokens each (EOS ignored) after a short prompt, 5 rounds after a warm-up, ORT-web's default threads and 2 threads. Printed,
     * not asserted (a timed assertion would only measure this VM's noise). {@code -Dedgeai.demo.benchModel=FOLDER}
     * (an onnx-community folder, e.g. bench/realsize.sh's Qwen2.5-0.5B-shaped ones) and {@code
     * -Dedgeai.demo.benchTokens=N} measure another model.
     */
    @Test
    void measuresInPageDecodeSpeedAgainstTheJavaEngine() throws Exception {
        assumeLibraries();
        String other = System.getProperty("edgeai.demo.benchModel", "");
        int tokens = Integer.getInteger("edgeai.demo.benchTokens", 64);
        Path folder = other.isBlank() ? FOLDER : Path.of(other).toAbsolutePath().normalize();
        String id = folder.getFileName().toString();
        try (var b = DemoBrowserTest.Chromium.start(false);
                LoadedModel ref = other.isBlank() ? null : LoadedModel.load(folder);
                var page = other.isBlank()
                        ? null
                        : DemoHarness.serving(
                                engine, OrtWebAssets.fromEnvironment(), PageModels.of(Map.of(id, folder)))) {
            LoadedModel jvmModel = ref != null ? ref : java;
            b.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(600));
            for (String threads : List.of("", "?threads=2")) {
                b.open((page != null ? page.url() : demo.url()) + threads);
                List<Double> inPage = new ArrayList<>(), jvm = new ArrayList<>(), pageTtft = new ArrayList<>();
                List<Double> jvmTtft = new ArrayList<>();
                String ep = "";
                for (int round = 0; round <= 5; round++) {
                    Map<String, Object> req = request(CONVERSATIONS.get(0), tokens);
                    req.put("ignore_eos", true);
                    req.put("model", id);
                    Map<String, Object> p = pageRun(b, req, "wasm");
                    JavaRun j = javaRun(jvmModel, CONVERSATIONS.get(0), tokens, Sampler.GREEDY, true);
                    assertEquals(tokens, ints(p.get("ids")).length);
                    ep = p.get("ep") + ", " + p.get("threads");
                    if (round == 0) continue; // warm-up: JIT, caches, first allocations
                    inPage.add((tokens - 1) / ((num(p.get("totalMs")) - num(p.get("ttftMs"))) / 1000));
                    pageTtft.add(num(p.get("ttftMs")));
                    jvm.add((tokens - 1) / ((j.totalMs() - j.ttftMs()) / 1000));
                    jvmTtft.add(j.ttftMs());
                }
                double pm = median(inPage), jm = median(jvm);
                System.out.printf(
                        "decode tok/s, %s (%d-token prompt, %d tokens), in page (%s) median %.1f %s vs JVM engine"
                                + " median %.1f %s: page/JVM = %.2f; TTFT median page %.0f ms, JVM %.0f ms%n",
                        id,
                        jvmModel.promptIds(CONVERSATIONS.get(0)).length,
                        tokens,
                        ep,
                        pm,
                        round1(inPage),
                        jm,
                        round1(jvm),
                        pm / jm,
                        median(pageTtft),
                        median(jvmTtft));
            }
        }
    }

    static List<Double> round1(List<Double> xs) {
        return xs.stream().map(x -> Math.round(x * 10) / 10.0).toList();
    }

    /** Folders the page cannot run are named with the reason, before anything is downloaded. */
    @Test
    void tooLargeAndWrongLayoutAreExplainedBeforeLoading() throws Exception {
        Path big = tmp.resolve("Big-7B-Instruct");
        Files.createDirectories(big.resolve("onnx"));
        for (String f : List.of("config.json", "tokenizer.json", "tokenizer_config.json"))
            Files.copy(FOLDER.resolve(f), big.resolve(f));
        try (RandomAccessFile sparse =
                new RandomAccessFile(big.resolve("onnx/model_q4.onnx").toFile(), "rw")) {
            sparse.setLength(4_500_000_000L); // sparse: no disk used, but 4.5 GB to the page
        }
        Path llama = ScriptRunner.fixture("tiny-random-LlamaForCausalLM-fp16");
        Map<String, Path> folders = new LinkedHashMap<>();
        folders.put("Big-7B-Instruct", big);
        folders.put("tiny-random-LlamaForCausalLM-fp16", llama);
        try (var b = DemoBrowserTest.Chromium.start(false);
                var page = DemoHarness.serving(engine, OrtWebAssets.fromEnvironment(), PageModels.of(folders))) {
            b.open(page.url());
            Select model = new Select(b.driver().findElement(By.id("page-model")));
            model.selectByValue("Big-7B-Instruct");
            String s = b.driver().findElement(By.id("page-status")).getText();
            assertTrue(s.contains("4.5 GB") && s.contains("too large for this page"), s);
            assertTrue(b.driver()
                    .findElement(By.id("page-load"))
                    .getDomProperty("disabled")
                    .equals("true"));
            model.selectByValue("tiny-random-LlamaForCausalLM-fp16");
            s = b.driver().findElement(By.id("page-status")).getText();
            assertTrue(s.contains("onnxruntime-genai folder") && s.contains("onnx-community layout"), s);
            b.driver()
                    .findElement(By.cssSelector("input[name=which][value=page]"))
                    .click();
            b.driver().findElement(By.id("send")).click();
            WebElement card = awaitCard(b, "page");
            awaitFinish(b, card, 30);
            assertTrue(card.findElement(By.cssSelector(".error")).getText().contains("onnx-community layout"));
            b.screenshot("demo-generate-unsupported");
            List<String> urls = b.requestedUrls();
            assertTrue(urls.stream().noneMatch(u -> u.contains("/demo/llm/")), "nothing fetched: " + urls);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    static void setField(DemoBrowserTest.Chromium b, String id, String value) {
        WebElement f = b.driver().findElement(By.id(id));
        f.clear();
        f.sendKeys(value);
    }

    static WebElement awaitCard(DemoBrowserTest.Chromium b, String which) {
        return awaitCard(b, which, 1);
    }

    /** The newest answer card once there are {@code count} of this kind. */
    static WebElement awaitCard(DemoBrowserTest.Chromium b, String which, int count) {
        b.waitFor(10)
                .until(d ->
                        d.findElements(By.cssSelector(".answer-card." + which)).size() >= count);
        return b.driver().findElements(By.cssSelector(".answer-card")).get(0);
    }

    static void awaitFinish(DemoBrowserTest.Chromium b, WebElement card, long seconds) {
        b.waitFor(seconds)
                .until(d -> card.findElement(By.cssSelector(".metrics")).getDomAttribute("data-total-ms") != null
                        || !card.findElements(By.cssSelector(".error")).isEmpty());
    }

    static void awaitStreamed(DemoBrowserTest.Chromium b, WebElement card, int tokens) {
        b.waitFor(120).until(d -> {
            String n = card.findElement(By.cssSelector(".metrics")).getDomAttribute("data-streamed");
            return n != null && Integer.parseInt(n) >= tokens;
        });
    }

    static double median(List<Double> xs) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
