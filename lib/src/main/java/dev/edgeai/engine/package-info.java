/**
 * The embedded ONNX Runtime text-generation engine: the workshop runs with no model server installed.
 *
 * <p>Entry points: {@link dev.edgeai.engine.EmbeddedBackend#load(java.nio.file.Path...)} opens model folders as a
 * {@link dev.edgeai.chat.ChatBackend}; {@link dev.edgeai.engine.hub.ModelStore#resolve(String)} turns a
 * {@code --model} value (folder, Foundry cache id, Hugging Face repo id) into a folder, downloading when needed;
 * {@link dev.edgeai.engine.EngineBench} compares the generation loop with a bare ORT loop (and
 * {@code bench/engine-vs-transformersjs.sh} runs it back to back with transformers.js);
 * {@link dev.edgeai.engine.RealSizeBench} measures prefill and decode of real-size models against the memory-bandwidth
 * bound, and {@code bench/realsize.sh} also runs the load, quality, prefix-reuse and serve-batching benchmarks.
 *
 * <p>Pieces: {@link dev.edgeai.engine.ModelFolder} reads genai_config.json or config.json into a
 * {@link dev.edgeai.engine.ModelDescriptor}; {@code GraphRewrite} raises int4 {@code MatMulNBits} nodes left at
 * accuracy level 0 to 4 (int8 compute) in memory, weights referenced in place; {@code Batch} holds the KV cache of the
 * rows decoded together (one {@code session.run} per step, pinned, double-buffered); {@link dev.edgeai.engine.Generator}
 * is the loop, driven by the callers' own threads; {@code PrefixCache} keeps finished sequences' KV so a request that
 * starts the same way runs only its new tokens; {@link dev.edgeai.engine.Sampler} picks tokens (logit bias, penalties,
 * then greedy or temperature/top-k/top-p/min-p), with what a request leaves out taken from the folder's
 * generation_config.json ({@code GenerationConfig});
 * {@link dev.edgeai.engine.TextTokenizer} (short windows decoded in Java by {@code PieceDecoder} when verified),
 * {@link dev.edgeai.engine.IncrementalDetokenizer} and {@link dev.edgeai.engine.ChatTemplates} handle text. A model's
 * Jinja chat template renders byte-identically to transformers' {@code apply_chat_template}
 * ({@link dev.edgeai.engine.template.HfJinja}: jinjava with Jinja2's whitespace rules and Python's str methods); one
 * that still cannot render falls back to the format the model's special tokens name (ChatML, Llama 3, Phi, Harmony),
 * with one warning per model. Settings: {@code -Dedgeai.engine.accuracyLevel} (4, or keep; env
 * {@code EDGEAI_ACCURACY_LEVEL}), {@code -Dedgeai.engine.sharedKv} (true: grouped-query attention reads the shared
 * key/value heads instead of the exported per-head copies; env {@code EDGEAI_SHARED_KV}),
 * {@code -Dedgeai.engine.prefixCacheMB} (256, 0 = off; env
 * {@code EDGEAI_PREFIX_CACHE_MB}), {@code -Dedgeai.engine.batch} (4, 1 = one request at a time; env {@code EDGEAI_ENGINE_BATCH}),
 * {@code -Dedgeai.engine.prefillChunk} (64 prompt tokens of a joining request per decode step of the others; env
 * {@code EDGEAI_PREFILL_CHUNK}),
 * {@code -Dedgeai.engine.threads}, {@code -Dedgeai.engine.spinning}, {@code -Dedgeai.engine.optLevel},
 * {@code -Dedgeai.engine.javaPieces}, {@code -Dedgeai.engine.maxTokens} (default: until the end of the text or a
 * full context), {@code -Dedgeai.onnx.variant}, {@code -Dedgeai.download.attempts}.
 */
package dev.edgeai.engine;
