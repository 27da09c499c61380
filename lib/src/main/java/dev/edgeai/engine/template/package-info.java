/**
 * Hugging Face chat templates on jinjava: {@link dev.edgeai.engine.template.HfJinja#render} renders a
 * {@code chat_template} as transformers' {@code apply_chat_template} does (Jinja2 with trim_blocks and lstrip_blocks,
 * its tojson, raise_exception and strftime_now), by configuring and extending jinjava rather than replacing it.
 *
 * <p>Known difference: jinjava has no Undefined distinct from None, so {@code x is none} is true and
 * {@code x is defined} false both for a missing variable and for one set to none (Jinja2 tells them apart).
 */
package dev.edgeai.engine.template;
