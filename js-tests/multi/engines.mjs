#!/usr/bin/env node
// The multi-instance properties (properties.mjs) on the shared-state engines of workerd and
// Deno, from the packed tarball, against the API emulator on 127.0.0.1:
//   workerd — 4 worker services (4 isolates) in one workerd, each on its own 127.0.0.1 port,
//             all bound to one Durable Object namespace (DurableObjectStore, local-disk storage
//             in a temp dir);
//   deno    — 4 Deno processes sharing one Deno KV file in a temp dir (--unstable-kv).
//
//   node js-tests/multi/engines.mjs [--only workerd,deno] [--tarball dist/x.tgz]
//
// Prints the figures and `N passed, M failed`; every process it starts is stopped at the end.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, freePort, resolveBin, startProcess, withTimeout } from '../runners/harness.mjs';
import { bundleWorker, prepareScratch, workerdConfig } from '../runners/scratch.mjs';
import { makeChecker } from '../check.js';
import { checkProperties } from './properties.mjs';

const ENGINES = ['workerd', 'deno'];
const INSTANCES = 4;
const TOKEN = 'multi-token-secret';
const KEY = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const arg = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const only = arg('only')?.split(',') ?? ENGINES;

const scratch = join(ROOT, 'js-tests', '.scratch-multi');
let pending = [];
const ctx = { scratch, defer: (fn) => pending.push(fn) };
const cleanup = async () => { for (const fn of pending.reverse()) { try { await fn(); } catch {} } pending = []; };
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, async () => { await cleanup(); process.exit(130); });

prepareScratch(scratch, arg('tarball'));
for (const f of ['instance-app.js', 'workerd.entry.mjs', 'deno.entry.mjs']) cpSync(join(ROOT, 'js-tests', 'multi', f), join(scratch, f));
const lib = await import(join(scratch, 'node_modules', 'wechat-kf', 'loaders', 'node.js'));
const { start: startEmulator, DEFAULTS } = await import(join(scratch, 'node_modules', 'wechat-kf', 'devtools', 'emulator', 'server.js'));

let passed = 0;
let failed = 0;
for (const engine of only) {
  const check = makeChecker();
  const temp = mkdtempSync(join(tmpdir(), `wechat-kf-multi-${engine}-`));
  const emulator = await startEmulator({ port: 0, lib });
  try {
    const env = {
      WECHAT_KF_TOKEN: TOKEN, WECHAT_KF_AES_KEY: KEY, WECHAT_KF_APP_ID: DEFAULTS.appId, WECHAT_KF_APP_SECRET: DEFAULTS.appSecret,
      WECHAT_KF_API_BASE: emulator.url, PREFIX: `multi-${Date.now()}:`,
    };
    const instances = await withTimeout(engine === 'workerd' ? startWorkerd(temp, env) : startDeno(temp, env), 120_000, `${engine} start`);
    console.log(`${engine}: ${instances.length} instances on one shared store`);
    await withTimeout(checkProperties({
      label: engine, instances, emulatorUrl: emulator.url, lib, token: TOKEN, encodingAESKey: KEY, appId: DEFAULTS.appId,
    }, check), 600_000, `${engine} properties`);
  } catch (e) {
    check.check(`${engine} ran`, () => { throw e; });
  } finally {
    await cleanup();
    await emulator.close();
    rmSync(temp, { recursive: true, force: true });
  }
  const r = check.result();
  console.log(`${engine}: ${r.passed} passed, ${r.failed} failed`);
  for (const f of r.failures) console.log(`  FAIL ${f.replace(/\n/g, '\n       ')}`);
  passed += r.passed;
  failed += r.failed;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

async function startWorkerd(temp, env) {
  const dir = join(temp, 'worker');
  mkdirSync(dir);
  const modules = await bundleWorker(scratch, 'workerd.entry.mjs', dir);
  const ports = await Promise.all(Array.from({ length: INSTANCES }, () => freePort()));
  writeFileSync(join(dir, 'config.capnp'), workerdConfig({
    modules,
    storageDir: join(temp, 'do-storage'),
    instances: ports.map((port, i) => ({ name: `instance${i}`, port, storeBinding: 'STORE', vars: env })),
  }));
  const proc = startProcess(ctx, resolveBin('workerd'), ['serve', 'config.capnp'], { cwd: dir });
  const bases = ports.map((p) => `http://127.0.0.1:${p}`);
  for (const base of bases) await waitUp(base, proc, 'workerd');
  return bases;
}

async function startDeno(temp, env) {
  const kvPath = join(temp, 'kv.sqlite3');
  const bases = [];
  const procs = [];
  for (let i = 0; i < INSTANCES; i++) {
    const port = await freePort();
    procs.push(startProcess(ctx, resolveBin('deno'), [
      'run', '--unstable-kv', '--allow-net=127.0.0.1', '--allow-env', '--allow-read', `--allow-write=${temp}`,
      '--node-modules-dir=manual', '--no-lock', 'deno.entry.mjs',
    ], { env: { ...env, PORT: String(port), WECHAT_KF_KV_PATH: kvPath, DENO_DIR: join(scratch, '.deno'), DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' } }));
    bases.push(`http://127.0.0.1:${port}`);
  }
  for (let i = 0; i < INSTANCES; i++) await waitUp(bases[i], procs[i], `deno ${i}`);
  return bases;
}

async function waitUp(base, proc, what) {
  let exited = false;
  proc.exited.then(() => (exited = true));
  for (let i = 0; i < 1200; i++) {
    if (exited) {
      const { stdout, stderr } = proc.output();
      throw new Error(`${what} exited before serving\n${(stdout + stderr).slice(-3000)}`);
    }
    try {
      if ((await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not come up`);
}
