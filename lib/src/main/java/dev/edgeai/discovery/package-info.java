/**
 * Which backend and which models a run uses, decided one way for every script and notebook:
 * {@link dev.edgeai.discovery.Discovery} finds a server (explicit endpoint, serve.java, Foundry Local, Ollama) and
 * says what it tried; {@link dev.edgeai.discovery.Backends} turns the outcome into a client or the embedded engine;
 * {@link dev.edgeai.discovery.ModelChoice} decides which served model plays the small and the large part.
 */
package dev.edgeai.discovery;
