// In-browser embeddings: onnxruntime-web runs the quantized all-MiniLM-L6-v2 that lib ships, served by our own
// server (same origin). WebGPU when navigator.gpu gives an adapter, wasm otherwise; we pass ONE execution provider
// per session, so the EP that ran is known (ORT has no API that reports it after a silent fallback).
import { WordPiece } from './wordpiece.js';

const ORT_BASE = '/demo/ort/';
const BUNDLE = { wasm: 'ort.wasm.min.mjs', webgpu: 'ort.webgpu.min.mjs' };
const modules = {};

/** Why WebGPU cannot be used here, or null when an adapter is available. */
export async function webgpuUnavailableReason() {
  if (!('gpu' in navigator) || !navigator.gpu) {
    return 'navigator.gpu is missing (this browser has no WebGPU, or it is turned off)';
  }
  try {
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) return 'navigator.gpu.requestAdapter() found no GPU adapter';
    return null;
  } catch (e) {
    return `navigator.gpu.requestAdapter() failed: ${e.message ?? e}`;
  }
}

async function loadOrt(ep) {
  if (!modules[ep]) {
    modules[ep] = (async () => {
      const ort = await import(ORT_BASE + BUNDLE[ep]);
      ort.env.wasm.wasmPaths = ORT_BASE;
      ort.env.logLevel = 'error';
      // ORT picks min(4, cores / 2) wasm threads when the page is cross-origin isolated (our COOP/COEP headers);
      // ?threads=N overrides it (1 = single-threaded) to compare.
      const threads = Number(new URLSearchParams(location.search).get('threads'));
      if (threads > 0) ort.env.wasm.numThreads = threads;
      return ort;
    })();
    modules[ep].catch(() => { delete modules[ep]; });
  }
  return modules[ep];
}

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
