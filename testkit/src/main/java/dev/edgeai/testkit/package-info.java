/**
 * A scripted OpenAI-compatible server ({@link dev.edgeai.testkit.ScriptedServer}, answers and faults per model from a
 * {@link dev.edgeai.testkit.Script}) for tests, notebooks and demos that need a real HTTP endpoint but no model.
 */
package dev.edgeai.testkit;
