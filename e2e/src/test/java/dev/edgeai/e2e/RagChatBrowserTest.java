package dev.edgeai.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.client.OpenAiClient;
import dev.edgeai.http.LocalGuard;
import dev.edgeai.retrieval.Retriever;
import dev.edgeai.testkit.Script;
import dev.edgeai.testkit.ScriptedServer;
import dev.edgeai.web.RagChatApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The RAG chat app in real headless Chromium, answered by a scripted OpenAI-compatible server over HTTP. */
class RagChatBrowserTest {
    static final String HOSTILE = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">";
    static ScriptedServer server;
    static OpenAiClient backend;
    static RagChatApp app;
    static Browser browser;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        server = ScriptedServer.builder()
                .model("phi-4-mini", answer(30))
                .model(
                        "slow-model",
                        Script.builder().ttftMs(50).itlMs(150).tokenCount(200).build())
                .start();
        backend = OpenAiClient.builder().baseUrl(server.baseUrl()).build();
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        try (Stream<Path> s = Files.list(ScriptRunner.ROOT.resolve("data/docs"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".md")).toList())
                Files.copy(p, docs.resolve(p.getFileName()));
        }
        Retriever retriever = Retriever.open(docs, Retriever.Options.defaults().withCacheDir(tmp.resolve("index")));
        app = RagChatApp.start(
                backend,
                retriever,
                RagChatApp.Config.defaults(tmp.resolve("data"))
                        .withModel("phi-4-mini")
                        .withMaxUploadBytes(20_000));
        browser = Browser.start();
    }

    static Script answer(long itlMs) {
        return Script.builder()
                .ttftMs(120)
                .itlMs(itlMs)
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
                        " **Measured** ",
                        "per ",
                        "request.")
                .build();
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (app != null) app.close();
        if (backend != null) backend.close();
        if (server != null) server.close();
    }

    @BeforeEach
    void freshPage() {
        browser.driver.get(app.url());
        ((JavascriptExecutor) browser.driver).executeScript("localStorage.clear()");
        browser.driver.navigate().refresh();
        browser.waitFor(10).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#starters button")));
    }

    WebElement ask(String question) {
        var box = browser.driver.findElement(By.id("question"));
        box.sendKeys(question);
        browser.driver.findElement(By.id("send")).click();
        return browser.waitFor(10).until(d -> {
            List<WebElement> answers = d.findElements(By.cssSelector(".msg.assistant"));
            return answers.isEmpty() ? null : answers.get(answers.size() - 1);
        });
    }

    void awaitDone(WebElement answer) {
        browser.waitFor(20)
                .until(d ->
                        !answer.findElements(By.cssSelector(".latency, .error")).isEmpty());
    }

    @Test
    void streamsAnswerWithCitationsLatencyAndShowsHostileHtmlAsText() throws Exception {
        WebElement msg = ask("What does TTFT measure?");
        // streamed: partial text is visible before the answer is complete
        List<String> seen = new ArrayList<>();
        browser.waitFor(10).until(d -> {
            String t = msg.findElement(By.cssSelector(".answer")).getText();
            if (!t.isEmpty() && (seen.isEmpty() || !seen.get(seen.size() - 1).equals(t))) seen.add(t);
            return !msg.findElements(By.cssSelector(".latency")).isEmpty();
        });
        assertTrue(seen.size() >= 3, "expected to see the answer grow, saw " + seen);

        WebElement answer = msg.findElement(By.cssSelector(".answer"));
        assertTrue(answer.getText().contains("<script>window.pwned=1</script>"), answer.getText());
        assertTrue(answer.findElements(By.tagName("img")).isEmpty(), "no <img> element from model output");
        assertTrue(answer.findElements(By.tagName("script")).isEmpty(), "no <script> element from model output");
        assertNull(((JavascriptExecutor) browser.driver).executeScript("return window.pwned"), "model output ran code");
        assertEquals("Measured", answer.findElement(By.tagName("strong")).getText(), "markdown is rendered");

        String latency = msg.findElement(By.cssSelector(".latency .metrics")).getText();
        assertTrue(latency.contains("TTFT") && latency.contains("total") && latency.contains("tokens"), latency);
        assertTrue(msg.findElement(By.cssSelector("details.retrieval summary"))
                .getText()
                .contains("chunk"));

        answer.findElement(By.cssSelector("a.cite")).click();
        WebElement panel =
                browser.waitFor(5).until(ExpectedConditions.visibilityOfElementLocated(By.id("source-panel")));
        assertTrue(panel.findElement(By.id("source-title")).getText().contains("[1]"));
        assertTrue(panel.findElement(By.id("source-title")).getText().contains(".md"), "citation names its file");
        assertFalse(panel.findElement(By.id("source-text")).getText().isBlank());
        browser.screenshot("rag-answer");
        // with the panel open the question box, Send and Settings are still usable (clicked like a user would)
        browser.driver.findElement(By.id("settings-toggle")).click();
        assertTrue(browser.driver.findElement(By.id("settings")).isDisplayed());
        WebElement next = ask("What is BM25?");
        awaitDone(next);
        assertTrue(panel.isDisplayed(), "asking again leaves the source panel open");
        browser.driver.findElement(By.tagName("body")).sendKeys(org.openqa.selenium.Keys.ESCAPE);
        browser.waitFor(5).until(ExpectedConditions.invisibilityOfElementLocated(By.id("source-panel")));
        System.out.println("RAG app overhead: " + latency);
        var errors = browser.consoleErrors();
        assertTrue(errors.isEmpty(), () -> "console errors: " + errors);
    }

    /**
     * Benchmark, not a timed assertion: the app's own overhead = time from pressing Send to the first token shown in
     * the browser, minus the backend's TTFT for that request (includes the browser→app request, retrieval with
     * query embedding, prompt building, and the token's way back). Printed for the closing note.
     */
    @Test
    void measuresTheAppOverheadAboveBackendTtft() {
        List<Double> overhead = new ArrayList<>();
        List<Double> retrieval = new ArrayList<>();
        List<String> questions = List.of(
                "What does TTFT measure?",
                "How does int4 quantization save memory?",
                "What is WebGPU?",
                "How do I find Foundry Local's port?",
                "Why pick a small language model?",
                "What is BM25?",
                "What does ONNX Runtime do?",
                "How is TPOT computed?",
                "What is a KV cache?",
                "What is RAG?");
        for (String q : questions) {
            WebElement msg = ask(q);
            awaitDone(msg);
            var line = msg.findElement(By.cssSelector(".latency"));
            if (line.getDomAttribute("data-ttft-ms").isEmpty()) continue; // "no relevant context": no model call
            double ttft = Double.parseDouble(line.getDomAttribute("data-ttft-ms"));
            double shown = Double.parseDouble(line.getDomAttribute("data-shown-first-token-ms"));
            overhead.add(shown - ttft);
            retrieval.add(Double.parseDouble(line.getDomAttribute("data-retrieval-ms")));
        }
        assertTrue(overhead.size() >= 5, "enough answered questions: " + overhead);
        var o = dev.edgeai.metrics.Stats.of(overhead.subList(1, overhead.size())); // the first pays JIT warmup
        var rt = dev.edgeai.metrics.Stats.of(retrieval.subList(1, retrieval.size()));
        System.out.printf(
                "RAG app overhead (browser first token - backend TTFT) over %d questions: median %.1f ms, p95 %.1f ms;"
                        + " of which retrieval median %.1f ms; first question %.1f ms%n",
                o.n(), o.p50(), o.p95(), rt.p50(), overhead.get(0));
        assertTrue(o.p50() > 0, "the browser cannot show a token before the backend made it");
    }

    @Test
    void conversationSurvivesReloadAndFeedbackIsSaved() throws Exception {
        WebElement msg = ask("How does int4 quantization save memory?");
        awaitDone(msg);
        for (WebElement b : msg.findElements(By.cssSelector("button.feedback"))) { // icons that need no emoji font
            assertTrue(b.getText().isBlank(), "no emoji text: " + b.getText());
            assertFalse(b.findElements(By.cssSelector("svg path")).isEmpty(), "inline SVG icon");
            assertTrue(
                    List.of("Good answer", "Bad answer").contains(b.getDomAttribute("aria-label")),
                    b.getDomAttribute("aria-label"));
            assertEquals(b.getDomAttribute("aria-label"), b.getDomAttribute("title"));
            assertTrue(b.getSize().getWidth() >= 16 && b.getSize().getHeight() >= 16, "visible: " + b.getSize());
        }
        WebElement up = msg.findElement(By.cssSelector("button.feedback[data-rating='up']"));
        up.click();
        browser.waitFor(5).until(d -> "true".equals(up.getDomAttribute("aria-pressed")));
        browser.screenshot("rag-feedback-icons");
        Path feedback = tmp.resolve("data/feedback/rag_feedback.jsonl");
        browser.waitFor(5).until(d -> Files.exists(feedback));
        String line = Files.readString(feedback);
        assertTrue(line.contains("\"rating\":\"up\"") && line.contains("int4"), line);

        browser.driver.navigate().refresh();
        browser.waitFor(10)
                .until(d -> d.findElements(By.cssSelector(".msg.user")).size() == 1);
        assertTrue(browser.driver
                .findElement(By.cssSelector(".msg.user"))
                .getText()
                .contains("int4"));
        assertFalse(browser.driver
                .findElement(By.cssSelector(".msg.assistant .answer"))
                .getText()
                .isBlank());
    }

    @Test
    void offTopicQuestionSaysThereIsNoContext() {
        WebElement msg = ask("Give me a recipe for banana bread");
        awaitDone(msg);
        assertTrue(msg.getText().contains("could not find anything"), msg.getText());
    }

    @Test
    void uploadIsIndexedAndCitedAndBadUploadsAreRefused() throws Exception {
        browser.driver.findElement(By.id("settings-toggle")).click();
        Path note = Files.writeString(
                tmp.resolve("zorblat-notes.md"),
                "# Zorblat accelerator\n\nThe Zorblat accelerator runs quantized zorblat kernels at 42 petaflops on a single chip.\n");
        upload(note);
        String status = browser.waitFor(10).until(d -> {
            String t = d.findElement(By.id("upload-status")).getText();
            return t.isEmpty() ? null : t;
        });
        assertTrue(status.contains("Added uploads/zorblat-notes.md"), status);

        WebElement msg = ask("How fast is the Zorblat accelerator?");
        awaitDone(msg);
        msg.findElement(By.cssSelector(".answer a.cite")).click();
        browser.waitFor(5).until(ExpectedConditions.visibilityOfElementLocated(By.id("source-panel")));
        assertTrue(browser.driver.findElement(By.id("source-title")).getText().contains("uploads/zorblat-notes.md"));

        // a restarted app (same data folder, fresh index) still knows the upload
        Retriever fresh =
                Retriever.open(tmp.resolve("docs"), Retriever.Options.defaults().withCacheDir(tmp.resolve("index")));
        try (RagChatApp again = RagChatApp.start(backend, fresh, RagChatApp.Config.defaults(tmp.resolve("data")))) {
            var hits = fresh.search("How fast is the Zorblat accelerator?").hits();
            assertEquals("uploads/zorblat-notes.md", hits.get(0).source(), "upload re-indexed after restart");
            assertTrue(again.port() > 0);
        }

        Path big = Files.writeString(tmp.resolve("big.md"), "word ".repeat(10_000));
        upload(big);
        browser.waitFor(10)
                .until(d -> d.findElement(By.id("upload-status")).getText().contains("too large"));
        Path exe = Files.write(tmp.resolve("tool.exe"), new byte[] {0x4d, 0x5a, 0, 0});
        upload(exe);
        browser.waitFor(10)
                .until(d -> d.findElement(By.id("upload-status")).getText().contains("file type not allowed"));
        browser.screenshot("rag-upload-refused");
    }

    void upload(Path file) {
        browser.driver.findElement(By.id("upload-status")).getText();
        ((JavascriptExecutor) browser.driver).executeScript("document.getElementById('upload-status').textContent=''");
        browser.driver.findElement(By.id("upload")).sendKeys(file.toString());
        browser.driver.findElement(By.cssSelector("#upload-form button")).click();
    }

    @Test
    void stopButtonEndsGeneration() {
        browser.driver.findElement(By.id("settings-toggle")).click(); // the model picker lives in the settings panel
        new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("model")))
                .selectByValue("slow-model");
        WebElement msg = ask("What does TTFT measure?");
        browser.waitFor(10)
                .until(d ->
                        !msg.findElement(By.cssSelector(".answer")).getText().isEmpty());
        browser.driver.findElement(By.id("stop")).click();
        awaitDone(msg);
        browser.waitFor(10).until(d -> server.inFlight() == 0);
        assertTrue(msg.findElement(By.cssSelector(".latency")).getText().contains("tokens"));
        // 200 tokens at 150 ms would take 30 s; stopping ended it long before
        String words = msg.findElement(By.cssSelector(".answer")).getText();
        assertTrue(words.split("\\s+").length < 150, words);
    }

    /** A page on another origin (another port of 127.0.0.1) that posts to the app the ways a page can without asking. */
    static final String FOREIGN_PAGE = """
            <!doctype html><meta charset="utf-8"><title>foreign</title>
            <script>
            (async () => {
              const app = new URLSearchParams(location.search).get('app');
              const out = [];
              const fd = new FormData();
              fd.append('file', new Blob(['# Planted\\n\\nZorblat planted by another site.'], {type: 'text/markdown'}), 'planted.md');
              for (const [name, req] of [
                  ['upload', fetch(app + 'api/upload', {method: 'POST', mode: 'no-cors', body: fd})],
                  ['chat', fetch(app + 'api/chat', {method: 'POST', mode: 'no-cors', headers: {'Content-Type': 'text/plain'},
                      body: JSON.stringify({session: 'foreign-session-1', message: 'What does TTFT measure?'})})],
                  ['blob', fetch(app + 'api/chat', {method: 'POST', mode: 'no-cors',
                      body: new Blob([JSON.stringify({session: 'foreign-session-1', message: 'What is RAG?'})])})],
                  ['config', fetch(app + 'api/config')]]) {
                try { const r = await req; out.push(name + ':' + r.type + ':' + r.status); }
                catch (e) { out.push(name + ':blocked'); }
              }
              document.title = 'done ' + out.join(' ');
            })();
            </script>""";

    @Test
    void aPageOnAnotherOriginCannotUploadAskOrRead() throws Exception {
        var foreign = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        foreign.createContext("/", ex -> {
            byte[] b = FOREIGN_PAGE.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        foreign.start();
        try {
            int chats = chatRequests();
            int chunks = documents();
            browser.driver.get("http://127.0.0.1:" + foreign.getAddress().getPort() + "/?app=" + app.url());
            String title = browser.waitFor(20).until(d -> d.getTitle().startsWith("done") ? d.getTitle() : null);
            // no-cors requests resolve with an opaque answer: they were sent and answered (refused, see below)
            assertTrue(
                    title.contains("upload:opaque") && title.contains("chat:opaque") && title.contains("blob:opaque"),
                    title);
            assertTrue(title.contains("config:blocked"), "no CORS for a foreign page: " + title);
            assertFalse(Files.exists(tmp.resolve("data/uploads/planted.md")), "the planted upload was not saved");
            assertEquals(chunks, documents(), "the index is unchanged");
            assertEquals(chats, chatRequests(), "the model was not asked");
        } finally {
            foreign.stop(0);
        }
    }

    @Test
    void aRebindingPageSeesOnlyARefusal() throws Exception {
        // Chromium resolving attacker.example to 127.0.0.1, as a page whose DNS was rebound does
        try (Browser rebound = Browser.start("MAP attacker.example 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1")) {
            int chats = chatRequests();
            rebound.driver.get("http://attacker.example:" + app.port() + "/api/config");
            String body = rebound.driver.findElement(By.tagName("body")).getText();
            assertTrue(body.contains("host_not_allowed") && body.contains("--allowed-hosts"), body);
            assertFalse(body.contains("defaultModel"), body);
            rebound.driver.get("http://attacker.example:" + app.port() + "/");
            assertFalse(rebound.driver.getPageSource().contains("Chat with your documents"), "no page for that name");
            assertEquals(chats, chatRequests());
        }
    }

    /** Chunks in the app's index, as /api/config reports them. */
    static int documents() throws Exception {
        var r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(app.url() + "api/config"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(r.body())
                .path("documents")
                .asInt(-1);
    }

    static int chatRequests() {
        return (int) server.requests().stream()
                .filter(r -> r.path().endsWith("/chat/completions"))
                .count();
    }

    @Test
    void pathTraversalAndMalformedRequestsAreRefused() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String boundary = "b0undary";
        String body =
                "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../evil.md\"\r\n"
                        + "Content-Type: text/markdown\r\n\r\n# evil\r\n--" + boundary + "--\r\n";
        var up = http.send(
                HttpRequest.newBuilder(URI.create(app.url() + "api/upload"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .header(LocalGuard.PAGE_HEADER, "1") // a script, as curl would send it: past the guard
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, up.statusCode(), up.body());
        assertTrue(up.body().contains("file name not allowed"), up.body());
        assertFalse(Files.exists(tmp.resolve("evil.md")) || Files.exists(tmp.resolve("data/evil.md")));

        for (String path : List.of(
                "api/chunk/..%2F..%2Fetc%2Fpasswd", "..%2F..%2F..%2Fetc%2Fpasswd", "%2e%2e/%2e%2e/etc/passwd")) {
            var r = http.send(
                    HttpRequest.newBuilder(URI.create(app.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(r.statusCode() >= 400 && !r.body().contains("root:"), path + " -> " + r.statusCode());
        }
        var hist = http.send(
                HttpRequest.newBuilder(URI.create(app.url() + "api/history?session=../../x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, hist.statusCode());
        var notJson = http.send(
                HttpRequest.newBuilder(URI.create(app.url() + "api/chat"))
                        .POST(HttpRequest.BodyPublishers.ofString("hello", StandardCharsets.UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, notJson.statusCode());
    }
}
