// The Node adapters (node:http, Express, Koa) survive an answer that cannot be written: a
// contentType with a newline makes the write throw (ERR_INVALID_CHAR). Each adapter must catch
// it, answer 500 when the headers are not sent yet, report it through onError (phase
// 'respond'), and keep serving; no unhandled rejection may escape (it would end the process).
// Every answer carries nosniff and a text/plain; charset=utf-8 type. Uses the built package
// (pkg/loaders/node.js; WECHAT_KF_PKG overrides); express and koa from the workspace.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import express from 'express';
import Koa from 'koa';

const lib = await import(process.env.WECHAT_KF_PKG ?? new URL('../../pkg/loaders/node.js', import.meta.url).href);
const { WXBizMsgCrypt, signature, createNodeListener, createExpressMiddleware, createKoaMiddleware } = lib;

const TOKEN = 'adapter-token-secret';
const KEY = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const APP_ID = 'wx49f0ab532d5d035a';
const crypt = new WXBizMsgCrypt({ token: TOKEN, encodingAESKey: KEY, appId: APP_ID });

const escaped = [];
const onEscape = (e) => escaped.push(e);
before(() => {
  process.on('unhandledRejection', onEscape);
  process.on('uncaughtException', onEscape);
});
after(() => {
  process.off('unhandledRejection', onEscape);
  process.off('uncaughtException', onEscape);
});

let seq = 0;
/** A signed, encrypted (safe mode) text push with a fresh MsgId. */
function push(content) {
  const ts = String(Math.floor(Date.now() / 1000));
  const nonce = String(100000 + seq);
  const msgId = String(7000000000000000000n + BigInt(++seq));
  const plain = `<xml><ToUserName><![CDATA[gh_adapters]]></ToUserName><FromUserName><![CDATA[o_user]]></FromUserName><CreateTime>${ts}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`;
  const encrypt = crypt.encrypt(plain);
  const query = new URLSearchParams({ timestamp: ts, nonce, encrypt_type: 'aes', msg_signature: crypt.msgSignature(ts, nonce, encrypt) });
  return { query, body: `<xml><ToUserName><![CDATA[gh_adapters]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>` };
}

function options(errors) {
  return {
    token: TOKEN, encodingAESKey: KEY, appId: APP_ID,
    onError: (error, info) => errors.push({ error, ...info }),
    onMessage(message) {
      // A header value with a newline: writing the answer throws.
      if (message.content === 'bad') return { body: 'x', contentType: 'text/plain\r\nX-Injected: 1' };
      return undefined;
    },
  };
}

const ADAPTERS = {
  'node:http': (opts) => createServer(createNodeListener(opts)),
  Express: (opts) => {
    const app = express();
    app.all('/wechat', createExpressMiddleware(opts));
    return createServer(app);
  },
  Koa: (opts) => {
    const app = new Koa();
    app.silent = true; // an error reaching Koa would be logged, not thrown: count it instead
    app.on('error', onEscape);
    app.use(createKoaMiddleware(opts));
    return createServer(app.callback());
  },
};

const textAnswer = (res) => {
  assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
};

for (const [name, make] of Object.entries(ADAPTERS)) {
  test(`${name}: a throwing write answers 500, is reported, and the server keeps serving`, { timeout: 30_000 }, async () => {
    const errors = [];
    const server = make(options(errors));
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${server.address().port}/wechat`;
    const post = (p) => fetch(`${base}?${p.query}`, { method: 'POST', body: p.body, headers: { 'content-type': 'text/xml' }, signal: AbortSignal.timeout(10_000) });
    try {
      const bad = await post(push('bad'));
      assert.equal(bad.status, 500);
      assert.equal(await bad.text(), 'internal error');
      textAnswer(bad);
      assert.equal(bad.headers.get('x-injected'), null);
      assert.deepEqual(errors.map((e) => e.phase), ['respond']);
      assert.equal(errors[0].error.code, 'ERR_INVALID_CHAR');
      // Still serving: a push, and the URL verification GET.
      const good = await post(push('hello'));
      assert.equal(good.status, 200);
      assert.equal(await good.text(), 'success');
      textAnswer(good);
      const ts = String(Math.floor(Date.now() / 1000));
      const get = await fetch(`${base}?${new URLSearchParams({ signature: signature(TOKEN, ts, '7'), timestamp: ts, nonce: '7', echostr: '5927782489442352469' })}`, { signal: AbortSignal.timeout(10_000) });
      assert.equal(await get.text(), '5927782489442352469');
      textAnswer(get);
      const refused = await fetch(`${base}?${new URLSearchParams({ signature: signature(TOKEN, ts, '7'), timestamp: ts, nonce: '7', echostr: '<img src=x onerror=alert(1)>' })}`, { signal: AbortSignal.timeout(10_000) });
      assert.equal(refused.status, 400);
      textAnswer(refused);
      assert.equal(errors.length, 2); // the refused echostr, reported as verifyUrl
      assert.equal(errors[1].phase, 'verifyUrl');
      // Let any stray rejection surface before checking.
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(escaped, []);
    } finally {
      await new Promise((r) => { server.closeAllConnections?.(); server.close(r); });
    }
  });
}
