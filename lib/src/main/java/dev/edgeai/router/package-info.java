/**
 * Session 6: models as tools. A catalog of models ({@code data/models.json}: alias, size class, strengths, emulated
 * cost) and an intent classifier — keyword and length rules first, MiniLM similarity to labelled examples second —
 * pick the cheapest model in play that is strong at a request's intent; every decision says why. A plan → execute
 * → review pipeline routes each step, and {@link dev.edgeai.router.RouterEval} measures routing accuracy, latency
 * and cost against "always the small model" and "always the large model".
 */
package dev.edgeai.router;
