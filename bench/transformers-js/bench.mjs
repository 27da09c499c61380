// Greedy decode speed of transformers.js (onnxruntime-node, CPU) on the engine's fixture models.
//
//   node bench.mjs [--reps N] [--tokens 64] [fixture folders...]
//
// The fixtures are onnxruntime-genai folders without the config.json transformers.js needs, so each is copied to a
// temporary Hugging Face layout (onnx/model.onnx, tokenizer files, a minimal config.json written from
// genai_config.json). Time per token is measured like EngineBench: from the first generated token to the last one,
// i.e. decode steps only, prefill excluded. Prompt: "Hello, my name is" through the fixture's own tokenizer, or the
// ids EngineBench uses for the GPT-2 fixture (its model only accepts ids < 1000).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AutoModelForCausalLM, AutoTokenizer, Tensor, env } from '@huggingface/transformers';
import { BaseStreamer } from '@huggingface/transformers';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
let reps = 15, tokens = 64;
const ROUNDS = 3;
const folders = [];
for (let i = 0; i < args.length; i++) {
    if (args[i] === '--reps') reps = Number(args[++i]);
    else if (args[i] === '--tokens') tokens = Number(args[++i]);
    else folders.push(path.resolve(args[i]));
}
if (folders.length === 0) {
    const root = path.resolve(here, '../../testdata/models');
    folders.push(...['tiny-random-LlamaForCausalLM-fp16', 'tiny-random-gpt2-fp32', 'tiny-graph-capture-gqa'].map((f) => path.join(root, f)));
}

env.allowRemoteModels = false;
env.allowLocalModels = true;
env.useBrowserCache = false;
env.useFSCache = false;

const tfjsVersion = env.version;
const ortVersion = (() => {
    try {
        const pkg = path.join(here, 'node_modules', 'onnxruntime-node', 'package.json');
        return JSON.parse(fs.readFileSync(pkg, 'utf8')).version;
    } catch { return '?'; }
})();

/** config.json for transformers.js from an onnxruntime-genai genai_config.json. */
function configFor(genai) {
    const m = genai.model, d = m.decoder;
    const type = m.type === 'phi3' ? 'phi3' : m.type;
    const eos = Array.isArray(m.eos_token_id) ? m.eos_token_id : [m.eos_token_id];
    return {
        model_type: type,
        architectures: [{ llama: 'LlamaForCausalLM', phi3: 'Phi3ForCausalLM', gpt2: 'GPT2LMHeadModel' }[type] ?? 'AutoModelForCausalLM'],
        vocab_size: m.vocab_size,
        hidden_size: d.hidden_size,
        num_hidden_layers: d.num_hidden_layers,
        num_attention_heads: d.num_attention_heads,
        num_key_value_heads: d.num_key_value_heads ?? d.num_attention_heads,
        head_dim: d.head_size,
        // gpt2 names
        n_embd: d.hidden_size, n_layer: d.num_hidden_layers, n_head: d.num_attention_heads,
        max_position_embeddings: m.context_length,
        bos_token_id: m.bos_token_id,
        eos_token_id: eos,
        pad_token_id: m.pad_token_id,
    };
}

