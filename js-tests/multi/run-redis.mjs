// Issue 9 against a real Redis: starts redis-server (127.0.0.1, a free port, no persistence),
// the API emulator and 4 Node instances (js-tests/multi/instance.mjs), runs the store
// conformance suite for node-redis and ioredis, then the multi-instance properties, prints the
// figures, stops everything, and exits non-zero on any failure.
//   node js-tests/multi/run-redis.mjs [--pushes 1000]
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { makeChecker } from '../check.js';
import { storeConformance } from '../stores/conformance.js';
import { makePushes, pushStorm, handledReport, apiStorm, sendStorm, emulator as emulatorControl } from './driver.mjs';
import { ROOT, sleep, freePort, children, stopChild, stopAll, startRedis, startInstances, spawnChild, waitFor } from './procs.mjs';

const PKG = process.env.WECHAT_KF_PKG ?? join(ROOT, 'pkg');
const PUSHES = Number(process.argv[process.argv.indexOf('--pushes') + 1]) || 1000;
const lib = await import(pathToFileURL(join(PKG, 'loaders', 'node.js')).href);
const { redisStore } = await import(pathToFileURL(join(PKG, 'stores', 'redis.js')).href);
const { start } = await import(pathToFileURL(join(PKG, 'devtools', 'emulator', 'server.js')).href);

const TOKEN = 'multiInstanceToken';
const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const failures = [];
const expect = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

