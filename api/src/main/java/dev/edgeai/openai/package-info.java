/**
 * The OpenAI chat-completions protocol, once for the whole kit: the wire records (requests, answers, stream
 * chunks, model lists, errors), the pure conversions between them and the chat contract ({@link
 * dev.edgeai.openai.Wire}), the one Server-Sent Events writer ({@link dev.edgeai.openai.SseWriter}) and the chunk
 * stream written over it ({@link dev.edgeai.openai.ChunkStream}); the Responses API ({@link
 * dev.edgeai.openai.ResponseRequest}, {@link dev.edgeai.openai.Responses}, {@link dev.edgeai.openai.ResponseStream})
 * and the Embeddings API ({@link dev.edgeai.openai.EmbeddingRequest}, {@link dev.edgeai.openai.EmbeddingList}) for
 * text. The client, the server and the scripted test server use these and shape no JSON of their own.
 */
package dev.edgeai.openai;
