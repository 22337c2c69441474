// Delivery under faults, at the handler (issue 23's table, rows 1-3 and 9): a real redis-server
// (js-tests/faults/redis-server.mjs) behind a proxy that loses replies after Redis ran the
// command (js-tests/faults/resp-proxy.mjs), `CLIENT PAUSE`, and an instance killed with SIGKILL
// in the middle of onMessage. Each case asserts what the user gets: the push handled exactly
// once, or handled (at least once) and reported — never answered 'success' and dropped.
// Uses the built package (pkg/; WECHAT_KF_PKG overrides the entry); ioredis and node-redis
// from the workspace.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import Redis from 'ioredis';
import { createClient } from 'redis';
import express from 'express';
import Koa from 'koa';
import { createServer } from 'node:http';
import { startRedisServer, stopAllRedis, redisCli } from '../faults/redis-server.mjs';
import { startProxy } from '../faults/resp-proxy.mjs';

const entry = process.env.WECHAT_KF_PKG ?? new URL('../../pkg/loaders/node.js', import.meta.url).href;
const lib = await import(entry);
const { redisStore } = await import(new URL('../stores/redis.js', entry).href);
const { WXBizMsgCrypt, createHandler, createExpressMiddleware, createKoaMiddleware } = lib;

const TOKEN = 'delivery-token';
const KEY = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const APP = 'wx49f0ab532d5d035a';
const crypt = new WXBizMsgCrypt({ token: TOKEN, encodingAESKey: KEY, appId: APP });

after(() => stopAllRedis());

let seq = 0;
/** A signed, encrypted text push with a fresh MsgId: { url, body, msgId }. */
function push(base = 'http://127.0.0.1/wx') {
  const ts = String(Math.floor(Date.now() / 1000));
  const nonce = String(200000 + seq);
  const msgId = String(8000000000000000000n + BigInt(++seq));
  const plain = `<xml><ToUserName><![CDATA[gh_faults]]></ToUserName><FromUserName><![CDATA[o_user]]></FromUserName><CreateTime>${ts}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]></Content><MsgId>${msgId}</MsgId></xml>`;
  const encrypt = crypt.encrypt(plain);
  const q = new URLSearchParams({ timestamp: ts, nonce, encrypt_type: 'aes', msg_signature: crypt.msgSignature(ts, nonce, encrypt) });
  return { url: `${base}?${q}`, body: `<xml><ToUserName><![CDATA[gh_faults]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`, msgId };
}
const send = (handler, p) => handler(new Request(p.url, { method: 'POST', body: p.body }));
const sleep = (ms) => new Promise((r) => { setTimeout(r, ms); });

/** An ioredis client once it is connected. */
const ready = (client) => (client.status === 'ready' ? client : new Promise((resolve) => client.once('ready', () => resolve(client))));

/** The claim's command: the first one on the push's dedup key (a SET NX, or the store's script). */
const isClaim = (args) => args.some((a) => String(a).startsWith('wechat-kf:dedup:'));

