#!/usr/bin/env node
// The benchmark of issue 12: prints figures and the goals next to them; asserts nothing about
// time. Run `bash scripts/build.sh` first, then
//
//   node bench/run.mjs [--only pipeline,deno,bun,start,e2e,queue] [--smoke] [--tarball dist/x.tgz]
//                      [--clock wall|cpu]
//
// It installs the packed tarball into bench/.scratch (what users get; see bench/parts/scratch.mjs)
// and runs each part in its own processes, one part at a time:
//   pipeline  Node: Receiver.receive (verify + decrypt + parse to the typed message) against
//             @wecom/crypto + fast-xml-parser and against the node:crypto floor, 5 push sizes
//   deno, bun the same script under Deno and Bun (node_modules/.bin/deno, bun)
//   start     the wasm an inbound handler compiles (import + first push), raw and gzip -9, and
//             import + first push in fresh Node processes against importing the peers
//   e2e       node:http, Express and Koa: the bare framework (the floor), our adapter, and the
//             peer on the same framework (node-webot's `wechat` on Express, co-wechat on Koa),
//             plus our node:http listener on a real redis-server (round trips per push);
//             encrypted pushes over loopback from a load generator process: req/s, p50/p99
//   queue     bench/queue.mjs: the queue mode on a real redis-server, the acknowledgement of a
//             20 s handler (p50/p99) next to the inline mode, pushes/s with 1 and 4 processes
// --clock cpu times the pipeline batches in process CPU time (all threads) instead of wall time.
// --smoke runs every part with a handful of iterations: it checks that the benchmark runs and
// that every contender's answers are correct (exit code 1 otherwise), for scripts/test.sh.
// The exit code is 1 when a part fails (a wrong answer, a crash), never because a goal is missed.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, SCRATCH, prepareScratch, resolveBin } from './parts/scratch.mjs';
import { RESULT_MARKER, encryptedPush, textPush } from './parts/fixtures.mjs';

const PARTS = ['pipeline', 'deno', 'bun', 'start', 'e2e', 'queue'];
const args = readArgs(process.argv.slice(2));
const smoke = !!args.smoke;
const only = args.only ? args.only.split(',').map((s) => s.trim()).filter(Boolean) : PARTS;
for (const p of only) if (!PARTS.includes(p)) die(`unknown part ${p} (known: ${PARTS.join(', ')})`);

const CONFIG = smoke
  ? { pipeline: { rounds: 1, batchMs: 1, warmupMs: 0 }, startRuns: 1, e2e: { warm: 20, count: 60, rounds: 1, concurrency: 4, size: 1024 } }
  : { pipeline: { rounds: 21, batchMs: 30, warmupMs: 500 }, startRuns: 11, e2e: { warm: 1500, count: 3000, rounds: 7, concurrency: 32, size: 1024 } };
if (args.clock && !['wall', 'cpu'].includes(args.clock)) die('--clock is wall or cpu');
CONFIG.pipeline.clock = args.clock ?? 'wall';
const TIMEOUT_MS = smoke ? 120_000 : 600_000;

// `met` / `MISSED` next to a goal (nothing in --smoke, whose figures mean nothing), tallied per
// part for the last line.
const tally = {};
let currentPart = '';
const verdict = (ok) => {
  const t = (tally[currentPart] ??= { met: 0, of: 0 });
  t.of++;
  if (ok) t.met++;
  return smoke ? '' : ok ? 'met' : 'MISSED';
};
const children = new Set();
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    for (const c of children) c.kill('SIGKILL');
    process.exit(130);
  });
}

let tarball;
try {
  tarball = prepareScratch(args.tarball);
} catch (e) {
  die(e.message);
}

const cpu = cpus()[0]?.model?.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
console.log(`wechat-kf benchmark${smoke ? ' (--smoke: a few iterations, figures meaningless)' : ''}`);
console.log(`${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}, ${availableParallelism()} cores (${cpu}), `
  + `load average ${loadavg()[0].toFixed(1)} at the start`);
