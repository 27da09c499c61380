/**
 * Hugging Face chat templates on jinjava: {@link dev.edgeai.engine.template.HfJinja#render} renders a
 * {@code chat_template} as transformers' {@code apply_chat_template} does (Jinja2 with trim_blocks and lstrip_blocks,
 * its tojson, raise_exception and strftime_now), by configuring and extending jinjava rather than replacing it.
 *
 * <p>Known differences, none of which the conformance cases or the real templates we checked rely on: jinjava has no
 * Undefined distinct from None, so {@code x is none} is true and {@code x is defined} false both for a missing
 * variable and for one set to none, and {@code {{ none }}} prints nothing instead of {@code None};
 * {@code loop.previtem}/{@code loop.nextitem} and the {@code min}/{@code max} filters are missing (an unknown filter
 * fails the template, so the caller falls back instead of rendering a wrong prompt).
 */
package dev.edgeai.engine.template;
