#!/usr/bin/env node
// The shipped stores on their real engines, from the packed tarball:
//   workerd — `wechat-kf/cloudflare`: a worker with a Durable Object namespace (the package's
//             DurableObjectStore, local-disk storage in a temp dir) answering on 127.0.0.1;
//   deno    — `wechat-kf/deno-kv`: Deno.openKv on a KV file in a temp dir (--unstable-kv).
// Each runs the shared conformance suite (conformance.js) and the engine checks
// (engine-checks.js) inside the runtime.
//
//   node js-tests/stores/engines.mjs [--only workerd,deno] [--tarball dist/x.tgz]
//
// Prints `<engine>: N passed, M failed` and the total `N passed, M failed`.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, freePort, resolveBin, runEntryProcess, startProcess, withTimeout } from '../runners/harness.mjs';
import { bundleWorker, prepareScratch, workerdConfig } from '../runners/scratch.mjs';

const ENGINES = ['workerd', 'deno'];
const only = (() => {
  const i = process.argv.indexOf('--only');
  return i > 0 ? process.argv[i + 1].split(',') : ENGINES;
})();
const tarballArg = (() => {
  const i = process.argv.indexOf('--tarball');
  return i > 0 ? process.argv[i + 1] : undefined;
})();

const scratch = join(ROOT, 'js-tests', '.scratch-stores');
let pending = [];
const ctx = { scratch, timeoutMs: 180_000, defer: (fn) => pending.push(fn) };
const cleanup = async () => { for (const fn of pending.reverse()) { try { await fn(); } catch {} } pending = []; };
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, async () => { await cleanup(); process.exit(130); });

prepareScratch(scratch, tarballArg);
for (const f of ['conformance.js', 'engine-checks.js', 'workerd-do.entry.mjs', 'deno-kv.entry.mjs', 'deno-kv-locker.mjs']) {
  cpSync(join(ROOT, 'js-tests', 'stores', f), join(scratch, f));
}
cpSync(join(ROOT, 'js-tests', 'check.js'), join(scratch, 'check.js'));

let passed = 0;
let failed = 0;
for (const engine of only) {
  let r;
  const temp = mkdtempSync(join(tmpdir(), `wechat-kf-${engine}-`));
  try {
    r = await withTimeout(engine === 'workerd' ? runWorkerd(temp) : runDeno(temp), ctx.timeoutMs, engine);
  } catch (e) {
    r = { passed: 0, failed: 1, failures: [`did not run: ${e?.stack ?? e}`] };
  } finally {
    await cleanup();
    rmSync(temp, { recursive: true, force: true });
  }
  if (r.passed + r.failed === 0) r.failed = 1, r.failures.push('no check ran');
  console.log(`${engine}: ${r.passed} passed, ${r.failed} failed`);
  for (const f of r.failures) console.log(`  FAIL ${f.replace(/\n/g, '\n       ')}`);
  passed += r.passed;
  failed += r.failed;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

async function runWorkerd(temp) {
  const dir = join(temp, 'worker');
  mkdirSync(dir);
  const modules = await bundleWorker(scratch, 'workerd-do.entry.mjs', dir);
  const port = await freePort();
  writeFileSync(join(dir, 'config.capnp'), workerdConfig({
    modules,
    storageDir: join(temp, 'do-storage'),
    instances: [{ name: 'main', port, storeBinding: 'STORE' }],
  }));
  const proc = startProcess(ctx, resolveBin('workerd'), ['serve', 'config.capnp'], { cwd: dir });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitUp(`${base}/health`, proc);
    const res = await fetch(`${base}/run`);
    const text = await res.text();
    try { return JSON.parse(text); } catch { throw new Error(`GET /run: HTTP ${res.status}: ${text.slice(0, 2000)}`); }
  } catch (e) {
    const { stdout, stderr } = proc.output();
    e.message += `\n--- workerd ---\n${(stdout + stderr).slice(-3000)}`;
    throw e;
  }
}

function runDeno(temp) {
  return runEntryProcess(ctx, resolveBin('deno'), [
    // --allow-run: the entry starts a second Deno that write-locks the KV file (deno-kv-locker.mjs).
    'run', '--unstable-kv', '--allow-read', `--allow-write=${temp}`, `--allow-run=${resolveBin('deno')}`, '--node-modules-dir=manual', '--no-lock',
    'deno-kv.entry.mjs', join(temp, 'kv.sqlite3'),
  ], { env: { DENO_DIR: join(scratch, '.deno'), DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' } });
}

async function waitUp(url, proc) {
  let exited = false;
  proc.exited.then(() => (exited = true));
  for (let i = 0; i < 600; i++) {
    if (exited) throw new Error('workerd exited before serving');
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}
