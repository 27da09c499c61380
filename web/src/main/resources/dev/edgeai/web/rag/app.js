// Chat page for the RAG app. Model output is untrusted: while streaming it is shown with textContent; the final
// answer is HTML the server rendered with escaping (commonmark escapeHtml), so no model text becomes markup here.
'use strict';

const $ = (id) => document.getElementById(id);
const state = { session: null, config: null, controller: null, turn: null };

function sessionId() {
  let id = localStorage.getItem('edgeai.session');
  if (!id || !/^[A-Za-z0-9-]{8,64}$/.test(id)) {
    id = crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + '-' + Math.random().toString(16).slice(2);
    localStorage.setItem('edgeai.session', id);
  }
  return id;
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function fmtMs(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return 'n/a';
  return ms >= 1000 ? (ms / 1000).toFixed(2) + ' s' : Math.round(ms) + ' ms';
}

async function init() {
  state.session = sessionId();
  const resp = await fetch('/api/config');
  const cfg = await resp.json().catch(() => ({}));
  if (!resp.ok) throw new Error(cfg.error || `HTTP ${resp.status}`);   // e.g. 503 with the backend's reason
  state.config = cfg;
  $('backend').textContent = `${cfg.backend.kind} · ${cfg.documents} chunks indexed`;
  for (const m of cfg.models) {
    const o = el('option', null, m);
    o.value = m;
    if (m === cfg.defaultModel) o.selected = true;
    $('model').append(o);
  }
  $('mode').value = cfg.mode;
  $('topk').value = cfg.topK;
  $('temperature').value = cfg.temperature;
  for (const s of cfg.starters) {
    const b = el('button', null, s);
    b.type = 'button';
    b.addEventListener('click', () => ask(s));
    $('starters').append(b);
  }
  const hist = await (await fetch('/api/history?session=' + encodeURIComponent(state.session))).json();
  for (const t of hist.turns) renderTurn(t);
  $('starters').hidden = hist.turns.length > 0;
}

function renderQuestion(text) {
  const q = el('div', 'msg user', text);
  $('messages').append(q);
}

function renderRetrieval(container, info) {
  const d = el('details', 'retrieval');
  const n = info.hits.length;
  const label = info.noRelevantContext ? 'Retrieval: no relevant context' : `Retrieval: ${n} chunk${n === 1 ? '' : 's'}`;
  d.append(el('summary', null, `${label} (${info.mode}, ${fmtMs(info.tookMs)})`));
  const ol = el('ol');
  for (const h of info.hits) {
    const li = el('li');
    const a = el('a', null, `${h.source} › ${h.heading || '(top)'}`);
    a.href = '#cite-' + h.n;
    a.addEventListener('click', (ev) => { ev.preventDefault(); openSource(h); });
    li.append(a, el('span', 'muted', ` score ${h.score.toFixed(3)} · bm25 ${h.bm25.toFixed(2)} · cosine ${h.dense.toFixed(3)}`));
    ol.append(li);
  }
  d.append(ol);
  container.prepend(d);
}

function openSource(h) {
  $('source-title').textContent = `[${h.n}] ${h.source}`;
  $('source-meta').textContent = `${h.heading || ''} · characters ${h.start}–${h.end}`;
  $('source-text').textContent = h.text;
  $('source-panel').hidden = false;
  // The panel takes its own column (see app.css), so the question box, Send and the settings stay usable.
  document.body.classList.add('panel-open');
}

function closeSource() {
  $('source-panel').hidden = true;
  document.body.classList.remove('panel-open');
}

function wireCitations(answerEl, hits) {
  answerEl.querySelectorAll('a.cite').forEach((a) => {
    a.addEventListener('click', (ev) => {
      ev.preventDefault();
      const h = hits.find((x) => String(x.n) === a.dataset.n);
      if (h) openSource(h);
    });
  });
}

function renderFooter(box, turn, shownFirstTokenMs) {
  const m = turn.metrics || {};
  const line = el('div', 'latency muted');
  // Machine-readable copies of the figures (benchmarks read them): ms, empty when unknown.
  line.dataset.ttftMs = m.ttftMs ?? '';
  line.dataset.retrievalMs = m.retrievalMs ?? '';
  line.dataset.serverFirstTokenMs = m.serverFirstTokenMs ?? '';
  line.dataset.shownFirstTokenMs = shownFirstTokenMs ?? '';
  const parts = [];
  if (m.ttftMs !== undefined) parts.push(`TTFT ${fmtMs(m.ttftMs)}`);
  if (m.e2eMs !== undefined) parts.push(`total ${fmtMs(m.e2eMs)}`);
  if (shownFirstTokenMs !== undefined) parts.push(`first token shown after ${fmtMs(shownFirstTokenMs)}`);
  if (m.completionTokens !== undefined) {
    parts.push(`${m.completionTokens} tokens${m.tokensEstimated ? ' (est.)' : ''} · prompt ${m.promptTokens}`);
  }
  if (turn.model) parts.push(turn.model);
  if (turn.fallback) parts.push('answered without documents (fallback)');
  line.append(el('span', 'metrics', parts.join(' · ')));
  for (const [rating, label] of [['up', 'Good answer'], ['down', 'Bad answer']]) {
    // Inline SVG, not emoji: machines without an emoji font show emoji as empty boxes.
    const b = el('button', 'feedback');
    b.type = 'button';
    b.title = label;
    b.setAttribute('aria-label', label);
    b.setAttribute('aria-pressed', 'false');
    b.innerHTML = thumbSvg(rating === 'down');
    b.dataset.rating = rating;
    b.addEventListener('click', async () => {
      const r = await fetch('/api/feedback', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ session: state.session, turn: turn.id, rating }) });
      if (r.ok) {
        line.querySelectorAll('button.feedback').forEach((x) => { x.classList.remove('chosen'); x.setAttribute('aria-pressed', 'false'); });
        b.classList.add('chosen');
        b.setAttribute('aria-pressed', 'true');
      }
    });
    line.append(b);
  }
  box.append(line);
}

