// A language model generating inside this page. serve.java serves the files of the model folders it runs (same
// origin, read-only); the page reads them with Hugging Face's own JavaScript pieces — tokenizers.js for tokenizer.json
// and Jinja for the chat template, both what transformers.js is built from — and runs the decoder itself on ONNX
// Runtime Web with a KV cache, the way the Java engine (lib/engine) does: prefill all prompt tokens but the last
// without logits, then one token at a time, greedy or sampled with the request's settings.
import { loadOrt, threadsNote } from './ort.js';
import { sampler } from './sampling.js';

const LIB = '/demo/lib/';
let libs = null;

function loadLibs() {
  if (!libs) {
    libs = Promise.all([import(`${LIB}tokenizers/tokenizers.min.mjs`), import(`${LIB}jinja/index.js`)])
      .then(([t, j]) => ({ Tokenizer: t.Tokenizer, Template: j.Template }));
    libs.catch(() => { libs = null; });
  }
  return libs;
}

const GB = 1e9;
export const fmtBytes = b => (b >= GB ? `${(b / GB).toFixed(1)} GB` : `${(b / 1e6).toFixed(b >= 1e7 ? 0 : 1)} MB`);

/**
 * Largest model (ONNX file plus external data) the page tries to load. ONNX Runtime Web's WebAssembly is 32-bit: the
 * model is copied into a heap of at most 4 GiB that must also hold the activations, the attention cache and the
 * logits, on either EP (WebGPU sessions are built from the wasm heap too).
 */
export const MODEL_LIMIT = 2 * 2 ** 30;

/** Why a model of {@code bytes} cannot run in this page, or null when it may. */
export function whyTooLarge(id, bytes) {
  if (bytes > MODEL_LIMIT) {
    return `${id} (${fmtBytes(bytes)}) is too large for this page: ONNX Runtime Web copies the whole model into`
      + ' WebAssembly memory, which is at most 4 GB (32-bit) and must also hold the activations and the attention'
      + ` cache, so models up to ${fmtBytes(MODEL_LIMIT)} load here (e.g. Qwen2.5-0.5B-Instruct q4, 0.8 GB).`
      + ' Use the endpoint for this one.';
  }
  const mem = navigator.deviceMemory;   // GB, rounded down and capped by the browser
  if (mem && bytes * 3 > mem * 2 ** 30) {
    return `${id} (${fmtBytes(bytes)}) is too large for this device: the browser reports ${mem} GB of memory, and`
      + ' loading holds the model about three times (download, WebAssembly copy, session). Pick a smaller model.';
  }
  return null;
}

const EP_NAME = { wasm: 'wasm (CPU)', webgpu: 'WebGPU' };

/** One line saying what went wrong and what to do, for a failure while loading or running a model on {@code ep}. */
export function explainFailure(e, ep, stage) {
  if (e?.pageMessage) return e.pageMessage;
  const raw = String(e?.message ?? e).split('\n')[0];
  // ORT's run errors: "... running Gather node. Name:'/model/x' Status Message: shader_helper.cc:416 Fn <the reason>"
  const node = raw.match(/running (\w+) node\. Name:'([^']*)'/);
  const reason = raw.match(/Status Message: (?:\S+\.(?:cc|h):\d+ \S+ )?(.*)$/)?.[1] ?? raw;
  const msg = node ? `${node[1]} node ${node[2]}: ${reason}` : raw;
  if (e instanceof RangeError || /out of memory|\bOOM\b|allocation failed|cannot allocate|bad_alloc|Aborted\(\)/i.test(raw)) {
    return `The browser ran out of memory ${stage} the model on ${EP_NAME[ep]} (${msg}): pick a smaller model, or close`
      + ' other tabs and reload.';
  }
  if (/not ?implemented|could not find an implementation|not supported|unsupported|does not support|no kernel|not registered/i
    .test(raw)) {
    return `The ${EP_NAME[ep]} execution provider of ONNX Runtime Web cannot run this model (${msg})`
      + (ep === 'webgpu' ? ': choose wasm (CPU).' : '.');
  }
  return `ONNX Runtime Web (${EP_NAME[ep]}) failed ${stage} the model: ${msg}`;
}