console.log(`package: ${relative(ROOT, tarball)} installed into ${relative(ROOT, SCRATCH)}/`);

const failures = [];
const sections = {
  pipeline: () => pipelineSection('1. Inbound pipeline, Node', process.execPath, []),
  deno: () => runtimeSection('deno', (bin) => [bin, ['run', '--allow-read', '--node-modules-dir=manual', '--no-lock']],
    { DENO_DIR: `${SCRATCH}/.deno`, DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' }),
  bun: () => runtimeSection('bun', (bin) => [bin, ['run', '--no-install']], { DO_NOT_TRACK: '1' }),
  start: startSection,
  e2e: e2eSection,
  queue: queueSection,
};
let n = 0;
for (const part of PARTS.filter((p) => only.includes(p))) {
  n++;
  currentPart = part;
  try {
    await sections[part]();
  } catch (e) {
    failures.push(`${part}: ${e?.message ?? e}`);
    console.log(`\n${part}: FAILED: ${e?.message ?? e}`);
  }
}
if (!smoke) {
  const parts = Object.entries(tally);
  const met = parts.reduce((k, [, t]) => k + t.met, 0);
  const of = parts.reduce((k, [, t]) => k + t.of, 0);
  console.log(`\ngoals met: ${met} of ${of} (${parts.map(([p, t]) => `${p} ${t.met}/${t.of}`).join(', ')})`);
}
console.log(failures.length ? `\n${failures.length} of ${n} parts failed:\n  ${failures.join('\n  ')}` : `${smoke ? '\n' : ''}${n} parts ran; every answer checked was correct`);
process.exit(failures.length ? 1 : 0);

// ---- the queue mode: bench/queue.mjs on the installed package ----------------------------------

/** bench/queue.mjs (its own redis-server and processes), its lines indented; fails when it does. */
async function queueSection() {
  console.log('\nQueue mode on Redis (bench/queue.mjs): the acknowledgement of a 20 s handler, pushes/s through the queue');
  const script = new URL('./queue.mjs', import.meta.url).pathname;
  const env = { WECHAT_KF_PKG: `${SCRATCH}/node_modules/wechat-kf` };
  const code = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...(smoke ? ['--smoke'] : [])], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    children.add(child);
    let buffered = '';
    child.stdout.on('data', (d) => {
      buffered += d;
      const lines = buffered.split('\n');
      buffered = lines.pop();
      for (const line of lines) if (line.trim() && !line.startsWith('wechat-kf queue benchmark')) console.log(`  ${line}`);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (c, signal) => {
      clearTimeout(timer);
      children.delete(child);
      if (buffered.trim()) console.log(`  ${buffered}`);
      resolve(signal ?? c);
    });
  });
  if (code !== 0) throw new Error(`bench/queue.mjs exited ${code}`);
}

// ---- 1 and 4: the pipeline -------------------------------------------------------------------

