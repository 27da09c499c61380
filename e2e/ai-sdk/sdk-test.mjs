// The Vercel AI SDK against serve.java. Run by AiSdkTest with OPENAI_BASE_URL, OPENAI_API_KEY, MODEL, EMBED_MODEL
// and FAILING_BASE_URL (a server whose backend fails after two tokens) set; exits non-zero on the first failed
// check. Prints one "ok <check>" line per check that passed, and "vector <text> <json>" lines for the Java side.
import assert from 'node:assert/strict';
import { APICallError, embed, embedMany, generateText, jsonSchema, streamText, tool } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';

const baseURL = process.env.OPENAI_BASE_URL;
const apiKey = process.env.OPENAI_API_KEY;
const model = process.env.MODEL;
const ok = (what) => console.log('ok ' + what);
const prompt = 'Hello, my name is';
const greedy = { maxOutputTokens: 8, temperature: 0, maxRetries: 0 };

/** Text, finish reason, usage and errors of a streamText call, read from its full stream. */
async function drain(result) {
  let text = '', errors = [];
  for await (const part of result.fullStream) {
    if (part.type === 'text-delta') text += part.text;
    if (part.type === 'error') errors.push(part.error);
  }
  return { text, errors, finish: await result.finishReason.catch(() => null), usage: await result.usage.catch(() => null) };
}

// ---- the default provider: openai(id) calls POST /v1/responses --------------------------------------------------
const openai = createOpenAI({ baseURL, apiKey });

const blocking = await generateText({ model: openai(model), prompt, ...greedy });
assert.ok(blocking.text.length > 0, 'some text');
assert.equal(blocking.finishReason, 'length');
assert.equal(blocking.usage.outputTokens, 8);
assert.ok(blocking.usage.inputTokens > 0);
const responseId = blocking.providerMetadata?.openai?.responseId;
assert.match(responseId, /^resp_/);
ok('responses generateText ' + JSON.stringify(blocking.text));

const streamed = await drain(streamText({ model: openai(model), prompt, ...greedy }));
assert.deepEqual(streamed.errors, []);
assert.equal(streamed.text, blocking.text, 'greedy stream = greedy blocking answer');
assert.equal(streamed.finish, 'length');
assert.equal(streamed.usage.outputTokens, 8);
ok('responses streamText ' + JSON.stringify(streamed.usage));

const next = await generateText({ model: openai(model), prompt: 'And yours?', ...greedy,
  providerOptions: { openai: { previousResponseId: responseId } } });
assert.ok(next.usage.inputTokens > blocking.usage.inputTokens + 8, 'the stored conversation was part of the prompt');
ok(`responses previousResponseId: ${next.usage.inputTokens} input tokens after ${blocking.usage.inputTokens}`);

const system = await generateText({ model: openai(model), system: 'Be brief.', prompt, ...greedy });
assert.ok(system.usage.inputTokens > blocking.usage.inputTokens, 'instructions are part of the prompt');
ok('responses system');

try {
  await generateText({ model: openai('no-such-model'), prompt, maxRetries: 0 });
  assert.fail('an unknown model must fail');
} catch (e) {
  assert.ok(APICallError.isInstance(e), 'APICallError, got ' + e);
  assert.equal(e.statusCode, 404);
  assert.match(e.message, /does not exist on this server/);
  ok('responses unknown model: ' + e.message);
}

try {
  const weather = tool({ description: 'The weather', inputSchema: jsonSchema({ type: 'object', properties: {} }) });
  await generateText({ model: openai(model), prompt, maxRetries: 0, tools: { weather } });
  assert.fail('tools must fail');
} catch (e) {
  assert.ok(APICallError.isInstance(e), 'APICallError, got ' + e);
  assert.equal(e.statusCode, 400);
  assert.match(e.message, /tool calling/);
  ok('responses tools -> 400');
}

// ---- @ai-sdk/openai-compatible: chat completions and embeddings ---------------------------------------------------
const compat = createOpenAICompatible({ name: 'serve', baseURL, apiKey, includeUsage: true });

const chat = await generateText({ model: compat(model), prompt, ...greedy });
assert.equal(chat.text, blocking.text, 'chat completions and responses give the same greedy answer');
assert.equal(chat.finishReason, 'length');
assert.equal(chat.usage.outputTokens, 8);
ok('compatible generateText');

const chatStream = await drain(streamText({ model: compat(model), prompt, ...greedy }));
assert.deepEqual(chatStream.errors, []);
assert.equal(chatStream.text, blocking.text);
assert.equal(chatStream.usage.outputTokens, 8);
ok('compatible streamText');

const texts = ['The NPU runs small models locally.', 'Edge AI workshop'];
const one = await embed({ model: compat.embeddingModel(process.env.EMBED_MODEL), value: texts[0], maxRetries: 0 });
assert.equal(one.embedding.length, 384);
assert.ok(one.usage.tokens > 0);
const many = await embedMany({ model: compat.embeddingModel(process.env.EMBED_MODEL), values: texts, maxRetries: 0 });
assert.deepEqual(many.embeddings[0], one.embedding, 'the same text, the same vector');
many.embeddings.forEach((v, i) => console.log('vector ' + i + ' ' + JSON.stringify(v)));
const viaOpenai = await embed({ model: openai.embedding(process.env.EMBED_MODEL), value: texts[1], maxRetries: 0 });
assert.deepEqual(viaOpenai.embedding, many.embeddings[1]);
ok('embeddings ' + many.usage.tokens + ' tokens');

// ---- a backend that fails after two tokens: the error reaches the stream's consumer ------------------------------
const failing = { baseURL: process.env.FAILING_BASE_URL, apiKey };
for (const [name, m] of [['responses', createOpenAI(failing)('m')],
                         ['compatible', createOpenAICompatible({ name: 'failing', ...failing })('m')]]) {
  const r = await drain(streamText({ model: m, prompt, maxRetries: 0 }));
  assert.equal(r.text, 'ab', name + ': the text before the failure arrived');
  assert.equal(r.errors.length, 1, name + ': one error part, got ' + JSON.stringify(r.errors));
  assert.match(JSON.stringify(r.errors[0]) + String(r.errors[0]?.message), /backend reported an error/);
  ok(name + ' mid-stream error: ' + (r.errors[0]?.message ?? JSON.stringify(r.errors[0])));
}
