#!/usr/bin/env node
// Benchmark of the queue mode (issue 24): prints figures, asserts nothing about time (the exit
// code is 1 only when an answer is wrong: a push not acknowledged, or not handled once). Run
// `bash scripts/build.sh` first (needs redis-server and the `redis` devDependency), then
//
//   node bench/queue.mjs [--smoke] [--pushes N]
//
// 1. The acknowledgement: p50/p99 of a push's answer from a handler process in queue mode
//    (claim, one queue write, mark handled: redisStore + redisQueue), 1 and 8 in flight, next to
//    the inline mode with a slow onMessage (20 s, standing in for a model call: the inline
//    handler answers at replyTimeoutMs, 3 s, and keeps it running in the background, where a
//    deploy or a crash loses it), the inline mode with nothing to do (what the queue adds), and
//    one queue write alone (redisQueue.enqueue from here).
// 2. Throughput through the queue on one Redis: distinct encrypted pushes (50 in flight) to N
//    handler processes in queue mode, handled by N consumer processes (createConsumer,
//    concurrency 16, onMessage doing no work but its effect): pushes acknowledged per second
//    and pushes handled per second (first request to last push handled), N = 1 and 4; and the
//    Redis round trips and commands per push (INFO commandstats; the benchmark's own taken off).
// --smoke: a few pushes (checks that it runs and that every push is handled; figures meaningless).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { makePushes, pushStorm } from '../js-tests/multi/driver.mjs';
import { ROOT, sleep, spawnChild, stopAll, stopChild, waitFor } from '../js-tests/multi/procs.mjs';
import { startRedisServer, stopAllRedis } from '../js-tests/faults/redis-server.mjs';
import { nodeEntry } from './parts/entry.mjs';

const { values: args } = parseArgs({ options: { smoke: { type: 'boolean' }, pushes: { type: 'string' } } });
const smoke = !!args.smoke;
const PKG = process.env.WECHAT_KF_PKG ?? join(ROOT, 'pkg');
const lib = await import(nodeEntry(PKG));
const { redisQueue } = await import(pathToFileURL(join(PKG, 'stores', 'redis.js')).href);
const { createClient } = await import('redis');

const LATENCY_PUSHES = smoke ? 10 : 400;
/** The inline mode with a 20 s onMessage answers at replyTimeoutMs (3 s): fewer pushes. */
const SLOW_PUSHES = smoke ? 8 : 80;
const THROUGHPUT_PUSHES = Number(args.pushes) || (smoke ? 60 : 4000);
const TOKEN = 'queueBenchToken';
const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const APPID = 'wx0123456789abcdef';
const INSTANCE = join(ROOT, 'js-tests', 'queue', 'instance.mjs');
const CONSUMER = join(ROOT, 'js-tests', 'queue', 'consumer.mjs');
const failures = [];

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (v) => `${v.toFixed(v < 10 ? 2 : 0)} ms`;
function summary(latencies) {
  const s = [...latencies].sort((a, b) => a - b);
  return { p50: pct(s, 50), p99: pct(s, 99), n: s.length };
}

