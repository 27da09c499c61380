package dev.edgeai.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeai.client.OpenAiClient;
import dev.edgeai.retrieval.Embedder;
import dev.edgeai.testkit.Script;
import dev.edgeai.testkit.ScriptedServer;
import dev.edgeai.web.OrtWebAssets;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The browser demo (/demo/) in real headless Chromium: endpoint mode streaming from an OpenAI-compatible server with
 * the latency chart, hostile model output, the error messages, and ONNX Runtime Web running MiniLM in the page on
 * wasm (and on WebGPU through SwiftShader when Chromium offers an adapter), checked against lib's Java embedder.
 * Every request the browser makes is read from Chromium's own network log (CDP events via the performance log).
 */
class DemoBrowserTest {
    static final String HOSTILE = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">";
    static final ObjectMapper JSON = new ObjectMapper();
    static ScriptedServer models;
    static OpenAiClient backend;
    static DemoHarness demo;
    static OrtWebAssets ort;
    static String ortMissing;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(
                Files.isExecutable(Browser.CHROMIUM) && Files.isExecutable(Browser.CHROMEDRIVER),
                "needs /usr/bin/chromium and /usr/bin/chromedriver (apt install chromium chromium-driver)");
        models = ScriptedServer.builder()
                .model(
                        "slm-mini",
                        Script.builder()
                                .ttftMs(60)
                                .itlMs(40)
                                .tokens(
                                        "TTFT ",
                                        "is ",
                                        "the ",
                                        "time ",
                                        "to ",
                                        "the ",
                                        "first ",
                                        "token [1]. ",
                                        HOSTILE,
                                        " Measured ",
                                        "per ",
                                        "request.")
                                .build())
                .model(
                        "llm-large",
                        Script.builder()
                                .ttftMs(200)
                                .itlMs(45)
                                .tokens(
                                        "Time ",
                                        "to ",
                                        "first ",
                                        "token ",
                                        "(TTFT) ",
                                        "is ",
                                        "the ",
                                        "delay ",
                                        "before ",
                                        "the ",
                                        "first ",
                                        "token ",
                                        "arrives [1].")
                                .build())
                .start();
        ort = OrtWebAssets.fromEnvironment();
        try {
            ort.install(false); // from the cached `npm pack` tarball (.ci/run puts it there); never the network here
        } catch (IOException e) {
            ortMissing = e.getMessage();
        }
        backend = OpenAiClient.builder().baseUrl(models.baseUrl()).build();
        demo = DemoHarness.serving(backend, ort);
    }

    @AfterAll
    static void stop() {
        if (demo != null) demo.close();
        if (backend != null) backend.close();
        if (models != null) models.close();
    }

    // ---- a Chromium that logs its network traffic
    // --------------------------------------------------------------------

    record Chromium(ChromeDriver driver) implements AutoCloseable {
        static Chromium start(boolean webgpu) {
            System.setProperty("SE_OFFLINE", "true");
            ChromeOptions o = new ChromeOptions();
            o.setBinary(Browser.CHROMIUM.toFile());
            o.addArguments(
                    "--headless=new",
                    "--no-sandbox",
                    "--window-size=1400,1250",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--no-first-run",
                    "--disable-sync",
                    "--disable-dev-shm-usage",
                    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1");
            if (webgpu) {
                // WebGPU on the CPU: Chromium's SwiftShader Vulkan adapter; no --disable-gpu here
                o.addArguments(
                        "--enable-unsafe-webgpu",
                        "--enable-unsafe-swiftshader",
                        "--use-webgpu-adapter=swiftshader",
                        "--use-angle=swiftshader",
                        "--enable-features=Vulkan");
            } else {
                o.addArguments("--disable-gpu");
            }
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.BROWSER, Level.ALL);
            logs.enable(LogType.PERFORMANCE, Level.ALL);
            o.setCapability("goog:loggingPrefs", logs);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(Browser.CHROMEDRIVER.toFile())
                    .usingAnyFreePort()
                    .build();
            ChromeDriver d = new ChromeDriver(service, o);
            d.manage().timeouts().scriptTimeout(Duration.ofSeconds(120));
            return new Chromium(d);
        }

        WebDriverWait waitFor(long seconds) {
            return new WebDriverWait(driver, Duration.ofSeconds(seconds), Duration.ofMillis(25));
        }

        Object js(String script, Object... args) {
            return ((JavascriptExecutor) driver).executeScript(script, args);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> embed(String text, String ep) {
            Object r = ((JavascriptExecutor) driver)
                    .executeAsyncScript(
                            "const done = arguments[arguments.length - 1];"
                                    + "window.demoEmbed(arguments[0], arguments[1]).then(done, e => done({error: String(e && e.stack || e)}));",
                            text,
                            ep);
            Map<String, Object> m = (Map<String, Object>) r;
            assertNull(m.get("error"), () -> "in-page embedding failed: " + m.get("error"));
            return m;
        }

        void open(String url) {
            driver.get(url);
            waitFor(60)
                    .until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready"))
                            || !d.findElement(By.id("endpoint-status"))
                                            .getText()
                                            .isEmpty()
                                    && d.findElement(By.id("endpoint-status"))
                                            .getDomAttribute("class")
                                            .contains("error"));
        }

        /** Every URL Chromium requested since the last call (Network.requestWillBeSent), workers included. */
        List<String> requestedUrls() {
            List<String> urls = new ArrayList<>();
            for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE)) {
                try {
                    JsonNode m = JSON.readTree(e.getMessage()).path("message");
                    if (m.path("method").asText().equals("Network.requestWillBeSent")) {
                        urls.add(m.path("params").path("request").path("url").asText());
                    }
                } catch (IOException ex) {
                    throw new IllegalStateException(ex);
                }
            }
            return urls;
        }

        List<LogEntry> consoleErrors() {
            return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                    .toList();
        }

        Path screenshot(String name) throws IOException {
            File f = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Path dir = Files.createDirectories(Path.of("target", "screenshots"));
            return Files.copy(f.toPath(), dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        }

        @Override
        public void close() {
            driver.quit();
        }
    }

    static void assertSameOrigin(List<String> urls, String origin) {
        assertTrue(urls.size() > 3, "the network log saw the page's requests: " + urls);
        List<String> foreign = urls.stream()
                .filter(u ->
                        !u.startsWith(origin + "/") && !u.startsWith("data:") && !u.startsWith("blob:" + origin + "/"))
                .toList();
        assertTrue(foreign.isEmpty(), () -> "requests left the page's origin " + origin + ": " + foreign);
    }

    static double cosine(List<?> a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < b.length; i++) {
            double x = ((Number) a.get(i)).doubleValue();
            dot += x * b[i];
            na += x * x;
            nb += b[i] * (double) b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    /** Short, accented, punctuated, CJK, and longer than the tokenizer's 128-token truncation. */
    static final List<String> TEXTS = List.of(
            "What does TTFT measure?",
            "Naïve café-owners' résumés: don't split U.S.A. (e.g. 3.14) — okay?!",
            "東京 is in Japan; WebGPU runs compute shaders.",
            ("Time to first token is the delay before the first generated token arrives, and it depends on the prompt "
                            + "length, the model size and the hardware. ")
                    .repeat(6));

    // ---- endpoint mode ----------------------------------------------------------------------------------------------

    WebElement send(Chromium b, String which) {
        int before = b.driver.findElements(By.cssSelector(".answer-card")).size();
        b.driver
                .findElement(By.cssSelector("input[name=which][value=" + which + "]"))
                .click();
        b.driver.findElement(By.id("send")).click();
        b.waitFor(10).until(d -> d.findElements(By.cssSelector(".answer-card")).size() > before);
        return b.driver.findElements(By.cssSelector(".answer-card")).get(0);
    }

    static void awaitDone(Chromium b, WebElement card) {
        b.waitFor(20)
                .until(d -> card.findElement(By.cssSelector(".metrics")).getDomAttribute("data-total-ms") != null
                        || !card.findElements(By.cssSelector(".error")).isEmpty());
    }

    @SuppressWarnings("unchecked")
    static List<Integer> chartPoints(Chromium b) {
        return ((List<Object>) b.js("return document.getElementById('chart').data.map(t => t.y.length)"))
                .stream().map(x -> ((Number) x).intValue()).toList();
    }

    @Test
    void endpointModeStreamsRendersModelTextAsTextAndChartsEachRunPerModel() throws Exception {
        try (Chromium b = Chromium.start(false)) {
            b.open(demo.url());
            assertEquals(
                    List.of("llm-large", "slm-mini"),
                    new Select(b.driver.findElement(By.id("model-slm")))
                            .getOptions().stream().map(WebElement::getText).toList());
            // preselected by size hint in the id: the "mini" one as SLM, the "large" one as LLM
            assertEquals(
                    "slm-mini",
                    new Select(b.driver.findElement(By.id("model-slm")))
                            .getFirstSelectedOption()
                            .getText());
            assertEquals(
                    "llm-large",
                    new Select(b.driver.findElement(By.id("model-llm")))
                            .getFirstSelectedOption()
                            .getText());

            // every change of the answer's text, seen by the page itself (polling from here would miss 25 ms steps)
            b.js(
                    "window.__lengths = []; new MutationObserver(() => { const a = document.querySelector('#answers .answer');"
                            + " if (a) window.__lengths.push(a.textContent.length); }).observe(document.getElementById('answers'),"
                            + " {subtree: true, childList: true, characterData: true});");
            WebElement card = send(b, "slm");
            awaitDone(b, card);
            @SuppressWarnings("unchecked")
            List<Object> lengths = (List<Object>) b.js("return [...new Set(window.__lengths)]");
            // 12 tokens 40 ms apart; a loaded machine may hand the page two or three events in one read
            assertTrue(lengths.size() >= 5, "the answer grew piece by piece: " + lengths);
            WebElement answer = card.findElement(By.cssSelector(".answer"));
            assertTrue(answer.getText().contains(HOSTILE), answer.getText());
            assertTrue(
                    b.driver
                            .findElements(By.cssSelector("#answers img, #answers script"))
                            .isEmpty(),
                    "no element from model text");
            assertNull(b.js("return window.pwned"), "model output ran code");
            String metrics = card.findElement(By.cssSelector(".metrics")).getText();
            assertTrue(metrics.matches("TTFT \\d+ ms · total \\d+ ms · 12 tokens · [\\d.]+ tok/s"), metrics);
            double ttft = Double.parseDouble(
                    card.findElement(By.cssSelector(".metrics")).getDomAttribute("data-ttft-ms"));
            assertTrue(ttft >= 60, "TTFT includes the server's scripted 60 ms: " + ttft);

            // RAG context: the lib's grounded system prompt, and the matching paragraph (¶1 is about TTFT) first
            JsonNode req = models.requests().get(models.requests().size() - 1).json();
            assertTrue(
                    req.path("messages").get(0).path("content").asText().contains("ONLY the numbered context"),
                    req.toString());
            String user = req.path("messages").get(1).path("content").asText();
            assertTrue(
                    user.startsWith("Context:\n[1] paragraph 1\nTime to first token")
                            && user.endsWith("Question: What does TTFT measure?"),
                    user);
            assertTrue(
                    req.path("stream").asBoolean()
                            && req.path("stream_options").path("include_usage").asBoolean(),
                    req.toString());
            assertTrue(card.getText().contains("context: ¶1"), card.getText());

            awaitDone(b, send(b, "llm"));
            assertEquals(
                    List.of(1, 1, 1, 1, 0, 0), chartPoints(b), "one point per run, TTFT and total, for each model");
            b.driver.findElement(By.id("send-both")).click();
            b.waitFor(30).until(d -> chartPoints(b).equals(List.of(2, 2, 2, 2, 0, 0)));
            WebElement llm =
                    b.driver.findElements(By.cssSelector(".answer-card.llm")).get(0);
            assertTrue(
                    llm.findElement(By.cssSelector(".answer")).getText().startsWith("Time to first token (TTFT)"),
                    llm.getText());
            b.screenshot("demo-endpoint");

            // a model the endpoint does not have
            b.js(
                    "const s = document.getElementById('model-slm'); s.add(new Option('ghost-model', 'ghost-model')); s.value = 'ghost-model';");
            WebElement ghost = send(b, "slm");
            awaitDone(b, ghost);
            assertTrue(
                    ghost.findElement(By.cssSelector(".error"))
                            .getText()
                            .contains("model 'ghost-model' is not available"),
                    ghost.getText());
            assertEquals(List.of(2, 2, 2, 2, 0, 0), chartPoints(b), "a failed run adds no point");
            assertSameOrigin(b.requestedUrls(), demo.origin());
            var errors = b.consoleErrors().stream()
                    .filter(e -> !e.getMessage().contains("404"))
                    .toList();
            assertTrue(errors.isEmpty(), () -> "console errors: " + errors);
        }
    }

    @Test
    void endpointDownIsShownNotBlank() throws Exception {
        try (Chromium b = Chromium.start(false)) {
            try (DemoHarness noApi = DemoHarness.pageOnly(ort)) { // the page's server, with nothing at /v1
                b.open(noApi.url());
                String s = b.driver.findElement(By.id("endpoint-status")).getText();
                assertTrue(s.contains("Cannot reach the model endpoint") && s.contains("serve.java"), s);
                assertTrue(b.driver
                        .findElement(By.id("send"))
                        .getDomProperty("disabled")
                        .equals("true"));
            }
            DemoHarness dying = DemoHarness.serving(backend, ort);
            b.open(dying.url());
            dying.close(); // the server goes away after the page loaded
            WebElement card = send(b, "slm");
            awaitDone(b, card);
            String err = card.findElement(By.cssSelector(".error")).getText();
            assertTrue(err.contains("Cannot reach") && err.contains("is the server still running?"), err);
            b.screenshot("demo-endpoint-down");
        }
    }

    // ---- in-browser mode --------------------------------------------------------------------------------------------

    @Test
    void ortWebMissingSaysHowToGetItWhileEndpointModeWorks() throws Exception {
        OrtWebAssets none = new OrtWebAssets(
                tmp.resolve("ort-web/onnxruntime-web-" + OrtWebAssets.VERSION), OrtWebAssets.INTEGRITY);
        try (Chromium b = Chromium.start(false);
                DemoHarness bare = DemoHarness.serving(backend, none)) {
            b.open(bare.url());
            String s = b.driver.findElement(By.id("ort-status")).getText();
            assertTrue(s.contains("npm pack onnxruntime-web@" + OrtWebAssets.VERSION) && s.contains("Download"), s);
            assertTrue(b.driver.findElement(By.id("ort-download")).isDisplayed());
            // not downloaded yet is a step to take, shown neutrally, until the user asks for the in-page model
            assertEquals(
                    "status info", b.driver.findElement(By.id("ort-status")).getDomAttribute("class"));
            b.driver.findElement(By.id("match")).click();
            assertTrue(b.driver.findElement(By.id("ort-status")).getText().contains("is not in"));
            assertEquals(
                    "status error", b.driver.findElement(By.id("ort-status")).getDomAttribute("class"));
            awaitDone(b, send(b, "slm"));
            assertEquals(List.of(1, 1, 0, 0, 0, 0), chartPoints(b));
            b.screenshot("demo-ort-missing");
        }
    }

    @Test
    void inBrowserWasmEmbeddingsMatchJavaAndHighlightTheBestParagraph() throws Exception {
        Assumptions.assumeTrue(ortMissing == null, () -> "ONNX Runtime Web not cached: " + ortMissing);
        try (Chromium b = Chromium.start(false)) {
            b.open(demo.url());
            String s = b.driver.findElement(By.id("ort-status")).getText();
            assertTrue(s.contains("wasm fallback"), "headless Chromium without a GPU says why it falls back: " + s);
            new Select(b.driver.findElement(By.id("ep"))).selectByValue("auto");
            b.driver.findElement(By.id("match")).click();
            b.waitFor(120)
                    .until(d -> d.findElement(By.id("ort-status")).getText().startsWith("Best match")
                            || d.findElement(By.id("ort-status"))
                                    .getDomAttribute("class")
                                    .contains("error"));
            assertTrue(
                    b.driver.findElement(By.id("ort-status")).getText().startsWith("Best match: ¶1"),
                    b.driver.findElement(By.id("ort-status")).getText());
            WebElement used = b.driver.findElement(By.id("ep-used"));
            assertEquals("wasm", used.getDomAttribute("data-ep"));
            assertTrue(used.getText().contains("wasm fallback: navigator.gpu"), used.getText());
            List<WebElement> matches = b.driver.findElements(By.cssSelector("#paragraphs li.match"));
            assertTrue(
                    !matches.isEmpty()
                            && matches.get(0).getDomAttribute("data-index").equals("0"),
                    "¶1 highlighted");
            assertEquals(
                    6, b.driver.findElements(By.cssSelector("#timings li")).size(), "question + 5 paragraphs timed");
            b.screenshot("demo-in-browser-wasm");

            Embedder java = Embedder.miniLm();
            for (String text : TEXTS) {
                Map<String, Object> r = b.embed(text, "wasm");
                assertEquals("wasm", r.get("ep"));
                double c = cosine((List<?>) r.get("vector"), java.embed(text));
                System.out.printf(
                        "in-browser (wasm) vs Java MiniLM cosine %.6f, %.1f ms: %.40s%n",
                        c, ((Number) r.get("ms")).doubleValue(), text);
                assertTrue(c > 0.999, "cosine " + c + " for " + text);
            }

            assertEquals(
                    "1", used.getDomAttribute("data-threads"), "2 cores here: ORT picks min(4, cores / 2) threads");

            // with the page's model loaded, endpoint-mode RAG picks its context with it
            awaitDone(b, send(b, "slm"));
            assertTrue(b.driver
                    .findElement(By.cssSelector(".answer-card .context"))
                    .getText()
                    .contains("MiniLM in this page (wasm)"));
            assertSameOrigin(b.requestedUrls(), demo.origin());
            var errors = b.consoleErrors();
            assertTrue(errors.isEmpty(), () -> "console errors: " + errors);

            // multi-threaded wasm, what laptops with 4+ cores get by default: needs the page's COOP/COEP isolation
            b.open(demo.url() + "?threads=2");
            for (String text : List.of(TEXTS.get(0), TEXTS.get(3))) {
                Map<String, Object> r = b.embed(text, "wasm");
                assertEquals(true, r.get("isolated"), "crossOriginIsolated");
                assertEquals(2L, ((Number) r.get("threads")).longValue());
                double c = cosine((List<?>) r.get("vector"), java.embed(text));
                System.out.printf(
                        "in-browser (wasm, 2 threads) vs Java MiniLM cosine %.6f, %.1f ms: %.40s%n",
                        c, ((Number) r.get("ms")).doubleValue(), text);
                assertTrue(c > 0.999, "cosine " + c + " for " + text);
            }
            assertSameOrigin(b.requestedUrls(), demo.origin());
            var threadErrors = b.consoleErrors();
            assertTrue(threadErrors.isEmpty(), () -> "console errors: " + threadErrors);
        }
    }

    /**
     * WebGPU on the CPU through SwiftShader. When Chromium offers an adapter, the page must run the WebGPU EP, rank the
     * paragraphs like wasm, and agree with its own wasm EP and with Java; when it does not, the page must say "wasm
     * fallback" and why. Tolerance: this MiniLM quantizes its activations to int8 at run time (DynamicQuantizeLinear,
     * scale from each tensor's min/max), so float differences of the GPU kernels in the 6th digit can move whole
     * tensors to the next int8 step: measured here WebGPU vs wasm 0.9975–1.0000 (wasm vs Java ≥ 0.9991). 0.995 still
     * catches a wrong bundle or kernel (ort.all.min.mjs on WebGPU gives unrelated vectors).
     */
    @Test
    void webGpuThroughSwiftShaderAgreesWithWasmOrFallsBackVisibly() throws Exception {
        Assumptions.assumeTrue(ortMissing == null, () -> "ONNX Runtime Web not cached: " + ortMissing);
        try (Chromium b = Chromium.start(true)) {
            b.open(demo.url());
            Object adapter = ((JavascriptExecutor) b.driver)
                    .executeAsyncScript(
                            "const done = arguments[0];"
                                    + "(navigator.gpu ? navigator.gpu.requestAdapter() : Promise.resolve(null))"
                                    + ".then(a => done(a ? (a.info ? a.info.vendor + ' ' + a.info.architecture + ' ' + a.info.description : 'adapter') : null), e => done(null));");
            System.out.println("WebGPU adapter under SwiftShader: " + adapter);
            if (adapter == null) {
                Map<String, Object> r = b.embed(TEXTS.get(0), "webgpu");
                assertEquals("wasm", r.get("ep"));
                assertTrue(String.valueOf(r.get("note")).startsWith("wasm fallback: "), String.valueOf(r.get("note")));
                Assumptions.abort("no WebGPU adapter in this Chromium; the wasm fallback was shown: " + r.get("note"));
            }
            new Select(b.driver.findElement(By.id("ep"))).selectByValue("webgpu");
            b.driver.findElement(By.id("match")).click();
            b.waitFor(180)
                    .until(d -> d.findElement(By.id("ort-status")).getText().startsWith("Best match")
                            || d.findElement(By.id("ort-status"))
                                    .getDomAttribute("class")
                                    .contains("error"));
            WebElement used = b.driver.findElement(By.id("ep-used"));
            assertEquals("webgpu", used.getDomAttribute("data-ep"), used.getText());
            assertTrue(
                    b.driver.findElement(By.id("ort-status")).getText().startsWith("Best match: ¶1"),
                    b.driver.findElement(By.id("ort-status")).getText());
            b.screenshot("demo-in-browser-webgpu");
            Embedder java = Embedder.miniLm();
            List<String> failures = new ArrayList<>();
            // each new sequence length compiles new shaders on SwiftShader (seconds each): three texts, not four
            for (String text : List.of(TEXTS.get(0), TEXTS.get(1), TEXTS.get(3))) {
                Map<String, Object> gpu = b.embed(text, "webgpu");
                Map<String, Object> cpu = b.embed(text, "wasm");
                assertEquals("webgpu", gpu.get("ep"));
                float[] cpuVec = new float[384];
                for (int i = 0; i < 384; i++) cpuVec[i] = ((Number) ((List<?>) cpu.get("vector")).get(i)).floatValue();
                double vsWasm = cosine((List<?>) gpu.get("vector"), cpuVec);
                double vsJava = cosine((List<?>) gpu.get("vector"), java.embed(text));
                System.out.printf(
                        "in-browser WebGPU vs wasm cosine %.6f, vs Java %.6f; %.1f ms (wasm %.1f ms): %.40s%n",
                        vsWasm,
                        vsJava,
                        ((Number) gpu.get("ms")).doubleValue(),
                        ((Number) cpu.get("ms")).doubleValue(),
                        text);
                if (!(vsWasm > 0.995 && vsJava > 0.995))
                    failures.add("WebGPU vs wasm " + vsWasm + ", vs Java " + vsJava + " for " + text);
            }
            assertTrue(failures.isEmpty(), failures::toString);
            assertSameOrigin(b.requestedUrls(), demo.origin());
        }
    }
}
