// The queue mode across processes on one Redis (issue 24): redis-server (127.0.0.1, a free
// port), 4 handler instances in queue mode (js-tests/queue/instance.mjs: createNodeListener,
// redisStore claims, redisQueue) and 2 consumer processes per instance (js-tests/queue/
// consumer.mjs: createConsumer on redisQueue, onMessage doing some work, then its effect once
// by the dedup key), node-redis and ioredis alternating; one instance and two consumers run in
// Bun, the others in Node.
//   1,000 distinct encrypted pushes, each delivered 3 times to 3 different instances (50
//   requests in flight); midway one consumer process is SIGKILLed while it holds deliveries.
//   Holds: every request answered 200; every push's effect done exactly once, none lost (also
//   those the killed consumer held: another consumer ran them after visibilityMs); the stream
//   empty at the end; nothing reported but the kill's own consequences.
// Prints the figures (acknowledgements per second, time until all handled, redeliveries, the
// redelivery delay after the kill); asserts outcomes only, every wait a bounded loop.
//   node js-tests/queue/run-redis.mjs [--pushes 1000]
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { makePushes, pushStorm } from '../multi/driver.mjs';
import { ROOT, sleep, children, spawnChild, stopAll, waitFor } from '../multi/procs.mjs';
import { startRedisServer, stopAllRedis } from '../faults/redis-server.mjs';
import { resolveBin } from '../runners/harness.mjs';

const PKG = process.env.WECHAT_KF_PKG ?? join(ROOT, 'pkg');
const PUSHES = Number(process.argv[process.argv.indexOf('--pushes') + 1]) || 1000;
const VISIBILITY_MS = 3000;
const lib = await import(pathToFileURL(join(PKG, 'loaders', 'node.js')).href);

const TOKEN = 'queueRunToken';
const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const APPID = 'wx0123456789abcdef';
const PREFIX = 'qrun:';
const failures = [];
const expect = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