/** A thumb drawn with strokes in the text colour; down is up turned over. Decorative: the button carries the label. */
function thumbSvg(down) {
  return '<svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" '
    + 'stroke-width="2" stroke-linejoin="round"><g' + (down ? ' transform="rotate(180 12 12)"' : '') + '>'
    + '<rect x="2" y="10" width="4" height="11" rx="1"/>'
    + '<path d="M6 11 10 3c1.5 0 2.5 1 2.5 2.5L12 9h7c1.2 0 2 1 1.8 2.2l-1.3 8.1c-.2 1-1 1.7-2 1.7H6z"/></g></svg>';
}

function renderTurn(t) {
  renderQuestion(t.question);
  const box = el('div', 'msg assistant');
  const answer = el('div', 'answer');
  box.append(answer);
  const hits = t.retrieval || [];
  renderRetrieval(box, { hits, mode: '', tookMs: t.metrics ? t.metrics.retrievalMs : undefined, noRelevantContext: hits.length === 0 });
  if (t.error) answer.append(el('div', 'error', t.error));
  else { answer.innerHTML = t.html; wireCitations(answer, hits); renderFooter(box, t); }
  $('messages').append(box);
}

function parseSse(buffer, onEvent) {
  // Returns the unparsed remainder; events are separated by a blank line.
  let idx;
  while ((idx = buffer.indexOf('\n\n')) >= 0) {
    const raw = buffer.slice(0, idx);
    buffer = buffer.slice(idx + 2);
    let event = 'message'; const data = [];
    for (const line of raw.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length) onEvent(event, JSON.parse(data.join('\n')));
  }
  return buffer;
}

