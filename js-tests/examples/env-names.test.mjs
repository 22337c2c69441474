// Every environment variable an example reads is a documented name (issue 25: the Cloud Hosting
// example read WECHAT_API_BASE while the README said WECHAT_KF_API_BASE, and a reader who
// followed the README got -42004 three times): each name read by examples/** is in the table of
// examples/README.md, and no example reads one of the names the README says are not read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const LEGACY = ['WECHAT_TOKEN', 'WECHAT_ENCODING_AES_KEY', 'WECHAT_APPID', 'WECHAT_APPSECRET', 'WECHAT_API_BASE'];
/** Read by the repository's own demo and tests, not by a user's run of an example. */
const INTERNAL = new Set(['WECHAT_KF_PKG']);

function sources(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (/\.(mjs|cjs|js|ts)$|^wrangler\.toml$|^Dockerfile$/.test(name)) out.push(path);
  }
  return out;
}

test('every variable an example reads is documented in examples/README.md; no legacy name is read', () => {
  const table = readFileSync(join(EXAMPLES, 'README.md'), 'utf8');
  const documented = new Set([...table.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]));
  const read = new Map();
  for (const file of sources(EXAMPLES)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\b(?:env|process\.env|Deno\.env\.get\(['"])\.?([A-Z][A-Z0-9_]+)/g)) {
      if (!read.has(m[1])) read.set(m[1], file.slice(EXAMPLES.length));
    }
    for (const legacy of LEGACY) {
      assert.ok(!new RegExp(`\\b${legacy}\\b`).test(text), `${file.slice(EXAMPLES.length)} names ${legacy}, which the README says is not read`);
    }
  }
  assert.ok(read.has('WECHAT_KF_API_BASE') && read.has('WECHAT_KF_TOKEN'), `the scan found the examples' names: ${[...read.keys()]}`);
  const undocumented = [...read].filter(([name]) => !documented.has(name) && !INTERNAL.has(name));
  assert.deepEqual(undocumented, [], 'names read by an example but not in the table of examples/README.md');
  assert.match(readFileSync(join(EXAMPLES, 'cloud-hosting/server.mjs'), 'utf8'), /env\.WECHAT_KF_API_BASE/);
});
