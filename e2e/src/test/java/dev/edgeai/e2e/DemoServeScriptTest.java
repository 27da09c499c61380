package dev.edgeai.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.web.OrtWebAssets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * What an attendee does: `./jbang scripts/serve.java` (two fixture models here), then opens the printed /demo/ URL.
 * Tokens come from the embedded ONNX Runtime engine through serve's SSE, and the page's MiniLM model and tokenizer
 * come out of the langchain4j jar on the script's classpath.
 */
class DemoServeScriptTest {
    static final String LLAMA = "tiny-random-LlamaForCausalLM-fp16";
    static final String GQA = "tiny-graph-capture-gqa";
    static final String QWEN = "tiny-random-qwen2.5-instruct-q4";

    @TempDir
    Path tmp;

    @Test
    void serveJavaHostsTheDemoWithStreamingFromBothModelsAndMiniLmInThePage() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(Browser.CHROMIUM) && Files.isExecutable(Browser.CHROMEDRIVER),
                "needs /usr/bin/chromium and /usr/bin/chromedriver (apt install chromium chromium-driver)");
        try (ServeProcess p = ServeProcess.start(
                tmp,
                List.of(
                        "scripts/serve.java",
                        "--port",
                        "0",
                        "--model",
                        ScriptRunner.fixture(LLAMA).toString(),
                        "--model",
                        ScriptRunner.fixture(GQA).toString(),
                        "--model",
                        ScriptRunner.fixture(QWEN).toString(),
                        "--alias",
                        "phi-4-mini=" + LLAMA,
                        "--alias",
                        "gpt-oss-20b=" + GQA))) {
            String url = p.awaitUrl();
            String page = url.replace("/v1", "/demo/");
            try (var b = DemoBrowserTest.Chromium.start(false)) {
                b.open(page);
                var status = b.driver().findElement(By.id("endpoint-status")).getText();
                assertTrue(status.startsWith("5 models at "), status);
                new Select(b.driver().findElement(By.id("model-slm"))).selectByValue("phi-4-mini");
                new Select(b.driver().findElement(By.id("model-llm"))).selectByValue("gpt-oss-20b");
                b.driver().findElement(By.id("use-docs")).click(); // the GQA fixture holds 128 tokens in all
                var max = b.driver().findElement(By.id("max-tokens"));
                max.clear();
                max.sendKeys("24");
                var prompt = b.driver().findElement(By.id("prompt"));
                prompt.clear();
                prompt.sendKeys("Hello, my name is");
                for (int run = 1; run <= 2; run++) {
                    b.driver().findElement(By.id("send-both")).click();
                    int expected = run;
                    b.waitFor(120)
                            .until(d -> DemoBrowserTest.chartPoints(b)
                                            .equals(List.of(expected, expected, expected, expected, 0, 0))
                                    || !d.findElements(By.cssSelector(".answer-card .error"))
                                            .isEmpty());
                    assertTrue(
                            b.driver()
                                    .findElements(By.cssSelector(".answer-card .error"))
                                    .isEmpty(),
                            () -> b.driver()
                                    .findElement(By.cssSelector(".answer-card .error"))
                                    .getText());
                }
                for (WebElement card : b.driver().findElements(By.cssSelector(".answer-card"))) {
                    var m = card.findElement(By.cssSelector(".metrics"));
                    int tokens = Integer.parseInt(m.getDomAttribute("data-tokens"));
                    assertTrue(tokens >= 1 && tokens <= 24, card.getText());
                    // counted by the server (usage), not estimated from chunks
                    assertTrue(
                            m.getText()
                                    .matches("TTFT [\\d.]+ m?s · total [\\d.]+ m?s · \\d+ tokens · ([\\d.]+|–) tok/s"),
                            m.getText());
                    assertTrue(
                            !card.findElement(By.cssSelector(".answer"))
                                    .getText()
                                    .isBlank(),
                            card.getText());
                }

                if (OrtWebAssets.fromEnvironment().installed()) { // DemoBrowserTest installs it from the cached tarball
                    new Select(b.driver().findElement(By.id("ep"))).selectByValue("wasm");
                    b.driver().findElement(By.id("match")).click();
                    b.waitFor(120)
                            .until(d ->
                                    d.findElement(By.id("ort-status")).getText().startsWith("Best match")
                                            || d.findElement(By.id("ort-status"))
                                                    .getDomAttribute("class")
                                                    .contains("error"));
                    assertEquals(
                            "wasm",
                            b.driver().findElement(By.id("ep-used")).getDomAttribute("data-ep"),
                            b.driver().findElement(By.id("ort-status")).getText());
                }
                // the page runs the served onnx-community folder itself (its files come from serve.java), and names
                // the two genai folders it cannot run
                var pageModel = new Select(b.driver().findElement(By.id("page-model")));
                assertEquals(QWEN, pageModel.getFirstSelectedOption().getDomAttribute("value"));
                assertTrue(
                        pageModel.getOptions().stream()
                                        .filter(o -> o.getText().endsWith("(cannot run in the page)"))
                                        .count()
                                == 2,
                        () -> pageModel.getOptions().stream()
                                .map(WebElement::getText)
                                .toList()
                                .toString());
                var ort = OrtWebAssets.fromEnvironment();
                if (ort.installed()
                        && ort.sibling(OrtWebAssets.TOKENIZERS).installed()
                        && ort.sibling(OrtWebAssets.JINJA).installed()) { // DemoGenerateBrowserTest installs them
                    b.driver()
                            .findElement(By.cssSelector("input[name=which][value=page]"))
                            .click();
                    b.driver().findElement(By.id("send")).click();
                    b.waitFor(120)
                            .until(d -> DemoBrowserTest.chartPoints(b).equals(List.of(2, 2, 2, 2, 1, 1))
                                    || !d.findElements(By.cssSelector(".answer-card .error"))
                                            .isEmpty());
                    var card = b.driver()
                            .findElements(By.cssSelector(".answer-card"))
                            .get(0);
                    assertTrue(card.getDomAttribute("class").contains("page"), card.getText());
                    var m = card.findElement(By.cssSelector(".metrics"));
                    assertEquals("wasm", m.getDomAttribute("data-ep"), card.getText());
                    assertTrue(Integer.parseInt(m.getDomAttribute("data-tokens")) >= 1, card.getText());
                }
                b.screenshot("demo-serve-java");
                DemoBrowserTest.assertSameOrigin(b.requestedUrls(), url.replace("/v1", ""));
                assertTrue(p.err().contains("browser demo: " + page), p.err());
            }
        }
    }
}
