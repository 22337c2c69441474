// One consumer process of the queue tests (js-tests/node/queue-redis.test.mjs,
// js-tests/queue/run-redis.mjs) and of bench/queue.mjs: createConsumer on redisQueue, its
// onMessage idempotent by the push's dedup key, every step printed as a line.
//
// env: WECHAT_KF_PKG (the built package's dir), REDIS_URL, REDIS_CLIENT ('redis' | 'ioredis'),
//   QUEUE_PREFIX, NAME, CONSUMERS (createConsumer instances in this process, default 1),
//   CONCURRENCY, VISIBILITY_MS, RETRY_MS, MAX_ATTEMPTS, WORK_MS (each onMessage's work),
//   HANG_ON (a content: its first attempt never settles, standing in for a process that hangs
//   or is killed mid-handle), QUIET=1 (no START/DONE lines).
// Per delivery, in Redis under QUEUE_PREFIX: HINCRBY runs <dedupKey> (every onMessage run), then
// after the work HSETNX effects <dedupKey> NAME — the push's one effect (a send, a write):
// whoever runs it first does it; a run again (after a kill) finds it done.
// Lines: READY, START <name> <dedupKey> <attempt> <ms>, DONE <name> <dedupKey> <attempt>
// <effect|again> <ms>, ERROR <phase> <code> <dedupKey> <attempt>. SIGTERM: stop(), then exit.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const env = process.env;
const pkg = env.WECHAT_KF_PKG ?? new URL('../../pkg/', import.meta.url).pathname;
const lib = await import(pathToFileURL(join(pkg, 'loaders', 'node.js')).href);
const { redisQueue } = await import(pathToFileURL(join(pkg, 'stores', 'redis.js')).href);

let redis;
let cmd;
if (env.REDIS_CLIENT === 'ioredis') {
  const { default: Redis } = await import('ioredis');
  redis = new Redis(env.REDIS_URL, { retryStrategy: () => 200 });
  redis.on('error', () => {});
  cmd = (...args) => redis.call(...args);
} else {
  const { createClient } = await import('redis');
  redis = createClient({ url: env.REDIS_URL, socket: { reconnectStrategy: () => 200 } });
  redis.on('error', () => {});
  await redis.connect();
  cmd = (...args) => redis.sendCommand(args.map(String));
}
const prefix = env.QUEUE_PREFIX ?? 'wechat-kf:';
const name = env.NAME ?? `consumer-${process.pid}`;
const quiet = env.QUIET === '1';
const work = Number(env.WORK_MS ?? 0);
const say = (line) => { if (!quiet) process.stdout.write(`${line}\n`); };
const queue = redisQueue(redis, { prefix });
const consumers = Array.from({ length: Number(env.CONSUMERS ?? 1) }, () => lib.createConsumer({
  queue,
  concurrency: Number(env.CONCURRENCY ?? 1),
  visibilityMs: Number(env.VISIBILITY_MS ?? 60_000),
  retryDelayMs: env.RETRY_MS === undefined ? undefined : Number(env.RETRY_MS),
  maxAttempts: Number(env.MAX_ATTEMPTS ?? 5),
  onError: (e, info) => process.stdout.write(`ERROR ${info.phase} ${e?.code} ${info.dedupKey ?? '-'} ${info.attempt ?? '-'}\n`),
  async onMessage(message, { dedupKey, attempt }) {
    say(`START ${name} ${dedupKey} ${attempt} ${Date.now()}`);
    await cmd('HINCRBY', `${prefix}runs`, dedupKey, 1);
    if (env.HANG_ON && message.content === env.HANG_ON && attempt === 1) await new Promise(() => {});
    if (work > 0) await new Promise((r) => setTimeout(r, work));
    const first = Number(await cmd('HSETNX', `${prefix}effects`, dedupKey, name)) === 1;
    say(`DONE ${name} ${dedupKey} ${attempt} ${first ? 'effect' : 'again'} ${Date.now()}`);
  },
}));
for (const c of consumers) c.start();
console.log('READY');
process.on('SIGTERM', async () => {
  await Promise.all(consumers.map((c) => c.stop()));
  try { if (env.REDIS_CLIENT === 'ioredis') redis.disconnect(); else await redis.close(); } catch {}
  process.exit(0);
});
