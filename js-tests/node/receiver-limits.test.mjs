// The Receiver's body limit is applied before the body reaches wasm memory: an oversized body
// costs no copy and no (never returned) growth of the module's memory. Uses the built package
// (pkg/loaders/node.js; WECHAT_KF_PKG overrides) and its glue's initSync (an internal of
// wechat-kf.js, the module the entry loads), which hands back the already-instantiated exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';

const entry = process.env.WECHAT_KF_PKG ?? new URL('../../pkg/loaders/node.js', import.meta.url).href;
const lib = await import(entry);
const { default: internal } = await import(new URL('../wechat-kf.js', entry).href);
const { memory } = internal.initSync();
const { Receiver, WxkfError } = lib;

const options = { token: 't0ken', encodingAESKey: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR', appId: 'wx49f0ab532d5d035a' };
const query = { signature: 'a'.repeat(40), timestamp: '1', nonce: '2' };

const tooLarge = (fn) => {
  let error;
  try { fn(); } catch (e) { error = e; }
  assert.ok(error instanceof WxkfError, `WxkfError, got ${error}`);
  assert.equal(error.code, -41002);
  assert.equal(error.kind, 'BodyTooLarge');
};

test('oversized bodies are refused before they are copied into wasm memory', () => {
  const receiver = new Receiver({ ...options, maxBodyBytes: 1024, now: () => 1000, allowPlaintext: true });
  const before = memory.buffer.byteLength;
  const big = 64 << 20;
  tooLarge(() => receiver.receive({ query, body: 'x'.repeat(big) }));
  tooLarge(() => receiver.receive({ query, body: new Uint8Array(big) }));
  tooLarge(() => receiver.receive({ query, body: new ArrayBuffer(big) }));
  tooLarge(() => receiver.receive({ query, body: new DataView(new ArrayBuffer(big)) }));
  assert.ok(memory.buffer.byteLength - before < big, `wasm memory grew by ${memory.buffer.byteLength - before} bytes`);
  // At the limit the body is read (and fails later, on the signature).
  assert.throws(() => receiver.receive({ query, body: `<xml>${'x'.repeat(1024 - 11)}</xml>` }), (e) => e.kind === 'ValidateSignature');
});

test('maxBodyBytes above 4 GiB saturates instead of wrapping', () => {
  assert.equal(new Receiver({ ...options, maxBodyBytes: 2 ** 32 }).maxBodyBytes, 2 ** 32 - 1);
  assert.equal(new Receiver({ ...options, maxBodyBytes: 2 ** 32 + 5 }).maxBodyBytes, 2 ** 32 - 1);
});

test('oversized query parameters are refused before they are copied into wasm memory (-41004)', () => {
  const receiver = new Receiver({ ...options, now: () => 1000 });
  const before = memory.buffer.byteLength;
  const big = 50 << 20;
  for (const name of ['nonce', 'signature', 'timestamp', 'msg_signature', 'encrypt_type']) {
    let error;
    try { receiver.receive({ query: { ...query, [name]: '1'.repeat(big) }, body: '<xml/>' }); } catch (e) { error = e; }
    assert.ok(error instanceof WxkfError, `${name}: WxkfError, got ${error}`);
    assert.equal(error.code, -41004);
    assert.equal(error.kind, 'InvalidQuery');
    assert.equal(error.field, name);
  }
  let error;
  try { receiver.verifyUrl({ ...query, echostr: 'e'.repeat(big) }); } catch (e) { error = e; }
  assert.equal(error?.field, 'echostr');
  assert.ok(memory.buffer.byteLength - before < big, `wasm memory grew by ${memory.buffer.byteLength - before} bytes`);
});

test('a Content-Type longer than 256 characters is cut to 256 before it reaches wasm memory', () => {
  // The content type only decides the error kind of a body that is neither XML nor JSON: one
  // that contains "json" gives ParseJson, any other ParseXml. Its last four characters "json"
  // are kept at exactly 256 characters and cut off at 257.
  const receiver = new Receiver({ ...options, now: () => 1_000_000, allowPlaintext: true });
  const plain = { signature: 'a'.repeat(40), timestamp: '1000', nonce: '2' };
  const kind = (contentType) => {
    let error;
    try { receiver.receive({ query: plain, body: 'hello', contentType }); } catch (e) { error = e; }
    assert.ok(error instanceof WxkfError, `WxkfError, got ${error}`);
    return error.kind;
  };
  assert.equal(kind('application/json'), 'ParseJson');
  assert.equal(kind('text/xml'), 'ParseXml');
  assert.equal(kind(`${'x'.repeat(252)}json`), 'ParseJson');
  assert.equal(kind(`${'x'.repeat(253)}json`), 'ParseXml');
  // A huge one costs no copy into wasm memory.
  const before = memory.buffer.byteLength;
  const big = 50 << 20;
  assert.equal(kind(`${'x'.repeat(big)}json`), 'ParseXml');
  assert.ok(memory.buffer.byteLength - before < big, `wasm memory grew by ${memory.buffer.byteLength - before} bytes`);
});
