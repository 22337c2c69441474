// Benchmark of issue 9: prints figures, asserts nothing. Run `bash scripts/build.sh` first
// (needs redis-server and the `redis` devDependency), then `node bench/multi.mjs [--pushes N]`.
//
// Handler throughput for distinct encrypted pushes (each delivered once, 50 in flight) with the
// Redis store across 4 Node processes against one process with the memory store, the store
// round trips per push (the handlers' store calls, each one command or one script: 1.00 before
// the dedup lease, 2.00 with it) and the Redis commands per push (INFO stats, which counts the
// commands a script runs too).
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { makePushes, pushStorm, handledReport } from '../js-tests/multi/driver.mjs';
import { ROOT, freePort, startRedis, startInstances, stopAll, stopChild } from '../js-tests/multi/procs.mjs';
import { nodeEntry } from './parts/entry.mjs';

const PUSHES = Number(process.argv[process.argv.indexOf('--pushes') + 1]) || 4000;
const PKG = process.env.WECHAT_KF_PKG ?? join(ROOT, 'pkg');
const lib = await import(nodeEntry(PKG));
const { start } = await import(pathToFileURL(join(PKG, 'devtools', 'emulator', 'server.js')).href);
const { createClient } = await import('redis');

/** The handlers' store calls so far, over every instance. */
async function storeCalls(urls) {
  let n = 0;
  for (const u of urls) n += (await (await fetch(`${u}/__test/handled`)).json()).storeCalls ?? 0;
  return n;
}

const TOKEN = 'benchToken';
const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
let emu;
try {
  emu = await start({ port: 0, lib });
  const { appId, appSecret } = emu.state.config;
  const port = await freePort();
  await startRedis(port);
  const redisUrl = `redis://127.0.0.1:${port}`;
  const admin = createClient({ url: redisUrl });
  await admin.connect();
  const commands = async () => Number((await admin.info('stats')).match(/total_commands_processed:(\d+)/)[1]);
  const env = { WECHAT_KF_PKG: PKG, REDIS_URL: redisUrl, EMULATOR_URL: emu.url, WX_TOKEN: TOKEN, WX_KEY: KEY, WX_APPID: appId, WX_SECRET: appSecret };

  const run = async (label, count, extra) => {
    const { procs, urls } = await startInstances(count, env, () => extra);
    const warm = makePushes(lib, { token: TOKEN, encodingAESKey: KEY, appId, count: 200, nowMs: Date.now() - 1000 });
    await pushStorm(urls, warm, { copies: 1, concurrency: 50 });
    const pushes = makePushes(lib, { token: TOKEN, encodingAESKey: KEY, appId, count: PUSHES });
    const warmCalls = await storeCalls(urls);
    const c0 = await commands();
    const r = await pushStorm(urls, pushes, { copies: 1, concurrency: 50 });
    const c1 = await commands();
    const s1 = await storeCalls(urls);
    const seen = await handledReport(urls, pushes);
    const perSec = Math.round(PUSHES / (r.elapsedMs / 1000));
    // INFO itself counts one command per call.
    const trips = ((c1 - c0 - 1) / PUSHES).toFixed(2);
    // Round trips: the store calls the handlers made (one command or one script each), per push,
    // counted over the measured pushes only (the warm-up's are taken off).
    const roundTrips = ((s1 - warmCalls) / PUSHES).toFixed(2);
    console.log(`${label}: ${PUSHES} pushes in ${r.elapsedMs} ms = ${perSec} pushes/s (slowest ${r.maxMs} ms, statuses ${JSON.stringify(r.statuses)}, handled ${seen.handled}); `
      + `store round trips per push: ${roundTrips} (1.00 before the dedup lease: a claim; now a lease and its done mark); Redis commands per push: ${trips} (a script's own commands count too)`);
    await Promise.all(procs.map(stopChild));
    return perSec;
  };
  const one = await run('1 process, MemoryStore', 1, { STORE: 'memory' });
  const four = await run('4 processes, redisStore (node-redis)', 4, { REDIS_CLIENT: 'redis' });
  console.log(`ratio: 4 processes on Redis / 1 process in memory = ${(four / one).toFixed(2)}x (on ${(await import('node:os')).availableParallelism()} cores)`);
  await admin.disconnect();
} finally {
  await stopAll();
  await emu?.close();
}