/** An error whose message is already what the page should show. */
export function pageError(message) {
  const e = new Error(message);
  e.pageMessage = message;
  return e;
}

async function fetchOk(url) {
  const r = await fetch(url);
  if (!r.ok) {
    let msg = `${r.status} ${r.statusText}`;
    try { msg = (await r.json()).error ?? msg; } catch { /* not JSON */ }
    throw pageError(`GET ${url}: ${msg}`);
  }
  return r;
}

/** The body of {@code url} into one buffer, reporting bytes as they arrive. */
async function download(url, expected, onBytes) {
  const r = await fetchOk(url);
  let out = new Uint8Array(Number(r.headers.get('Content-Length')) || expected || 1 << 20);
  let off = 0;
  const reader = r.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (off + value.length > out.length) {
      const grown = new Uint8Array(Math.max(out.length * 2, off + value.length));
      grown.set(out.subarray(0, off));
      out = grown;
    }
    out.set(value, off);
    off += value.length;
    onBytes(off);
  }
  return off === out.length ? out : out.slice(0, off);
}

const ids = v => (Array.isArray(v) ? v : v == null ? [] : [v]).map(Number);
const tokenText = t => (typeof t === 'string' ? t : t?.content ?? '');

/** The chat template as transformers picks it: tokenizer_config.json's (the "default" one of a list), else chat_template.jinja. */
async function chatTemplate(cfg, files) {
  const ct = cfg.chat_template;
  if (typeof ct === 'string') return ct;
  if (Array.isArray(ct)) return ct.find(t => t.name === 'default')?.template ?? null;
  if (files['chat_template.jinja']) return (await fetchOk(files['chat_template.jinja'])).text();
  return null;
}

/**
 * Streaming text from a growing id list: decodes a short window from an earlier emission boundary and emits what the
 * new ids added; text ending in U+FFFD is half a character and waits (the Java engine's IncrementalDetokenizer).
 */
class Detokenizer {
  constructor(tokenizer, window = 3) {
    this.tokenizer = tokenizer;
    this.window = window;
    this.ids = [];
    this.prefixOffset = 0;
    this.readOffset = 0;
    this.previousReadOffset = 0;
    this.prefixText = '';
  }

  decode(from, to) {
    return to > from ? this.tokenizer.decode(this.ids.slice(from, to), { skip_special_tokens: true }) : '';
  }

  add(token) {
    this.ids.push(token);
    const full = this.decode(this.prefixOffset, this.ids.length);
    if (full.length <= this.prefixText.length || full.endsWith('\uFFFD')) return '';
    if (!full.startsWith(this.prefixText)) {
      this.prefixText = this.decode(this.prefixOffset, this.readOffset);
      if (full.length <= this.prefixText.length) return '';
    }
    const piece = full.slice(this.prefixText.length);
    this.previousReadOffset = this.readOffset;
    this.readOffset = this.ids.length;
    this.prefixText = full;
    if (this.ids.length - this.prefixOffset > this.window && this.previousReadOffset > this.prefixOffset) {
      this.prefixOffset = this.previousReadOffset;
      this.prefixText = this.decode(this.prefixOffset, this.readOffset);
    }
    return piece;
  }

  flush() {
    if (this.readOffset === this.ids.length) return '';
    const full = this.decode(this.prefixOffset, this.ids.length);
    const prefix = full.startsWith(this.prefixText) ? this.prefixText : this.decode(this.prefixOffset, this.readOffset);
    this.readOffset = this.ids.length;
    return full.length <= prefix.length ? '' : full.slice(prefix.length).replaceAll('\uFFFD', '');
  }
}

/**
 * Lets the browser paint and run what is queued (input, other scripts) before the next step: a zero-delay message, a
 * task at the back of the queue. scheduler.yield() would not do: its continuation runs ahead of queued tasks.
 */
