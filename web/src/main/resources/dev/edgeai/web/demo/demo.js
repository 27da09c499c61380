// The workshop's browser demo. Model text is untrusted: it only ever reaches the page through textContent.
import { Embedder, cosine, webgpuUnavailableReason } from './embed.js';
import { PageModel, explainFailure, fmtBytes, pageError, whyTooLarge } from './llm.js';

const API = '/v1';
const $ = id => document.getElementById(id);
const state = {
  config: null,
  runs: { slm: [], llm: [], page: [] },  // one entry per finished answer: {model, ttftMs, totalMs, tokens, estimated, ep}
  embedders: {},                     // ep -> Promise<Embedder>
  lastEmbedder: null,
  page: { key: '', loading: null, webgpuFailed: {} },  // the model loaded in the page ('id|ep', Promise<PageModel>);
                                                       // per model id, why the WebGPU EP could not run it
  busy: false,
  stopRequested: false,
  abort: null,                       // AbortController of the endpoint request in flight
};
window.demoState = state;            // read by the browser tests (and handy in the dev tools console)

// ---- small helpers ------------------------------------------------------------------------------------------------

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function status(id, text, kind = 'info') {
  const s = $(id);
  s.textContent = text;
  s.className = `status ${kind}`;
  s.hidden = !text;
}

async function errorText(res) {
  const raw = await res.text();
  try {
    const j = JSON.parse(raw);
    return j.error?.message ?? j.error ?? raw;
  } catch {
    return raw.slice(0, 300) || res.statusText;
  }
}

