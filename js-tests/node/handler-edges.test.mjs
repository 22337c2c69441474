// Edges of the handler core and the Receiver that the JS mutation run (scripts/js-mutants.mjs)
// showed untested: the status of a failure that is not a WxkfError (a body stream that breaks,
// an error from another copy of the package), and a Receiver after free(). Uses the built
// package (pkg/; WECHAT_KF_PKG overrides the entry).
import { test } from 'node:test';
import assert from 'node:assert/strict';

const entry = process.env.WECHAT_KF_PKG ?? new URL('../../pkg/loaders/node.js', import.meta.url).href;
const lib = await import(entry);
// Internals of inbound/push-handler.js: the default export of wechat-kf.js, the module the entry loads.
const internalUrl = new URL('../wechat-kf.js', entry).href;
const { createProcessor, statusFor } = (await import(internalUrl)).default;
const { Receiver, WXBizMsgCrypt, signature, WxkfError } = lib;

const TOKEN = 'edge-token';
const KEY = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const APP = 'wx49f0ab532d5d035a';
const NOW = 1_700_000_000;

test('statusFor: 413 too large, 401 not authentic, 400 other WxkfErrors, 500 anything else', () => {
  const wx = (kind) => new WxkfError('x', -1, kind);
  assert.equal(statusFor(wx('BodyTooLarge')), 413);
  for (const kind of ['ValidateSignature', 'TimestampOutOfWindow', 'ValidateAppId', 'DecryptAes', 'IllegalBuffer', 'DecodeBase64', 'PlaintextRefused']) {
    assert.equal(statusFor(wx(kind)), 401, kind);
  }
  assert.equal(statusFor(wx('ParseXml')), 400);
  // An error with a string kind (a WxkfError of another copy of the package) is judged by it.
  assert.equal(statusFor({ kind: 'ValidateSignature' }), 401);
  assert.equal(statusFor({ kind: 'ParseJson' }), 400);
  // Anything else is the server's own failure.
  for (const e of [new Error('socket reset'), new TypeError('x'), { kind: 5 }, null, undefined, 'text']) {
    assert.equal(statusFor(e), 500, String(e));
  }
});

test('a body that cannot be read answers 500 "internal error" and is reported', async () => {
  const reported = [];
  const p = createProcessor({
    token: TOKEN, encodingAESKey: KEY, appId: APP, now: () => NOW * 1000,
    onMessage: () => assert.fail('not called'),
    onError: (e, info) => reported.push(info.phase),
  });
  const query = { signature: signature(TOKEN, String(NOW), '1'), timestamp: String(NOW), nonce: '1' };
  const broken = await p.process({ method: 'POST', query, body: async () => { throw new Error('socket reset'); } });
  assert.deepEqual(broken, { status: 500, body: 'internal error', contentType: 'text/plain; charset=utf-8' });
  const foreign = await p.process({ method: 'POST', query, body: async () => { throw Object.assign(new Error('x'), { kind: 'BodyTooLarge' }); } });
  assert.equal(foreign.status, 413);
  assert.equal(foreign.body, 'error: BodyTooLarge');
  assert.deepEqual(reported, ['receive', 'receive']);
});

test('a Receiver after free() refuses to work', () => {
  const r = new Receiver({ token: TOKEN, encodingAESKey: KEY, appId: APP, now: () => NOW * 1000 });
  const crypt = new WXBizMsgCrypt({ token: TOKEN, encodingAESKey: KEY, appId: APP });
  const encrypt = crypt.encrypt(`<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>${NOW}</CreateTime><MsgType>text</MsgType><Content>c</Content></xml>`);
  const request = {
    query: { timestamp: String(NOW), nonce: '1', encrypt_type: 'aes', msg_signature: crypt.msgSignature(String(NOW), '1', encrypt) },
    body: `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`,
  };
  assert.equal(r.receive(request).message.content, 'c');
  r.free();
  assert.throws(() => r.receive(request));
});

// ---- the handler core, request by request (createProcessor().process) -----------------------

