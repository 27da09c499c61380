// The official OpenAI JS SDK's Responses and Embeddings APIs against serve.java. Run by OpenAiJsResponsesTest with
// OPENAI_BASE_URL, OPENAI_API_KEY, MODEL and EMBED_MODEL set; exits non-zero on the first failed check. Prints one
// "ok <check>" line per check that passed, and "vector <i> <json>" lines for the Java side.
import assert from 'node:assert/strict';
import OpenAI from 'openai';

const client = new OpenAI({ maxRetries: 0, timeout: 60_000 });  // baseURL and apiKey from the environment
const model = process.env.MODEL;
const ok = (what) => console.log('ok ' + what);

const blocking = await client.responses.create({ model, input: 'Hello, my name is', max_output_tokens: 8,
  temperature: 0, instructions: 'Be brief.' });
assert.equal(blocking.object, 'response');
assert.equal(blocking.status, 'incomplete');
assert.equal(blocking.incomplete_details.reason, 'max_output_tokens');
assert.ok(blocking.output_text.length > 0, 'the SDK joins output_text');
assert.equal(blocking.usage.output_tokens, 8);
ok('responses.create ' + JSON.stringify(blocking.output_text));

const stream = await client.responses.create({ model, input: 'Hello, my name is', max_output_tokens: 8,
  temperature: 0, instructions: 'Be brief.', stream: true });
let text = '', types = [], last = null;
for await (const event of stream) {
  types.push(event.type);
  if (event.type === 'response.output_text.delta') text += event.delta;
  last = event;
}
assert.equal(text, blocking.output_text, 'greedy stream = greedy blocking answer');
assert.equal(types[0], 'response.created');
assert.equal(last.type, 'response.incomplete');
assert.equal(last.response.usage.output_tokens, 8);
ok('responses stream ' + types.length + ' events');

// the SDK's own stream helper assembles the final response from the events (only response.completed replaces its
// snapshot, so for an incomplete answer the text is in the assembled message, as with OpenAI's own server)
const helper = client.responses.stream({ model, input: 'Hello, my name is', max_output_tokens: 8, temperature: 0,
  instructions: 'Be brief.' });
let helped = '';
helper.on('response.output_text.delta', (e) => { helped += e.delta; });
const final = await helper.finalResponse();
assert.equal(helped, blocking.output_text);
assert.equal(final.output[0].content[0].text, blocking.output_text);
ok('responses.stream helper');

const next = await client.responses.create({ model, input: [{ role: 'user', content: 'And yours?' }],
  previous_response_id: blocking.id, max_output_tokens: 4 });
assert.equal(next.previous_response_id, blocking.id);
assert.ok(next.usage.input_tokens > blocking.usage.input_tokens, 'the stored conversation was part of the prompt');
ok('previous_response_id');

try {
  await client.responses.create({ model, input: [{ role: 'user', content: [
    { type: 'input_image', image_url: 'data:image/png;base64,AAAA' }] }] });
  assert.fail('an image must fail');
} catch (e) {
  assert.ok(e instanceof OpenAI.BadRequestError, 'BadRequestError, got ' + e);
  assert.equal(e.param, 'input[0].content[0]');
  ok('image -> 400: ' + e.message);
}

const texts = ['The NPU runs small models locally.', 'Edge AI workshop'];
// the SDK asks for base64 by default and decodes it to floats itself
const b64 = await client.embeddings.create({ model: process.env.EMBED_MODEL, input: texts });
const floats = await client.embeddings.create({ model: process.env.EMBED_MODEL, input: texts, encoding_format: 'float' });
assert.equal(b64.data.length, 2);
for (let i = 0; i < 2; i++) {
  assert.equal(b64.data[i].embedding.length, 384);
  // the same float32 values: base64 decodes to their exact doubles, JSON to their shortest decimals
  assert.deepEqual(b64.data[i].embedding.map(Math.fround), floats.data[i].embedding.map(Math.fround),
    'base64 and float give the same vector');
  console.log('vector ' + i + ' ' + JSON.stringify(b64.data[i].embedding));
}
assert.ok(b64.usage.prompt_tokens > 0);
ok('embeddings ' + b64.usage.prompt_tokens + ' tokens');
