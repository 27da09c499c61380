package dev.edgeai.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/** Regenerated chart reports open offline in real headless Chromium, render their plots, and can be screenshot. */
class ChartsBrowserTest {
    @TempDir
    Path tmp;

    @Test
    void reportsRenderOfflineWithoutConsoleErrorsAndPngsAreWritten() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("results"));
        for (Path p : ScriptRunner.jsonFiles(ScriptRunner.ROOT.resolve("data/results/examples")))
            Files.copy(p, dir.resolve(p.getFileName()));
        var r = ScriptRunner.jbang(600, Map.of(), "scripts/charts.java", dir.toString(), "--png", "--svg");
        assertEquals(0, r.exitCode(), r::toString);
        assertFalse(r.stderr().contains("images of"), r::toString);

        try (Browser browser = Browser.start()) { // --host-resolver-rules: any network request would fail loudly
            for (String name : new String[] {"benchmark-example", "model_compare-example", "evaluate-example"}) {
                Path png = dir.resolve(name + ".png");
                assertTrue(Files.isRegularFile(png) && Files.size(png) > 10_000, "screenshot " + png);
                browser.driver.get(dir.resolve(name + ".html").toUri().toString());
                int plots = browser.waitFor(20).until(d -> {
                    int n = d.findElements(By.cssSelector(".js-plotly-plot svg.main-svg"))
                            .size();
                    return n > 0 ? n : null;
                });
                int divs = browser.driver
                        .findElements(By.cssSelector(".js-plotly-plot"))
                        .size();
                assertTrue(plots >= divs && divs >= 2, name + ": " + divs + " plot divs, " + plots + " rendered svgs");
                // One slide-sized image per chart, named after it, each with real content.
                List<Path> perChart;
                try (var files = Files.list(dir)) {
                    perChart = files.filter(p -> p.getFileName().toString().startsWith(name + "-")
                                    && p.getFileName().toString().endsWith(".png"))
                            .sorted()
                            .toList();
                }
                assertEquals(divs, perChart.size(), name + ": one PNG per chart: " + perChart);
                for (Path p : perChart) {
                    BufferedImage img = ImageIO.read(p.toFile());
                    assertEquals(1600, img.getWidth(), p.toString());
                    assertEquals(900, img.getHeight(), p.toString());
                    assertTrue(distinctColours(img) > 20, p + " looks blank: " + distinctColours(img) + " colours");
                    Path svg = p.resolveSibling(p.getFileName().toString().replace(".png", ".svg"));
                    assertTrue(Files.readString(svg).startsWith("<svg"), svg.toString());
                }
                BufferedImage page = ImageIO.read(png.toFile());
                assertTrue(page.getHeight() > 900, "full-page screenshot, not just the top: " + page.getHeight());
                int bottom = page.getHeight() - 40; // cut to the page: the last rows are page, not empty window
                assertTrue(
                        distinctColours(page.getSubimage(0, 0, page.getWidth(), bottom)) > 20,
                        "page screenshot has content");
                assertTrue(browser.driver.getPageSource().contains("EXAMPLE DATA"), "synthetic examples are labelled");
                if (name.startsWith("evaluate")) { // the score axis as plotly drew it: 0..1, whatever the scores
                    Object range = ((org.openqa.selenium.JavascriptExecutor) browser.driver)
                            .executeScript("const d = document.querySelector('[id^=fig_score_latency_]');"
                                    + " return d._fullLayout.yaxis.range.map(Number);");
                    assertEquals(List.of(-0.02, 1.02), range, "score axis");
                }
                var errors = browser.consoleErrors();
                assertTrue(errors.isEmpty(), () -> name + " console errors: " + errors);
                browser.screenshot("chart-" + name);
            }
        }
    }

    /** Distinct RGB values on a sparse grid: a blank or single-colour image has one or two. */
    static int distinctColours(BufferedImage img) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3)
            for (int x = 0; x < img.getWidth(); x += 3) seen.add(img.getRGB(x, y) & 0xffffff);
        return seen.size();
    }
}
