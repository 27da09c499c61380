/**
 * Where the embedded engine's models come from and live: {@link dev.edgeai.engine.hub.ModelStore} (the local cache
 * and the one way a model name becomes a folder), {@link dev.edgeai.engine.hub.HubDownloader} (resumable, checksummed
 * downloads from a Hugging Face hub or a server that speaks its API) and {@link dev.edgeai.engine.hub.Importer}
 * (models brought by hand: a USB stick, a Foundry Local or Hugging Face cache folder, an archive). The models script
 * is a thin layer over these.
 */
package dev.edgeai.engine.hub;