for (const [name, connect] of [
  ['ioredis, default options', (port) => ready(new Redis(port, '127.0.0.1'))],
  ['ioredis, the README\'s options', (port) => ready(new Redis(port, '127.0.0.1', { enableOfflineQueue: false }))],
  ['node-redis', async (port) => createClient({ url: `redis://127.0.0.1:${port}` }).connect()],
]) {
  test(`a claim whose reply is lost after Redis ran it (${name}): handled once, or handled and reported`, async () => {
    const server = await startRedisServer();
    const proxy = await startProxy({ targetPort: server.port });
    const client = await connect(proxy.port);
    client.on?.('error', () => {});
    const errors = [];
    let calls = 0;
    const handler = createHandler({
      token: TOKEN, encodingAESKey: KEY, appId: APP, store: redisStore(client), storeTimeoutMs: 2000, replyTimeoutMs: 4000,
      onError: (e, info) => errors.push(`${info.phase}:${e.code}`),
      onMessage: () => { calls++; },
    });
    try {
      assert.equal((await send(handler, push())).status, 200); // warm: the store's scripts loaded
      calls = 0;
      const p = push();
      proxy.dropRepliesMatching(isClaim);
      const first = await send(handler, p);
      const retry = await send(handler, p); // the platform's retry (ioredis reconnects in between)
      assert.equal(proxy.dropped, 1, 'the claim\'s reply was lost');
      assert.ok(calls >= 1, 'handled');
      if (calls === 1) {
        // Handled once: both copies may be answered success.
        assert.equal(first.status, 200);
        assert.equal(retry.status, 200);
      } else {
        assert.ok(errors.some((e) => e.startsWith('dedup:-4300')), `a second handling is reported: ${errors}`);
      }
      if (name.startsWith('ioredis, default')) {
        // ioredis re-sent the SET NX, which found its own lease: a claim, handled exactly once.
        assert.equal(calls, 1);
        assert.deepEqual(errors, []);
      }
      if (first.status === 200 && calls === 0) assert.fail('answered success and dropped');
    } finally {
      await client.quit?.().catch(() => {});
      client.disconnect?.();
      await proxy.close();
      await server.stop();
    }
  });
}

test('a claim that times out (CLIENT PAUSE WRITE) and then a throwing onMessage: 500, no ghost claim, the retry handles it', async () => {
  const server = await startRedisServer();
  const client = new Redis(server.port, '127.0.0.1');
  const errors = [];
  let calls = 0;
  const handler = createHandler({
    token: TOKEN, encodingAESKey: KEY, appId: APP, store: redisStore(client), storeTimeoutMs: 300, replyTimeoutMs: 1000,
    onError: (e, info) => errors.push(`${info.phase}:${e.code}`),
    onMessage: () => { calls++; if (calls === 1) throw new Error('the database is down'); },
  });
  try {
    const p = push();
    await redisCli(server.port, 'CLIENT', 'PAUSE', '1500', 'WRITE');
    const first = await send(handler, p);
    assert.equal(first.status, 500, 'the failure is answered with an error: the platform tries again');
    assert.ok(errors.includes('dedup:-43002'), `the claim's timeout is reported: ${errors}`);
    assert.ok(errors.includes('onMessage:undefined'), `the failure is reported: ${errors}`);
    // The paused claim lands after the pause, and the queued compare-and-delete after it: a
    // write through redis-cli returns once the pause is over (and the queue before it ran).
    await redisCli(server.port, 'SET', 'after-the-pause', '1');
    const retry = await send(handler, p); // the platform's next attempt
    assert.equal(retry.status, 200);
    assert.equal(calls, 2, 'the retry handled it');
    const again = await send(handler, p);
    assert.equal(again.status, 200);
    assert.equal(calls, 2, 'then it is a duplicate');
  } finally {
    client.disconnect();
    await server.stop();
  }
});

/** A handler process on Redis whose onMessage never returns for `hangOn`; prints PORT, then HANDLED <msgId>. */
const INSTANCE = `
const lib = await import(process.env.ENTRY);
const { redisStore } = await import(new URL('../stores/redis.js', process.env.ENTRY).href);
const { default: Redis } = await import('ioredis');
const { createServer } = await import('node:http');
const client = new Redis(Number(process.env.REDIS_PORT), '127.0.0.1');
const server = createServer(lib.createNodeListener({
  token: ${JSON.stringify(TOKEN)}, encodingAESKey: ${JSON.stringify(KEY)}, appId: ${JSON.stringify(APP)},
  store: redisStore(client), replyTimeoutMs: 500, storeTimeoutMs: 200, leaseMs: 1000,
  onError: () => {},
  async onMessage(m) {
    console.log('START ' + m.msgId);
    if (process.env.HANG === '1') await new Promise(() => {});
    console.log('HANDLED ' + m.msgId);
  },
}));
server.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));
`;

