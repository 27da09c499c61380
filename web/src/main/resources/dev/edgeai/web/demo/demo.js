// The workshop's browser demo. Model text is untrusted: it only ever reaches the page through textContent.
import { Embedder, cosine, webgpuUnavailableReason } from './embed.js';

const API = '/v1';
const $ = id => document.getElementById(id);
const state = {
  config: null,
  runs: { slm: [], llm: [] },        // one entry per finished answer: {model, ttftMs, totalMs, tokens, estimated}
  embedders: {},                     // ep -> Promise<Embedder>
  lastEmbedder: null,
  busy: false,
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
    ids = ((await res.json()).data ?? []).map(m => m.id);
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
  for (const id of ['send', 'send-both']) $(id).disabled = !on || state.busy;
}

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

async function ask(which) {
  const question = $('prompt').value.trim();
  if (!question) { status('endpoint-status', 'Type a prompt first.', 'error'); return; }
  const model = $(which === 'slm' ? 'model-slm' : 'model-llm').value;
  const card = el('article', `answer-card ${which}`);
  const head = el('div', 'head');
  head.append(el('span', `badge ${which}`, which.toUpperCase()), el('span', 'model', model));
  const reasoning = el('div', 'reasoning');
  const answer = el('div', 'answer');
  const metrics = el('div', 'metrics', 'waiting for the first token…');
  card.append(head, reasoning, answer, metrics);
  $('answers').prepend(card);

  const { messages, context } = await buildMessages(question);
  if (context) head.append(el('span', 'context', context));
  const t0 = performance.now();
  let ttft = null;
  let chunks = 0;
  let usage = null;
  try {
    const res = await fetch(`${API}/chat/completions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: JSON.stringify({ model, messages, stream: true, stream_options: { include_usage: true }, temperature: 0,
        max_tokens: Math.max(1, parseInt($('max-tokens').value, 10) || 256) }),
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
    const down = e instanceof TypeError;   // fetch's network failure
    card.append(el('div', 'error', down
      ? `Cannot reach ${location.origin}${API}/chat/completions (${e.message}): is the server still running?` : e.message));
    metrics.textContent = ttft == null ? 'no answer' : `stopped after ${fmt(performance.now() - t0)}`;
    return;
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

async function run(whichList) {
  if (state.busy) return;
  state.busy = true;
  setAskEnabled(false);
  try {
    for (const which of whichList) await ask(which);
  } finally {
    state.busy = false;
    setAskEnabled(true);
  }
}

function drawChart() {
  if (!window.Plotly) { status('endpoint-status', 'plotly.min.js did not load: the latency chart is off.', 'error'); return; }
  const color = { slm: '#2a9d8f', llm: '#e76f51' };
  const traces = [];
  for (const which of ['slm', 'llm']) {
    const runs = state.runs[which];
    const x = runs.map((_, i) => `run ${i + 1}`);
    const hover = runs.map(r => `${r.model}<br>${r.tokens} tokens${r.estimated ? ' (est.)' : ''}`);
    const base = { type: 'bar', name: which.toUpperCase(), legendgroup: which, marker: { color: color[which] }, x, hovertext: hover, hoverinfo: 'y+text' };
    traces.push({ ...base, y: runs.map(r => r.ttftMs), xaxis: 'x', yaxis: 'y' });
    traces.push({ ...base, y: runs.map(r => r.totalMs), xaxis: 'x2', yaxis: 'y2', showlegend: false });
  }
  Plotly.react('chart', traces, {
    grid: { rows: 1, columns: 2, pattern: 'independent' },
    barmode: 'group',
    height: 300,
    margin: { t: 40, r: 10, b: 40, l: 60 },
    title: { text: 'Latency per run: SLM vs LLM', font: { size: 14 } },
    yaxis: { title: { text: 'time to first token (ms)' }, rangemode: 'tozero' },
    yaxis2: { title: { text: 'total time (ms)' }, rangemode: 'tozero' },
    legend: { orientation: 'h', y: -0.2 },
    annotations: state.runs.slm.length + state.runs.llm.length ? [] : [{ text: 'no runs yet: press Send or Ask both',
      xref: 'paper', yref: 'paper', x: 0.5, y: 0.95, showarrow: false, bgcolor: '#fff', font: { color: '#667085' } }],
  }, { displaylogo: false, responsive: true });
}

// ---- in-browser mode ----------------------------------------------------------------------------------------------

async function embedder(choice) {
  let ep = choice;
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

async function downloadOrt() {
  const b = $('ort-download');
  b.disabled = true;
  status('ort-status', `Downloading onnxruntime-web ${state.config.ort.version} through this server (33 MB, once)…`, 'info');
  try {
    const res = await fetch('/demo/api/ort/install', { method: 'POST' });
    if (!res.ok) throw new Error(await errorText(res));
    state.config.ort = (await res.json()).ort;
    b.hidden = true;
    status('ort-status', `ONNX Runtime Web ${state.config.ort.version} is installed. Press "Find matching paragraphs".`, 'ok');
  } catch (e) {
    status('ort-status', `Download failed: ${e.message}. ${state.config.ort.howTo}`, 'error');
  } finally {
    b.disabled = false;
  }
}

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
  $('match').addEventListener('click', match);
  $('ort-download').addEventListener('click', downloadOrt);
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
