/**
 * The embedded ONNX Runtime text-generation engine: the workshop runs with no model server installed.
 *
 * <p>Entry points: {@link dev.edgeai.engine.EmbeddedBackend#load(java.nio.file.Path...)} opens model folders as a
 * {@link dev.edgeai.chat.ChatBackend}; {@link dev.edgeai.engine.hub.ModelStore#resolve(String)} turns a
 * {@code --model} value (folder, Foundry cache id, Hugging Face repo id) into a folder, downloading when needed;
 * {@link dev.edgeai.engine.EngineBench} compares the generation loop with a bare ORT loop (and
 * {@code bench/engine-vs-transformersjs.sh} runs it back to back with transformers.js);
 * {@link dev.edgeai.engine.RealSizeBench} measures prefill and decode of real-size models against the memory-bandwidth
 * bound ({@code bench/realsize.sh}).
 *
 * <p>Pieces: {@link dev.edgeai.engine.ModelFolder} reads genai_config.json or config.json into a
 * {@link dev.edgeai.engine.ModelDescriptor}; {@code Decoder} runs the session with pinned, double-buffered KV;
 * {@link dev.edgeai.engine.Generator} is the loop; {@link dev.edgeai.engine.Sampler} picks tokens;
 * {@link dev.edgeai.engine.TextTokenizer} (short windows decoded in Java by {@code PieceDecoder} when verified),
 * {@link dev.edgeai.engine.IncrementalDetokenizer} and {@link dev.edgeai.engine.ChatTemplates} handle text. A model's
 * Jinja chat template renders byte-identically to transformers' {@code apply_chat_template}
 * ({@link dev.edgeai.engine.template.HfJinja}: jinjava with Jinja2's whitespace rules and Python's str methods); one
 * that still cannot render falls back to the format the model's special tokens name (ChatML, Llama 3, Phi, Harmony),
 * with one warning per model. Tuning:
 * {@code -Dedgeai.engine.threads}, {@code -Dedgeai.engine.spinning}, {@code -Dedgeai.engine.optLevel}, {@code -Dedgeai.engine.javaPieces},
 * {@code -Dedgeai.engine.maxTokens}, {@code -Dedgeai.onnx.variant}, {@code -Dedgeai.download.attempts}.
 */
package dev.edgeai.engine;