function instance(redisPort, hang) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', INSTANCE], {
    cwd: new URL('../..', import.meta.url).pathname,
    env: { ...process.env, ENTRY: entry, REDIS_PORT: String(redisPort), HANG: hang ? '1' : '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  const port = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no port: ${err}`)), 20_000);
    child.stdout.on('data', () => {
      const m = /PORT (\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    child.on('exit', () => { clearTimeout(timer); reject(new Error(`instance exited: ${err}`)); });
  });
  return { child, port, out: () => out };
}

test('an instance killed in the middle of onMessage: another instance handles the platform\'s retry', async () => {
  const server = await startRedisServer();
  const a = instance(server.port, true);
  const b = instance(server.port, false);
  try {
    const [portA, portB] = await Promise.all([a.port, b.port]);
    const p = push();
    const path = p.url.slice('http://127.0.0.1/wx'.length);
    const first = fetch(`http://127.0.0.1:${portA}/wx${path}`, { method: 'POST', body: p.body }).catch((e) => e);
    for (let i = 0; i < 200 && !a.out().includes(`START ${p.msgId}`); i++) await sleep(25);
    assert.ok(a.out().includes(`START ${p.msgId}`), 'A is inside onMessage');
    a.child.kill('SIGKILL');
    await first;
    // The platform's attempts on B: each either waits for A's lease to lapse and handles the
    // push, or answers 503 (then the platform tries again); never 'success' before it was handled.
    let answered;
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`http://127.0.0.1:${portB}/wx${path}`, { method: 'POST', body: p.body });
      const text = await res.text();
      if (res.status === 200) {
        assert.ok(b.out().includes(`HANDLED ${p.msgId}`), `answered ${text} only after B handled it`);
        answered = res.status;
        break;
      }
      assert.equal(res.status, 503);
    }
    assert.equal(answered, 200);
    assert.equal(b.out().split(`HANDLED ${p.msgId}`).length - 1, 1, 'handled once by B');
  } finally {
    a.child.kill('SIGKILL');
    b.child.kill('SIGKILL');
    await server.stop();
  }
});

test('no onError: a throwing onMessage is one console.error line, Express\'s error handling and Koa\'s app.on(\'error\') see it', async () => {
  const lines = [];
  const saved = console.error;
  console.error = (...a) => lines.push(a.join(' '));
  const seen = [];
  const servers = [];
  try {
    const opts = () => ({
      token: TOKEN, encodingAESKey: KEY, appId: APP,
      onMessage() { throw new Error('handler bug'); },
    });
    const app = express();
    app.all('/wx', createExpressMiddleware(opts()));
    app.use((err, req, res, next) => { seen.push(`express:${err.message}`); res.status(500).end('express saw it'); void next; });
    const koa = new Koa();
    koa.on('error', (err) => seen.push(`koa:${err.message}`));
    koa.use(createKoaMiddleware(opts()));
    for (const handler of [app, koa.callback()]) {
      const srv = createServer(handler);
      await new Promise((r) => srv.listen(0, '127.0.0.1', r));
      servers.push(srv);
    }
    for (const srv of servers) {
      const p = push(`http://127.0.0.1:${srv.address().port}/wx`);
      const res = await fetch(p.url, { method: 'POST', body: p.body });
      assert.equal(res.status, 500, 'the platform tries again');
      await res.text();
    }
    assert.deepEqual(seen.sort(), ['express:handler bug', 'koa:handler bug']);
    const ours = lines.filter((l) => l.startsWith('wechat-kf:'));
    assert.equal(ours.length, 2, ours.join('\n'));
    assert.ok(ours.every((l) => l.includes('onMessage') && !l.includes('handler bug')), ours.join('\n'));
  } finally {
    console.error = saved;
    for (const srv of servers) srv.close();
  }
});
