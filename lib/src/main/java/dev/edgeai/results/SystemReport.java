package dev.edgeai.results;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of an evaluation table: a model or a pipeline over a QA set. Values are plain numbers by name so the
 * table, the charts and notebooks read the same file; a figure that could not be measured is absent from
 * {@code values} and its reason is in {@code notes} (e.g. "rss_mb" → "n/a: /proc/1234/status not readable").
 *
 * @param system the model id or pipeline name ("hybrid", "rag-escalation")
 * @param kind   "model" or "pipeline"
 * @param values e.g. "score", "keyword_recall", "ttft_ms", "e2e_ms", "rss_mb", "cpu_s_per_token",
 *               "local_energy_wh", "cost_usd:gpt-4o-mini", "escalated_share"
 * @param notes  why a value is missing or how it was estimated, by the value's name
 */
public record SystemReport(String system, String kind, Map<String, Double> values, Map<String, String> notes) {
    public SystemReport {
        values = values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
        notes = notes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(notes));
    }

    /** The value, or NaN when it was not measured. */
    public double value(String name) {
        Double v = values.get(name);
        return v == null ? Double.NaN : v;
    }
}
