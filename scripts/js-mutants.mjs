#!/usr/bin/env node
// A small mutation tester for the JS layer (no dependency; StrykerJS needs its own downloads
// and a build of the wasm per run). For each target file of the package's source tree
// (target/pkg-src, the unbundled package that `bash scripts/build.sh` bundles into pkg/) it makes
// one small change at a time (a comparison, a boolean operator, a literal, a negation, a deleted
// statement), runs the JS tests against that tree (WECHAT_KF_PKG), and records whether a test
// failed (killed) or all passed (survived). The file is restored after every mutant, and on
// Ctrl-C.
//
//   node scripts/js-mutants.mjs [--file push-handler.js]... [--timeout 120] [--list]
//
// Tests run per mutant: the runtime-agnostic suite (js-tests/suite.js) in Node against
// target/pkg-src/loaders/node.js, then the Node tests that load the package directly (NODE_TESTS
// below).
// Prints each survivor (`file:line  change in function  | source line`, the change numbered
// ` #2` when the same change comes twice on one line; the key of scripts/mutants-equivalent.txt)
// and the closing line `N killed, M survived`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PKG = join(ROOT, 'target', 'pkg-src');
const DEFAULT_FILES = ['inbound/push-handler.js', 'inbound/dedup.js', 'stores/memory.js', 'loaders/node-host-crypto.js', 'inbound/receiver.js'];
const NODE_TESTS = ['js-tests/node/receiver-limits.test.mjs', 'js-tests/node/crypto-crosscheck.test.mjs', 'js-tests/node/handler-edges.test.mjs', 'js-tests/node/dedup-claims.test.mjs', 'js-tests/node/memory-store.test.mjs', 'js-tests/node/handler-adapters.test.mjs'];

// --suite-only: run js-tests/suite.js in this process against the tree's loaders/node.js (one mutant's run).
if (process.argv.includes('--suite-only')) {
  const lib = await import(pathToFileURL(join(PKG, 'loaders', 'node.js')).href);
  const { runSuite } = await import(pathToFileURL(join(ROOT, 'js-tests', 'suite.js')).href);
  const vectors = JSON.parse(readFileSync(join(ROOT, 'vectors', 'wxbizmsgcrypt.json'), 'utf8'));
  const r = await runSuite(lib, { vectors });
  console.log(`${r.passed} passed, ${r.failed} failed`);
  for (const f of r.failures.slice(0, 3)) console.log(`  FAIL ${f}`);
  process.exit(r.failed === 0 && r.passed > 0 ? 0 : 1);
}

const args = parseArgs(process.argv.slice(2));
const files = args.file.length ? args.file : DEFAULT_FILES;
const timeoutMs = Number(args.timeout ?? 120) * 1000;

