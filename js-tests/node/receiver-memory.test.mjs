// Hostile bodies at the default body limit (1 MiB) do not grow the inbound module's wasm memory
// (which never shrinks) beyond a bound, and memory is reused from one push to the next. A JSON
// body of hundreds of thousands of values used to be parsed (120-210 ms) and left the memory at
// 18-32 MiB; it is now refused by the value limit before anything is parsed (-40012). The bound:
// a refused text body costs its own copy (3 bytes reserved per UTF-16 code unit while it is
// encoded) plus at most 10,000 elements read; measured 4.2 MiB (JSON) and 5.1 MiB (XML) from
// 1.1 MiB. Its own process (node --test runs each file in one), so that the memory starts as
// the module made it. Uses the built package (pkg/loaders/node.js; WECHAT_KF_PKG overrides) and
// its glue's initSync, which hands back the instantiated exports (as receiver-limits.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';

const entry = process.env.WECHAT_KF_PKG ?? new URL('../../pkg/loaders/node.js', import.meta.url).href;
const lib = await import(entry);
const { default: internal } = await import(new URL('../wechat-kf.js', entry).href);
const { memory } = internal.initSync();
const { Receiver, WxkfError, signature } = lib;

const MiB = 1 << 20;
const TOKEN = 't0ken';
const NOW = 1700000000;
const query = { signature: signature(TOKEN, String(NOW), '1'), timestamp: String(NOW), nonce: '1' };
const head = `"ToUserName":"gh","FromUserName":"o","CreateTime":${NOW},"MsgType":"x"`;
const xhead = `<ToUserName>gh</ToUserName><FromUserName>o</FromUserName><CreateTime>${NOW}</CreateTime><MsgType>x</MsgType>`;
/** `pre`, then `unit` repeated, then `post`, up to 1 MiB. */
const fill = (pre, unit, post) => pre + unit.repeat(Math.floor((MiB - pre.length - post.length) / unit.length)) + post;
const HOSTILE = [
  ['JSON array of numbers', fill(`{${head},"L":[`, '1,', '1]}'), -40012],
  ['JSON array of empty objects', fill(`{${head},"L":[`, '{},', '{}]}'), -40012],
  ['JSON array of empty arrays', fill(`{${head},"L":[`, '[],', '[]]}'), -40012],
  ['JSON members', (() => { let s = `{${head}`; for (let i = 0; s.length < MiB - 40; i++) s += `,"k${i}":1`; return `${s}}`; })(), -40012],
  ['JSON nested objects', fill(`{${head},"L":[`, '{"a":{"b":1}},', '1]}'), -40012],
  ['XML empty elements', fill(`<xml>${xhead}`, '<a/>', '</xml>'), -40002],
  ['XML nested elements', fill(`<xml>${xhead}<A>`, '<b>1</b>', '</A></xml>'), -40002],
];

test('hostile 1 MiB JSON and XML bodies are refused and leave the inbound memory within its bound', () => {
  const receiver = new Receiver({ token: TOKEN, now: () => NOW * 1000 });
  const start = memory.buffer.byteLength;
  let afterFirst;
  for (const round of [1, 2, 3]) {
    for (const [name, body, code] of HOSTILE) {
      assert.ok(body.length <= MiB && body.length > MiB - 64, `${name}: ${body.length} bytes`);
      for (const asBytes of [false, true]) {
        const started = performance.now();
        let error;
        try { receiver.receive({ query, body: asBytes ? new TextEncoder().encode(body) : body }); } catch (e) { error = e; }
        assert.ok(error instanceof WxkfError, `${name}: WxkfError, got ${error}`);
        assert.equal(error.code, code, `${name}: ${error.message}`);
        // Refused by a scan or a count: far below the 120-210 ms parsing took (generous for CI).
        assert.ok(performance.now() - started < 100 * (round === 1 ? 5 : 1), `${name}: ${performance.now() - started} ms`);
      }
    }
    const grown = memory.buffer.byteLength - start;
    assert.ok(grown <= 5 * MiB, `round ${round}: the inbound memory grew by ${(grown / MiB).toFixed(1)} MiB (bound 5 MiB)`);
    if (round === 1) afterFirst = memory.buffer.byteLength;
    // Reused: the same bodies again grow nothing.
    else assert.equal(memory.buffer.byteLength, afterFirst, `round ${round}: memory grew again`);
  }
  // The receiver still works.
  const push = receiver.receive({ query, body: `{${head},"Content":"hi"}` });
  assert.equal(push.message.raw.MsgType, 'x');
  receiver.free();
});
