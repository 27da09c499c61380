package dev.edgeai.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cost emulation. Cloud: the measured token counts priced per 1M input and output tokens (data/prices.json, list
 * prices as of a date, editable). Local: an ESTIMATE of energy, CPU seconds of the serving process × an average
 * power per busy core, priced per kWh — it ignores idle power, the GPU, memory and cooling.
 *
 * @param wattsPerCore   average power drawn per fully busy core (W)
 * @param usdPerKwh      electricity price
 */
public record Costs(List<Price> prices, String note, double wattsPerCore, double usdPerKwh) {
    public static final Path DEFAULT_PRICES = Path.of("data/prices.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A cloud model's list price, with where and when it was read. */
    public record Price(
            String name, String provider, double inputPer1m, double outputPer1m, String asOf, String source) {
        public double usd(long promptTokens, long completionTokens) {
            return (promptTokens * inputPer1m + completionTokens * outputPer1m) / 1_000_000.0;
        }
    }

    public Costs {
        prices = List.copyOf(prices);
        if (!(wattsPerCore > 0)) throw new IllegalArgumentException("--watts must be > 0, was " + wattsPerCore);
        if (!(usdPerKwh >= 0)) throw new IllegalArgumentException("--kwh-price must be >= 0, was " + usdPerKwh);
    }

    public static Costs load(Path pricesFile, double wattsPerCore, double usdPerKwh) {
        JsonNode root;
        try {
            root = JSON.readTree(pricesFile.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read prices " + pricesFile + ": " + e.getMessage(), e);
        }
        List<Price> out = new ArrayList<>();
        int i = 0;
        for (JsonNode m : root.path("models")) {
            i++;
            String name = m.path("name").asText(null);
            JsonNode in = m.get("input_per_1m");
            JsonNode outp = m.get("output_per_1m");
            if (name == null
                    || in == null
                    || !in.isNumber()
                    || outp == null
                    || !outp.isNumber()
                    || in.asDouble() < 0
                    || outp.asDouble() < 0) {
                throw new IllegalArgumentException(
                        pricesFile + ": model #" + i + " needs \"name\" and non-negative numbers "
                                + "\"input_per_1m\" and \"output_per_1m\" (USD per 1M tokens)");
            }
            out.add(new Price(
                    name,
                    m.path("provider").asText(""),
                    in.asDouble(),
                    outp.asDouble(),
                    m.path("as_of").asText("unknown date"),
                    m.path("source").asText("unknown source")));
        }
        if (out.isEmpty()) throw new IllegalArgumentException(pricesFile + " lists no models under \"models\"");
        return new Costs(out, root.path("note").asText(""), wattsPerCore, usdPerKwh);
    }

    /** Energy estimate in Wh for this much CPU time of the serving process. */
    public double energyWh(double cpuSeconds) {
        return cpuSeconds * wattsPerCore / 3600.0;
    }

    public double localUsd(double cpuSeconds) {
        return energyWh(cpuSeconds) / 1000.0 * usdPerKwh;
    }

    /** How the local figure is made, for tables and reports. */
    public String localLabel() {
        return String.format(
                java.util.Locale.ROOT,
                "ESTIMATE: CPU seconds × %.0f W per busy core × %.2f USD/kWh (no idle, GPU or cooling power)",
                wattsPerCore,
                usdPerKwh);
    }

    /** The prices as plain JSON values, recorded in the results file's options. */
    public List<Map<String, Object>> asOptions() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Price p : prices) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.name());
            m.put("provider", p.provider());
            m.put("input_per_1m", p.inputPer1m());
            m.put("output_per_1m", p.outputPer1m());
            m.put("as_of", p.asOf());
            m.put("source", p.source());
            out.add(m);
        }
        return out;
    }
}
