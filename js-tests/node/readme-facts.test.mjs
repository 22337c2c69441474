// The README agrees with the package (issue 11): every "Node N" it, a docs/ page (or a shipped
// comment) names is at least the `engines` minimum, the tarball-install steps name the file
// build.sh packs, and the naming clash with WeCom's 微信客服 is stated. And the README reads as a
// user reads it (issue 25): the quick start's code within the first screen, under 400 lines, no
// path of a build machine, and every relative link of README.md and docs/*.md resolves (to a file,
// and to a heading when it names one). node --test js-tests/node/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = new URL('../../', import.meta.url);
const read = (path) => readFileSync(new URL(path, root), 'utf8');
const pkg = JSON.parse(read('pkg-template/package.json'));
/** The docs/ pages the README links to. */
const docs = readdirSync(new URL('docs/', root)).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);

/** [major, minor] of "20.19" / "20". */
const version = (text) => text.split('.').map(Number).concat(0).slice(0, 2);
const atLeast = ([a, b], [c, d]) => a > c || (a === c && b >= d);

test('every Node version named in the README and the shipped sources meets engines', () => {
  const floor = /^>=\s*(\d+(?:\.\d+)?)$/.exec(pkg.engines.node);
  assert.ok(floor, `engines.node is ${pkg.engines.node}`);
  const min = version(floor[1]);
  const files = ['README.md', 'examples/README.md', ...docs,
    ...readdirSync(new URL('pkg-template/', root), { recursive: true }).filter((f) => /\.(js|ts)$/.test(f)).map((f) => `pkg-template/${f}`)];
  const seen = [];
  for (const file of files) {
    for (const m of read(file).matchAll(/\bNode(?:\.js)?\s*(?:\(?\s*>=\s*)?(\d+(?:\.\d+)?)\+?/g)) {
      seen.push(m[0]);
      assert.ok(atLeast(version(m[1]), min), `${file}: "${m[0]}" is below engines ${pkg.engines.node}`);
    }
  }
  assert.ok(seen.some((s) => s.includes(floor[1])), 'the README names the engines minimum');
});

test('README: install from the built tarball, and the naming clash with WeCom 微信客服', () => {
  const readme = read('README.md');
  const tgz = `dist/${pkg.name}-${pkg.version}.tgz`;
  assert.match(readme, /Install from the built tarball/);
  assert.ok(readme.includes('bash scripts/build.sh'), 'the build step');
  assert.ok(readme.includes(`npm install /path/to/wechat-kf/${tgz}`), `npm install of ${tgz}`);
  assert.ok(readme.includes(`npm install ${pkg.name}\``), 'the install command for when the package is published');
  assert.ok(read('scripts/build.sh').includes('npm pack'), 'build.sh packs the tarball');
  for (const fact of ['微信客服', 'kf/sync_msg', 'open_kfid', '小程序客服消息']) assert.ok(readme.includes(fact), fact);
});

test('README: the quick start within the first screen, the README under 400 lines, no build-machine path', () => {
  const lines = read('README.md').split('\n');
  assert.ok(lines.length < 400, `README.md has ${lines.length} lines (under 400: move reference material to docs/)`);
  const quick = lines.findIndex((l) => /^## Quick start/.test(l));
  const code = lines.findIndex((l, i) => i > quick && /^```js/.test(l));
  assert.ok(quick > 0 && code > 0 && code < 40, `the quick start's code starts at line ${code + 1} (within the first 40)`);
  assert.match(lines.slice(code, code + 20).join('\n'), /createNodeListener[\s\S]*message\.known/, 'the quick start uses createNodeListener and narrows with message.known');
  for (const file of ['README.md', ...docs]) {
    read(file).split('\n').forEach((line, i) => {
      assert.doesNotMatch(line, /(^|[\s`'"(])\/(work|tmp)\//, `${file}:${i + 1}: a path of a build machine`);
    });
  }
});

/** GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to hyphens; repeats get -1, -2. */
function headings(file) {
  const seen = new Map();
  const out = new Set();
  let fence = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^```/.test(line)) fence = !fence;
    const m = !fence && /^#{1,6}\s+(.*)$/.exec(line);
    if (!m) continue;
    const slug = m[1].trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n ? `${slug}-${n}` : slug);
  }
  return out;
}

test('every relative link of README.md and docs/*.md resolves', () => {
  const base = fileURLToPath(root);
  const broken = [];
  let links = 0;
  for (const file of ['README.md', ...docs]) {
    const text = read(file).replace(/```[\s\S]*?```/g, ''); // links in code blocks are code
    for (const [, url] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z][a-z+.-]*:/i.test(url)) continue; // https:, mailto:
      links++;
      const [path, hash] = url.split('#');
      const target = path ? normalize(join(dirname(join(base, file)), path)) : join(base, file);
      if (!existsSync(target)) broken.push(`${file}: ${url} (no such file)`);
      else if (hash && target.endsWith('.md') && !headings(target).has(hash)) broken.push(`${file}: ${url} (no such heading)`);
    }
  }
  assert.ok(links > 20, `found only ${links} relative links`);
  assert.deepEqual(broken, [], broken.join('\n'));
});
