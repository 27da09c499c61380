package dev.edgeai.router;

import java.util.List;

/**
 * One entry of {@code data/models.json}.
 *
 * @param sizeClass        "slm" or "llm"
 * @param costPer1MInput   emulated price in USD per 1M prompt tokens (local models cost time, not money)
 * @param costPer1MOutput  emulated price in USD per 1M completion tokens
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

    /** Emulated cost of one request in USD. */
    public double cost(int promptTokens, int completionTokens) {
        return (promptTokens * costPer1MInput + completionTokens * costPer1MOutput) / 1_000_000.0;
    }
}