function yieldToPage() {
  return new Promise(resolve => {
    const c = new MessageChannel();
    c.port1.onmessage = () => resolve();
    c.port2.postMessage(null);
  });
}

/** IEEE half → float, for models whose logits are float16. */
function halfToFloat(h) {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

export class PageModel {
  /**
   * Fetches a served model's files and opens an ORT-web session on one EP.
   *
   * @param entry one of /demo/api/config's llm models: {id, bytes, onnx, externalData, files: {name: url}}
   * @param ep 'wasm' or 'webgpu'
   * @param onProgress (bytesLoaded, bytesTotal) while the weights download
   */
  static async load(entry, ep, onProgress = () => {}) {
    const t0 = performance.now();
    const f = entry.files;
    const json = name => fetchOk(f[name]).then(r => r.json());
    const [ort, lib, config, tokJson, tokConfig, genConfig] = await Promise.all([
      loadOrt(ep), loadLibs(), json('config.json'), json('tokenizer.json'), json('tokenizer_config.json'),
      f['generation_config.json'] ? json('generation_config.json') : {},
    ]);
    const template = await chatTemplate(tokConfig, f);
    if (!template) {
      throw pageError(`${entry.id} has no chat template (tokenizer_config.json chat_template, or chat_template.jinja):`
        + ' the page renders a conversation with the model\'s own template, so it runs instruction-tuned models only.');
    }
    let parsed;
    try {
      parsed = new lib.Template(template);
    } catch (e) {
      throw pageError(`${entry.id}'s chat template cannot be read by Hugging Face's Jinja (${e.message ?? e}).`);
    }
    const parts = [entry.onnx, ...entry.externalData];
    const buffers = [];
    let done = 0;
    for (const part of parts) {
      const before = done;
      const b = await download(f[part], 0, n => onProgress(before + n, entry.bytes));
      done += b.length;
      buffers.push(b);
    }
    const downloadMs = performance.now() - t0;
    const options = { executionProviders: [ep], graphOptimizationLevel: 'all' };
    if (buffers.length > 1) {
      options.externalData = entry.externalData.map((p, i) => ({ path: p.slice(p.lastIndexOf('/') + 1), data: buffers[i + 1] }));
    }
    // On the GPU the attention cache stays in GPU buffers from step to step; only the logits are read back.
    if (ep === 'webgpu') options.preferredOutputLocation = 'gpu-buffer';
    let session;
    try {
      session = await ort.InferenceSession.create(buffers[0], options);
    } catch (e) {
      throw pageError(explainFailure(e, ep, 'loading'));
    }
    const m = new PageModel(entry, ep, ort, session, {
      config, genConfig, tokenizer: new lib.Tokenizer(tokJson, tokConfig), tokConfig,
      template: parsed,
    });
    m.downloadMs = downloadMs;
    m.loadMs = performance.now() - t0;
    m.threads = ep === 'wasm' ? threadsNote(ort) : '';
    return m;
  }

  constructor(entry, ep, ort, session, { config, genConfig, tokenizer, tokConfig, template }) {
    this.id = entry.id;
    this.bytes = entry.bytes;
    this.ep = ep;
    this.ort = ort;
    this.session = session;
    this.tokenizer = tokenizer;
    this.template = template;
    this.specialTokens = {};
    for (const k of ['bos_token', 'eos_token', 'unk_token', 'pad_token', 'sep_token', 'cls_token', 'mask_token']) {
      this.specialTokens[k] = tokenText(tokConfig[k]);
    }
    const inputs = session.inputNames;
    const meta = Object.fromEntries((session.inputMetadata ?? []).map(x => [x.name, x]));
    const outMeta = Object.fromEntries((session.outputMetadata ?? []).map(x => [x.name, x]));
    this.past = inputs.filter(n => /^past_key_values\.\d+\.(key|value)$/.test(n));
    if (!this.past.length || !inputs.includes('input_ids') || !session.outputNames.includes('logits')) {
      session.release?.();
      throw pageError(`${this.id}'s ONNX graph is not a KV-cached decoder (inputs ${inputs.join(', ')}): the page runs`
        + ' optimum "with past" exports (input_ids, past_key_values.N.key/value → logits, present.N.key/value), as in'
        + ' the onnx-community repositories.');
    }
    this.present = this.past.map(n => {
      const p = n.replace('past_key_values', 'present');
      return session.outputNames.includes(p) ? p : n.replace('past_key_values', 'present_key_values');
    });
    this.idType = meta.input_ids?.type ?? 'int64';
    this.hasMask = inputs.includes('attention_mask');
    this.hasPositions = inputs.includes('position_ids');
    this.useCacheBranch = inputs.includes('use_cache_branch');
    // newer exports can skip the lm_head for all but the last positions (ORT-web computes every output otherwise,
    // fetched or not: for a long prompt that is most of the prefill)
    this.logitsToKeep = ['logits_to_keep', 'num_logits_to_keep'].find(n => inputs.includes(n));
    this.kvType = meta[this.past[0]]?.type ?? 'float32';
    this.kvDims = kvDims(meta[this.past[0]]?.shape, config);
    this.logitsType = outMeta.logits?.type ?? 'float32';
    this.context = config.context_length || config.max_position_embeddings || 2048;
    this.eos = new Set([...ids(config.eos_token_id), ...ids(genConfig.eos_token_id)]);
    const ls = outMeta.logits?.shape;
    this.vocab = typeof ls?.[ls.length - 1] === 'number' ? ls[ls.length - 1] : config.vocab_size;
    this.length = 0;
    this.kv = null;
  }

  /** The conversation as the model's template renders it, with what transformers' apply_chat_template passes. */
  render(messages) {
    return this.template.render({
      messages: messages.map(m => ({ role: m.role, content: m.content })),
      add_generation_prompt: true,
      ...this.specialTokens,
    });
  }

  /** Ids of rendered prompt text; the template wrote the special tokens, so the tokenizer adds none (as Java does). */
  encode(text) {
    return this.tokenizer.encode(text, { add_special_tokens: false }).ids;
  }

  tensorOfIds(values, dims) {
    const data = this.idType === 'int32' ? Int32Array.from(values) : BigInt64Array.from(values, BigInt);
    return new this.ort.Tensor(this.idType, data, dims);
  }

  reset() {
    this.releaseCache();
    const empty = this.kvType === 'float16' ? new Uint16Array(0) : new Float32Array(0);
    this.kv = Object.fromEntries(this.past.map(n => [n, new this.ort.Tensor(this.kvType, empty, this.kvDims)]));
    this.length = 0;
  }

  releaseCache() {
    for (const t of Object.values(this.kv ?? {})) if (t.location === 'gpu-buffer') t.dispose();
    this.kv = null;
  }

  /** Runs {@code tokens} through the decoder; returns the last position's logits when asked (else ORT skips them). */
  async step(tokens, wantLogits) {
    const n = tokens.length;
    const total = this.length + n;
    const feeds = { ...this.kv, input_ids: this.tensorOfIds(tokens, [1, n]) };
    if (this.hasMask) feeds.attention_mask = this.tensorOfIds(new Array(total).fill(1), [1, total]);
    if (this.hasPositions) feeds.position_ids = this.tensorOfIds(Array.from({ length: n }, (_, i) => this.length + i), [1, n]);
    if (this.useCacheBranch) feeds.use_cache_branch = new this.ort.Tensor('bool', [this.length > 0], [1]);
    if (this.logitsToKeep) feeds[this.logitsToKeep] = new this.ort.Tensor('int64', BigInt64Array.of(1n), []);
    const fetches = wantLogits ? ['logits', ...this.present] : this.present;
    const out = await this.session.run(feeds, fetches);
    const old = this.kv;
    this.kv = Object.fromEntries(this.past.map((name, i) => [name, out[this.present[i]]]));
    for (const t of Object.values(old)) if (t.location === 'gpu-buffer') t.dispose();
    this.length = total;
    if (!wantLogits) return null;
    const logits = out.logits;
    const data = logits.location === 'gpu-buffer' ? await logits.getData(true) : logits.data;
    const v = logits.dims[logits.dims.length - 1];
    const rows = logits.dims[logits.dims.length - 2];
    const row = data.subarray((rows - 1) * v, rows * v);
    if (this.logitsType !== 'float16' || row instanceof Float32Array) return row;
    return Float32Array.from(row, halfToFloat);
  }

  /**
   * Generates an answer to {@code messages}.
   *
   * @param settings {maxTokens, temperature, topP, topK, seed, ignoreEos (benchmarks: always run to maxTokens)}
   * @param hooks {onStart(model) (the clock starts: template, tokenizer and prefill count towards TTFT),
   *   onToken(piece, count), stopped() → bool, maxTokens() → number (read before each token: the field may change
   *   mid-generation)}
   */
  async generate(messages, settings, hooks = {}) {
    hooks.onStart?.(this);
    const promptText = this.render(messages);
    const promptIds = this.encode(promptText);
    if (promptIds.length === 0) throw pageError('the prompt is empty');
    if (promptIds.length >= this.context) {
      throw pageError(`the prompt has ${promptIds.length} tokens but ${this.id}'s context is ${this.context}; shorten`
        + ' the prompt or the reference documents.');
    }
    const bad = promptIds.findIndex(t => t < 0 || t >= this.vocab);
    if (bad >= 0) {
      throw pageError(`token id ${promptIds[bad]} at prompt position ${bad} is outside the vocabulary of ${this.id}`
        + ` (${this.vocab} rows): its tokenizer.json does not belong to this model.`);
    }
    const choose = sampler(settings);
    this.reset();
    const t0 = performance.now();
    let logits;
    try {
      if (promptIds.length > 1) await this.step(promptIds.slice(0, -1), false);
      logits = await this.step(promptIds.slice(-1), true);
    } catch (e) {
      throw pageError(explainFailure(e, this.ep, 'running'));
    }
    const prefillMs = performance.now() - t0;
    const detok = new Detokenizer(this.tokenizer);
    const out = [];
    let text = '';
    let reason;
    const emit = piece => {
      if (!piece) return;
      text += piece;
      hooks.onToken?.(piece, out.length);
    };
    for (;;) {
      if (hooks.stopped?.()) { reason = 'cancelled'; break; }
      const token = choose.sample(logits);
      if (!settings.ignoreEos && this.eos.has(token)) { reason = 'stop'; break; }
      out.push(token);
      emit(detok.add(token));
      // ORT-web's wasm runs on this thread and its promises settle as microtasks: without a yield the page would
      // neither paint the new text nor hear the Stop button until the whole answer is done
      await yieldToPage();
      const limit = hooks.maxTokens?.() ?? settings.maxTokens;
      if (out.length >= limit || this.length >= this.context) { reason = 'length'; break; }
      try {
        logits = await this.step([token], true);
      } catch (e) {
        throw pageError(explainFailure(e, this.ep, 'running'));
      }
    }
    emit(detok.flush());
    this.releaseCache();
    return { promptText, promptIds, ids: out, text, finishReason: reason, prefillMs, sampling: choose.describe };
  }

  release() {
    this.releaseCache();
    this.session.release?.();
  }
}

/** The empty cache's shape from the graph's declared one: [batch, kv heads, 0, head size] in optimum exports. */
function kvDims(shape, config) {
  const heads = config.num_key_value_heads ?? config.num_attention_heads;
  const headSize = config.head_dim ?? (config.hidden_size && config.num_attention_heads
    ? config.hidden_size / config.num_attention_heads : undefined);
  const dims = shape ?? ['batch_size', heads, 'past_sequence_length', headSize];
  const seq = dims.length - 2;
  return dims.map((d, i) => {
    if (i === seq) return 0;
    if (typeof d === 'number' && d > 0) return d;
    if (i === dims.length - 1 && headSize) return headSize;
    if (i === 0 || /batch/i.test(String(d))) return 1;
    if (heads) return heads;
    throw pageError(`cannot tell dimension ${i} of the attention cache: config.json lacks num_key_value_heads/head_dim`);
  });
}
