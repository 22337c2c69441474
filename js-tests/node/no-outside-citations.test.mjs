// Source comments cite docs/protocol.md, never a document outside the repository (issue 11):
// the reference texts beside the checkout (DESIGN.md, protocol-notes.md, the guide texts) are not
// shipped, so a citation of them points at nothing. Also: every `docs/protocol.md#anchor` cited
// anywhere in the sources names a heading that exists in docs/protocol.md.
// Scans the files git knows (tracked, plus untracked ones not ignored). node --test js-tests/node/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const self = relative(root, fileURLToPath(import.meta.url));

const SCANNED = ['src/', 'pkg-template/', 'examples/', 'js-tests/', 'tests/', 'scripts/', 'fuzz/', 'bench/', '.ci/', 'docs/'];
const SCANNED_FILES = ['README.md', 'Cargo.toml', 'package.json'];

/** Names of documents that live outside the repository. */
const OUTSIDE = [
  'DESIGN.md',
  'TOOLCHAIN.md',
  'protocol-notes',
  '../shared',
  '/work/shared',
  'miniprogram-kf-guide',
  'miniprogram-kf-send-api',
  'miniprogram-kf-walkthrough',
  'dialogue-platform-sendmsg',
];

/** The one legitimate use: the vectors-equality test compares vectors/ with the shared original
 *  (tests/vectors.rs), docs/testing.md (where the README's test facts moved) says so, and
 *  scripts/mutants.sh links it beside the copy of the tree it mutates so that test can run there. */
const ALLOWED = {
  'tests/vectors.rs': ['../shared/vectors/'],
  'docs/testing.md': ['../shared/vectors/'],
  'scripts/mutants.sh': ['../shared/vectors/', '../shared'],
};

function sourceFiles() {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
  return [...new Set(out.split('\0'))]
    .filter((f) => f && f !== self)
    .filter((f) => SCANNED_FILES.includes(f) || SCANNED.some((d) => f.startsWith(d)))
    .filter((f) => !/(^|\/)(node_modules|target|pkg|dist)\//.test(f) && !f.startsWith('js-tests/.scratch'));
}

function read(file) {
  let buf;
  try {
    buf = readFileSync(join(root, file));
  } catch {
    return null; // deleted in the worktree but still in the index
  }
  return buf.includes(0) ? null : buf.toString('utf8');
}

/** `file:line: text` for every line citing an outside document. */
export function outsideCitations(file, text) {
  const hits = [];
  text.split('\n').forEach((line, i) => {
    let rest = line;
    for (const ok of ALLOWED[file] ?? []) rest = rest.split(ok).join('');
    if (OUTSIDE.some((name) => rest.includes(name))) hits.push(`${file}:${i + 1}: ${line.trim()}`);
  });
  return hits;
}

/** GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to hyphens. */
function slug(heading) {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

test('the scanner flags an outside citation and lets the vectors test through', () => {
  assert.equal(outsideCitations('src/x.rs', '//! Rules (protocol-notes.md): 5 in 48 h').length, 1);
  assert.equal(outsideCitations('src/x.rs', '// see ../shared/vectors/wxbizmsgcrypt.json').length, 1);
  assert.equal(outsideCitations('tests/vectors.rs', 'read(root.join("../shared/vectors/x.json"))').length, 0);
  assert.equal(outsideCitations('tests/vectors.rs', '// DESIGN.md says').length, 1);
  assert.equal(outsideCitations('src/x.rs', '//! Rules (docs/protocol.md#send-window)').length, 0);
});

test('no source file cites a document outside the repository', () => {
  const files = sourceFiles();
  assert.ok(files.some((f) => f.startsWith('src/')), 'git ls-files found no sources');
  const hits = files.flatMap((f) => {
    const text = read(f);
    return text === null ? [] : outsideCitations(f, text);
  });
  assert.deepEqual(hits, [], 'cite a section of docs/protocol.md instead (put the fact there in your own words):\n' + hits.join('\n'));
});

test('every docs/protocol.md#anchor cited in the sources is a heading of docs/protocol.md', () => {
  const doc = readFileSync(join(root, 'docs/protocol.md'), 'utf8');
  const anchors = new Set(doc.split('\n').filter((l) => /^#{1,6}\s/.test(l)).map((l) => slug(l.replace(/^#+/, ''))));
  assert.ok(anchors.has('send-window'), 'docs/protocol.md has no "Send window" section');
  const cited = [];
  for (const f of sourceFiles()) {
    const text = read(f);
    if (text === null) continue;
    for (const m of text.matchAll(/docs\/protocol\.md#([\p{L}\p{N}_-]+)/gu)) cited.push([f, m[1]]);
  }
  assert.ok(cited.length >= 5, `expected the sources to cite docs/protocol.md sections, found ${cited.length}`);
  const missing = cited.filter(([, a]) => !anchors.has(a)).map(([f, a]) => `${f}: #${a}`);
  assert.deepEqual(missing, [], 'no such heading in docs/protocol.md:\n' + missing.join('\n'));
});
