package dev.edgeai.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/** Regenerated chart reports open offline in real headless Chromium, render their plots, and can be screenshot. */
class ChartsBrowserTest {
    @TempDir Path tmp;

    @Test
    void reportsRenderOfflineWithoutConsoleErrorsAndPngsAreWritten() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("results"));
        for (Path p : ScriptRunner.jsonFiles(ScriptRunner.ROOT.resolve("data/results/examples"))) Files.copy(p, dir.resolve(p.getFileName()));
        var r = ScriptRunner.jbang(Map.of(), "scripts/charts.java", dir.toString(), "--png");
        assertEquals(0, r.exitCode(), r::toString);

        try (Browser browser = Browser.start()) {   // --host-resolver-rules: any network request would fail loudly
            for (String name : new String[] {"benchmark-example", "model_compare-example", "evaluate-example"}) {
                Path png = dir.resolve(name + ".png");
                assertTrue(Files.isRegularFile(png) && Files.size(png) > 10_000, "screenshot " + png);
                browser.driver.get(dir.resolve(name + ".html").toUri().toString());
                int plots = browser.waitFor(20).until(d -> {
                    int n = d.findElements(By.cssSelector(".js-plotly-plot svg.main-svg")).size();
                    return n > 0 ? n : null;
                });
                int divs = browser.driver.findElements(By.cssSelector(".js-plotly-plot")).size();
                assertTrue(plots >= divs && divs >= 2, name + ": " + divs + " plot divs, " + plots + " rendered svgs");
                assertTrue(browser.driver.getPageSource().contains("EXAMPLE DATA"), "synthetic examples are labelled");
                var errors = browser.consoleErrors();
                assertTrue(errors.isEmpty(), () -> name + " console errors: " + errors);
                browser.screenshot("chart-" + name);
            }
        }
    }
}
