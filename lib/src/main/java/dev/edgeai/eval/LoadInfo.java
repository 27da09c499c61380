package dev.edgeai.eval;

/**
 * What loading a model cost, measured by whoever loaded it (the script, for the embedded engine). A server loads
 * its models itself, so there is no LoadInfo for them: the cold first request shows the loading instead.
 *
 * @param loadMs          wall time to load the model(s) into memory
 * @param rssBeforeBytes  serving process RSS before loading (-1 unknown)
 * @param rssAfterBytes   and after (-1 unknown)
 */
public record LoadInfo(double loadMs, long rssBeforeBytes, long rssAfterBytes) {}
