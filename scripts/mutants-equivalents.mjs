#!/usr/bin/env node
// The documented equivalent mutants (scripts/mutants-equivalent.txt), keyed so that an entry
// survives edits elsewhere in its file, and checked against a fresh list of mutants so that an
// entry whose mutant no longer exists fails (a stale entry explains nothing and could hide a
// survivor). Used by scripts/mutants.sh.
//
//   node scripts/mutants-equivalents.mjs check [--rust LIST [--src TREE]] [--js LIST]
//       LIST: `cargo mutants --list` output (`src/f.rs:LINE:COL: description`, of the sources
//       under TREE, default .) or
//       `node scripts/js-mutants.mjs --list` output (`file:LINE  change  | source line`).
//       Fails (exit 1) on an entry whose key is in that list fewer or more times than it says.
//   node scripts/mutants-equivalents.mjs classify [--rust MISSED [--src TREE]] [--js SURVIVORS]
//       MISSED: cargo-mutants' missed.txt; SURVIVORS: the `SURVIVED ...` lines of js-mutants.
//       Prints each as `equivalent` or `MISSED`; exit 1 when one is not in the file.
//
// The file: `#` comments, then blocks of one or more key lines and the reason, indented:
//
//   src/json.rs: replace + with * in push_json_string | out.reserve(text.len() ‸+ 2);
//     only the capacity reserved up front changes (a hint): the same bytes are written.
//
// A key is the file, the change and the source line the change is on, trimmed (not its number,
// which edits elsewhere move): for Rust, cargo-mutants' name of the mutant without its line and
// column (the change and the function it is in), and the line with a caret (‸, U+2038) where
// the change is; for JS, js-mutants' description (the change, numbered ` #2` when met twice on
// one line, and the function it is in) under pkg-template/. An edit of the line itself makes the entry
// stale, to be re-checked. `(xN)`: the key names N mutants (the same change twice on one line,
// or on two lines of the same text in one function; default 1), and the fresh list must have
// exactly N, so that a new mutant of the same key is not covered unseen.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FILE = join(dirname(fileURLToPath(import.meta.url)), 'mutants-equivalent.txt');

/** A Rust mutant's key from `src/f.rs:12:5: replace ...` and the source under `root`, or null. */
export function rustKey(line, root = '.') {
  const m = /^([^\s:]+\.rs):(\d+):(\d+): (.+)$/.exec(line.trim());
  if (!m) return null;
  const source = sourceLines(join(root, m[1]))[Number(m[2]) - 1];
  if (source === undefined) throw new Error(`${m[1]} has no line ${m[2]} (under ${root})`);
  // The line with a caret where the change is (columns count characters from 1).
  const chars = Array.from(source);
  chars.splice(Number(m[3]) - 1, 0, CARET);
  return `${m[1]}: ${m[4]} | ${chars.join('').trim()}`;
}

const CARET = '\u2038'; // ‸
const cache = new Map();
function sourceLines(path) {
  if (!cache.has(path)) cache.set(path, readFileSync(path, 'utf8').split('\n'));
  return cache.get(path);
}

/** A JS mutant's key from `[SURVIVED ]inbound/x.js:28  change  | source`, or null. */
export function jsKey(line) {
  const m = /^(?:SURVIVED )?(\S+?\.m?js):\d+ {2}(.+?) {2}\| (.*)$/.exec(line.trim());
  return m ? `pkg-template/${m[1]}: ${m[2]} | ${m[3].trim()}` : null;
}