const crypt = new WXBizMsgCrypt({ token: TOKEN, encodingAESKey: KEY, appId: APP });
let seq = 0;
/** A signed, encrypted text push (a new MsgId each call unless `id` is given). */
function push({ id = `${++seq}`, content = 'hi' } = {}) {
  const plain = `<xml><ToUserName><![CDATA[gh_x]]></ToUserName><FromUserName><![CDATA[o_user]]></FromUserName><CreateTime>${NOW}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${id}</MsgId></xml>`;
  const encrypt = crypt.encrypt(plain);
  const body = `<xml><ToUserName><![CDATA[gh_x]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
  return {
    method: 'POST',
    query: { timestamp: String(NOW), nonce: '7', encrypt_type: 'aes', msg_signature: crypt.msgSignature(String(NOW), '7', encrypt) },
    body: async () => body,
    contentType: 'text/xml',
    contentLength: body.length,
  };
}
function processor(options) {
  const reported = [];
  const p = createProcessor({
    token: TOKEN, encodingAESKey: KEY, appId: APP, now: () => NOW * 1000,
    onError: (e, info) => reported.push(`${info.phase}${e && e.code ? ` ${e.code}` : ''}`),
    ...options,
  });
  return { process: p.process, reported };
}
const SUCCESS = { status: 200, body: 'success', contentType: 'text/plain; charset=utf-8' };

test('replies: nothing, null, empty and "success" all acknowledge; both transfer spellings transfer', async () => {
  for (const value of [undefined, null, '', 'success']) {
    const { process, reported } = processor({ onMessage: () => value });
    assert.deepEqual(await process(push()), SUCCESS, String(value));
    assert.deepEqual(reported, [], `${String(value)} is a valid reply, not a reply error`);
  }
  for (const value of ['transfer', 'transfer_customer_service']) {
    const { process } = processor({ onMessage: () => value });
    const r = await process(push());
    assert.equal(r.status, 200);
    assert.match(r.body, /^<xml>\n<Encrypt>/, value);
    assert.equal(r.contentType, 'text/xml; charset=utf-8');
  }
  const { process } = processor({ onMessage: () => ({ body: '<xml>mine</xml>', contentType: 'text/xml' }) });
  assert.deepEqual(await process(push()), { status: 200, body: '<xml>mine</xml>', contentType: 'text/xml' });
  const plain = processor({ onMessage: () => ({ body: 'x' }) });
  assert.deepEqual(await plain.process(push()), { status: 200, body: 'x', contentType: 'text/plain; charset=utf-8' });
  // A value that is no reply: acknowledged, and reported in the reply phase.
  for (const value of ['hello', { body: 5 }, 42]) {
    const bad = processor({ onMessage: () => value });
    assert.deepEqual(await bad.process(push()), SUCCESS);
    assert.deepEqual(bad.reported, ['reply'], JSON.stringify(value));
  }
});

test('GET: echostr required (400), verification failures reported', async () => {
  const { process, reported } = processor({ onMessage() {} });
  for (const query of [undefined, {}, new URLSearchParams('timestamp=1')]) {
    assert.deepEqual(await process({ method: 'GET', query }), { status: 400, body: 'error: missing echostr', contentType: 'text/plain; charset=utf-8' });
  }
  const r = await process({ method: 'GET', query: { signature: '0'.repeat(40), timestamp: String(NOW), nonce: '1', echostr: 'e' } });
  assert.equal(r.status, 401);
  assert.deepEqual(reported, ['verifyUrl -40001']);
});

test('Content-Length over the limit is refused before the body is read; at the limit it is read', async () => {
  const req = push();
  const size = req.contentLength;
  let reads = 0;
  const read = (r) => ({ ...r, body: async () => { reads++; return r.body(); } });
  const at = processor({ maxBodyBytes: size, onMessage: () => 'success' });
  assert.deepEqual(await at.process(read(req)), SUCCESS);
  assert.equal(reads, 1);
  const over = processor({ maxBodyBytes: size - 1, onMessage: () => 'success' });
  const r = await over.process(read(push()));
  assert.equal(r.status, 413);
  assert.equal(reads, 1, 'the body was not read');
  assert.deepEqual(over.reported, ['receive -41002']);
});

test('dedup: claimed with the default 660 s (2 x the 300 s window + 60); a store that fails is reported and the push handled (fail open)', async () => {
  const claims = [];
  const calls = [];
  const store = { claim: (key, ttl) => { claims.push(ttl); return true; } }; // no release
  const a = processor({ dedup: store, onMessage: (m) => { calls.push(m.msgId); throw new Error('boom'); } });
  assert.equal((await a.process(push({ id: '11' }))).status, 500);
  assert.deepEqual(claims, [660]);
  assert.deepEqual(a.reported, ['onMessage'], 'a store without release is not called');
  const broken = { claim: () => { throw new Error('redis down'); }, release() {} };
  const b = processor({ dedup: broken, onMessage: (m) => { calls.push(m.msgId); } });
  assert.deepEqual(await b.process(push({ id: '12' })), SUCCESS);
  assert.deepEqual(calls, ['11', '12']);
  assert.deepEqual(b.reported, ['dedup -43002']); // StoreUnavailable, wrapping the store's own error
});

test('a callback that throws within the budget: 500, reported, its key released so the retry runs', async () => {
  let calls = 0;
  const { process, reported } = processor({ onMessage: () => { calls++; if (calls === 1) throw new Error('db down'); } });
  const req = push({ id: '21' });
  const failed = await process(req);
  assert.deepEqual({ ...failed, error: undefined }, { status: 500, body: 'internal error', contentType: 'text/plain; charset=utf-8', error: undefined });
  assert.equal(failed.error.message, 'db down', 'the error rides along for the Express and Koa adapters');
  assert.deepEqual(await process(req), SUCCESS);
  assert.equal(calls, 2);
  assert.deepEqual(await process(req), SUCCESS);
  assert.equal(calls, 2, 'handled: a further retry is a duplicate');
  assert.deepEqual(reported, ['onMessage']);
});

test('the reply budget defaults to 3000 ms from the request (mocked clock): acknowledged at 3000, not at 2999', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.now() });
  let release;
  const gate = new Promise((r) => { release = r; });
  const { process } = processor({ onMessage: () => gate });
  let answer;
  const pending = process(push()).then((r) => { answer = r; });
  await new Promise((r) => setImmediate(r));
  t.mock.timers.tick(2999);
  await new Promise((r) => setImmediate(r));
  assert.equal(answer, undefined);
  t.mock.timers.tick(1);
  await pending;
  assert.deepEqual(answer, SUCCESS);
  release();
});

test('readLimited: chunks joined in order, the limit counted over all of them', async () => {
  const { readLimited } = (await import(internalUrl)).default;
  const enc = new TextEncoder();
  const chunks = () => [enc.encode('ab'), 'cd', enc.encode('ef')];
  assert.equal(new TextDecoder().decode(await readLimited(chunks(), 6)), 'abcdef');
  await assert.rejects(readLimited(chunks(), 5), (e) => e.code === -41002 && e.kind === 'BodyTooLarge');
  const one = enc.encode('xyz');
  assert.equal(new TextDecoder().decode(await readLimited([one], 3)), 'xyz');
});

test('no timer is left behind: a process exits right after its answers', async () => {
  const { spawn } = await import('node:child_process');
  // Each push answered well within a 4.5 s budget; the process must then exit by itself.
  const script = `
    const { createProcessor } = (await import(${JSON.stringify(internalUrl)})).default;
    await import(${JSON.stringify(entry)});
    const input = JSON.parse(process.argv[1]);
    for (const throws of [false, true]) {
      const p = createProcessor({ token: input.token, encodingAESKey: input.key, appId: input.app, now: () => input.now * 1000,
        replyTimeoutMs: 4500, onMessage: () => { if (throws) throw new Error('x'); } });
      const r = await p.process({ method: 'POST', query: input.query, body: async () => input.body });
      console.log(r.status);
    }`;
  const req = push();
  const input = { token: TOKEN, key: KEY, app: APP, now: NOW, query: req.query, body: await req.body() };
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  let timer;
  const exited = await Promise.race([
    new Promise((r) => child.on('exit', () => r(true))),
    new Promise((r) => { timer = setTimeout(() => r(false), 50_000); }),
  ]);
  clearTimeout(timer); // this test, too, leaves no timer behind
  if (!exited) child.kill('SIGKILL');
  assert.ok(exited, 'the process stayed alive: a budget timer was not cleared');
  assert.equal(out.trim(), '200\n500');
});
