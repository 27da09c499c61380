// Prefill and decode speed of transformers.js (onnxruntime-node, CPU) on the real-size benchmark folders that
// tools/fixtures/make_fixtures.py --bench writes (optimum layout: onnx/model_q4.onnx or onnx/model.onnx + _data).
//
//   node realsize.mjs [--prompts 128,1024] [--tokens 32] [--reps 3] [--threads N] folders...
//
// Same prompt ids as RealSizeBench (32 + (i*37 + 11) % 300), greedy, EOS never reached (min_new_tokens). Prefill =
// generate() call → first generated token; decode = time per token from the first to the last generated token.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AutoModelForCausalLM, Tensor, BaseStreamer, env } from '@huggingface/transformers';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
let prompts = [128, 1024], tokens = 32, reps = 3, threads = 0;
const folders = [];
for (let i = 0; i < args.length; i++) {
    if (args[i] === '--prompts') prompts = args[++i].split(',').map(Number);
    else if (args[i] === '--tokens') tokens = Number(args[++i]);
    else if (args[i] === '--reps') reps = Number(args[++i]);
    else if (args[i] === '--threads') threads = Number(args[++i]);
    else folders.push(path.resolve(args[i]));
}
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.useBrowserCache = false;
env.useFSCache = false;
const ortVersion = (() => {
    try { return JSON.parse(fs.readFileSync(path.join(here, 'node_modules', 'onnxruntime-node', 'package.json'), 'utf8')).version; }
    catch { return '?'; }
})();

class Clock extends BaseStreamer {
    constructor() { super(); this.times = []; this.prompt = true; }
    put() { if (this.prompt) { this.prompt = false; return; } this.times.push(process.hrtime.bigint()); }
    end() {}
}
const median = (v) => { const s = [...v].sort((a, b) => a - b); const n = s.length; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };

console.log(`transformers.js ${env.version}, onnxruntime-node ${ortVersion}, Node ${process.version}, ${os.cpus().length} cores, `
    + `intra-op threads ${threads || 'ORT default'}; ${tokens} decode tokens, medians of ${reps} reps after a short warm-up\n`);
console.log('| model | prompt | transformers.js prefill tok/s | transformers.js decode tok/s |');
console.log('|---|---|---|---|');
for (const folder of folders) {
    const name = path.basename(folder);
    try {
        if (!fs.existsSync(path.join(folder, 'config.json'))) throw new Error('no config.json (genai folder): transformers.js reads optimum folders only');
        const q4 = fs.existsSync(path.join(folder, 'onnx', 'model_q4.onnx'));
        const external = fs.existsSync(path.join(folder, 'onnx', (q4 ? 'model_q4' : 'model') + '.onnx_data'));
        const session_options = threads ? { intraOpNumThreads: threads, interOpNumThreads: 1 } : {};
        const model = await AutoModelForCausalLM.from_pretrained(folder, {
            dtype: q4 ? 'q4' : 'fp32', device: 'cpu', local_files_only: true, use_external_data_format: external, session_options });
        {   // short warm-up, like RealSizeBench
            const w = new Tensor('int64', BigInt64Array.from({ length: 32 }, (_, i) => BigInt(32 + (i * 37 + 11) % 300)), [1, 32]);
            await model.generate({ input_ids: w, attention_mask: new Tensor('int64', new BigInt64Array(32).fill(1n), [1, 32]), max_new_tokens: 4, min_new_tokens: 4, do_sample: false });
        }
        for (const p of prompts) {
            const ids = Array.from({ length: p }, (_, i) => BigInt(32 + (i * 37 + 11) % 300));
            const input_ids = new Tensor('int64', BigInt64Array.from(ids), [1, p]);
            const attention_mask = new Tensor('int64', BigInt64Array.from(ids.map(() => 1n)), [1, p]);
            const pre = [], dec = [];
            for (let r = 0; r < reps; r++) {
                const clock = new Clock();
                const t0 = process.hrtime.bigint();
                await model.generate({ input_ids, attention_mask, max_new_tokens: tokens, min_new_tokens: tokens, do_sample: false, streamer: clock });
                if (clock.times.length !== tokens) throw new Error(`generated ${clock.times.length} tokens, expected ${tokens}`);
                pre.push(Number(clock.times[0] - t0));
                dec.push(Number(clock.times[tokens - 1] - clock.times[0]) / (tokens - 1));
            }
            console.log(`| ${name} | ${p} | ${(p / (median(pre) / 1e9)).toFixed(0)} | ${(1e9 / median(dec)).toFixed(1)} |`);
        }
        await model.dispose();
    } catch (e) {
        console.log(`| ${name} | | cannot run: ${String(e?.message ?? e).split('\n')[0].slice(0, 160).replaceAll('|', '/')} | |`);
    }
}
