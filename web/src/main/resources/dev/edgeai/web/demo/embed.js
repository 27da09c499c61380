// In-browser embeddings: onnxruntime-web runs the quantized all-MiniLM-L6-v2 that lib ships, served by our own
// server (same origin). WebGPU when navigator.gpu gives an adapter, wasm otherwise (see ort.js).
import { loadOrt } from './ort.js';
import { WordPiece } from './wordpiece.js';

export { webgpuUnavailableReason } from './ort.js';

export class Embedder {
  constructor(ort, session, tokenizer, ep, createMs) {
    this.ort = ort;
    this.session = session;
    this.tokenizer = tokenizer;
    this.ep = ep;
    this.createMs = createMs;
  }

  /**
   * @param ep 'webgpu' or 'wasm'
   * @param urls {model, tokenizer}
   */
  static async create(ep, urls) {
    const t0 = performance.now();
    const [ort, tokJson, model] = await Promise.all([
      loadOrt(ep),
      fetchOk(urls.tokenizer).then(r => r.json()),
      fetchOk(urls.model).then(r => r.arrayBuffer()),
    ]);
    const session = await ort.InferenceSession.create(new Uint8Array(model), {
      executionProviders: [ep],
      graphOptimizationLevel: 'all',
    });
    const emb = new Embedder(ort, session, new WordPiece(tokJson), ep, performance.now() - t0);
    emb.threads = ort.env.wasm.numThreads ?? 1;   // set by ORT once initialised
    return emb;
  }

  /** A unit-length 384-d vector (mean over tokens, like lib's Java embedder) and how long the inference took. */
  async embed(text) {
    const ids = this.tokenizer.encode(text);
    const n = ids.length;
    const t0 = performance.now();
    const feeds = {
      input_ids: new this.ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, n]),
      attention_mask: new this.ort.Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
    };
    if (this.session.inputNames.includes('token_type_ids')) {
      feeds.token_type_ids = new this.ort.Tensor('int64', new BigInt64Array(n), [1, n]);
    }
    const out = await this.session.run(feeds);
    const hidden = out.last_hidden_state ?? out[this.session.outputNames[0]];
    const data = hidden.data;
    const dim = hidden.dims[2];
    const v = new Float32Array(dim);
    for (let t = 0; t < n; t++) for (let d = 0; d < dim; d++) v[d] += data[t * dim + d];
    let ss = 0;
    for (let d = 0; d < dim; d++) { v[d] /= n; ss += v[d] * v[d]; }
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let d = 0; d < dim; d++) v[d] *= inv;
    for (const t of Object.values(out)) t.dispose?.();
    return { vector: v, ms: performance.now() - t0, tokens: n };
  }
}

export function cosine(a, b) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

async function fetchOk(url) {
  const r = await fetch(url);
  if (!r.ok) {
    let msg = `${r.status} ${r.statusText}`;
    try { msg = (await r.json()).error ?? msg; } catch { /* not JSON */ }
    throw new Error(`GET ${url}: ${msg}`);
  }
  return r;
}