async function pipelineSection(title, cmd, cmdArgs, env) {
  const r = await runChild(cmd, [...cmdArgs, 'pipeline.mjs', JSON.stringify(CONFIG.pipeline)], { env });
  if (r.error) throw new Error(r.error);
  console.log(`\n${title} (${r.runtime}): verify + decrypt + parse to the typed message`);
  console.log(`  ours: Receiver.receive; peer: ${r.peer ?? `none: @wecom/crypto + fast-xml-parser did not load (${r.peerError})`};`
    + ' floor: node:crypto SHA-1 + AES-256-CBC, no XML');
  console.log(`  µs per push (${r.clock} time), median of ${r.rounds} rounds of ~${r.batchMs} ms per contender; ratios: median of the per-round ratios`
    + ' (and the middle half of them: 25th-75th percentile)');
  console.log('  push (plaintext / body)    ours       peer      floor   peer/ours (goal)         ours/floor (goal)     peer/ours middle half');
  for (const row of r.rows) {
    const small = row.size <= 2048;
    const peerGoal = small ? 2.0 : 1.0;
    const vsPeer = row.vsPeer === undefined ? '-'.padEnd(22)
      : `${fx(row.vsPeer)} (≥${peerGoal.toFixed(1)}x) ${verdict(row.vsPeer >= peerGoal)}`.padEnd(22);
    const vsFloor = `${fx(row.vsFloor)}${small ? ` (≤2.5x) ${verdict(row.vsFloor <= 2.5)}` : ''}`;
    const size = `${bytes(row.plaintextBytes)} / ${bytes(row.bodyBytes)}`;
    const range = row.vsPeerRange ? `${row.vsPeerRange[0].toFixed(2)}-${row.vsPeerRange[1].toFixed(2)}` : '';
    console.log(`  ${size.padEnd(22)} ${us(row.oursUs)} ${row.peerUs === undefined ? '-'.padStart(10) : us(row.peerUs)} ${us(row.floorUs)}   ${vsPeer}   ${vsFloor.padEnd(20)}  ${range}`);
  }
}

async function runtimeSection(name, command, env) {
  const [cmd, cmdArgs] = command(resolveBin(name));
  const title = name === 'deno' ? '4a. Inbound pipeline, Deno' : '4b. Inbound pipeline, Bun';
  await pipelineSection(title, cmd, cmdArgs, env);
}

// ---- 2: start --------------------------------------------------------------------------------

async function startSection() {
  const push = textPush(1024);
  const wire = encryptedPush(push.xml);
  const pushJson = JSON.stringify({ query: wire.query, body: wire.body, content: push.content });
  const probe = (mode) => runChild(process.execPath, ['start-probe.mjs', mode, pushJson]);

  const w = await probe('wasm');
  const inbound = w.modules.filter((m) => m.phase === 'inbound');
  const outbound = w.modules.filter((m) => m.phase === 'outbound');
  const sum = (ms, k) => ms.reduce((s, m) => s + m[k], 0);
  const gz = sum(inbound, 'gzip');
  console.log('\n2. Start: an inbound handler (import + first Receiver.receive), fresh Node processes');
  console.log(`  wasm compiled: ${inbound.length} module${inbound.length === 1 ? '' : 's'} (${inbound.map((m) => `${int(m.raw)} B`).join(' + ') || 'none'}), `
    + `${int(sum(inbound, 'raw'))} B raw, ${int(gz)} B gzip -9 = ${kib(gz)} (goal ≤60 KiB) ${verdict(gz <= 60 * 1024)}`);
  console.log(`  a first outbound call afterwards (requests.sendText) compiles ${outbound.length
    ? `${outbound.length} more module${outbound.length === 1 ? '' : 's'}: ${int(sum(outbound, 'raw'))} B raw, ${kib(sum(outbound, 'gzip'))} gzip -9`
    : 'no more wasm'}${w.outboundError ? ` (the call failed: ${w.outboundError})` : ''}`);
  if (w.outboundError) throw new Error(`requests.sendText after the first push failed: ${w.outboundError}`);

  // Interleaved, so that load on the machine hits every kind alike.
  const runs = { ours: [], peers: [], 'peers-esm': [] };
  for (let i = 0; i < CONFIG.startRuns; i++) {
    for (const mode of Object.keys(runs)) runs[mode].push(await probe(mode));
  }
  const med = (mode, k) => median(runs[mode].map((r) => r[k]));
  const oursTotal = med('ours', 'totalMs');
  const peersImport = med('peers', 'importMs');
  const ratio = oursTotal / peersImport;
  console.log(`  median of ${CONFIG.startRuns} fresh processes each, ms from the first line of the script:`);
  console.log(`    wechat-kf: import('wechat-kf') ${ms(med('ours', 'importMs'))}, import + first push ${ms(oursTotal)}`
    + ` (of which synchronous wasm compile + instantiate ${ms(med('ours', 'wasmMs'))})`);
  console.log(`    @wecom/crypto + fast-xml-parser: require() ${ms(peersImport)}, require() + first push ${ms(med('peers', 'totalMs'))}`
    + ` (with import() instead: ${ms(med('peers-esm', 'importMs'))} and ${ms(med('peers-esm', 'totalMs'))})`);
  console.log(`  ratio: ours (import + first push) / the peers' require() = ${fx(ratio)} (goal ≤1.5x) ${verdict(ratio <= 1.5)}; `
    + `like for like (both + first push): ${fx(oursTotal / med('peers', 'totalMs'))}`);
}

