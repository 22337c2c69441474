#!/usr/bin/env node
// The queue mode on the engines of Deno and Cloudflare Workers (issue 24), real processes on
// 127.0.0.1, the package from WECHAT_KF_PKG (default pkg/):
//   deno    — one local Deno KV file (--unstable-kv): a handler instance in queue mode
//             (deno-instance.mjs: denoKvStore claims, denoKvQueue) and consumer processes
//             (deno-consumer.mjs: createConsumer on denoKvQueue). Pushes are posted to the
//             handler; the consumer running a push's onMessage is SIGKILLed; another consumer
//             (a separate process) hands it out again after visibilityMs and its effect is done
//             once; a push whose onMessage throws twice is handled once after two reported
//             retries; one that always throws is dead-lettered once after maxAttempts, kept with
//             the push; then 300 pushes (--pushes), each delivered 3 times to 3 handler
//             processes, through 2 consumers, one SIGKILLed midway: each push's effect done once.
//   workerd — one workerd with the package's Durable Object queue (its storage on local disk)
//             and a worker in queue mode (workerd-queue.entry.mjs); workerd is SIGKILLed while
//             a job's onMessage runs and started again on the same storage: the job is handed
//             out again after the restart and its effect done once; retries; a dead letter.
// Prints the figures (redelivery after the kill / the restart); asserts outcomes only, every
// wait a bounded loop.
//   node js-tests/queue/run-engines.mjs [--only deno,workerd] [--pushes 300]
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, sleep, spawnChild, stopAll, stopChild, waitFor } from '../multi/procs.mjs';
import { makePushes, pushStorm } from '../multi/driver.mjs';
import { freePort, resolveBin } from '../runners/harness.mjs';
import { bundleWorker } from '../runners/scratch.mjs';

const PKG = process.env.WECHAT_KF_PKG ?? join(ROOT, 'pkg');
const ENGINES = ['deno', 'workerd'];
const only = (() => {
  const i = process.argv.indexOf('--only');
  return i > 0 ? process.argv[i + 1].split(',') : ENGINES;
})();
const lib = await import(pathToFileURL(join(PKG, 'loaders', 'node.js')).href);

const TOKEN = 'queueEngineToken';
const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const APPID = 'wx0123456789abcdef';
const VISIBILITY_MS = 3000;
const STORM = Number(process.argv[process.argv.indexOf('--pushes') + 1]) || 300;
const failures = [];
const figures = [];
const expect = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

/** An encrypted text push from o_queue_<n> with `content`, as the platform posts it. */
let msgSeq = BigInt(Date.now()) * 1000n;
function push(content) {
  const crypt = new lib.WXBizMsgCrypt({ token: TOKEN, encodingAESKey: KEY, appId: APPID });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(Math.floor(Math.random() * 1e9));
  const id = String(msgSeq++);
  const plain = `<xml><ToUserName><![CDATA[gh_queue000000]]></ToUserName><FromUserName><![CDATA[o_queue_user]]></FromUserName>`
    + `<CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content>`
    + `<MsgId>${id}</MsgId></xml>`;
  const encrypt = crypt.encrypt(plain);
  const query = new URLSearchParams({
    signature: lib.signature(TOKEN, timestamp, nonce), timestamp, nonce, openid: 'o_queue_user', encrypt_type: 'aes',
    msg_signature: crypt.msgSignature(timestamp, nonce, encrypt),
  }).toString();
  crypt.free?.();
  return { query, body: `<xml><ToUserName><![CDATA[gh_queue000000]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>` };
}

