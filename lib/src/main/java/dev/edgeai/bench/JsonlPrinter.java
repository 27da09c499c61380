package dev.edgeai.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeai.metrics.Stats;
import dev.edgeai.results.ResultsFile;
import dev.edgeai.results.RunMeta;
import dev.edgeai.results.Summary;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON Lines: one self-describing object per summary (metadata repeated on every line); NaN written as null. */
public final class JsonlPrinter implements ResultPrinter {
    private static final ObjectMapper JSON =
            ResultsFile.json().copy().disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    @Override
    public void row(RunMeta meta, BenchRow row, Appendable out) {
        Summary s = row.summary();
        Map<String, Object> m = new LinkedHashMap<>();
        if (meta != null) {
            m.put("tool", meta.tool());
            m.put("time", meta.time());
            m.put("host", meta.environment() == null ? null : meta.environment().host());
            m.put("backend", meta.backend() == null ? null : meta.backend().kind());
            m.put("backend_url", meta.backend() == null ? null : meta.backend().url());
        }
        m.put("model", s.model());
        m.put("group", s.group());
        m.put("concurrency", s.concurrency());
        m.put("ok", s.ok());
        m.put("errors", s.errors());
        m.put("requests_per_s", s.requestsPerS());
        m.put("output_tok_per_s", s.outputTokPerS());
        m.put("tokens_estimated", row.tokensEstimated());
        Map<String, Object> metrics = new LinkedHashMap<>();
        for (String name : Summary.METRICS) {
            Stats st = row.stat(name);
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("n", st.n());
            x.put("mean", (Double) st.mean());
            x.put("stddev", (Double) st.stddev());
            x.put("min", (Double) st.min());
            x.put("p50", (Double) st.p50());
            x.put("p95", (Double) st.p95());
            x.put("p99", (Double) st.p99());
            x.put("max", (Double) st.max());
            metrics.put(name, x);
        }
        m.put("metrics", metrics);
        try {
            ResultPrinter.write(out, JSON.writeValueAsString(m) + "\n");
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
