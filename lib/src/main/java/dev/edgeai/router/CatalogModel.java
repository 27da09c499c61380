package dev.edgeai.router;

import java.util.List;

/**
 * One entry of {@code data/models.json}.
 *
 * @param sizeClass        "slm" or "llm"
 * @param costPer1MInput   emulated price in USD per 1M prompt tokens (local models cost time, not money); NaN when
 *                         unknown (a default entry for a model the catalog does not list)
 * @param costPer1MOutput  emulated price in USD per 1M completion tokens, NaN when unknown
 */
public record CatalogModel(
        String alias,
        String sizeClass,
        double paramsB,
        List<Intent> strengths,
        double costPer1MInput,
        double costPer1MOutput) {
    public CatalogModel {
        strengths = List.copyOf(strengths);
    }

    public boolean strongAt(Intent i) {
        return strengths.contains(i);
    }

    /** The strengths a model the catalog does not list gets: small models chat, summarize and extract. */
    static final List<Intent> DEFAULT_SLM_STRENGTHS = List.of(Intent.CHAT, Intent.SUMMARIZE, Intent.EXTRACT);

    /**
     * The entry of a model the catalog does not list: its size class, strengths by class (a large model is assumed
     * good at everything), costs unknown.
     */
    public static CatalogModel unlisted(String id, String sizeClass, double paramsB) {
        List<Intent> strengths = sizeClass.equals("slm") ? DEFAULT_SLM_STRENGTHS : List.of(Intent.values());
        return new CatalogModel(id, sizeClass, paramsB, strengths, Double.NaN, Double.NaN);
    }

    public boolean costsKnown() {
        return !Double.isNaN(costPer1MInput) && !Double.isNaN(costPer1MOutput);
    }

    /** Emulated cost of one request in USD; NaN when the costs are unknown. */
    public double cost(int promptTokens, int completionTokens) {
        return (promptTokens * costPer1MInput + completionTokens * costPer1MOutput) / 1_000_000.0;
    }
}
