package dev.edgeai.retrieval;

import java.util.List;

/**
 * What {@link Retriever#open} did with the on-disk cache, for the app to print.
 *
 * @param fromCache      true when the cache matched every file and nothing was chunked or embedded
 * @param chunksEmbedded chunks that went through the model in this open (0 when fully cached)
 * @param changes        one line per added, changed or removed file, e.g. "changed: latency.md (size, mtime, content)"
 */
public record IndexStatus(
        boolean fromCache, int files, int chunks, int chunksEmbedded, List<String> changes, String message) {
    public IndexStatus {
        changes = List.copyOf(changes);
    }
}
