/**
 * An OpenAI-compatible endpoint over any {@link dev.edgeai.chat.ChatBackend} ({@code scripts/serve.java} serves the
 * embedded engine with it): {@link dev.edgeai.serve.OpenAiServer} holds the routes and translates between HTTP and
 * the wire layer ({@link dev.edgeai.openai}), {@code ResponsesRoutes} answers OpenAI's Responses API through the
 * same queues, {@code EmbeddingsRoutes} embeds with the library's MiniLM, {@code ModelGate} queues requests per
 * model, {@code ApiError} is a failure with its HTTP status.
 */
package dev.edgeai.serve;
