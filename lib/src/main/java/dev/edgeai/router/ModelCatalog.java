package dev.edgeai.router;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeai.chat.ModelResolver;
import dev.edgeai.discovery.ModelChoice;
import dev.edgeai.results.ResultsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/** The models a router may choose from, read from {@code data/models.json}. */
public record ModelCatalog(List<CatalogModel> models) {
    public ModelCatalog {
        models = List.copyOf(models);
        if (models.isEmpty()) throw new IllegalArgumentException("the model catalog is empty");
    }

    public static ModelCatalog load(Path file) {
        if (!Files.isRegularFile(file))
            throw new IllegalArgumentException("model catalog not found: " + file + " (see data/models.json)");
        JsonNode root;
        try {
            root = ResultsFile.json().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    file + " is not valid JSON: "
                            + e.getMessage().lines().findFirst().orElse(""),
                    e);
        }
        List<CatalogModel> out = new ArrayList<>();
        int i = 0;
        for (JsonNode m : root.path("models")) {
            i++;
            String where = file.getFileName() + " model " + i;
            String alias = text(m, "alias", where);
            String size = text(m, "size_class", where);
            if (!size.equals("slm") && !size.equals("llm"))
                throw new IllegalArgumentException(where + ": size_class must be slm or llm, was " + size);
            List<Intent> strengths = new ArrayList<>();
            for (JsonNode s : m.path("strengths")) strengths.add(Intent.of(s.asText()));
            out.add(new CatalogModel(
                    alias,
                    size,
                    m.path("params_b").asDouble(Double.NaN),
                    strengths,
                    number(m, "cost_per_1m_input", where),
                    number(m, "cost_per_1m_output", where)));
        }
        if (out.isEmpty()) throw new IllegalArgumentException(file + " has no \"models\" list");
        return new ModelCatalog(out);
    }

    private static String text(JsonNode m, String field, String where) {
        String v = m.path(field).asText("");
        if (v.isBlank()) throw new IllegalArgumentException(where + " has no \"" + field + "\"");
        return v;
    }

    private static double number(JsonNode m, String field, String where) {
        if (!m.path(field).isNumber() || m.path(field).asDouble() < 0)
            throw new IllegalArgumentException(where + ": \"" + field + "\" must be a number >= 0");
        return m.path(field).asDouble();
    }

    /**
     * The entry for a model name as the user or server gives it: an alias, or a server id the alias resolves to
     * the way Foundry does ("Phi-4-mini-instruct-generic-cpu:4" → phi-4-mini, "qwen2.5:7b" → qwen2.5-7b).
     */
    public Optional<CatalogModel> find(String model) {
        for (CatalogModel c : models) if (c.alias().equalsIgnoreCase(model)) return Optional.of(c);
        CatalogModel best = null;
        for (CatalogModel c : models) {
            if (ModelResolver.find(c.alias(), List.of(model)).isPresent()
                    && (best == null || c.alias().length() > best.alias().length())) best = c;
        }
        return Optional.ofNullable(best);
    }

    /**
     * The entry for a model, or a default one when the catalog does not list it ({@link CatalogModel#unlisted}):
     * size class from the parameter count in the id (up to {@value #SLM_MAX_PARAMS_B}B is small), else from the part
     * it plays ({@code role}, "slm" or "llm"); costs unknown.
     */
    public CatalogModel entryFor(String model, String role) {
        return find(model).orElseGet(() -> {
            double params = ModelChoice.paramsB(model);
            String size = Double.isNaN(params) ? role : params <= SLM_MAX_PARAMS_B ? "slm" : "llm";
            return CatalogModel.unlisted(model, size, params);
        });
    }

    /** Models up to this many billion parameters count as small when the catalog does not say (phi-4-mini: 3.8). */
    public static final double SLM_MAX_PARAMS_B = 4.0;

    /** Parameter count in billions of a model the catalog lists, NaN for others (sizes for picking served models). */
    public double paramsB(String model) {
        return find(model).map(CatalogModel::paramsB).orElse(Double.NaN);
    }

    /**
     * Parameter counts by model from the catalog file, for picking served models by size; a missing or unreadable
     * file knows nothing (every size NaN), so picking falls back to the ids.
     */
    public static ToDoubleFunction<String> sizes(Path file) {
        if (!Files.isRegularFile(file)) return id -> Double.NaN;
        try {
            return load(file)::paramsB;
        } catch (IllegalArgumentException e) {
            return id -> Double.NaN;
        }
    }

    public CatalogModel require(String model) {
        return find(model)
                .orElseThrow(() -> new IllegalArgumentException("model '" + model + "' is not in the catalog ("
                        + String.join(
                                ", ", models.stream().map(CatalogModel::alias).toList())
                        + "): add an entry with alias, size_class, strengths and costs to data/models.json"));
    }
}
