// One handler instance of the queue tests and bench/queue.mjs: node:http + createNodeListener in
// queue mode (redisStore for the dedup claims, redisQueue for the pushes), on /wx; no onMessage
// here (the consumers run it). env: WECHAT_KF_PKG, REDIS_URL, REDIS_CLIENT ('redis' |
// 'ioredis'), QUEUE_PREFIX, WX_TOKEN, WX_KEY, WX_APPID, MODE ('queue', default, or 'inline':
// onMessage in the handler taking WORK_MS, the baseline of bench/queue.mjs).
// GET /__test/errors -> { errors: ['phase:code'] }. Prints `READY <port>`.
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const env = process.env;
const pkg = env.WECHAT_KF_PKG ?? new URL('../../pkg/', import.meta.url).pathname;
const lib = await import(pathToFileURL(join(pkg, 'loaders', 'node.js')).href);
const { redisStore, redisQueue } = await import(pathToFileURL(join(pkg, 'stores', 'redis.js')).href);

let redis;
if (env.REDIS_CLIENT === 'ioredis') {
  const { default: Redis } = await import('ioredis');
  redis = new Redis(env.REDIS_URL, { retryStrategy: () => 200 });
  redis.on('error', () => {});
  await new Promise((resolve) => redis.once('ready', resolve));
} else {
  const { createClient } = await import('redis');
  redis = createClient({ url: env.REDIS_URL, socket: { reconnectStrategy: () => 200 } });
  redis.on('error', () => {});
  await redis.connect();
}
const prefix = env.QUEUE_PREFIX ?? 'wechat-kf:';
const errors = [];
const onError = (e, info) => errors.push(`${info.phase}:${e?.code}`);
const work = Number(env.WORK_MS ?? 0);
const common = { token: env.WX_TOKEN, encodingAESKey: env.WX_KEY, appId: env.WX_APPID, store: redisStore(redis, { prefix, onError: () => {} }), onError };
const listener = lib.createNodeListener(env.MODE === 'inline'
  ? { ...common, onMessage: work > 0 ? () => new Promise((r) => setTimeout(r, work)) : () => {} }
  : { ...common, queue: redisQueue(redis, { prefix }) });

const server = http.createServer((req, res) => {
  const path = req.url.split('?')[0];
  if (path === '/wx') return listener(req, res);
  if (path === '/__test/errors') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ errors }));
  }
  res.writeHead(404).end();
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(`READY ${server.address().port}`));
process.on('SIGTERM', () => {
  server.close();
  Promise.resolve(env.REDIS_CLIENT === 'ioredis' ? redis.disconnect() : redis.close()).catch(() => {}).finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
});
