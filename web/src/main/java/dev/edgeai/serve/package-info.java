/**
 * An OpenAI-compatible endpoint over any {@link dev.edgeai.chat.ChatBackend} ({@code scripts/serve.java} serves the
 * embedded engine with it): {@link dev.edgeai.serve.OpenAiServer} holds the routes, {@code CompletionRequest} checks
 * request bodies, {@code ModelGate} queues requests per model, {@code ChunkWriter} streams chunks.
 */
package dev.edgeai.serve;
