package dev.edgeai.chat;

/**
 * Where answers come from, recorded in every results file.
 *
 * @param kind    "openai" (any OpenAI-compatible HTTP endpoint), "foundry", "ollama", "serve" (this kit's serve.java)
 *                or "embedded"
 * @param url     base URL ending in /v1 for HTTP backends, the model folder for the embedded engine
 * @param version server or runtime version when known, else null
 */
public record BackendInfo(String kind, String url, String version) {}