async function post(base, content) {
  const p = push(content);
  const res = await fetch(`${base}/wx?${p.query}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: p.body, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, text: await res.text() };
}

/** The lines of a consumer's output: { kind, name, key, attempt, ms, outcome, tag } (START / DONE / ERROR). */
function lines(output) {
  return output.split('\n').map((l) => l.trim().split(' ')).filter((w) => ['START', 'DONE', 'ERROR'].includes(w[0])).map((w) => (w[0] === 'ERROR'
    ? { kind: 'ERROR', phase: w[1], code: Number(w[2]), key: w[3], attempt: Number(w[4]) }
    : w[0] === 'START'
      ? { kind: 'START', name: w[1], key: w[2], attempt: Number(w[3]), ms: Number(w[4]), tag: w[5] }
      : { kind: 'DONE', name: w[1], key: w[2], attempt: Number(w[3]), outcome: w[4], ms: Number(w[5]), tag: w[6] }));
}

for (const engine of only) {
  console.log(`== ${engine} ==`);
  const temp = mkdtempSync(join(tmpdir(), `wechat-kf-queue-${engine}-`));
  try {
    if (engine === 'deno') await runDeno(temp);
    else if (engine === 'workerd') await runWorkerd(temp);
    else throw new Error(`unknown engine ${engine}`);
  } catch (e) {
    expect(false, `${engine} ran: ${e?.stack ?? e}`);
  } finally {
    await stopAll();
    rmSync(temp, { recursive: true, force: true });
  }
}
for (const f of figures) console.log(`figure: ${f}`);
console.log(failures.length === 0 ? 'all passed' : `${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);

async function runDeno(temp) {
  const deno = resolveBin('deno');
  const kvPath = join(temp, 'queue.sqlite3');
  const env = {
    WECHAT_KF_PKG: PKG, KV_PATH: kvPath, WX_TOKEN: TOKEN, WX_KEY: KEY, WX_APPID: APPID, DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1',
    VISIBILITY_MS: String(VISIBILITY_MS), RETRY_MS: '100', MAX_ATTEMPTS: '3',
  };
  const denoArgs = (file) => ['run', '--unstable-kv', `--allow-read`, `--allow-write=${temp}`, '--allow-env', '--allow-net=127.0.0.1', '--no-lock', join(ROOT, 'js-tests', 'queue', file)];

  // 0. The queue's contract in one process (deno-queue-checks.mjs), on a KV file of its own.
  const checks = spawnChild(deno, denoArgs('deno-queue-checks.mjs'), { ...env, KV_PATH: join(temp, 'checks.sqlite3') });
  const bounded = await Promise.race([checks.exited, sleep(180_000).then(() => null)]);
  if (!bounded) await stopChild(checks);
  let results = [];
  try { results = JSON.parse(checks.output().trim().split('\n').filter((x) => x.startsWith('[')).pop()); } catch {}
  expect(results.length > 0, `deno-queue-checks.mjs ran (${bounded ? `exit ${bounded.code}` : 'timed out'})${results.length ? '' : `\n${checks.output().slice(-3000)}`}`);
  for (const [name, ok, detail] of results) expect(ok, `${name}${ok ? '' : `: ${detail}`}`);
  const handler = spawnChild(deno, denoArgs('deno-instance.mjs'), env);
  await waitFor(() => /READY (\d+)/.test(handler.output()), () => `the Deno handler instance\n${handler.output()}`, 60_000);
  const base = `http://127.0.0.1:${handler.output().match(/READY (\d+)/)[1]}`;
  const consumerA = spawnChild(deno, denoArgs('deno-consumer.mjs'), { ...env, NAME: 'A' });
  await waitFor(() => consumerA.output().includes('READY'), () => `consumer A\n${consumerA.output()}`, 60_000);

  // 1. A kill while onMessage runs: A takes the slow push (it alone consumes), B starts, A is killed.
  const slow = await post(base, 'slow 1');
  const ackedAt = Date.now();
  expect(slow.status === 200 && slow.text === 'success', `the slow push is acknowledged at once (HTTP ${slow.status} ${slow.text})`);
  await waitFor(() => lines(consumerA.output()).some((l) => l.kind === 'START' && l.tag === 'slow'), () => `A to start the slow push\n${consumerA.output()}`, 60_000);
  figures.push(`deno: a push queued by the handler process began in a consumer process ${lines(consumerA.output()).find((l) => l.kind === 'START').ms - ackedAt} ms `
    + 'after its acknowledgement (another process on a local KV file: found by the consumer\'s read of the index, pollMs 1000)');
  const consumerB = spawnChild(deno, denoArgs('deno-consumer.mjs'), { ...env, NAME: 'B' });
  await waitFor(() => consumerB.output().includes('READY'), () => `consumer B\n${consumerB.output()}`, 60_000);
  consumerA.kill('SIGKILL');
  const killedAt = Date.now();
  await consumerA.exited;
  await waitFor(() => lines(consumerB.output()).some((l) => l.kind === 'DONE' && l.tag === 'slow'), () => `B to handle the slow push after the kill\n${consumerB.output()}`, 120_000);
  const bStart = lines(consumerB.output()).find((l) => l.kind === 'START' && l.tag === 'slow');
  const bDone = lines(consumerB.output()).find((l) => l.kind === 'DONE' && l.tag === 'slow');
  expect(bStart.attempt === 2, `after the kill, B got the slow push as attempt 2 (got ${bStart.attempt})`);
  expect(bDone.outcome === 'effect', `B did its effect (${bDone.outcome})`);
  const aStart = lines(consumerA.output()).find((l) => l.kind === 'START' && l.tag === 'slow');
  figures.push(`deno: after SIGKILL of the consumer mid-onMessage, another process ran the job ${bStart.ms - killedAt} ms after the kill, `
    + `${bStart.ms - aStart.ms} ms after the killed delivery began (visibilityMs ${VISIBILITY_MS}, pollMs 1000)`);

  // 2. Throws twice, then succeeds; 3. throws every time (maxAttempts 3).
  const flaky = await post(base, 'flaky 1');
  const doomed = await post(base, 'doomed 1');
  expect(flaky.status === 200 && doomed.status === 200, 'the flaky and the doomed pushes are acknowledged');
  await waitFor(() => lines(consumerB.output()).some((l) => l.kind === 'DONE' && l.tag === 'flaky')
    && lines(consumerB.output()).some((l) => l.kind === 'ERROR' && l.code === -44002), () => `B to handle flaky and dead-letter doomed\n${consumerB.output()}`, 120_000);
  await sleep(1500); // nothing more may come: a second dead letter report, a fourth attempt
  const b = lines(consumerB.output());
  const keyOf = (tag) => b.find((l) => l.kind === 'START' && l.tag === tag)?.key;
  const flakyKey = keyOf('flaky');
  const doomedKey = keyOf('doomed');
  expect(b.filter((l) => l.kind === 'START' && l.key === flakyKey).map((l) => l.attempt).join() === '1,2,3', 'flaky: attempts 1, 2, 3');
  expect(b.filter((l) => l.kind === 'ERROR' && l.key === flakyKey && l.phase === 'onMessage').length === 2, 'flaky: two failed attempts reported (phase onMessage)');
  expect(b.filter((l) => l.kind === 'DONE' && l.key === flakyKey).length === 1, 'flaky: handled once');
  expect(b.filter((l) => l.kind === 'START' && l.key === doomedKey).map((l) => l.attempt).join() === '1,2,3', 'doomed: attempts 1, 2, 3, no more');
  expect(b.filter((l) => l.kind === 'ERROR' && l.key === doomedKey && l.code === -44002).length === 1, 'doomed: dead-lettered and reported once (-44002, phase queue)');

  // 4. Many pushes, each delivered 3 times to 3 handler processes, 2 consumer processes (B and
  // C), C SIGKILLed midway while it holds deliveries: every push's effect done once, none lost.
  const more = [handler];
  for (let i = 0; i < 2; i++) {
    const h = spawnChild(deno, denoArgs('deno-instance.mjs'), env);
    await waitFor(() => /READY (\d+)/.test(h.output()), () => `a Deno handler instance\n${h.output()}`, 60_000);
    more.push(h);
  }
  const bases = more.map((h) => `http://127.0.0.1:${h.output().match(/READY (\d+)/)[1]}`);
  const consumerC = spawnChild(deno, denoArgs('deno-consumer.mjs'), { ...env, NAME: 'C', WORK_MS: '200' });
  await waitFor(() => consumerC.output().includes('READY'), () => `consumer C\n${consumerC.output()}`, 60_000);
  const pushes = makePushes(lib, { token: TOKEN, encodingAESKey: KEY, appId: APPID, count: STORM, toUser: 'gh_queue000000' });
  const stormAt = Date.now();
  const storming = pushStorm(bases, pushes, { copies: 3, concurrency: 12, timeoutMs: 15_000 });
  await waitFor(() => lines(consumerC.output()).filter((x) => x.kind === 'START' && x.tag === 'push').length >= 20,
    () => `C to take pushes\n${consumerC.output().slice(-2000)}`, 120_000);
  consumerC.kill('SIGKILL');
  await consumerC.exited;
  const storm = await storming;
  const ackedAllAt = Date.now();
  expect(storm.failures.length === 0 && storm.statuses[200] === STORM * 3,
    `${STORM} pushes x 3 deliveries to 3 handler processes: every request answered 200 (${JSON.stringify(storm.statuses)}; ${storm.failures.slice(0, 3).join('; ')})`);
  const effects = () => new Set([consumerB, consumerC].flatMap((c) => lines(c.output()))
    .filter((x) => x.kind === 'DONE' && x.tag === 'push' && x.outcome === 'effect').map((x) => x.key));
  await waitFor(() => effects().size >= STORM, () => `every push handled (${effects().size} of ${STORM})`, 240_000);
  const handledAllAt = Date.now();
  await sleep(1500);
  const cStarts = lines(consumerC.output()).filter((x) => x.kind === 'START' && x.tag === 'push');
  const cDone = new Set(lines(consumerC.output()).filter((x) => x.kind === 'DONE').map((x) => x.key));
  const orphans = cStarts.filter((x) => !cDone.has(x.key)).map((x) => x.key);
  const bAgain = lines(consumerB.output()).filter((x) => x.kind === 'START' && orphans.includes(x.key) && x.attempt >= 2);
  expect(orphans.length > 0 && new Set(bAgain.map((x) => x.key)).size === orphans.length,
    `the ${orphans.length} deliveries C held when it was killed were run again by B (attempt 2)`);
  figures.push(`deno: ${STORM} pushes x 3 deliveries through 3 handler processes and 2 consumers on one local KV file: acknowledged in ${ackedAllAt - stormAt} ms `
    + `(${Math.round((STORM * 3) / ((ackedAllAt - stormAt) / 1000))} requests/s, the slowest ${storm.maxMs} ms), all handled ${handledAllAt - stormAt} ms after the first `
    + `(consumer C, 200 ms per push, killed midway: its deliveries ran again after visibilityMs)`);
  for (const h of more) {
    const { errors } = await (await fetch(`${bases[more.indexOf(h)]}/__test/errors`)).json();
    expect(errors.length === 0, `handler ${more.indexOf(h)} reported nothing (${errors.join(', ')})`);
  }
  await stopChild(consumerB);
  for (const h of more) await stopChild(h);
  const inspect = spawnChild(deno, denoArgs('deno-inspect.mjs'), env);
  const { code } = await inspect.exited;
  const state = JSON.parse(inspect.output().trim().split('\n').pop());
  expect(code === 0, 'the KV file read back');
  const slowKey = bStart.key;
  expect(state.effects[slowKey] === 'B' && state.runs[slowKey] === 2, `slow: one effect (by B), two runs (${state.runs[slowKey]})`);
  expect(state.effects[flakyKey] === 'B' && state.runs[flakyKey] === 3, 'flaky: one effect, three runs');
  expect(state.effects[doomedKey] === undefined && state.runs[doomedKey] === 3, 'doomed: no effect, three runs');
  const dead = state.dead.filter((d) => d.job.id === doomedKey);
  expect(dead.length === 1 && dead[0].attempts === 3 && /doomed attempt 3/.test(dead[0].error) && dead[0].job.message.content === 'doomed 1',
    `doomed: one dead letter with the push, 3 attempts and the last error (${JSON.stringify(state.dead).slice(0, 300)})`);
  expect(state.dead.length === 1, 'no other dead letter');
  expect(state.stats.queued === 0 && state.stats.dead === 1, `the queue empty, one dead letter (${JSON.stringify(state.stats)})`);
  const stormKeys = Object.keys(state.runs).filter((k) => ![slowKey, flakyKey, doomedKey].includes(k));
  expect(stormKeys.length === STORM && stormKeys.every((k) => state.effects[k] === 'B' || state.effects[k] === 'C'),
    `the ${STORM} pushes: each one's effect done once (${stormKeys.length} keys, ${stormKeys.filter((k) => !state.effects[k]).length} without an effect)`);
}

/** A workerd config: one worker with the DurableObjectStore and TestQueue namespaces, storage on local disk. */
function workerdQueueConfig({ modules, storageDir, port, bindings }) {
  mkdirSync(storageDir, { recursive: true });
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .mainWorker),
    (name = "do-disk", disk = (path = ${JSON.stringify(storageDir)}, writable = true)),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const mainWorker :Workerd.Worker = (
  modules = [${modules.join(', ')}],
  durableObjectNamespaces = [
    (className = "DurableObjectStore", uniqueKey = "wechat-kf-queue-test-store", enableSql = true),
    (className = "TestQueue", uniqueKey = "wechat-kf-queue-test-queue", enableSql = true),
  ],
  durableObjectStorage = (localDisk = "do-disk"),
  bindings = [
    (name = "STORE", durableObjectNamespace = "DurableObjectStore"),
    (name = "QUEUE", durableObjectNamespace = "TestQueue"),
    ${Object.entries(bindings).map(([k, v]) => `(name = "${k}", text = ${JSON.stringify(String(v))})`).join(',\n    ')}
  ],
  compatibilityDate = "2025-06-01",
);
`;
}

async function runWorkerd(temp) {
  // The package as an npm dependency of a scratch project (a link to WECHAT_KF_PKG), bundled
  // with the conditions wrangler uses.
  const scratch = join(temp, 'scratch');
  mkdirSync(join(scratch, 'node_modules'), { recursive: true });
  symlinkSync(PKG, join(scratch, 'node_modules', 'wechat-kf'), 'dir');
  copyFileSync(join(ROOT, 'js-tests', 'queue', 'workerd-queue.entry.mjs'), join(scratch, 'entry.mjs'));
  copyFileSync(join(ROOT, 'js-tests', 'queue', 'checks.js'), join(scratch, 'checks.js'));
  const dir = join(temp, 'worker');
  mkdirSync(dir);
  const modules = await bundleWorker(scratch, 'entry.mjs', dir);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const spawnWorkerd = (run) => {
    writeFileSync(join(dir, 'config.capnp'), workerdQueueConfig({
      modules, storageDir: join(temp, 'do-storage'), port,
      bindings: { RUN: run, WX_TOKEN: TOKEN, WX_KEY: KEY, WX_APPID: APPID, VISIBILITY_MS: 20_000 },
    }));
    return spawnChild(resolveBin('workerd'), ['serve', join(dir, 'config.capnp')], {});
  };
  const answering = (proc, run) => waitFor(async () => {
    try { return (await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) })).ok; } catch { return false; }
  }, () => `workerd (start ${run})\n${proc.output()}`, 60_000);
  const start = async (run) => {
    const proc = spawnWorkerd(run);
    await answering(proc, run);
    return proc;
  };
  const get = async (path) => (await fetch(`${base}${path}`, { signal: AbortSignal.timeout(30_000) })).json();

  // 1. A restart while a job is in flight: workerd is SIGKILLed while onMessage runs, then started again.
  let w = await start(1);
  const slow = await post(base, 'slow 1');
  expect(slow.status === 200 && slow.text === 'success', `the slow push is acknowledged at once (HTTP ${slow.status} ${slow.text})`);
  await waitFor(() => lines(w.output()).some((l) => l.kind === 'START' && l.tag === 'slow'), () => `the slow push to start\n${w.output()}`, 60_000);
  w.kill('SIGKILL');
  const killedAt = Date.now();
  await w.exited;
  const restartAt = Date.now();
  w = spawnWorkerd(2);
  // When this process first sees the slow push start again (polled every 5 ms, bounded).
  let seenAt = null;
  const seeing = (async () => {
    for (let i = 0; i < 24_000 && seenAt === null; i++) {
      if (lines(w.output()).some((l) => l.kind === 'START' && l.tag === 'slow')) seenAt = Date.now();
      else await sleep(5);
    }
  })();
  await answering(w, 2);
  const upAt = Date.now();
  await waitFor(() => lines(w.output()).some((l) => l.kind === 'DONE' && l.tag === 'slow'), () => `the slow push to be handled after the restart\n${w.output()}`, 120_000);
  await seeing;
  const again = lines(w.output()).find((l) => l.kind === 'START' && l.tag === 'slow');
  const done = lines(w.output()).find((l) => l.kind === 'DONE' && l.tag === 'slow');
  expect(again.attempt === 2 && done.outcome === 'effect', `after the restart the slow push ran as attempt 2 and did its effect (attempt ${again.attempt}, ${done.outcome})`);
  figures.push(`workerd: after SIGKILL mid-onMessage and a restart on the same storage, the job ran again ${seenAt - restartAt} ms after workerd was started again `
    + `(${seenAt - killedAt} ms after the kill; workerd answered HTTP after ${upAt - restartAt} ms)`);

  // 2. Throws twice, then succeeds; 3. throws every time (maxAttempts 3); 4. a job over 64 KiB, enqueued twice.
  const flaky = await post(base, 'flaky 1');
  const doomed = await post(base, 'doomed 1');
  expect(flaky.status === 200 && doomed.status === 200, 'the flaky and the doomed pushes are acknowledged');
  const bigContent = `big ${'大'.repeat(80_000)}`;
  const bigJob = { id: `big-${Date.now()}`, message: { msgType: 'text', fromUserName: 'o_queue_user', toUserName: 'gh_queue000000', createTime: Math.floor(Date.now() / 1000), content: bigContent }, format: 'xml', mode: 'aes', receivedAt: Date.now() };
  for (let i = 0; i < 2; i++) {
    const r = await fetch(`${base}/__test/enqueue`, { method: 'POST', body: JSON.stringify(bigJob), signal: AbortSignal.timeout(30_000) });
    expect(r.ok, `the big job enqueued through durableObjectQueue (${i + 1})`);
  }
  await waitFor(() => {
    const l = lines(w.output());
    return l.some((x) => x.kind === 'DONE' && x.tag === 'flaky') && l.some((x) => x.kind === 'ERROR' && x.code === -44002)
      && l.some((x) => x.kind === 'DONE' && x.tag === 'big');
  }, () => `flaky handled, doomed dead-lettered, big handled\n${w.output()}`, 120_000);
  await sleep(1500); // nothing more may come: a second dead letter report, a fourth attempt, the big job again
  const l = lines(w.output());
  const keyOf = (tag) => l.find((x) => x.kind === 'START' && x.tag === tag)?.key;
  const [flakyKey, doomedKey] = [keyOf('flaky'), keyOf('doomed')];
  expect(l.filter((x) => x.kind === 'START' && x.key === flakyKey).map((x) => x.attempt).join() === '1,2,3', 'flaky: attempts 1, 2, 3');
  expect(l.filter((x) => x.kind === 'ERROR' && x.key === flakyKey && x.phase === 'onMessage').length === 2, 'flaky: two failed attempts reported (phase onMessage)');
  expect(l.filter((x) => x.kind === 'DONE' && x.key === flakyKey).length === 1, 'flaky: handled once');
  expect(l.filter((x) => x.kind === 'START' && x.key === doomedKey).map((x) => x.attempt).join() === '1,2,3', 'doomed: attempts 1, 2, 3, no more');
  expect(l.filter((x) => x.kind === 'ERROR' && x.key === doomedKey && x.code === -44002).length === 1, 'doomed: dead-lettered and reported once (-44002, phase queue)');
  const bigStarts = l.filter((x) => x.kind === 'START' && x.tag === 'big');
  const bigLength = Number(w.output().split('\n').find((x) => x.startsWith('START') && x.includes(' big '))?.trim().split(' ')[6]);
  expect(bigStarts.length === 1 && bigLength === bigContent.length, `the job over 64 KiB: one job for two enqueues, its content whole (${bigStarts.length} runs, ${bigLength} characters)`);

  const ledger = await get(`/__test/ledger?keys=${[again.key, flakyKey, doomedKey].map(encodeURIComponent).join(',')}`);
  expect(ledger[again.key]?.effect === 'W2' && ledger[again.key]?.runs === 2, `slow: one effect (after the restart), two runs (${JSON.stringify(ledger[again.key])})`);
  expect(ledger[flakyKey]?.effect === 'W2' && ledger[flakyKey]?.runs === 3, 'flaky: one effect, three runs');
  expect(ledger[doomedKey]?.effect === null && ledger[doomedKey]?.runs === 3, 'doomed: no effect, three runs');
  const { stats, dead } = await get('/__test/queue');
  const mine = dead.filter((d) => d.job.id === doomedKey);
  expect(mine.length === 1 && mine[0].attempts === 3 && /doomed attempt 3/.test(mine[0].error) && mine[0].job.message.content === 'doomed 1',
    `doomed: one dead letter with the push, 3 attempts and the last error (${JSON.stringify(dead).slice(0, 300)})`);
  expect(dead.length === 1, 'no other dead letter');
  expect(stats.queued === 0 && stats.dead === 1, `the queue empty, one dead letter (${JSON.stringify(stats)})`);
  const { errors } = await get('/__test/errors');
  expect(errors.length === 0, `the handler reported nothing (${errors.join(', ')})`);
  for (const [name, ok, detail] of await get('/__test/checks')) expect(ok, `${name}${ok ? '' : `: ${detail}`}`);
}