/** [regex, replacement, description]; each match is one mutant. */
const OPERATORS = [
  [/!==/g, '===', '!== -> ==='],
  [/===/g, '!==', '=== -> !=='],
  [/ >= /g, ' > ', '>= -> >'],
  [/ <= /g, ' < ', '<= -> <'],
  [/ > /g, ' >= ', '> -> >='],
  [/ < /g, ' <= ', '< -> <='],
  [/&&/g, '||', '&& -> ||'],
  [/\|\|/g, '&&', '|| -> &&'],
  [/\btrue\b/g, 'false', 'true -> false'],
  [/\bfalse\b/g, 'true', 'false -> true'],
  [/(?<=[\s(])!(?=[\w(#.])/g, '', 'drop !'],
  [/ \+ 1\b/g, ' - 1', '+ 1 -> - 1'],
  [/ - 1\b/g, ' + 1', '- 1 -> + 1'],
  [/\b(\d{2,})\b/g, (m) => String(Number(m) + 1), (m) => `literal ${m} -> ${Number(m) + 1}`],
];

/** Lines that are a whole expression statement (a call or an assignment), to delete. */
const STATEMENT = /^\s*(?:await\s+)?(?:this\.|[A-Za-z_$][\w$]*(?:\.|\[|\(| [-+*|&]?= ))[^;]*;\s*$/;

/** A line that starts a function, method or arrow function bound to a name: its name. */
const FUNCTION_START = [
  /^\s*(?:export\s+)?(?:default\s+)?(?:async\s+)?function\s*\*?\s*([\w$]+)\s*\(/,
  /^\s*(?:export\s+)?(?:const|let|var)\s+([\w$]+)\s*=\s*(?:async\s*)?(?:function\b|\([^)]*\)\s*=>|[\w$]+\s*=>)/,
  /^\s*(?:static\s+)?(?:async\s+)?(?:get\s+|set\s+)?(#?[\w$]+)\s*\([^)]*\)\s*\{\s*$/,
  /^\s*(?:export\s+)?class\s+([\w$]+)/,
];
const NOT_A_NAME = new Set(['if', 'for', 'while', 'switch', 'catch', 'function', 'return']);

function mutantsOf(source) {
  const lines = source.split('\n');
  const out = [];
  // The function each line is in (by the last start of one at no deeper indentation): part of
  // a mutant's description, so that equal lines in two functions are told apart.
  const scopes = [];
  lines.forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, '');
    if (/^\s*(\*|\/\*|\/\/)/.test(line) || !code.trim()) return;
    const indent = line.length - line.trimStart().length;
    while (scopes.length && scopes[scopes.length - 1].indent >= indent) scopes.pop();
    const fn = scopes.length ? ` in ${scopes.map((x) => x.name).join('.')}` : '';
    for (const re of FUNCTION_START) {
      const name = re.exec(code)?.[1];
      if (name && !NOT_A_NAME.has(name)) {
        scopes.push({ indent, name });
        break;
      }
    }
    if (/^\s*import\b|^\s*export\s*\{/.test(line)) return;
    const seen = new Map(); // a description met again on this line gets ` #2`, ` #3`, ...
    for (const [re, rep, describe] of OPERATORS) {
      for (const m of code.matchAll(re)) {
        // Skip matches inside string literals (a crude but adequate check for these files).
        const before = code.slice(0, m.index);
        if ((before.match(/'/g) ?? []).length % 2 === 1 || (before.match(/`/g) ?? []).length % 2 === 1) continue;
        const replacement = typeof rep === 'function' ? rep(m[0]) : rep;
        const mutated = code.slice(0, m.index) + replacement + code.slice(m.index + m[0].length);
        const base = typeof describe === 'function' ? describe(m[0]) : describe;
        const n = (seen.get(base) ?? 0) + 1;
        seen.set(base, n);
        out.push({ line: i + 1, what: `${n === 1 ? base : `${base} #${n}`}${fn}`, text: mutated });
      }
    }
    if (STATEMENT.test(code) && !/^\s*(const|let|var|return|throw)\b/.test(code)) {
      out.push({ line: i + 1, what: `delete statement${fn}`, text: code.replace(/\S.*$/, '/* deleted */') });
    }
  });
  return out.map((m) => {
    const copy = lines.slice();
    copy[m.line - 1] = m.text;
    return { ...m, source: copy.join('\n'), original: lines[m.line - 1].trim() };
  });
}

function runTests() {
  const env = { ...process.env, WECHAT_KF_PKG: pathToFileURL(join(PKG, 'loaders', 'node.js')).href };
  const steps = [
    [process.execPath, [fileURLToPath(import.meta.url), '--suite-only']],
    [process.execPath, ['--test', ...NODE_TESTS.filter((f) => existsSync(join(ROOT, f)))]],
  ];
  for (const [cmd, argv] of steps) {
    const r = spawnSync(cmd, argv, { cwd: ROOT, env, timeout: timeoutMs, encoding: 'utf8' });
    if (r.error?.code === 'ETIMEDOUT' || r.signal) return 'timeout';
    if (r.status !== 0) return 'killed';
  }
  return 'survived';
}

if (!args.list && !existsSync(join(PKG, 'loaders', 'node.js'))) die('no target/pkg-src/loaders/node.js: run `bash scripts/build.sh` first');
let current = null; // { path, original } while a mutant is in place
const restore = () => { if (current) writeFileSync(current.path, current.original), (current = null); };
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { restore(); process.exit(130); });
process.on('exit', restore);

const started = Date.now();
if (!args.list && runTests() !== 'survived') die('the tests fail on the unmutated package: fix them first');
const totals = { killed: 0, survived: 0, timeout: 0, unviable: 0 };
const survivors = [];
for (const file of files) {
  const path = join(args.list ? join(ROOT, 'pkg-template') : PKG, file);
  if (!existsSync(path)) die(`target/pkg-src/${file} not found`);
  const original = readFileSync(path, 'utf8');
  // A run killed outright (SIGKILL) cannot restore its mutant: refuse to start from one.
  if (!args.list && original !== readFileSync(join(ROOT, 'pkg-template', file), 'utf8')) {
    die(`target/pkg-src/${file} differs from pkg-template/${file} (a mutant left by a killed run?): run bash scripts/build.sh`);
  }
  const mutants = mutantsOf(original);
  const counts = { killed: 0, survived: 0, timeout: 0, unviable: 0 };
  const t0 = Date.now();
  for (const m of mutants) {
    if (args.list) { console.log(`${file}:${m.line}  ${m.what}  | ${m.original}`); continue; }
    current = { path, original };
    writeFileSync(path, m.source);
    const check = spawnSync(process.execPath, ['--check', path], { encoding: 'utf8' });
    const outcome = check.status !== 0 ? 'unviable' : runTests();
    restore();
    counts[outcome]++;
    if (outcome === 'survived') {
      survivors.push(`${file}:${m.line}  ${m.what}  | ${m.original}`);
      console.log(`SURVIVED ${file}:${m.line}  ${m.what}  | ${m.original}`);
    }
  }
  if (args.list) continue;
  for (const k of Object.keys(totals)) totals[k] += counts[k];
  console.log(`${file}: ${mutants.length} mutants: ${counts.killed} killed, ${counts.timeout} timed out, ${counts.unviable} unviable, ${counts.survived} survived (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}
if (!args.list) {
  console.log(`\njs mutants: ${survivors.length ? survivors.length + ' survivors:\n  ' + survivors.join('\n  ') : 'no survivor'}`);
  console.log(`time: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(`${totals.killed + totals.timeout} killed, ${totals.survived} survived`);
  process.exit(totals.survived === 0 ? 0 : 1);
}

function parseArgs(argv) {
  const out = { file: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--list') out.list = true;
    else if (a === '--file') out.file.push(argv[++i]);
    else if (a === '--timeout') out.timeout = argv[++i];
    else if (a === '--help' || a === '-h') {
      console.log('usage: node scripts/js-mutants.mjs [--file NAME]... [--timeout SECONDS] [--list]');
      process.exit(0);
    } else die(`unknown argument ${a}`);
  }
  return out;
}

function die(msg) {
  console.error(`js-mutants: ${msg}`);
  process.exit(2);
}