let redis;
let cli;
try {
  redis = await startRedisServer({ args: ['--appendonly', 'yes'] });
  const redisUrl = `redis://127.0.0.1:${redis.port}`;
  const { createClient } = await import('redis');
  cli = createClient({ url: redisUrl });
  cli.on('error', () => {});
  await cli.connect();
  const cmd = (...args) => cli.sendCommand(args.map(String));
  console.log(`redis-server 127.0.0.1:${redis.port} (appendonly yes)`);

  const env = { WECHAT_KF_PKG: PKG, REDIS_URL: redisUrl, QUEUE_PREFIX: PREFIX, WX_TOKEN: TOKEN, WX_KEY: KEY, WX_APPID: APPID };
  const instances = [];
  // Bun runs handler instance 3 and consumers c2, c3 (the same files); Node the others.
  const bun = resolveBin('bun');
  const handlers = Array.from({ length: 4 }, (_, i) => spawnChild(i === 3 ? bun : process.execPath, [join(ROOT, 'js-tests', 'queue', 'instance.mjs')],
    { ...env, REDIS_CLIENT: i % 2 ? 'ioredis' : 'redis' }));
  const consumers = Array.from({ length: 8 }, (_, i) => spawnChild(i === 2 || i === 3 ? bun : process.execPath, [join(ROOT, 'js-tests', 'queue', 'consumer.mjs')],
    // c0, the one killed midway, works longer: the kill finds onMessage running.
    { ...env, REDIS_CLIENT: i % 2 ? 'ioredis' : 'redis', NAME: `c${i}`, CONCURRENCY: '4', WORK_MS: i === 0 ? '300' : '20', VISIBILITY_MS: String(VISIBILITY_MS), RETRY_MS: '50' }));
  for (const h of handlers) {
    await waitFor(() => /READY (\d+)/.test(h.output()), () => `a handler instance\n${h.output()}`);
    instances.push(`http://127.0.0.1:${h.output().match(/READY (\d+)/)[1]}`);
  }
  for (const c of consumers) await waitFor(() => c.output().includes('READY'), () => `a consumer\n${c.output()}`);
  console.log(`4 handler instances (queue mode; the 4th in Bun) ${instances.join(' ')}, 8 consumer processes (2 per instance, c2 and c3 in Bun, concurrency 4, 20 ms of work each)`);

  // Midway, consumer c0 is killed while it holds deliveries: START lines without their DONE.
  const victim = consumers[0];
  const inHand = () => {
    const out = victim.output();
    const started = [...out.matchAll(/^START c0 (\S+) (\d+)/gm)].map((m) => m[1]);
    const done = new Set([...out.matchAll(/^DONE c0 (\S+)/gm)].map((m) => m[1]));
    return started.filter((k) => !done.has(k));
  };
  let killed = null;
  const killer = (async () => {
    for (let i = 0; i < 3000 && killed === null; i++) {
      const doneCount = (victim.output().match(/^DONE c0 /gm) ?? []).length;
      if (doneCount >= Math.min(20, PUSHES / 50) && inHand().length > 0) {
        victim.kill('SIGKILL');
        killed = { at: Date.now(), doneBefore: doneCount };
        await victim.exited;
        // What it held: started and never done (its stdout, a pipe, is written synchronously).
        killed.held = inHand();
        return;
      }
      await sleep(5);
    }
  })();

  const pushes = makePushes(lib, { token: TOKEN, encodingAESKey: KEY, appId: APPID, count: PUSHES });
  const keyOf = (p) => `msg:${p.toUser}:${p.id}`;
  const stormStart = Date.now();
  const storm = await pushStorm(instances, pushes, { copies: 3, concurrency: 50, timeoutMs: 30_000 });
  await killer;
  const stormEnd = Date.now();
  console.log(`pushes: ${PUSHES} x 3 = ${storm.requests} requests to 3 of 4 instances, 50 in flight, answered in ${storm.elapsedMs} ms `
    + `(${Math.round(storm.requests / (storm.elapsedMs / 1000))} req/s, slowest ${storm.maxMs} ms): statuses ${JSON.stringify(storm.statuses)}`);
  expect(storm.statuses[200] === storm.requests, 'every push request answered 200');
  expect(killed !== null, `a consumer was killed midway holding deliveries (${killed ? `${killed.held.length} in hand, after ${killed.doneBefore} done` : 'never'})`);

  // Every push handled: its effect done once (HSETNX by dedup key), the stream empty.
  let effects = 0;
  let queued = -1;
  for (let i = 0; i < 1200; i++) {
    effects = Number(await cmd('HLEN', `${PREFIX}effects`));
    queued = Number(await cmd('XLEN', `${PREFIX}{queue}:jobs`));
    if (effects >= PUSHES && queued === 0) break;
    await sleep(50);
  }
  const allDone = Date.now();
  // HGETALL: a flat array, or an object (node-redis maps it).
  const hash = async (key) => {
    const reply = await cmd('HGETALL', key);
    if (!Array.isArray(reply)) return new Map(Object.entries(reply).map(([k, v]) => [String(k), String(v)]));
    const m = new Map();
    for (let i = 0; i + 1 < reply.length; i += 2) m.set(String(reply[i]), String(reply[i + 1]));
    return m;
  };
  const byKey = await hash(`${PREFIX}effects`);
  const runsOf = new Map([...(await hash(`${PREFIX}runs`))].map(([k, v]) => [k, Number(v)]));
  let runs = 0;
  for (const n of runsOf.values()) runs += n;
  const missing = pushes.filter((p) => !byKey.has(keyOf(p))).length;
  const strangers = [...byKey.keys()].filter((k) => !pushes.some((p) => keyOf(p) === k)).length;
  const perConsumer = {};
  for (const name of byKey.values()) perConsumer[name] = (perConsumer[name] ?? 0) + 1;
  const heldDone = killed ? killed.held.filter((k) => byKey.has(k)) : [];
  // The redelivery after the kill: the first START of a held key by another consumer.
  let redeliveredAfter = null;
  if (killed) {
    for (const c of consumers.slice(1)) {
      for (const m of c.output().matchAll(/^START (c\d+) (\S+) (\d+) (\d+)/gm)) {
        if (killed.held.includes(m[2]) && Number(m[3]) > 1) {
          const t = Number(m[4]) - killed.at;
          if (redeliveredAfter === null || t < redeliveredAfter) redeliveredAfter = t;
        }
      }
    }
  }
  console.log(`handled: effects ${effects} of ${PUSHES} (missing ${missing}, unknown ${strangers}), stream ${queued} left, `
    + `all handled ${allDone - stormStart} ms after the first request `
    + `(${allDone - stormEnd} ms after the last answer); onMessage runs ${runs} (${runs - PUSHES} again after the kill); `
    + `by consumer ${JSON.stringify(perConsumer)}`);
  if (killed) {
    console.log(`kill: c0 SIGKILLed holding ${killed.held.length} deliveries; another consumer started the first of them `
      + `${redeliveredAfter} ms after the kill (visibilityMs ${VISIBILITY_MS}); ${heldDone.length} of them handled`);
    if (process.env.DEBUG_QUEUE) for (const k of killed.held) console.log(k, consumers.map((c) => c.output().split('\n').filter((l) => l.includes(k)).join(' | ')).join(' || '));
  }
  expect(missing === 0 && effects === PUSHES && strangers === 0, 'every push handled, none lost (its effect done once by its dedup key)');
  expect(queued === 0, 'the stream is empty: every delivery acknowledged');
  expect(killed !== null && heldDone.length === killed.held.length, 'the deliveries the killed consumer held were handled by others');
  // A second run comes only from the kill: of a push the killed consumer had started (done or
  // not, not acknowledged), at most its concurrency (4).
  const startedByVictim = new Set([...victim.output().matchAll(/^START c0 (\S+)/gm)].map((m) => m[1]));
  const twice = [...runsOf].filter(([, n]) => n > 1).map(([k]) => k);
  expect(runs - PUSHES <= 4 && twice.every((k) => startedByVictim.has(k)) && [...runsOf.values()].every((n) => n <= 2),
    `onMessage ran again only for pushes the killed consumer had started (${runs - PUSHES} extra runs)`);

  const handlerErrors = [];
  for (const url of instances) handlerErrors.push(...(await (await fetch(`${url}/__test/errors`)).json()).errors);
  const consumerErrors = consumers.slice(1).flatMap((c) => c.output().split('\n').filter((l) => l.startsWith('ERROR')));
  console.log(`reported: handlers ${JSON.stringify(handlerErrors.slice(0, 5))} (${handlerErrors.length}), consumers ${JSON.stringify(consumerErrors.slice(0, 5))} (${consumerErrors.length})`);
  expect(handlerErrors.length === 0, 'the handlers reported nothing');
  expect(consumerErrors.length === 0, 'the surviving consumers reported nothing');
  expect(consumers.slice(1).every((c) => children.has(c)) && handlers.every((h) => children.has(h)), 'no other process died');
} catch (e) {
  failures.push(String(e && e.stack || e));
  console.log(`FAIL ${e && e.stack || e}`);
} finally {
  await cli?.close().catch(() => {});
  await stopAll();
  await stopAllRedis();
}
console.log(failures.length ? `queue mode (redis): ${failures.length} failure(s)` : 'queue mode (redis): every property holds');
process.exit(failures.length ? 1 : 0);
