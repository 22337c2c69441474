#!/usr/bin/env node
// Runs js-tests/suite.js against the packed npm tarball in every runtime:
// Node ESM, Node CJS, Deno, Bun, workerd and headless Chromium.
//
//   node js-tests/run-all.mjs [--only node-esm,deno] [--tarball dist/x.tgz] [--suite file.js]
//                             [--timeout 120] [--verbose]
//
// It installs the tarball into a scratch project (js-tests/.scratch/), copies the suite, the
// vectors and the runtime entries (js-tests/runners/*.entry.*) into it, and runs one runner
// (js-tests/runners/<runtime>.mjs) per runtime. Each prints `<runtime>: N passed, M failed`;
// the last line is the total `N passed, M failed`. A runtime that crashes, times out or is
// missing counts as one failure. Exit code 0 only when every selected runtime passed.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ROOT, RUNNERS_DIR, withTimeout } from './runners/harness.mjs';

const RUNTIMES = ['node-esm', 'node-cjs', 'deno', 'bun', 'workerd', 'chromium'];

const args = parseArgs(process.argv.slice(2));
const selected = args.only ? args.only.split(',').map((s) => s.trim()).filter(Boolean) : RUNTIMES;
for (const name of selected) {
  if (!RUNTIMES.includes(name)) die(`unknown runtime ${name} (known: ${RUNTIMES.join(', ')})`);
}
const timeoutMs = Number(args.timeout ?? 120) * 1000;
const scratch = join(ROOT, 'js-tests', '.scratch');
const suiteFile = resolve(args.suite ?? join(ROOT, 'js-tests', 'suite.js'));
const vectorsFile = join(ROOT, 'vectors', 'wxbizmsgcrypt.json');

// Every deferred cleanup (servers, child process groups, browsers), run after each runtime
// and, as a last resort, when the harness is interrupted.
let pending = [];
const cleanup = async () => {
  const fns = pending.reverse();
  pending = [];
  for (const fn of fns) {
    try { await fn(); } catch {}
  }
};
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.log(`\n${sig}: stopping`);
    await cleanup();
    process.exit(130);
  });
}

try {
  prepareScratch();
} catch (e) {
  die(`cannot prepare ${scratch}: ${e?.message ?? e}`);
}

const results = [];
for (const name of selected) {
  if (interrupted) break;
  const started = Date.now();
  const ctx = { name, scratch, timeoutMs, verbose: !!args.verbose, defer: (fn) => pending.push(fn) };
  let r;
  try {
    const runner = await import(join(RUNNERS_DIR, `${name}.mjs`));
    // The runners bound each step; this bounds the whole runtime, whatever it does.
    r = await withTimeout(runner.run(ctx), timeoutMs + 5000, name);
    if (runner.expectedEntry && !String(r.entry ?? '').replaceAll('\\', '/').endsWith(`/${runner.expectedEntry}`)) {
      r.failures.push(`resolved 'wechat-kf' to ${r.entry}, expected the package's ${runner.expectedEntry}`);
      r.failed += 1;
    }
    if (r.passed + r.failed === 0) r.failures.push('the suite ran no test'), (r.failed = 1);
  } catch (e) {
    r = { passed: 0, failed: 1, crashed: true, failures: [`did not run: ${args.verbose ? e?.stack ?? e : e?.message ?? e}`], logs: [] };
  } finally {
    await cleanup();
  }
  if (interrupted) break;
  r.name = name;
  if (r.entry) r.entry = String(r.entry).replace(/^file:\/\//, '').replace(scratch + '/', '');
  r.seconds = (Date.now() - started) / 1000;
  results.push(r);
  report(r);
}

console.log('\n=== summary ===');
for (const r of results) {
  const status = r.crashed ? 'DID NOT RUN' : r.failed ? 'FAIL' : 'ok';
  console.log(`${r.name.padEnd(9)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed  ${status.padEnd(11)} ${r.seconds.toFixed(1)} s  ${r.entry ?? ''}`);
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && results.length === selected.length ? 0 : 1);

function report(r) {
  console.log(`${r.name}: ${r.passed} passed, ${r.failed} failed${r.crashed ? ' (did not run)' : ''}`);
  for (const f of r.failures) console.log(`  FAIL ${f.replace(/\n/g, '\n       ')}`);
  if (args.verbose || r.failed) {
    for (const l of r.logs ?? []) console.log(`  log: ${l}`);
    if (args.verbose && r.stderr?.trim()) console.log(`  stderr: ${r.stderr.trim().replace(/\n/g, '\n          ')}`);
  }
}

function prepareScratch() {
  const tarball = resolve(args.tarball ?? newestTarball());
  if (!existsSync(suiteFile)) die(`suite not found: ${suiteFile}`);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  writeFileSync(join(scratch, 'package.json'),
    JSON.stringify({ name: 'wechat-kf-scratch', private: true, type: 'module' }, null, 2) + '\n');
  try {
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball], {
      cwd: scratch, stdio: ['ignore', 'ignore', 'inherit'],
    });
  } catch {
    die(`npm install ${tarball} failed`);
  }
  // The suite becomes scratch/suite.js; the modules beside it (and in folders beside it) are
  // copied too, so its relative imports resolve.
  const suiteDir = dirname(suiteFile);
  const skip = new Set(['.scratch', 'runners', 'node_modules', 'run-all.mjs']);
  const wanted = (src) => !skip.has(basename(src)) && (statSync(src).isDirectory() || /\.(js|mjs|json)$/.test(src));
  for (const f of readdirSync(suiteDir)) {
    if (wanted(join(suiteDir, f))) cpSync(join(suiteDir, f), join(scratch, f), { recursive: true, filter: wanted });
  }
  copyFileSync(suiteFile, join(scratch, 'suite.js'));
  copyFileSync(vectorsFile, join(scratch, 'vectors.json'));
  for (const f of readdirSync(RUNNERS_DIR)) if (f.includes('.entry.')) copyFileSync(join(RUNNERS_DIR, f), join(scratch, f));
  console.log(`package: ${tarball}\nsuite:   ${suiteFile}\nscratch: ${scratch}`);
}

function newestTarball() {
  const dist = join(ROOT, 'dist');
  const tgz = existsSync(dist) ? readdirSync(dist).filter((f) => /^wechat-kf-.*\.tgz$/.test(f)) : [];
  if (!tgz.length) die('no dist/wechat-kf-*.tgz: run `bash scripts/build.sh` first (or pass --tarball)');
  return join(dist, tgz.sort((a, b) => statSync(join(dist, b)).mtimeMs - statSync(join(dist, a)).mtimeMs)[0]);
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--verbose' || a === '-v') out.verbose = true;
    else if (a === '--help' || a === '-h') {
      console.log('usage: node js-tests/run-all.mjs [--only ' + RUNTIMES.join(',') + '] [--tarball FILE] [--suite FILE] [--timeout SECONDS] [--verbose]');
      process.exit(0);
    } else if (/^--(only|tarball|suite|timeout)(=|$)/.test(a)) {
      const [k, v] = a.includes('=') ? [a.slice(2, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a.slice(2), argv[++i]];
      if (v === undefined) die(`${a} needs a value`);
      out[k] = v;
    } else die(`unknown argument ${a}`);
  }
  return out;
}

function die(msg) {
  console.error(`run-all: ${msg}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