const fmt = ms => (ms == null || Number.isNaN(ms) ? '–' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

// ---- reference documents --------------------------------------------------------------------------------------------

function paragraphs() {
  return $('documents').value.split(/\n\s*\n/).map(p => p.trim()).filter(Boolean);
}

function renderParagraphs(scores = null, best = new Set()) {
  const ol = $('paragraphs');
  ol.replaceChildren();
  paragraphs().forEach((p, i) => {
    const li = el('li', best.has(i) ? 'match' : '');
    if (scores) li.append(el('span', 'score', scores[i].toFixed(3)));
    li.append(el('span', 'text', p));
    li.dataset.index = i;
    ol.append(li);
  });
}

const STOP = new Set('the a an and or of to in on for is are was be it this that with as by at from what how why does do i you'.split(' '));
const words = t => t.toLowerCase().match(/[\p{L}\p{N}]+/gu)?.filter(w => w.length > 1 && !STOP.has(w)) ?? [];

/** Which paragraphs go into the prompt: MiniLM in the page once it is loaded, word overlap (idf-weighted) before. */
async function relevant(question, paras) {
  if (state.lastEmbedder) {
    const q = (await state.lastEmbedder.embed(question)).vector;
    const scored = [];
    for (let i = 0; i < paras.length; i++) scored.push({ i, score: cosine(q, (await state.lastEmbedder.embed(paras[i])).vector) });
    return { by: `MiniLM in this page (${state.lastEmbedder.ep})`, hits: scored.filter(h => h.score >= 0.25).sort((a, b) => b.score - a.score).slice(0, 3) };
  }
  const docs = paras.map(p => new Set(words(p)));
  const hits = paras.map((p, i) => {
    let score = 0;
    for (const w of new Set(words(question))) {
      const df = docs.filter(d => d.has(w)).length;
      if (docs[i].has(w)) score += Math.log(1 + (paras.length - df + 0.5) / (df + 0.5));
    }
    return { i, score };
  });
  return { by: 'word overlap', hits: hits.filter(h => h.score > 0).sort((a, b) => b.score - a.score).slice(0, 3) };
}

// ---- endpoint mode ------------------------------------------------------------------------------------------------

async function loadModels() {
  let ids;
  try {
    const res = await fetch(`${API}/models`);
    if (!res.ok) throw new Error(`HTTP ${res.status}: ${await errorText(res)}`);
    // serve.java lists its embedding model too, marked type "embeddings": it cannot chat
    ids = ((await res.json()).data ?? []).filter(m => m.type !== 'embeddings').map(m => m.id);
  } catch (e) {
    status('endpoint-status', `Cannot reach the model endpoint ${location.origin}${API} (${e.message}). Start it with `
      + '`./jbang scripts/serve.java` (or point serve.java at your Foundry Local / Ollama models), then reload.', 'error');
    setAskEnabled(false);
    return;
  }
  if (ids.length === 0) {
    status('endpoint-status', `The endpoint ${location.origin}${API} lists no models: load one (e.g. `
      + '`foundry model run phi-4-mini`) and reload.', 'error');
    setAskEnabled(false);
    return;
  }
  const bySize = [...ids].sort((a, b) => sizeHint(a) - sizeHint(b));
  for (const [sel, pick] of [['model-slm', bySize[0]], ['model-llm', bySize[bySize.length - 1]]]) {
    const s = $(sel);
    s.replaceChildren(...ids.map(id => { const o = el('option', '', id); o.value = id; return o; }));
    s.value = pick;
  }
  status('endpoint-status', `${ids.length} model${ids.length > 1 ? 's' : ''} at ${location.origin}${API}`, 'ok');
  setAskEnabled(true);
}

/** Rough model size from its id, to preselect the SLM and the LLM: "qwen2.5:7b" → 7, "phi-4-mini" → 4, "gpt-oss-20b" → 20. */
function sizeHint(id) {
  const b = id.toLowerCase().match(/(\d+(?:\.\d+)?)\s*b(?![a-z])/);
  if (b) return parseFloat(b[1]);
  if (/mini|small|tiny|nano|slm/i.test(id)) return 4;
  if (/large|big|llm/i.test(id)) return 30;
  return 10;
}

function setAskEnabled(on) {
  state.endpointUp = on;
  refreshButtons();
}

function refreshButtons() {
  for (const id of ['send-both', 'send-all']) $(id).disabled = !state.endpointUp || state.busy;
  $('send').disabled = state.busy || (!state.endpointUp && !pageChosen());  // the page's own model needs no endpoint
  $('stop').disabled = !state.busy;
  $('page-load').disabled = state.busy || !!pageProblem(pageEntries().find(m => m.id === $('page-model').value));
}

const pageChosen = () => document.querySelector('input[name=which]:checked')?.value === 'page';

/** The request's settings, shared by the endpoint and the page; null (with the reason shown) when one is invalid. */
function settings() {
  const temperature = Number($('temperature').value || 0);
  const topP = Number($('top-p').value || 1);
  const seedText = $('seed').value.trim();
  const problem = !(temperature >= 0 && temperature <= 2) ? 'temperature must be between 0 and 2'
    : !(topP > 0 && topP <= 1) ? 'top-p must be greater than 0 and at most 1'
      : seedText && !/^-?\d{1,18}$/.test(seedText) ? 'seed must be a whole number (or empty for a random one)' : null;
  if (problem) { status('endpoint-status', `Settings: ${problem}.`, 'error'); return null; }
  return { temperature, topP, seed: seedText ? BigInt(seedText) : null, maxTokens: maxTokens() };
}

/** Read again before each in-page token: lowering it mid-generation ends the answer there. */
const maxTokens = () => Math.max(1, parseInt($('max-tokens').value, 10) || 256);

async function buildMessages(question) {
  const paras = paragraphs();
  if (!$('use-docs').checked || paras.length === 0) return { messages: [{ role: 'user', content: question }], context: null };
  const { by, hits } = await relevant(question, paras);
  const block = hits.length === 0 ? state.config.noContext
    : hits.map((h, n) => `[${n + 1}] paragraph ${h.i + 1}\n${paras[h.i]}`).join('\n\n');
  renderParagraphs(null, new Set(hits.map(h => h.i)));
  return {
    messages: [
      { role: 'system', content: state.config.systemPrompt },
      { role: 'user', content: `Context:\n${block}\n\nQuestion: ${question}` },
    ],
    context: hits.length ? `context: ${hits.map(h => `¶${h.i + 1}`).join(', ')} (chosen by ${by})` : `no paragraph matched (${by})`,
  };
}

const BADGE = { slm: 'SLM', llm: 'LLM', page: 'PAGE' };

async function ask(which, request) {
  const question = $('prompt').value.trim();
  if (!question) { status('endpoint-status', 'Type a prompt first.', 'error'); return; }
  const model = which === 'page' ? $('page-model').value : $(which === 'slm' ? 'model-slm' : 'model-llm').value;
  const card = el('article', `answer-card ${which}`);
  const head = el('div', 'head');
  head.append(el('span', `badge ${which}`, BADGE[which]), el('span', 'model', model));
  const reasoning = el('div', 'reasoning');
  const answer = el('div', 'answer');
  const metrics = el('div', 'metrics', 'waiting for the first token…');
  card.append(head, reasoning, answer, metrics);
  $('answers').prepend(card);

  const { messages, context } = await buildMessages(question);
  if (context) head.append(el('span', 'context', context));
  if (which === 'page') { await askPage(card, messages, request); return; }
  const t0 = performance.now();
  let ttft = null;
  let chunks = 0;
  let usage = null;
  state.abort = new AbortController();
  try {
    const body = { model, messages, stream: true, stream_options: { include_usage: true },
      temperature: request.temperature, max_tokens: request.maxTokens };
    if (request.topP < 1) body.top_p = request.topP;
    if (request.seed != null) body.seed = Number(request.seed);
    const res = await fetch(`${API}/chat/completions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: JSON.stringify(body),
      signal: state.abort.signal,
    });
    if (!res.ok) {
      const msg = await errorText(res);
      throw new Error(res.status === 404 ? `model '${model}' is not available at the endpoint: ${msg}` : `HTTP ${res.status}: ${msg}`);
    }
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    let done = false;
    while (!done) {
      const { value, done: end } = await reader.read();
      if (end) break;
      buf += decoder.decode(value, { stream: true });
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).replace(/\r$/, '');
        buf = buf.slice(nl + 1);
        if (!line.startsWith('data:')) continue;
        const data = line.slice(5).trim();
        if (data === '[DONE]') { done = true; break; }
        const json = JSON.parse(data);
        if (json.error) throw new Error(json.error.message ?? JSON.stringify(json.error));
        if (json.usage) usage = json.usage;
        const delta = json.choices?.[0]?.delta ?? {};
        const text = delta.content ?? '';
        const thought = delta.reasoning_content ?? delta.reasoning ?? '';
        if (text || thought) {
          if (ttft == null) { ttft = performance.now() - t0; metrics.textContent = `TTFT ${fmt(ttft)} · streaming…`; }
          chunks++;
          if (thought) reasoning.textContent += thought;
          if (text) answer.textContent += text;     // untrusted: never innerHTML
        }
      }
    }
  } catch (e) {
    if (e.name === 'AbortError') {   // the Stop button: what arrived stays, the run is not charted
      metrics.textContent = `stopped after ${fmt(performance.now() - t0)}${ttft == null ? ', before the first token' : ''}`;
      return;
    }
    const down = e instanceof TypeError;   // fetch's network failure
    card.append(el('div', 'error', down
      ? `Cannot reach ${location.origin}${API}/chat/completions (${e.message}): is the server still running?` : e.message));
    metrics.textContent = ttft == null ? 'no answer' : `stopped after ${fmt(performance.now() - t0)}`;
    return;
  } finally {
    state.abort = null;
  }
  const total = performance.now() - t0;
  const estimated = !usage?.completion_tokens;
  const tokens = estimated ? chunks : usage.completion_tokens;
  const tps = tokens > 1 && ttft != null && total > ttft ? (tokens - 1) / ((total - ttft) / 1000) : null;
  metrics.textContent = `TTFT ${fmt(ttft)} · total ${fmt(total)} · ${tokens} tokens${estimated ? ' (est.)' : ''}`
    + ` · ${tps == null ? '–' : tps.toFixed(1)} tok/s`;
  Object.assign(metrics.dataset, { ttftMs: ttft ?? '', totalMs: total, tokens, model, which });
  state.runs[which].push({ model, ttftMs: ttft, totalMs: total, tokens, estimated });
  drawChart();
}

/**
 * The in-page answer: loads the model on first use (not timed: the endpoint's models are loaded before too), then
 * TTFT = generation start → first text, the same definition as for the endpoint, and tok/s over the decode.
 */
async function askPage(card, messages, request) {
  const [head, , answer, metrics] = card.children;
  const progress = el('progress');
  progress.max = 1;
  progress.value = 0;
  metrics.textContent = 'loading the model into this page…';
  metrics.before(progress);
  let t0 = null;   // generation start: after the model is loaded
  let ttft = null;
  let ep = $('ep').value;
  const hooks = {
    onToken: (piece, count) => {
      if (ttft == null) ttft = performance.now() - t0;
      answer.textContent += piece;     // untrusted: never innerHTML
      metrics.textContent = `TTFT ${fmt(ttft)} · ${count} tokens · streaming on ${ep}…`;
      metrics.dataset.streamed = count;
    },
    stopped: () => state.stopRequested,
    maxTokens,
  };
  const onProgress = (n, total) => {
    progress.value = total ? n / total : 0;
    metrics.textContent = `loading the model into this page: ${fmtBytes(n)} of ${fmtBytes(total)}…`;
  };
  let run;
  try {
    run = await generateInPage($('ep').value, $('page-model').value, messages, request, {
      ...hooks,
      onStart: model => {   // the clock starts when the model is ready, as the endpoint's models are loaded before
        t0 = performance.now();
        ttft = null;
        ep = model.ep;
        progress.remove();
        metrics.textContent = 'waiting for the first token…';
      },
    }, onProgress);
  } catch (e) {
    card.append(el('div', 'error', e.pageMessage ?? explainFailure(e, ep, 'running')));
    metrics.textContent = ttft == null ? 'no answer' : `failed after ${fmt(performance.now() - t0)}`;
    return;
  } finally {
    progress.remove();
  }
  const { model, note, result: r } = run;
  ep = model.ep;
  head.append(el('span', 'ep', `${model.ep}${model.threads ? `, ${model.threads}` : ''}${note ? ` (${note})` : ''}`));
  const total = performance.now() - t0;
  const tokens = r.ids.length;
  const tps = tokens > 1 && ttft != null && total > ttft ? (tokens - 1) / ((total - ttft) / 1000) : null;
  const end = { cancelled: ' · stopped', length: ' · max tokens reached', stop: '' }[r.finishReason];
  metrics.textContent = `TTFT ${fmt(ttft)} · total ${fmt(total)} · ${tokens} tokens · ${tps == null ? '–' : tps.toFixed(1)} tok/s`
    + ` · ${model.ep}${end}`;
  Object.assign(metrics.dataset, { ttftMs: ttft ?? '', totalMs: total, tokens, model: model.id, which: 'page', ep: model.ep,
    finish: r.finishReason, sampling: r.sampling });
  state.lastPageRun = r;
  if (r.finishReason === 'cancelled') return;    // a stopped run is not a latency sample
  state.runs.page.push({ model: model.id, ttftMs: ttft, totalMs: total, tokens, estimated: false, ep: model.ep });
  drawChart();
}

async function run(whichList) {
  if (state.busy) return;
  const request = settings();
  if (!request) return;
  state.busy = true;
  state.stopRequested = false;
  refreshButtons();
  try {
    for (const which of whichList) {
      if (state.stopRequested) break;
      await ask(which, request);
    }
  } finally {
    state.busy = false;
    refreshButtons();
  }
}

function stop() {
  state.stopRequested = true;
  state.abort?.abort();
}

function drawChart() {
  if (!window.Plotly) { status('endpoint-status', 'plotly.min.js did not load: the latency chart is off.', 'error'); return; }
  const color = { slm: '#2a9d8f', llm: '#e76f51', page: '#7b61c9' };
  const name = { slm: 'SLM (endpoint)', llm: 'LLM (endpoint)', page: 'in this page' };
  const traces = [];
  for (const which of ['slm', 'llm', 'page']) {
    const runs = state.runs[which];
    const x = runs.map((_, i) => `run ${i + 1}`);
    const hover = runs.map(r => `${r.model}${r.ep ? ` on ${r.ep}` : ''}<br>${r.tokens} tokens${r.estimated ? ' (est.)' : ''}`);
    const base = { type: 'bar', name: name[which], legendgroup: which, marker: { color: color[which] }, x, hovertext: hover, hoverinfo: 'y+text' };
    traces.push({ ...base, y: runs.map(r => r.ttftMs), xaxis: 'x', yaxis: 'y' });
    traces.push({ ...base, y: runs.map(r => r.totalMs), xaxis: 'x2', yaxis: 'y2', showlegend: false });
  }
  Plotly.react('chart', traces, {
    grid: { rows: 1, columns: 2, pattern: 'independent' },
    barmode: 'group',
    height: 300,
    margin: { t: 40, r: 10, b: 40, l: 60 },
    title: { text: 'Latency per run: endpoint SLM / LLM vs in this page', font: { size: 14 } },
    yaxis: { title: { text: 'time to first token (ms)' }, rangemode: 'tozero' },
    yaxis2: { title: { text: 'total time (ms)' }, rangemode: 'tozero' },
    legend: { orientation: 'h', y: -0.2 },
    annotations: state.runs.slm.length + state.runs.llm.length + state.runs.page.length ? [] : [{ text: 'no runs yet: press Send or Ask both',
      xref: 'paper', yref: 'paper', x: 0.5, y: 0.95, showarrow: false, bgcolor: '#fff', font: { color: '#667085' } }],
  }, { displaylogo: false, responsive: true });
}

// ---- in-browser mode ----------------------------------------------------------------------------------------------

async function embedder(choice) {
  let ep = choice === 'auto' ? 'webgpu' : choice;
  let note = '';
  if (choice !== 'wasm') {
    const reason = await webgpuUnavailableReason();
    if (reason) { ep = 'wasm'; note = `wasm fallback: ${reason}`; }
  }
  const create = e => {
    if (!state.embedders[e]) {
      state.embedders[e] = Embedder.create(e, state.config.model);
      state.embedders[e].catch(() => { delete state.embedders[e]; });
    }
    return state.embedders[e];
  };
  try {
    return { emb: await create(ep), note };
  } catch (e) {
    if (ep !== 'webgpu') throw e;
    return { emb: await create('wasm'), note: `wasm fallback: the WebGPU session failed (${e.message ?? e})` };
  }
}

async function match() {
  const cfg = state.config;
  if (!cfg.ort.installed) { showOrtMissing(true); return; }
  const paras = paragraphs();
  const question = $('prompt').value.trim();
  if (!question || paras.length === 0) { status('ort-status', 'Type a prompt and at least one paragraph first.', 'error'); return; }
  $('match').disabled = true;
  status('ort-status', 'Loading ONNX Runtime Web and the model…', 'info');
  try {
    const { emb, note } = await embedder($('ep').value);
    state.lastEmbedder = emb;
    const used = $('ep-used');
    const cpu = `${emb.threads} wasm thread${emb.threads === 1 ? '' : 's'}${crossOriginIsolated ? '' : ' (page not cross-origin isolated)'}`;
    used.textContent = `EP: ${emb.ep}${note ? ` (${note})` : ''} · ${emb.ep === 'wasm' ? cpu + ' · ' : ''}session created in ${fmt(emb.createMs)}`;
    used.dataset.threads = emb.threads;
    used.dataset.ep = emb.ep;
    used.dataset.note = note;
    const timings = $('timings');
    timings.replaceChildren();
    const q = await emb.embed(question);
    timings.append(el('li', '', `question: ${q.ms.toFixed(1)} ms (${q.tokens} tokens)`));
    const scores = [];
    for (let i = 0; i < paras.length; i++) {
      const p = await emb.embed(paras[i]);
      scores.push(cosine(q.vector, p.vector));
      timings.append(el('li', '', `¶${i + 1}: ${p.ms.toFixed(1)} ms (${p.tokens} tokens)`));
    }
    const order = scores.map((s, i) => i).sort((a, b) => scores[b] - scores[a]);
    const best = new Set(order.slice(0, Math.min(2, order.length)).filter(i => scores[i] >= scores[order[0]] - 0.15));
    renderParagraphs(scores, best);
    status('ort-status', `Best match: ¶${order[0] + 1} (cosine ${scores[order[0]].toFixed(3)}), embedded in this page on ${emb.ep}.`, 'ok');
  } catch (e) {
    status('ort-status', `ONNX Runtime Web failed to initialise or run: ${e.message ?? e}`, 'error');
  } finally {
    $('match').disabled = false;
  }
}

/** Not downloaded yet is a step to take, not a failure: neutral until the user asks for the in-page model. */
function showOrtMissing(asked) {
  status('ort-status', state.config.ort.howTo, asked ? 'error' : 'info');
  $('ort-download').hidden = false;
}

/** Fetches ONNX Runtime Web, tokenizers.js and Jinja (the pinned npm tarballs) into the server's cache, once. */
async function downloadOrt() {
  const b = $('ort-download');
  b.disabled = true;
  status('ort-status', `Downloading onnxruntime-web ${state.config.ort.version}, ${state.config.libs.versions.join(', ')}`
    + ' through this server (33 MB, once)…', 'info');
  try {
    const res = await fetch('/demo/api/ort/install', { method: 'POST' });
    const body = await res.json().catch(() => ({}));
    if (body.ort) state.config.ort = body.ort;
    if (body.libs) state.config.libs = body.libs;
    if (!res.ok) throw new Error(body.error ?? `HTTP ${res.status}`);
    b.hidden = true;
    status('ort-status', `ONNX Runtime Web ${state.config.ort.version} is installed. Press "Find matching paragraphs".`, 'ok');
  } catch (e) {
    status('ort-status', `Download failed: ${e.message}. ${state.config.ort.howTo}`, 'error');
  } finally {
    b.disabled = false;
    showPageChoice();
  }
}

// ---- generation in the page ---------------------------------------------------------------------------------------

const pageEntries = () => state.config.llm ?? [];

function renderPageModels() {
  const entries = pageEntries();
  $('page-model').replaceChildren(...entries.map(m => {
    const o = el('option', '', m.problem ? `${m.id} (cannot run in the page)` : `${m.id} · ${fmtBytes(m.bytes)}`);
    o.value = m.id;
    return o;
  }));
  const usable = entries.filter(m => !m.problem && !whyTooLarge(m.id, m.bytes)).sort((a, b) => a.bytes - b.bytes);
  if (usable.length) $('page-model').value = usable[0].id;   // the smallest: the SLM
  $('send-all').hidden = usable.length === 0;
  showPageChoice();
}

/** Why the chosen model cannot run in the page, known before loading anything; null when it may. */
function pageProblem(entry) {
  if (!entry) {
    return pageEntries().length ? 'Choose a model.' : 'This server offers the page no model folder. Start'
      + ' `./jbang scripts/serve.java` (its default SLM, Qwen2.5-0.5B-Instruct, runs here) or add'
      + ' `--model <a folder in the onnx-community layout>`, e.g. testdata/models/tiny-random-qwen2.5-instruct-q4.';
  }
  if (entry.problem) return entry.problem;
  const tooLarge = whyTooLarge(entry.id, entry.bytes);
  if (tooLarge) return tooLarge;
  const missing = [state.config.ort, state.config.libs].filter(x => !x.installed).map(x => x.howTo);
  return missing.length ? missing.join(' ') : null;
}

function showPageChoice() {
  if (!state.config) return;
  const entry = pageEntries().find(m => m.id === $('page-model').value);
  const problem = pageProblem(entry);
  if (problem) status('page-status', problem, 'error');
  else if (!state.page.key.startsWith(`${entry.id}|`)) {
    status('page-status', `${entry.id}: ${fmtBytes(entry.bytes)} (${entry.onnx}), fetched from this server on Load or`
      + ' on the first answer.', 'info');
  }
  refreshButtons();
  const lib = !state.config.ort.installed || !state.config.libs.installed;
  if (lib) $('ort-download').hidden = false;
}

/**
 * The chosen model, loaded (once per model and EP) on the EP the choice resolves to: WebGPU when an adapter exists,
 * else wasm, saying why; in auto mode a model the WebGPU EP cannot load falls back to wasm, saying that too.
 */
async function pageModel(choice, id, onProgress = () => {}) {
  const entry = pageEntries().find(m => m.id === id);
  const problem = pageProblem(entry);
  if (problem) throw pageError(problem);
  let ep = choice === 'auto' ? 'webgpu' : choice;
  let note = '';
  if (choice === 'auto' && state.page.webgpuFailed[entry.id]) {
    ep = 'wasm';
    note = `wasm fallback: ${state.page.webgpuFailed[entry.id]}`;
  } else if (choice !== 'wasm') {
    const reason = await webgpuUnavailableReason();
    if (reason) { ep = 'wasm'; note = `wasm fallback: ${reason}`; }
    else if (choice === 'auto') note = 'WebGPU adapter found';
  }
  const open = e => {
    const key = `${entry.id}|${e}`;
    if (state.page.key !== key) {
      state.page.loading?.then(m => m.release(), () => {});   // one model in memory at a time
      state.page.key = key;
      const loading = PageModel.load(entry, e, onProgress);
      state.page.loading = loading;
      loading.catch(() => { if (state.page.loading === loading) { state.page.key = ''; state.page.loading = null; } });
    }
    return state.page.loading;
  };
  let model;
  try {
    model = await open(ep);
  } catch (e) {
    if (ep !== 'webgpu' || choice !== 'auto') throw e;
    state.page.webgpuFailed[entry.id] = e.pageMessage ?? e.message;
    note = `wasm fallback: ${state.page.webgpuFailed[entry.id]}`;
    model = await open('wasm');
  }
  showLoaded(model, note);
  return { model, note };
}

/**
 * One in-page answer on the chosen EP. WebGPU kernels are compiled on the first run, so a model the WebGPU EP cannot
 * run (e.g. an fp16 tensor on an adapter without shader-f16) may fail only then: in auto mode, before any token was
 * shown, it is run again on wasm, and the page says why.
 */
async function generateInPage(choice, id, messages, request, hooks, onProgress) {
  let { model, note } = await pageModel(choice, id, onProgress);
  let shown = false;
  const watched = { ...hooks, onToken: (piece, n) => { shown = true; hooks.onToken?.(piece, n); } };
  try {
    return { model, note, result: await model.generate(messages, request, watched) };
  } catch (e) {
    if (model.ep !== 'webgpu' || choice !== 'auto' || shown) throw e;
    state.page.webgpuFailed[id] = e.pageMessage ?? e.message;
    ({ model, note } = await pageModel(choice, id, onProgress));
    return { model, note, result: await model.generate(messages, request, hooks) };
  }
}

function showLoaded(model, note) {
  status('page-status', `${model.id} is loaded in this page: choose "in this page" in section 1 and press Send.`, 'ok');
  const used = $('page-used');
  used.textContent = `EP: ${model.ep}${note ? ` (${note})` : ''}${model.threads ? ` · ${model.threads}` : ''}`
    + ` · loaded in ${fmt(model.loadMs)} (download ${fmt(model.downloadMs)})`;
  used.dataset.ep = model.ep;
  used.dataset.note = note;
}

async function loadPage() {
  const b = $('page-load');
  const progress = $('page-progress');
  b.disabled = true;
  progress.hidden = false;
  progress.value = 0;
  status('page-status', 'Loading…', 'info');
  try {
    await pageModel($('ep').value, $('page-model').value, (n, total) => {
      progress.value = total ? n / total : 0;
      status('page-status', `Downloading ${$('page-model').value} from this server: ${fmtBytes(n)} of ${fmtBytes(total)}…`, 'info');
    });
  } catch (e) {
    status('page-status', e.pageMessage ?? e.message ?? String(e), 'error');
  } finally {
    progress.hidden = true;
    b.disabled = false;
  }
}

/**
 * For the tests: one in-page generation with an OpenAI-style request ({messages, max_tokens, temperature, top_p,
 * seed, model, ignore_eos}) on an EP choice, with the ids it produced and its timings.
 */
window.demoGenerate = async (request, choice = 'auto') => {
  let t0 = null;
  let ttft = null;
  const { model, note, result } = await generateInPage(choice, request.model ?? $('page-model').value, request.messages, {
    maxTokens: request.max_tokens ?? 64, temperature: request.temperature ?? 0, topP: request.top_p ?? 1,
    seed: request.seed == null ? null : BigInt(request.seed), ignoreEos: !!request.ignore_eos,
  }, {
    onStart: () => { t0 = performance.now(); ttft = null; },
    onToken: () => { if (ttft == null) ttft = performance.now() - t0; },
  });
  return { ep: model.ep, note, threads: model.threads, isolated: crossOriginIsolated, loadMs: model.loadMs, ...result,
    ttftMs: ttft, totalMs: performance.now() - t0 };
};

/** For the tests: the page's embedding of text on one EP, as a plain array. */
window.demoEmbed = async (text, choice) => {
  const { emb, note } = await embedder(choice);
  const r = await emb.embed(text);
  return { ep: emb.ep, note, vector: Array.from(r.vector), ms: r.ms, threads: emb.threads, isolated: crossOriginIsolated };
};

// ---- start --------------------------------------------------------------------------------------------------------

async function init() {
  try {
    const res = await fetch('/demo/api/config');
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    state.config = await res.json();
  } catch (e) {
    status('endpoint-status', `The demo's own server did not answer /demo/api/config (${e.message}).`, 'error');
    return;
  }
  renderParagraphs();
  $('documents').addEventListener('input', () => renderParagraphs());
  $('send').addEventListener('click', () => run([document.querySelector('input[name=which]:checked').value]));
  $('send-both').addEventListener('click', () => run(['slm', 'llm']));
  $('send-all').addEventListener('click', () => run(['slm', 'llm', 'page']));
  $('stop').addEventListener('click', stop);
  for (const r of document.querySelectorAll('input[name=which]')) r.addEventListener('change', refreshButtons);
  $('match').addEventListener('click', match);
  $('ort-download').addEventListener('click', downloadOrt);
  $('page-load').addEventListener('click', loadPage);
  $('page-model').addEventListener('change', showPageChoice);
  renderPageModels();
  if (!state.config.ort.installed) showOrtMissing();
  else {
    const reason = await webgpuUnavailableReason();
    status('ort-status', reason ? `WebGPU is not available, the wasm fallback will run (${reason}).`
      : 'WebGPU adapter found: the model will run on the GPU.', reason ? 'warn' : 'ok');
  }
  drawChart();
  await loadModels();
  document.body.dataset.ready = 'true';
}

init();