/** Each push once to `url`, `concurrency` in flight; the latency of every answer (ms) and the statuses. */
async function timedPushes(url, pushes, concurrency) {
  const latencies = [];
  const statuses = {};
  let next = 0;
  const worker = async () => {
    while (next < pushes.length) {
      const p = pushes[next++];
      const t0 = performance.now();
      const res = await fetch(`${url}/wx?${p.query}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: p.body, signal: AbortSignal.timeout(30_000) });
      const text = await res.text();
      latencies.push(performance.now() - t0);
      const key = `${res.status}:${text}`;
      statuses[key] = (statuses[key] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, statuses };
}

async function startHandlers(n, env) {
  const procs = Array.from({ length: n }, () => spawnChild(process.execPath, [INSTANCE], env));
  const urls = [];
  for (const p of procs) {
    await waitFor(() => /READY (\d+)/.test(p.output()), () => `a handler\n${p.output()}`);
    urls.push(`http://127.0.0.1:${p.output().match(/READY (\d+)/)[1]}`);
  }
  return { procs, urls };
}

let admin;
try {
  console.log(`wechat-kf queue benchmark${smoke ? ' (--smoke: a few pushes, figures meaningless)' : ''}: Node ${process.version}, ${availableParallelism()} cores`);
  const redis = await startRedisServer({ args: ['--appendonly', 'yes', '--appendfsync', 'everysec'] });
  const redisUrl = `redis://127.0.0.1:${redis.port}`;
  admin = createClient({ url: redisUrl });
  admin.on('error', () => {});
  await admin.connect();
  const cmd = (...a) => admin.sendCommand(a.map(String));
  // Commands Redis ran (those inside scripts included), and round trips: the commands clients
  // sent (a script is one EVALSHA; XREADGROUP; the others come from this benchmark).
  const commandStats = async () => {
    const info = await admin.info('commandstats');
    const calls = (name) => Number(info.match(new RegExp(`cmdstat_${name}:calls=(\\d+)`))?.[1] ?? 0);
    const all = [...info.matchAll(/calls=(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    return { all, trips: calls('evalsha') + calls('eval') + calls('xreadgroup') };
  };
  const base = { WECHAT_KF_PKG: PKG, REDIS_URL: redisUrl, WX_TOKEN: TOKEN, WX_KEY: KEY, WX_APPID: APPID };
  console.log(`redis-server 127.0.0.1:${redis.port} (appendonly yes, appendfsync everysec)`);

  // ---- 1. the acknowledgement ----------------------------------------------------------------
  console.log(`\n1. Acknowledgement of a push (one handler process; its answer's latency, measured by the sender)`);
  const rows = [];
  {
    const queue = redisQueue(admin, { prefix: 'bench-write:' });
    const writes = [];
    for (let i = 0; i < LATENCY_PUSHES; i++) {
      const t0 = performance.now();
      await queue.enqueue({ id: `w${i}`, message: { msgType: 'text', content: 'x'.repeat(200), fromUserName: 'o_user', createTime: 1 }, format: 'xml', mode: 'safe', receivedAt: 1 });
      writes.push(performance.now() - t0);
    }
    rows.push(['one queue write alone (redisQueue.enqueue, from this process)', summary(writes)]);
  }
  // 1 in flight: the queue mode and the inline mode with nothing to do, one push to each in turn
  // (two handler processes up at once), so that both see the same machine.
  {
    const q = await startHandlers(1, { ...base, MODE: 'queue', QUEUE_PREFIX: 'bench-ack-q1:' });
    const i = await startHandlers(1, { ...base, MODE: 'inline', WORK_MS: '0', QUEUE_PREFIX: 'bench-ack-i0:' });
    const warm = makePushes(lib, { token: TOKEN, encodingAESKey: KEY, appId: APPID, count: smoke ? 4 : 100, nowMs: Date.now() - 2000 });
    await timedPushes(q.urls[0], warm, 1);
    await timedPushes(i.urls[0], warm, 1);
    const pushes = makePushes(lib, { token: TOKEN, encodingAESKey: KEY, appId: APPID, count: LATENCY_PUSHES, nowMs: Date.now() - 1000 });
    const lat = { q: [], i: [] };
    for (const p of pushes) {
      for (const [k, url] of [['q', q.urls[0]], ['i', i.urls[0]]]) {
        const r = await timedPushes(url, [p], 1);
        lat[k].push(r.latencies[0]);
        if (r.statuses['200:success'] !== 1) failures.push(`1 in flight (${k}): ${JSON.stringify(r.statuses)}`);
      }
    }
    rows.push(['queue mode, 1 in flight (its consumer\'s onMessage would take 20 s)', summary(lat.q)]);
    rows.push(['inline mode, onMessage returning at once, 1 in flight', summary(lat.i)]);
    await Promise.all([...q.procs, ...i.procs].map((p) => stopChild(p)));
  }
  const cases = [
    ['queue mode, 8 in flight', { MODE: 'queue', QUEUE_PREFIX: 'bench-ack-q8:' }, 8, LATENCY_PUSHES],
    ['inline mode, onMessage taking 20 s, 8 in flight', { MODE: 'inline', WORK_MS: '20000', QUEUE_PREFIX: 'bench-ack-i20:' }, 8, SLOW_PUSHES],
  ];
  for (const [label, env, inFlight, count] of cases) {
    const { procs, urls } = await startHandlers(1, { ...base, ...env });
    const warm = makePushes(lib, { token: TOKEN, encodingAESKey: KEY, appId: APPID, count: smoke ? 2 : 50, nowMs: Date.now() - 2000 });
    if (env.WORK_MS !== '20000') await timedPushes(urls[0], warm, inFlight);
    const pushes = makePushes(lib, { token: TOKEN, encodingAESKey: KEY, appId: APPID, count, nowMs: Date.now() - 1000 });
    const r = await timedPushes(urls[0], pushes, inFlight);
    rows.push([label, summary(r.latencies)]);
    if (r.statuses['200:success'] !== count) failures.push(`${label}: not every push answered 200 success: ${JSON.stringify(r.statuses)}`);
    if (env.MODE === 'queue') {
      const queued = Number(await cmd('XLEN', `${env.QUEUE_PREFIX}{queue}:jobs`));
      if (queued !== count + warm.length) failures.push(`${label}: ${queued} jobs queued, expected ${count + warm.length}`);
    }
    await Promise.all(procs.map((p) => stopChild(p)));
  }
  for (const [label, s] of rows) console.log(`  ${label.padEnd(72)} p50 ${ms(s.p50).padStart(9)}   p99 ${ms(s.p99).padStart(9)}`);
  const [write, q1, fast, q8, slow] = rows.map((r) => r[1]);
  console.log(`  a push whose handling takes 20 s: the queue mode answers at p50 ${ms(q8.p50)} / p99 ${ms(q8.p99)}, the inline mode at `
    + `${ms(slow.p50)} / ${ms(slow.p99)} (its replyTimeoutMs, the handling left in the background): ${(slow.p50 / q8.p50).toFixed(0)}x sooner at p50 (8 in flight)`);
  console.log(`  1 in flight: the queue mode answers at p50 ${ms(q1.p50)} / p99 ${ms(q1.p99)}, the inline mode with nothing to do at `
    + `${ms(fast.p50)} / ${ms(fast.p99)} (the same pushes, in turn): the queue write in the answer is one round trip (${ms(write.p50)} alone at p50)`);

  // ---- 2. throughput ---------------------------------------------------------------------------
  console.log(`\n2. Through the queue on one Redis: ${THROUGHPUT_PUSHES} distinct pushes, 50 in flight; N handler processes + N consumer processes (concurrency 16)`);
  const perSecond = {};
  for (const n of [1, 4]) {
    const prefix = `bench-tp${n}:`;
    const env = { ...base, QUEUE_PREFIX: prefix, MODE: 'queue' };
    const { procs, urls } = await startHandlers(n, env);
    const consumers = Array.from({ length: n }, (_, i) => spawnChild(process.execPath, [CONSUMER],
      { ...env, NAME: `c${i}`, CONCURRENCY: '16', QUIET: '1', VISIBILITY_MS: '60000', REDIS_CLIENT: i % 2 ? 'ioredis' : 'redis' }));
    for (const c of consumers) await waitFor(() => c.output().includes('READY'), () => `a consumer\n${c.output()}`);
    const warm = makePushes(lib, { token: TOKEN, encodingAESKey: KEY, appId: APPID, count: smoke ? 4 : 200, nowMs: Date.now() - 3000, toUser: 'gh_warm00000000' });
    await pushStorm(urls, warm, { copies: 1, concurrency: 50 });
    for (let i = 0; i < 600 && Number(await cmd('HLEN', `${prefix}effects`)) < warm.length; i++) await sleep(20);
    const pushes = makePushes(lib, { token: TOKEN, encodingAESKey: KEY, appId: APPID, count: THROUGHPUT_PUSHES });
    const c0 = await commandStats();
    const t0 = performance.now();
    const storm = await pushStorm(urls, pushes, { copies: 1, concurrency: 50, timeoutMs: 30_000 });
    const acked = performance.now();
    let handled = 0;
    for (let i = 0; i < 6000; i++) {
      handled = Number(await cmd('HLEN', `${prefix}effects`)) - warm.length;
      if (handled >= THROUGHPUT_PUSHES) break;
      await sleep(5);
    }
    const done = performance.now();
    const c1 = await commandStats();
    const runs = Object.values(await admin.hGetAll(`${prefix}runs`)).reduce((s, v) => s + Number(v), 0) - warm.length;
    const ackPerSec = THROUGHPUT_PUSHES / ((acked - t0) / 1000);
    const handledPerSec = THROUGHPUT_PUSHES / ((done - t0) / 1000);
    perSecond[n] = handledPerSec;
    // Less the benchmark's own commands per push: HINCRBY and HSETNX in onMessage (the INFO and HLEN polls here are few).
    const perPush = (c1.all - c0.all) / THROUGHPUT_PUSHES - 2;
    const tripsPerPush = (c1.trips - c0.trips) / THROUGHPUT_PUSHES;
    console.log(`  ${n} + ${n} process(es): acknowledged ${Math.round(ackPerSec)} pushes/s (slowest answer ${storm.maxMs} ms, ${JSON.stringify(storm.statuses)}), `
      + `handled ${Math.round(handledPerSec)} pushes/s (all ${THROUGHPUT_PUSHES} handled ${Math.round(done - acked)} ms after the last answer); `
      + `Redis round trips per push ${tripsPerPush.toFixed(2)} (claim, queue write, mark handled, read, acknowledge), commands run ${perPush.toFixed(2)} (those inside the scripts included)`);
    if (storm.statuses[200] !== THROUGHPUT_PUSHES) failures.push(`${n} processes: not every push answered 200: ${JSON.stringify(storm.statuses)}`);
    if (handled !== THROUGHPUT_PUSHES || runs !== THROUGHPUT_PUSHES) failures.push(`${n} processes: ${handled} handled, ${runs} runs, expected ${THROUGHPUT_PUSHES} each`);
    await Promise.all([...procs, ...consumers].map((p) => stopChild(p)));
  }
  console.log(`  4 + 4 processes against 1 + 1: ${(perSecond[4] / perSecond[1]).toFixed(2)}x pushes handled per second (on ${availableParallelism()} cores, Redis and the load generator included)`);
} catch (e) {
  failures.push(String(e?.stack ?? e));
} finally {
  await admin?.close().catch(() => {});
  await stopAll();
  await stopAllRedis();
}
console.log(failures.length ? `\nqueue benchmark: ${failures.length} failure(s):\n  ${failures.join('\n  ')}` : '\nqueue benchmark: every push answered and handled once');
process.exit(failures.length ? 1 : 0);