let emu;
let redisServer;
const instances = [];
try {
  const redisPort = await freePort();
  redisServer = await startRedis(redisPort);
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  emu = await start({ port: 0, lib });
  const emuCtl = emulatorControl(emu.url);
  const { appId, appSecret } = emu.state.config;
  console.log(`redis-server 127.0.0.1:${redisPort}, emulator ${emu.url}`);

  // The contract on real Redis, with both client libraries.
  const { createClient } = await import('redis');
  const { default: IORedis } = await import('ioredis');
  const nodeRedis = createClient({ url: redisUrl });
  nodeRedis.on('error', () => {});
  await nodeRedis.connect();
  const ioredis = new IORedis(redisUrl);
  ioredis.on('error', () => {});
  for (const [name, client] of [['redisStore(node-redis)', nodeRedis], ['redisStore(ioredis)', ioredis]]) {
    const c = makeChecker((s) => console.log(s));
    const r = await storeConformance((prefix) => redisStore(client, { prefix }), c, {
      name, rawGet: (key) => nodeRedis.get(key),
    });
    expect(r.failed === 0, `${name}: conformance ${r.passed} passed, ${r.failed} failed`);
  }
  // Default prefix, and the script cache flushed under it (NOSCRIPT -> EVAL).
  const plain = redisStore(nodeRedis);
  await plain.set('conf-default', 'x', 60_000);
  expect(await nodeRedis.get('wechat-kf:conf-default') === 'x', "default prefix 'wechat-kf:'");
  await nodeRedis.sendCommand(['SCRIPT', 'FLUSH']);
  expect(await plain.compareAndSet('conf-default', 'x', 'y') === true, 'compareAndSet after SCRIPT FLUSH (EVAL fallback)');
  await nodeRedis.sendCommand(['FLUSHALL']);

  // Four instances.
  const env = {
    WECHAT_KF_PKG: PKG, REDIS_URL: redisUrl, EMULATOR_URL: emu.url, WX_TOKEN: TOKEN, WX_KEY: KEY,
    WX_APPID: appId, WX_SECRET: appSecret,
  };
  const { procs, urls } = await startInstances(4, env, (i) => ({ REDIS_CLIENT: i % 2 ? 'ioredis' : 'redis' }));
  instances.push(...urls);
  console.log(`instances: ${instances.join(' ')} (node-redis, ioredis alternating)`);

  // 1. The push storm.
  const pushes = makePushes(lib, { token: TOKEN, encodingAESKey: KEY, appId, count: PUSHES });
  const storm = await pushStorm(instances, pushes, { copies: 3, concurrency: 50 });
  const seen = await handledReport(instances, pushes);
  console.log(`pushes: ${PUSHES} x 3 = ${storm.requests} requests to 3 of 4 instances, 50 in flight, in ${storm.elapsedMs} ms `
    + `(slowest ${storm.maxMs} ms): statuses ${JSON.stringify(storm.statuses)}; handled ${seen.handled}, `
    + `distinct ${seen.distinct}, duplicates ${seen.duplicates}, missing ${seen.missing}`);
  expect(storm.statuses[200] === storm.requests, 'every push request answered 200');
  expect(seen.handled === PUSHES && seen.duplicates === 0 && seen.missing === 0, 'every push handled exactly once, none lost');

  // 2. Tokens: one request for 4 x 25 calls on a cold cache, one more after expiry.
  const before = (await emuCtl.requests()).tokenRequests;
  const cold = await apiStorm(instances, 25);
  const afterCold = (await emuCtl.requests()).tokenRequests;
  await emuCtl.expireTokens();
  const again = await apiStorm(instances, 25);
  const afterExpiry = (await emuCtl.requests()).tokenRequests;
  console.log(`tokens: 4 x 25 calls on a cold cache -> ${cold.ok} ok, ${cold.failed} failed, ${afterCold - before} token request(s); `
    + `after every token expired, 4 x 25 again -> ${again.ok} ok, ${again.failed} failed, ${afterExpiry - afterCold} more`);
  expect(cold.ok === 100 && afterCold - before === 1, 'cold cache: one token request in all');
  expect(again.ok === 100 && afterExpiry - afterCold === 1, 'after expiry: one more token request');

  // 3. The send window: one user message, 12 concurrent sends from 4 instances.
  await emuCtl.user('o_window', 'message');
  await fetch(`${instances[0]}/__test/observe`, { method: 'POST', body: JSON.stringify({ openid: 'o_window' }) }).then((r) => r.json());
  const sends = await sendStorm(instances, 'o_window', 12);
  const reached = await emuCtl.sendsTo('o_window');
  console.log(`window: 12 concurrent sends from 4 instances -> ${sends.sent} sent, refused ${JSON.stringify(sends.refused)}, ${reached} reached the emulator`);
  expect(sends.sent === 5 && reached === 5 && sends.refused[45047] === 7, 'exactly 5 reach the platform, 7 refused locally with 45047');

  // 4. The store goes away mid-run, then comes back.
  const errorsBefore = (await handledReport(instances, [])).errors.length;
  await stopChild(redisServer);
  const outagePushes = makePushes(lib, { token: TOKEN, encodingAESKey: KEY, appId, count: 100, nowMs: Date.now() + 1 });
  const during = await pushStorm(instances, outagePushes, { copies: 1, concurrency: 20 });
  const tokensBeforeOutageCalls = (await emuCtl.requests()).tokenRequests;
  await emuCtl.expireTokens();
  const outageCalls = await apiStorm(instances, 5);
  const tokensOutage = (await emuCtl.requests()).tokenRequests - tokensBeforeOutageCalls;
  const outageReport = await handledReport(instances, outagePushes);
  const newErrors = outageReport.errors.slice(errorsBefore);
  const phases = {};
  for (const e of newErrors) phases[e] = (phases[e] ?? 0) + 1;
  console.log(`outage: redis stopped; 100 pushes -> statuses ${JSON.stringify(during.statuses)}, slowest ${during.maxMs} ms, `
    + `handled ${outageReport.handled}; 4 x 5 calls after token expiry -> ${outageCalls.ok} ok, ${outageCalls.failed} failed, `
    + `${tokensOutage} token requests (each instance its own); reported ${JSON.stringify(phases)}`);
  expect(during.statuses[200] === 100 && during.maxMs < 5000, 'handlers keep answering 200 within 5 s without the store');
  expect(outageReport.missing === 0, 'pushes handled during the outage (dedup fails open)');
  expect(Object.keys(phases).some((k) => k.startsWith('dedup:')), 'dedup failures reported through onError');
  expect(outageCalls.ok === 20 && tokensOutage >= 1 && tokensOutage <= 4, 'the Client fetches tokens itself');
  expect(Object.keys(phases).some((k) => k.startsWith('store:')), 'Client store failures reported through onError');
  expect(procs.every((p) => children.has(p)), 'no instance crashed (nothing thrown out of a handler)');

  redisServer = await startRedis(redisPort);
  await sleep(2500); // clients reconnect (200 ms strategy); the Client retries its store after 2 s
  const recovered = makePushes(lib, { token: TOKEN, encodingAESKey: KEY, appId, count: 200, nowMs: Date.now() + 2 });
  const afterStorm = await pushStorm(instances, recovered, { copies: 3, concurrency: 50 });
  const afterSeen = await handledReport(instances, recovered);
  const t0 = (await emuCtl.requests()).tokenRequests;
  await emuCtl.expireTokens();
  const back = await apiStorm(instances, 25);
  const t1 = (await emuCtl.requests()).tokenRequests;
  console.log(`recovered: 200 x 3 pushes -> statuses ${JSON.stringify(afterStorm.statuses)}, handled ${afterSeen.handled}, `
    + `duplicates ${afterSeen.duplicates}, missing ${afterSeen.missing}; after expiry 4 x 25 calls -> ${back.ok} ok, ${t1 - t0} token request(s)`);
  expect(afterStorm.statuses[200] === 600 && afterSeen.duplicates === 0 && afterSeen.missing === 0, 'dedup works again when redis returns');
  expect(back.ok === 100 && t1 - t0 === 1, 'the shared token works again: one token request');

  // 5. examples/cluster: node:cluster workers on Redis handle each push once.
  await Promise.all(procs.map(stopChild));
  const dir = join(ROOT, 'js-tests', '.scratch-cluster');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(PKG, join(dir, 'node_modules', 'wechat-kf'), 'dir');
  symlinkSync(join(ROOT, 'node_modules', 'redis'), join(dir, 'node_modules', 'redis'), 'dir');
  writeFileSync(join(dir, 'package.json'), '{"type":"module","private":true}\n');
  copyFileSync(join(ROOT, 'examples', 'cluster', 'server.mjs'), join(dir, 'server.mjs'));
  const clusterPort = await freePort();
  const cluster = spawnChild(process.execPath, [join(dir, 'server.mjs')], {
    REDIS_URL: redisUrl, WORKERS: '2', PORT: String(clusterPort), WECHAT_KF_TOKEN: TOKEN, WECHAT_KF_AES_KEY: KEY,
    WECHAT_KF_APP_ID: appId, WECHAT_KF_APP_SECRET: appSecret, WECHAT_KF_API_BASE: emu.url,
  });
  await waitFor(() => (cluster.output().match(/ on http:/g) ?? []).length === 2, () => `2 cluster workers\n${cluster.output()}`);
  const clusterPushes = makePushes(lib, { token: TOKEN, encodingAESKey: KEY, appId, count: 20, nowMs: Date.now() + 3 });
  for (let i = 0; i < 20; i++) await emuCtl.user(`o_multi_${i}`, 'message');
  const url = `http://127.0.0.1:${clusterPort}/wechat`;
  const clusterStorm = await pushStorm([url, url, url].map((u) => u.replace(/\/wechat$/, '')), clusterPushes.map((p) => ({ ...p })), { copies: 3, concurrency: 10, path: '/wechat' });
  await waitFor(() => (cluster.output().match(/ handled msg:/g) ?? []).length >= 20, 'the cluster to handle 20 pushes', 10_000).catch(() => {});
  await sleep(500);
  const handledLines = (cluster.output().match(/ handled msg:/g) ?? []).length;
  const workersUsed = new Set([...cluster.output().matchAll(/worker (\d+) handled/g)].map((m) => m[1])).size;
  console.log(`examples/cluster: 2 workers, 20 pushes x 3 -> statuses ${JSON.stringify(clusterStorm.statuses)}, handled ${handledLines} (by ${workersUsed} worker(s))`);
  expect(clusterStorm.statuses[200] === 60 && handledLines === 20, 'examples/cluster handles each push once');
  await stopChild(cluster);
  rmSync(dir, { recursive: true, force: true });

  await nodeRedis.disconnect().catch(() => {});
  ioredis.disconnect();
} catch (e) {
  failures.push(String(e && e.stack || e));
  console.log(`FAIL ${e && e.stack || e}`);
} finally {
  await stopAll();
  await emu?.close();
}
console.log(failures.length ? `multi-instance (redis): ${failures.length} failure(s)` : 'multi-instance (redis): all properties hold');
process.exit(failures.length ? 1 : 0);