async function ask(question) {
  if (state.controller) return;
  $('starters').hidden = true;
  renderQuestion(question);
  const box = el('div', 'msg assistant');
  const answer = el('div', 'answer streaming');
  box.append(answer);
  $('messages').append(box);
  const body = { session: state.session, message: question, model: $('model').value, mode: $('mode').value,
    topK: Number($('topk').value), temperature: Number($('temperature').value) };
  const t0 = performance.now();
  let shownFirstToken; let hits = []; let text = '';
  state.controller = new AbortController();
  $('send').hidden = true; $('stop').hidden = false;
  try {
    const resp = await fetch('/api/chat', { method: 'POST', signal: state.controller.signal,
      headers: { 'Content-Type': 'application/json', 'Accept': 'text/event-stream' }, body: JSON.stringify(body) });
    if (!resp.ok) {
      let msg = `HTTP ${resp.status}`;
      try { msg = (await resp.json()).error || msg; } catch (e) { /* keep the status */ }
      throw new Error(msg);
    }
    const reader = resp.body.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf = parseSse(buf + decoder.decode(value, { stream: true }), (event, data) => {
        if (event === 'retrieval') { hits = data.hits; state.turn = data.turn; renderRetrieval(box, data); }
        else if (event === 'token') {
          if (shownFirstToken === undefined) shownFirstToken = performance.now() - t0;
          text += data.text; answer.textContent = text;
        } else if (event === 'done') {
          answer.classList.remove('streaming');
          answer.innerHTML = data.html;
          wireCitations(answer, hits);
          renderFooter(box, data, shownFirstToken);
        } else if (event === 'error') {
          answer.classList.remove('streaming');
          answer.append(el('div', 'error', data.message));
        }
      });
    }
  } catch (e) {
    answer.classList.remove('streaming');
    if (e.name !== 'AbortError') answer.append(el('div', 'error', e.message));
  } finally {
    state.controller = null; state.turn = null;
    $('send').hidden = false; $('stop').hidden = true;
  }
}

$('ask').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const q = $('question').value.trim();
  if (!q) return;
  $('question').value = '';
  ask(q);
});
$('question').addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter' && !ev.shiftKey) { ev.preventDefault(); $('ask').requestSubmit(); }
});
$('stop').addEventListener('click', async () => {
  if (state.turn) {
    await fetch('/api/stop', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ turn: state.turn }) });
  }
});
$('settings-toggle').addEventListener('click', () => {
  const s = $('settings'); s.hidden = !s.hidden;
  $('settings-toggle').setAttribute('aria-expanded', String(!s.hidden));
});
$('close-panel').addEventListener('click', closeSource);
document.addEventListener('keydown', (ev) => { if (ev.key === 'Escape' && !$('source-panel').hidden) closeSource(); });
// On narrow screens the panel overlays the page: a click outside it (but not on a citation) closes it.
document.addEventListener('click', (ev) => {
  if ($('source-panel').hidden || !window.matchMedia('(max-width: 899px)').matches) return;
  if (!$('source-panel').contains(ev.target) && !ev.target.closest('a.cite, details.retrieval a')) closeSource();
});
$('new-chat').addEventListener('click', () => { localStorage.removeItem('edgeai.session'); location.reload(); });
$('upload-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = $('upload').files[0];
  if (!f) return;
  const fd = new FormData(); fd.append('file', f);
  // The header no cross-site form can send: the server takes uploads from this page (or a client that sends it).
  const r = await fetch('/api/upload', { method: 'POST', body: fd, headers: { 'X-Edgeai-Page': '1' } });
  let data = {};
  try { data = await r.json(); } catch (e) { data = { error: `HTTP ${r.status}` }; }
  $('upload-status').textContent = r.ok ? `Added ${data.source} (${data.chunks} chunks)` : `Upload refused: ${data.error || r.status}`;
  $('upload-status').className = r.ok ? 'ok' : 'error';
});

init().catch((e) => { $('messages').append(el('div', 'msg error', 'Could not load the app: ' + e.message)); });