// ---- 3: end to end ---------------------------------------------------------------------------

/**
 * The same load against each framework's bare floor, our adapter on it, and the peer a user
 * would swap out on the same framework (node-webot on Express, co-wechat on Koa), plus our
 * node:http listener with the Redis store; rounds alternate the servers of a framework.
 */
async function e2eSection() {
  const cfg = CONFIG.e2e;
  const GROUPS = [['http', ['bare', 'ours', 'redis']], ['express', ['bare', 'ours', 'peer']], ['koa', ['bare', 'ours', 'peer']]];
  const servers = {};
  const load = startIpcChild('e2e-load.mjs', []);
  let redisServer;
  try {
    const { startRedisServer } = await import('../js-tests/faults/redis-server.mjs');
    redisServer = await startRedisServer();
    const env = { REDIS_URL: `redis://127.0.0.1:${redisServer.port}` };
    for (const [framework, kinds] of GROUPS) {
      for (const kind of kinds) {
        const name = `${framework} ${kind}`;
        servers[name] = startIpcChild('e2e-server.mjs', [framework, kind], env);
        servers[name].port = (await servers[name].next((m) => m.port)).port;
      }
    }
    await load.next((m) => m.ready);
    const sent = {};
    const cpuOf = async (name) => {
      servers[name].child.send('cpu');
      return (await servers[name].next((m) => m.cpuUs !== undefined)).cpuUs;
    };
    const run = async (name, count) => {
      const cpuBefore = await cpuOf(name);
      load.child.send({ run: { port: servers[name].port, count, concurrency: cfg.concurrency, size: cfg.size } });
      const { result } = await load.next((m) => m.result);
      if (result.bad) throw new Error(`${name}: ${result.bad} of ${result.count} answers were not 200 success (first: ${result.firstBad})`);
      sent[name] = (sent[name] ?? 0) + count;
      // The server process's own CPU time per push in this round: what it costs, whichever
      // process (server or load generator) set the pace.
      result.cpuPerPush = (await cpuOf(name) - cpuBefore) / count;
      return result;
    };
    const results = {};
    for (const [framework, kinds] of GROUPS) {
      const names = kinds.map((k) => `${framework} ${k}`);
      for (const name of names) await run(name, cfg.warm);
      for (let r = 0; r < cfg.rounds; r++) {
        const order = r % 2 ? [...names].reverse() : names;
        for (const name of order) (results[name] ??= []).push(await run(name, cfg.count));
      }
    }
    // Every push must have reached the callback and been checked (content ends with its MsgId).
    for (const name of Object.keys(servers)) {
      servers[name].child.send('stats');
      const { stats } = await servers[name].next((m) => m.stats);
      if (stats.bad || stats.ok !== sent[name]) throw new Error(`${name}: the server checked ${stats.ok} messages correct and ${stats.bad} wrong of ${sent[name]} sent`);
    }
    servers['http redis'].child.send('trips');
    const { trips } = await servers['http redis'].next((m) => m.trips !== undefined);
    const summary = (rs) => {
      const all = rs.flatMap((r) => r.latencies).sort((a, b) => a - b);
      return { rps: median(rs.map((r) => r.reqPerSec)), p50: pct(all, 0.5), p99: pct(all, 0.99), cpu: median(rs.map((r) => r.cpuPerPush)) };
    };
    /** The median of the per-round ratios a/b (each round's runs are back to back). */
    const ratio = (a, b) => {
      const per = results[a].map((r, i) => r.reqPerSec / results[b][i].reqPerSec).sort((x, y) => x - y);
      return { value: median(per), min: per[0], max: per[per.length - 1] };
    };
    const push = textPush(cfg.size);
    const body = Buffer.byteLength(encryptedPush(push.xml).body);
    console.log(`\n3. End to end: encrypted ${bytes(Buffer.byteLength(push.xml))} text pushes (${bytes(body)} bodies), a load generator process, `
      + `${cfg.concurrency} in flight on keep-alive connections, 127.0.0.1`);
    console.log(`  ${cfg.rounds} rounds of ${int(cfg.count)} distinct pushes per server, the servers of a framework alternating, after `
      + `${int(cfg.warm)} to warm up; req/s: median of the rounds; latency over all rounds; ratios: median of the per-round ratios`);
    console.log('  bare: the framework reading the body and answering success (no crypto: the floor); ours: the package\'s adapter with');
    console.log('  its defaults (dedup lease in a MemoryStore, replay window); every other answer checked 200 `success`, every message');
    console.log('  checked by the server (content ends with its MsgId); the peers check no replay window and claim nothing;');
    console.log('  server CPU: the server process\'s user + system time per push (median of the rounds): the load generator shares');
    console.log('  the machine, so where it sets the pace (a bare server that idles) req/s understates the server\'s own cost');
    const LABELS = {
      'http bare': 'node:http, bare (floor)', 'http ours': 'node:http + createNodeListener', 'http redis': 'node:http + createNodeListener, redisStore',
      'express bare': 'Express, bare (floor)', 'express ours': 'Express + createExpressMiddleware', 'express peer': `Express + node-webot wechat (v${pkgVersion('wechat')})`,
      'koa bare': 'Koa, bare (floor)', 'koa ours': 'Koa + createKoaMiddleware', 'koa peer': `Koa + co-wechat (v${pkgVersion('co-wechat')})`,
    };
    for (const [framework, kinds] of GROUPS) {
      for (const kind of kinds) {
        const name = `${framework} ${kind}`;
        const a = summary(results[name]);
        console.log(`  ${LABELS[name].padEnd(46)} ${int(a.rps).padStart(7)} req/s   p50 ${ms(a.p50)}   p99 ${ms(a.p99)}   server CPU ${a.cpu.toFixed(1).padStart(5)} µs/push`);
      }
      const extra = summary(results[`${framework} ours`]).cpu - summary(results[`${framework} bare`]).cpu;
      console.log(`    ours costs the server ${extra.toFixed(1)} µs of CPU per push more than the floor (the pipeline alone: part 1, 1 KB)`);
      const floorGoal = framework === 'http' ? 0.7 : 0.75;
      const f = ratio(`${framework} ours`, `${framework} bare`);
      console.log(`    ours / bare ${framework}: ${fx(f.value)} (goal ≥${floorGoal}x) ${verdict(f.value >= floorGoal)}; min-max ${f.min.toFixed(2)}-${f.max.toFixed(2)}`);
      if (kinds.includes('peer')) {
        const peerGoal = framework === 'express' ? 1.8 : 1.0;
        const q = ratio(`${framework} ours`, `${framework} peer`);
        console.log(`    ours / the peer on ${framework}: ${fx(q.value)} (goal ≥${peerGoal}x) ${verdict(q.value >= peerGoal)}; min-max ${q.min.toFixed(2)}-${q.max.toFixed(2)}`);
      }
      if (kinds.includes('redis')) {
        const perPush = trips / sent['http redis'];
        console.log(`    redisStore: ${perPush.toFixed(2)} Redis round trips per push (a lease, then done: 2; 1.00 before leases)`);
      }
    }
  } finally {
    for (const s of Object.values(servers)) s.stop();
    load.stop();
    await redisServer?.stop();
  }
}

