package dev.edgeai.eval;

import dev.edgeai.chat.ChatBackend;
import dev.edgeai.client.ClientSettings;
import dev.edgeai.discovery.Backends;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The backend an evaluation talks to and the process that serves it: a discovered server (its process found by
 * port) or models loaded into this JVM (load time and RSS before/after measured here).
 *
 * @param models the ids to ask for, in the order given (first = small model, last = large model)
 * @param loads  load figures per model id (embedded only; all models load together, so they share one figure)
 */
public record Serving(ChatBackend backend, List<String> models, ServingProcess process, Map<String, LoadInfo> loads) {

    /**
     * @param embeddedModels when non-empty, these run in-process (folders, Foundry cache ids or hub repos) and no
     *                       server is looked for
     * @param fallbackModels run in-process when no server is found
     */
    public static Serving open(
            String endpoint,
            List<String> models,
            List<String> embeddedModels,
            List<String> fallbackModels,
            boolean verbose,
            PrintStream log) {
        return open(endpoint, ClientSettings.defaults(), models, embeddedModels, fallbackModels, verbose, log);
    }

    /** {@link #open(String, List, List, List, boolean, PrintStream)} with the client's timeouts and retries. */
    public static Serving open(
            String endpoint,
            ClientSettings settings,
            List<String> models,
            List<String> embeddedModels,
            List<String> fallbackModels,
            boolean verbose,
            PrintStream log) {
        ServingProcess self = ServingProcess.self();
        long rss0 = self.rssBytes();
        long t0 = System.nanoTime();
        Backends.Selection sel = !embeddedModels.isEmpty()
                ? Backends.embedded(embeddedModels, log)
                : Backends.openOrEmbedded(endpoint, settings, fallbackModels, List.of(), verbose, log);
        if (!sel.embedded()) {
            ServingProcess p = ServingProcess.forUrl(sel.backend().info().url());
            log.println("serving process: " + p.description());
            return new Serving(sel.backend(), models, p, Map.of());
        }
        LoadInfo load = new LoadInfo((System.nanoTime() - t0) / 1e6, rss0, self.rssBytes());
        Map<String, LoadInfo> loads = new LinkedHashMap<>();
        sel.modelIds().forEach(id -> loads.put(id, load));
        log.printf(
                "loaded %s in %.0f ms (RSS %.0f → %.0f MB)%n",
                String.join(", ", sel.modelIds()), load.loadMs(), rss0 / 1048576.0, load.rssAfterBytes() / 1048576.0);
        return new Serving(sel.backend(), sel.modelIds(), self, loads);
    }
}
