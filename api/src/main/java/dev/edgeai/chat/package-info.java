/**
 * The contract every tool talks to: {@link dev.edgeai.chat.ChatBackend} (a served endpoint or the embedded engine),
 * what to ask ({@link dev.edgeai.chat.ChatRequest}, {@link dev.edgeai.chat.ChatMessage}) and what comes back
 * ({@link dev.edgeai.chat.ChatResult} with {@link dev.edgeai.chat.Usage}, {@link dev.edgeai.chat.Timings} and a
 * {@link dev.edgeai.chat.FinishReason}), failures as one {@link dev.edgeai.chat.ChatException} with a kind.
 *
 * <p>Helpers every script needs whichever backend it has: {@link dev.edgeai.chat.ModelResolver} (what a user typed to
 * a served id), {@link dev.edgeai.chat.Terminal} (server text made safe to print) and
 * {@link dev.edgeai.chat.IdleWatchdog}.
 */
package dev.edgeai.chat;
