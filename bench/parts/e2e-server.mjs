// One push server for the end-to-end benchmark, in its own Node process (started by
// bench/run.mjs with an IPC channel): `node e2e-server.mjs <framework> <kind>`, framework
// `http` (node:http), `express` or `koa`; kind
//   bare   the framework answering 200 `success` after reading the body: no crypto, no parsing
//          (the floor: what the framework itself costs per request)
//   ours   the package's adapter for that framework with its defaults (dedup claims in a
//          MemoryStore, replay window on)
//   redis  node:http + createNodeListener with redisStore on a real redis-server (REDIS_URL)
//   peer   the library a user would swap out on that framework: node-webot's `wechat`
//          middleware on Express, co-wechat on Koa (both wechat-crypto + xml2js)
// Every server but `bare` verifies msg_signature, decrypts, parses the text message, checks it
// (the content ends with `#<MsgId>`, as the load generator makes them) and acknowledges it (200
// `success`; co-wechat answers an empty body, which the platform takes as the same). The
// process sends { port } when listening, { ok, bad } (messages checked) when asked 'stats', and
// its CPU time so far ({ cpuUs }: user + system, µs) when asked 'cpu'.
import process from 'node:process';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ACCOUNT = { token: 'benchToken', encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', appId: 'wxb11529c136998cb6' };
const [framework, kind] = process.argv.slice(2);
const counts = { ok: 0, bad: 0 };
const check = (msgType, content, msgId) => {
  if (msgType === 'text' && typeof content === 'string' && msgId && content.endsWith(`#${msgId}`)) counts.ok++;
  else counts.bad++;
};
const ourOptions = (extra = {}) => ({
  ...ACCOUNT,
  ...extra,
  onMessage(message) {
    check(message.msgType, message.content, message.msgId);
  },
  onError(error, info) {
    counts.bad++;
    if (counts.bad <= 3) console.error(`ours: ${info?.phase ?? ''} ${error?.message ?? error}`);
  },
});
/** Reads the whole body (as a bare server must, to be like for like), then answers success. */
const bareNode = (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (Buffer.concat(chunks).length > 0) counts.ok++;
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('success');
  });
};

let listener;
let redis;
let trips = 0;
const modes = {
  'http bare': () => bareNode,
  'http ours': async () => (await import('wechat-kf')).createNodeListener(ourOptions()),
  'http redis': async () => {
    const { createNodeListener } = await import('wechat-kf');
    const { redisStore } = await import('wechat-kf/redis');
    const { createClient } = require('redis');
    redis = createClient({ url: process.env.REDIS_URL });
    await redis.connect();
    // Round trips: every command the store sends (scripts count once: one round trip each).
    const send = redis.sendCommand.bind(redis);
    redis.sendCommand = (...args) => { trips++; return send(...args); };
    return createNodeListener(ourOptions({ store: redisStore(redis, { onError: () => {} }) }));
  },
  'express bare': () => {
    const app = require('express')();
    app.post('/wechat', bareNode);
    return app;
  },
  'express ours': async () => {
    const app = require('express')();
    app.all('/wechat', (await import('wechat-kf')).createExpressMiddleware(ourOptions()));
    return app;
  },
  'express peer': () => {
    const express = require('express');
    const wechat = require('wechat');
    const app = express();
    app.use('/wechat', wechat({ token: ACCOUNT.token, appid: ACCOUNT.appId, encodingAESKey: ACCOUNT.encodingAESKey }, (req, res) => {
      const m = req.weixin;
      check(m.MsgType, m.Content, m.MsgId);
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('success');
    }));
    app.use((err, req, res, next) => {
      counts.bad++;
      if (counts.bad <= 3) console.error(`webot: ${err?.message ?? err}`);
      res.statusCode = 500;
      res.end('error');
      void next;
    });
    return app;
  },
  'koa bare': () => {
    const Koa = require('koa');
    const app = new Koa();
    app.use(async (ctx) => {
      const chunks = [];
      for await (const c of ctx.req) chunks.push(c);
      if (Buffer.concat(chunks).length > 0) counts.ok++;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = 'success';
    });
    return app.callback();
  },
  'koa ours': async () => {
    const Koa = require('koa');
    const app = new Koa();
    app.use((await import('wechat-kf')).createKoaMiddleware(ourOptions()));
    return app.callback();
  },
  'koa peer': () => {
    const Koa = require('koa');
    const wechat = require('co-wechat');
    const app = new Koa();
    app.use(wechat({ token: ACCOUNT.token, appid: ACCOUNT.appId, encodingAESKey: ACCOUNT.encodingAESKey }).middleware(async (m) => {
      check(m.MsgType, m.Content, m.MsgId);
      return ''; // acknowledged: an empty body
    }));
    app.on('error', (err) => {
      counts.bad++;
      if (counts.bad <= 3) console.error(`co-wechat: ${err?.message ?? err}`);
    });
    return app.callback();
  },
};
const make = modes[`${framework} ${kind}`];
if (!make) throw new Error(`unknown server ${framework} ${kind} (known: ${Object.keys(modes).join(', ')})`);
listener = await make();

const server = createServer(listener);
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', async (m) => {
  if (m === 'stats') process.send({ stats: { ...counts } });
  if (m === 'trips') process.send({ trips });
  if (m === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send({ cpuUs: user + system });
  }
  if (m === 'stop') {
    server.closeAllConnections();
    await redis?.quit().catch(() => {});
    server.close(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