function pkgVersion(name) {
  try {
    return JSON.parse(readFileSync(`${ROOT}/node_modules/${name}/package.json`, 'utf8')).version;
  } catch {
    return '?';
  }
}

// ---- processes -------------------------------------------------------------------------------

/** Runs a part to completion in SCRATCH; resolves with the JSON after RESULT_MARKER. */
function runChild(cmd, cmdArgs, { env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, cmdArgs, { cwd: SCRATCH, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      children.delete(child);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      const line = out.split('\n').find((l) => l.startsWith(RESULT_MARKER));
      if (line) {
        const r = JSON.parse(line.slice(RESULT_MARKER.length));
        if (code === 0 || r.error) return resolve(r);
      }
      reject(new Error(`${cmdArgs.find((a) => a.endsWith('.mjs'))} exited ${signal ?? code}: ${(err || out).trim().split('\n').slice(-5).join(' | ')}`));
    });
  });
}

/** A Node child in SCRATCH with an IPC channel; next(pred) waits for a matching message. */
function startIpcChild(file, cmdArgs, env = {}) {
  const child = spawn(process.execPath, [file, ...cmdArgs], { cwd: SCRATCH, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
  children.add(child);
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const queue = [];
  const waiters = [];
  let exited = null;
  const settle = () => {
    for (let i = 0; i < waiters.length; i++) {
      const w = waiters[i];
      const k = queue.findIndex(w.pred);
      if (k >= 0) {
        waiters.splice(i--, 1);
        clearTimeout(w.timer);
        w.resolve(queue.splice(k, 1)[0]);
      } else if (exited) {
        waiters.splice(i--, 1);
        clearTimeout(w.timer);
        w.reject(new Error(`${file} ${cmdArgs.join(' ')} exited ${exited}: ${err.trim().split('\n').slice(-5).join(' | ')}`));
      }
    }
  };
  child.on('message', (m) => {
    queue.push(m);
    settle();
  });
  child.on('exit', (code, signal) => {
    exited = signal ?? String(code);
    children.delete(child);
    settle();
  });
  return {
    child,
    next: (pred) => new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${file}: no answer within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
      waiters.push({ pred, resolve, reject, timer });
      settle();
    }),
    stop: () => {
      if (exited) return;
      try {
        child.send('stop');
      } catch {}
      setTimeout(() => exited || child.kill('SIGKILL'), 2000).unref();
    },
  };
}

// ---- formatting ------------------------------------------------------------------------------

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}
function fx(x) {
  return `${x.toFixed(2)}x`;
}
function us(x) {
  return `${x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0)} µs`.padStart(10);
}
function ms(x) {
  return `${x.toFixed(x < 10 ? 2 : 1)} ms`;
}
function int(x) {
  return Math.round(x).toLocaleString('en-US');
}
function kib(x) {
  return `${(x / 1024).toFixed(1)} KiB`;
}
function bytes(x) {
  return x >= 1024 ? `${(x / 1024).toFixed(1)} KB` : `${x} B`;
}

/** The command line, read by node:util's parseArgs (unknown or malformed arguments end the run). */
function readArgs(argv) {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        smoke: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
        only: { type: 'string' }, tarball: { type: 'string' }, clock: { type: 'string' },
      },
    });
    if (values.help) {
      console.log(`usage: node bench/run.mjs [--only ${PARTS.join(',')}] [--smoke] [--tarball FILE] [--clock wall|cpu]`);
      process.exit(0);
    }
    return values;
  } catch (e) {
    return die(e.message);
  }
}

function die(msg) {
  console.error(`bench: ${msg}`);
  process.exit(1);
}
