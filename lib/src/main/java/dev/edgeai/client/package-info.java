/**
 * The client for any OpenAI-compatible endpoint ({@link dev.edgeai.client.OpenAiClient}): streamed or blocking chat
 * with TTFT and inter-token timings, retries like the official SDKs ({@link dev.edgeai.client.ClientSettings}), and
 * failures turned into actionable one-line errors ({@link dev.edgeai.client.Failures}). Bodies are the records of
 * {@link dev.edgeai.openai}; nothing here builds JSON by hand.
 */
package dev.edgeai.client;