/** The entries: { key, count, reason, at } (at: the line in the file). */
export function readEntries(path = FILE) {
  const entries = [];
  let block = []; // the key lines before the reason being read
  let inReason = false;
  readFileSync(path, 'utf8').split('\n').forEach((text, i) => {
    if (/^\s*#/.test(text) || text.trim() === '') return;
    if (/^\s/.test(text)) {
      if (block.length === 0) throw new Error(`${path}:${i + 1}: a reason without a key`);
      for (const e of block) e.reason += (e.reason ? ' ' : '') + text.trim();
      inReason = true;
      return;
    }
    if (inReason) (block = []), (inReason = false);
    const m = /^(.+?)(?: \(x(\d+)\))?$/.exec(text.trimEnd());
    const entry = { key: m[1], count: m[2] ? Number(m[2]) : 1, reason: '', at: i + 1 };
    block.push(entry);
    entries.push(entry);
  });
  for (const e of entries) if (!e.reason) throw new Error(`${path}:${e.at}: ${e.key}: no reason given (an indented line after it)`);
  const seen = new Map();
  for (const e of entries) {
    if (seen.has(e.key)) throw new Error(`${path}:${e.at}: ${e.key}: listed again (line ${seen.get(e.key)}); give one entry a count (xN)`);
    seen.set(e.key, e.at);
  }
  return entries;
}

function countKeys(lines, keyOf) {
  const counts = new Map();
  for (const line of lines) {
    const key = keyOf(line);
    if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

const lines = (path) => readFileSync(path, 'utf8').split('\n').filter((l) => l.trim());
const isRust = (key) => key.startsWith('src/');
const isJs = (key) => key.startsWith('pkg-template/');

function main(argv) {
  const [command, ...rest] = argv;
  const opts = {};
  for (let i = 0; i < rest.length; i += 2) {
    if (!['--rust', '--js', '--file', '--src'].includes(rest[i])) usage();
    opts[rest[i].slice(2)] = rest[i + 1];
  }
  const entries = readEntries(opts.file ?? FILE);
  for (const e of entries) {
    if (!isRust(e.key) && !isJs(e.key)) {
      console.error(`mutants-equivalent.txt:${e.at}: neither src/ nor pkg-template/: ${e.key}`);
      return 1;
    }
  }
  if (command === 'check') {
    let stale = 0;
    const rust = (line) => rustKey(line, opts.src ?? '.');
    for (const [kind, test, keyOf] of [['rust', isRust, rust], ['js', isJs, jsKey]]) {
      if (!opts[kind]) continue;
      const counts = countKeys(lines(opts[kind]), keyOf);
      for (const e of entries.filter((x) => test(x.key))) {
        const n = counts.get(e.key) ?? 0;
        if (n !== e.count) {
          stale++;
          console.log(`STALE mutants-equivalent.txt:${e.at}: ${e.key}: ${n === 0 ? 'no such mutant any more' : `${n} mutants of this name, the entry says ${e.count}`}`);
        }
      }
      const listed = entries.filter((x) => test(x.key)).length;
      console.log(`${kind}: ${listed} equivalent entries checked against ${[...counts.values()].reduce((a, b) => a + b, 0)} mutants`);
    }
    if (stale) console.log(`${stale} stale entries in scripts/mutants-equivalent.txt: re-check them against the code`);
    return stale ? 1 : 0;
  }
  if (command === 'classify') {
    const known = new Set(entries.map((e) => e.key));
    let unexplained = 0;
    let equivalent = 0;
    const rust = (line) => rustKey(line, opts.src ?? '.');
    for (const [kind, keyOf] of [['rust', rust], ['js', jsKey]]) {
      if (!opts[kind]) continue;
      for (const line of lines(opts[kind])) {
        const key = keyOf(line);
        if (!key) continue;
        if (known.has(key)) {
          equivalent++;
          console.log(`  equivalent: ${line.replace(/^SURVIVED /, '')}`);
        } else {
          unexplained++;
          console.log(`  MISSED: ${line.replace(/^SURVIVED /, '')}\n    key: ${key}`);
        }
      }
    }
    console.log(`${equivalent} equivalent (documented), ${unexplained} unexplained`);
    return unexplained ? 1 : 0;
  }
  usage();
}

function usage() {
  console.error('usage: node scripts/mutants-equivalents.mjs check|classify [--rust FILE [--src TREE]] [--js FILE] [--file EQUIVALENTS]');
  process.exit(2);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exit(main(process.argv.slice(2)));
