package dev.edgeai.eval;

import dev.edgeai.chat.ChatBackend;
import dev.edgeai.discovery.Backends;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The backend an evaluation talks to and the process that serves it: a discovered server (its process found by
 * port) or models loaded into this JVM (load time and RSS before/after measured here).
 *
 * @param models the ids to ask for, in the order given (first = small model, last = large model)
 * @param loads  load figures per model id (embedded only; all models load together, so they share one figure)
 */
public record Serving(ChatBackend backend, List<String> models, ServingProcess process, Map<String, LoadInfo> loads) {

    /**
     * Opens the backend with {@code choose} (e.g. the script's model options, see {@link Backends#choose}) and
     * measures what loading models into this JVM cost.
     */
    public static Serving open(Supplier<Backends.Chosen> choose, PrintStream log) {
        ServingProcess self = ServingProcess.self();
        long rss0 = self.rssBytes();
        long t0 = System.nanoTime();
        Backends.Chosen chosen = choose.get();
        if (!chosen.embedded()) {
            ServingProcess p = ServingProcess.forUrl(chosen.backend().info().url());
            log.println("serving process: " + p.description());
            return new Serving(chosen.backend(), chosen.ids(), p, Map.of());
        }
        LoadInfo load = new LoadInfo((System.nanoTime() - t0) / 1e6, rss0, self.rssBytes());
        Map<String, LoadInfo> loads = new LinkedHashMap<>();
        chosen.ids().forEach(id -> loads.put(id, load));
        log.printf(
                "loaded %s in %.0f ms (RSS %.0f → %.0f MB)%n",
                String.join(", ", chosen.ids()), load.loadMs(), rss0 / 1048576.0, load.rssAfterBytes() / 1048576.0);
        return new Serving(chosen.backend(), chosen.ids(), self, loads);
    }
}
