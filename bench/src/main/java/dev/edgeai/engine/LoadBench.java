package dev.edgeai.engine;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Load time and memory of opening one model, in a fresh JVM per run (peak RSS is per process): prints one line,
 * {@code load_s=… peak_rss_mb=… rss_mb=…}. bench/realsize.sh runs it alternately with the accuracy-level rewrite on
 * and off ({@code -Dedgeai.engine.accuracyLevel=keep}).
 *
 * <pre>java -cp ... dev.edgeai.engine.LoadBench folder</pre>
 */
public final class LoadBench {
    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        long t0 = System.nanoTime();
        try (LoadedModel m = LoadedModel.load(folder)) {
            double s = (System.nanoTime() - t0) / 1e9;
            // One short generation: a lazily initialised kernel would otherwise hide memory from the figure.
            RealSizeBench.engineRun(m, RealSizeBench.promptIds(16), 2);
            System.out.printf(
                    "%s accuracy level setting %s: load_s=%.2f peak_rss_mb=%d rss_mb=%d%n",
                    m.id(), LoadedModel.ACCURACY_LEVEL, s, status("VmHWM"), status("VmRSS"));
        }
    }

    /** A /proc/self/status field in MB. */
    static long status(String field) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status")))
            if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        return -1;
    }
}
