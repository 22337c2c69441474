// One Node instance of the multi-instance run: node:http + createNodeListener + redisStore +
// Client + SendWindow, all sharing one Redis. Serves the endpoints js-tests/multi/driver.mjs
// documents. Configured by env: WECHAT_KF_PKG (dir of the built package), REDIS_URL,
// EMULATOR_URL, WX_TOKEN, WX_KEY, WX_APPID, WX_SECRET, REDIS_CLIENT ('redis' | 'ioredis'),
// STORE ('memory': a MemoryStore instead of Redis, for the benchmark's one-process baseline).
// Prints `READY <port>` once listening on 127.0.0.1.
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const pkg = process.env.WECHAT_KF_PKG ?? new URL('../../pkg/', import.meta.url).pathname;
const lib = await import(pathToFileURL(join(pkg, 'loaders', 'node.js')).href);
const { redisStore } = await import(pathToFileURL(join(pkg, 'stores', 'redis.js')).href);

let redis = null;
if (process.env.STORE === 'memory') {
  // no Redis
} else if (process.env.REDIS_CLIENT === 'ioredis') {
  const { default: Redis } = await import('ioredis');
  redis = new Redis(process.env.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 200 });
  redis.on('error', () => {});
  await new Promise((resolve) => redis.once('ready', resolve));
} else {
  const { createClient } = await import('redis');
  redis = createClient({ url: process.env.REDIS_URL, disableOfflineQueue: true, socket: { reconnectStrategy: () => 200, connectTimeout: 1000 } });
  redis.on('error', () => {});
  await redis.connect();
}
// Store calls (each one Redis round trip: a command, or one script for an operation of several).
let storeCalls = 0;
const counted = (s) => new Proxy(s, {
  get(target, name) {
    const v = target[name];
    return typeof v === 'function' ? (...args) => { storeCalls++; return v.apply(target, args); } : v;
  },
});
const store = counted(redis ? redisStore(redis) : new lib.MemoryStore());

const handled = [];
const errors = [];
const onError = (e, info) => errors.push(`${info.phase}:${e && e.code}`);
const appId = process.env.WX_APPID;
const sendWindow = new lib.SendWindow({ store, appId });
const client = new lib.Client({
  appId, appSecret: process.env.WX_SECRET, baseUrl: process.env.EMULATOR_URL, store, sendWindow, onError,
});
const listener = lib.createNodeListener({
  token: process.env.WX_TOKEN, encodingAESKey: process.env.WX_KEY, appId, store, onError,
  onMessage: async (message, push) => {
    handled.push(push.dedupKey);
    await new Promise((r) => setTimeout(r, 5)); // some work, so retries overlap it
  },
});

async function readJson(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : {};
}
const reply = (res, body) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const codeOf = (r) => (r.status === 'rejected' ? (r.reason && r.reason.code) ?? String(r.reason) : 0);

const server = http.createServer(async (req, res) => {
  const path = req.url.split('?')[0];
  try {
    if (path === '/wx') return listener(req, res);
    if (path === '/__test/handled') return reply(res, { handled, errors, storeCalls });
    if (path === '/__test/calls') {
      const { n } = await readJson(req);
      const rs = await Promise.allSettled(Array.from({ length: n }, () => client.getKfList()));
      return reply(res, { ok: rs.filter((r) => r.status === 'fulfilled').length, failed: rs.filter((r) => r.status === 'rejected').length, codes: rs.map(codeOf).filter(Boolean) });
    }
    if (path === '/__test/sends') {
      const { openid, n } = await readJson(req);
      const rs = await Promise.allSettled(Array.from({ length: n }, (_, i) => client.sendText({ touser: openid, content: `m${i}` })));
      return reply(res, { sent: rs.filter((r) => r.status === 'fulfilled').length, refused: rs.map(codeOf).filter(Boolean) });
    }
    if (path === '/__test/observe') {
      const { openid } = await readJson(req);
      await sendWindow.observe(openid, 'message');
      return reply(res, { ok: true });
    }
    res.writeHead(404).end();
  } catch (e) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e && e.stack || e));
  }
});
server.listen(0, '127.0.0.1', () => console.log(`READY ${server.address().port}`));
process.on('SIGTERM', () => {
  server.close();
  Promise.resolve(redis?.quit?.()).catch(() => {}).finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
});
