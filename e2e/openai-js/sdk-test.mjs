// The official OpenAI JS SDK against serve.java. Run by OpenAiJsSdkTest with OPENAI_BASE_URL, OPENAI_API_KEY and
// MODEL set; exits non-zero on the first failed check. Prints one "ok <check>" line per check that passed.
import assert from 'node:assert/strict';
import OpenAI from 'openai';

const client = new OpenAI({ maxRetries: 0, timeout: 60_000 });  // baseURL and apiKey from the environment
const model = process.env.MODEL;
const messages = [{ role: 'user', content: 'Hello, my name is' }];
const ok = (what) => console.log('ok ' + what);

const listed = [];
for await (const m of client.models.list()) listed.push(m.id);
assert.ok(listed.includes(model), `models.list() has ${model}: ${listed}`);
const one = await client.models.retrieve(model);
assert.equal(one.id, model);
ok('models ' + listed.join(','));

const blocking = await client.chat.completions.create({ model, messages, max_tokens: 8, temperature: 0 });
assert.equal(blocking.object, 'chat.completion');
assert.equal(blocking.choices[0].message.role, 'assistant');
assert.equal(blocking.choices[0].finish_reason, 'length');
assert.equal(blocking.usage.completion_tokens, 8);
const text = blocking.choices[0].message.content;
assert.ok(text.length > 0);
ok('blocking ' + JSON.stringify(text));

const stream = await client.chat.completions.create({ model, messages, max_tokens: 8, temperature: 0, stream: true,
  stream_options: { include_usage: true } });
let streamed = '', finish = null, usage = null, chunks = 0;
for await (const chunk of stream) {
  chunks++;
  if (chunk.usage) { usage = chunk.usage; assert.equal(chunk.choices.length, 0, 'usage chunk has no choices'); continue; }
  streamed += chunk.choices[0]?.delta?.content ?? '';
  finish = chunk.choices[0]?.finish_reason ?? finish;
}
assert.equal(streamed, text, 'greedy stream = greedy blocking answer');
assert.equal(finish, 'length');
assert.equal(usage.completion_tokens, 8);
assert.ok(usage.prompt_tokens > 0 && usage.total_tokens === usage.prompt_tokens + 8);
ok(`stream ${chunks} chunks, usage ${JSON.stringify(usage)}`);

const longer = (await client.chat.completions.create({ model, messages, max_tokens: 24, temperature: 0 })).choices[0].message.content;
const stop = longer.slice(6, 9);
const stopped = await client.chat.completions.create({ model, messages, max_tokens: 24, temperature: 0, stop: [stop] });
assert.equal(stopped.choices[0].message.content, longer.slice(0, longer.indexOf(stop)));
assert.equal(stopped.choices[0].finish_reason, 'stop');
ok('stop ' + JSON.stringify(stop));

try {
  await client.chat.completions.create({ model: 'no-such-model', messages });
  assert.fail('an unknown model must fail');
} catch (e) {
  assert.ok(e instanceof OpenAI.NotFoundError, 'NotFoundError, got ' + e?.constructor?.name + ': ' + e);
  assert.equal(e.status, 404);
  assert.equal(e.code, 'model_not_found');
  assert.match(e.message, /The model 'no-such-model' does not exist on this server\. Available: /);
  ok('unknown model: ' + e.message);
}

try {
  await client.chat.completions.create({ model, messages, n: 2 });
  assert.fail('n=2 must fail');
} catch (e) {
  assert.ok(e instanceof OpenAI.BadRequestError, 'BadRequestError, got ' + e);
  assert.equal(e.param, 'n');
  ok('n=2: ' + e.message);
}

const one_token = await client.chat.completions.create({ model, messages, max_tokens: 1 });
assert.equal(one_token.choices[0].finish_reason, 'length');
assert.equal(one_token.usage.completion_tokens, 1);
ok('max_tokens 1 -> length');

const wrongKey = new OpenAI({ apiKey: 'wrong', maxRetries: 0 });
try {
  await wrongKey.models.list();
  assert.fail('a wrong key must fail');
} catch (e) {
  assert.ok(e instanceof OpenAI.AuthenticationError, 'AuthenticationError, got ' + e);
  ok('wrong key -> 401');
}

// Abort mid-stream: the server stops generating (the Java side checks its request record).
const aborting = await client.chat.completions.create({ model, messages, max_tokens: 1500, stream: true });
for await (const chunk of aborting) {
  if (chunk.choices[0]?.delta?.content) { console.log('aborted ' + chunk.id); aborting.controller.abort(); break; }
}
ok('abort');

// An error part-way through a stream (FAILING_BASE_URL: a server whose backend fails after a few tokens) reaches
// the caller as the SDK's APIError, after the text that came before it.
const failing = new OpenAI({ baseURL: process.env.FAILING_BASE_URL, maxRetries: 0, timeout: 60_000 });
let before = '';
try {
  const s = await failing.chat.completions.create({ model, messages, max_tokens: 64, temperature: 0, stream: true });
  for await (const chunk of s) before += chunk.choices[0]?.delta?.content ?? '';
  assert.fail('a stream that fails must throw');
} catch (e) {
  assert.ok(e instanceof OpenAI.APIError, 'APIError, got ' + e?.constructor?.name + ': ' + e);
  assert.match(String(e.message), /failed part-way/);
  assert.ok(before.length > 0, 'text before the error arrived');
  ok('error mid-stream: ' + e.message);
}