function prepare(folder) {
    const genai = JSON.parse(fs.readFileSync(path.join(folder, 'genai_config.json'), 'utf8'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-fixture-'));
    fs.mkdirSync(path.join(dir, 'onnx'));
    const onnx = genai.model.decoder.filename;
    fs.copyFileSync(path.join(folder, onnx), path.join(dir, 'onnx', 'model.onnx'));
    // External data keeps the name the model refers to, next to the model file.
    for (const f of fs.readdirSync(folder)) if (f.startsWith(onnx + '.') || f.startsWith(onnx + '_')) fs.copyFileSync(path.join(folder, f), path.join(dir, 'onnx', f));
    for (const f of ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'])
        if (fs.existsSync(path.join(folder, f))) fs.copyFileSync(path.join(folder, f), path.join(dir, f));
    // transformers.js refuses a tokenizer.json without "decoder"/"post_processor" keys (the GQA toy tokenizer has
    // only "model"); the copy gets explicit nulls, which mean "none" as in Hugging Face tokenizers.
    const tj = JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer.json'), 'utf8'));
    const missing = ['normalizer', 'pre_tokenizer', 'post_processor', 'decoder'].filter((k) => !(k in tj));
    if (missing.length) fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify({ ...tj, ...Object.fromEntries(missing.map((k) => [k, null])) }));
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(configFor(genai), null, 2));
    return { dir, genai };
}

/** Records when each generated token arrives (the first put() is the prompt). */
class Clock extends BaseStreamer {
    constructor() { super(); this.times = []; this.ids = []; this.prompt = true; }
    put(value) {
        if (this.prompt) { this.prompt = false; return; }
        this.times.push(process.hrtime.bigint());
        this.ids.push(Number(value[0][0] ?? value[0]));
    }
    end() {}
}

const median = (v) => { const s = [...v].sort((a, b) => a - b); const n = s.length; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };
const pct = (v, q) => { const s = [...v].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]; };

console.log(`transformers.js ${tfjsVersion}, onnxruntime-node ${ortVersion}, Node ${process.version}, ${os.cpus().length} cores; `
    + `${tokens} greedy tokens, ${reps} reps after 2 warm-up, each rep the fastest of ${ROUNDS} runs; time per token from the first to the last generated token\n`);
console.log('| model | transformers.js tok/s | µs/token | p10–p90 tok/s | prompt ids | first generated ids |');
console.log('|---|---|---|---|---|---|');
for (const folder of folders) {
    const name = path.basename(folder);
    let prepared;
    try {
        prepared = prepare(folder);
        const model = await AutoModelForCausalLM.from_pretrained(prepared.dir, { dtype: 'fp32', device: 'cpu', local_files_only: true });
        let prompt;
        if (name.includes('gpt2')) prompt = [98, 15, 286, 262, 11, 314];
        else {
            const tok = await AutoTokenizer.from_pretrained(prepared.dir, { local_files_only: true });
            prompt = Array.from(tok.encode('Hello, my name is'));
        }
        const input_ids = new Tensor('int64', BigInt64Array.from(prompt.map(BigInt)), [1, prompt.length]);
        const attention_mask = new Tensor('int64', BigInt64Array.from(prompt.map(() => 1n)), [1, prompt.length]);
        const perToken = [];
        let ids = [];
        for (let r = -2; r < reps; r++) {
            // Like EngineBench: a rep keeps the fastest of ROUNDS runs, so one burst of outside load spoils one run only.
            let best = Infinity;
            for (let k = 0; k < ROUNDS; k++) {
                const clock = new Clock();
                await model.generate({ input_ids, attention_mask, max_new_tokens: tokens, min_new_tokens: tokens, do_sample: false, streamer: clock });
                if (clock.times.length !== tokens) throw new Error(`generated ${clock.times.length} tokens, expected ${tokens}`);
                ids = clock.ids;
                best = Math.min(best, Number(clock.times[tokens - 1] - clock.times[0]) / (tokens - 1));
            }
            if (r >= 0) perToken.push(best);
        }
        const m = median(perToken);
        console.log(`| ${name} | ${(1e9 / m).toFixed(0)} | ${(m / 1e3).toFixed(1)} | ${(1e9 / pct(perToken, 0.9)).toFixed(0)}–${(1e9 / pct(perToken, 0.1)).toFixed(0)} | ${prompt.join(' ')} | ${ids.slice(0, 8).join(' ')} |`);
        await model.dispose();
    } catch (e) {
        const msg = String(e?.message ?? e).split('\n')[0].slice(0, 200);
        console.log(`| ${name} | cannot run: ${msg.replaceAll('|', '/')} | | | | |`);
    } finally {
        if (prepared) fs.rmSync(prepared.dir, { recursive: true, force: true });
    }
}
