// The README agrees with the package (issue 11): every "Node N" it (or a shipped comment)
// names is at least the `engines` minimum, the tarball-install steps name the file build.sh
// packs, and the naming clash with WeCom's 微信客服 is stated. node --test js-tests/node/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';

const root = new URL('../../', import.meta.url);
const read = (path) => readFileSync(new URL(path, root), 'utf8');
const pkg = JSON.parse(read('pkg-template/package.json'));

/** [major, minor] of "20.19" / "20". */
const version = (text) => text.split('.').map(Number).concat(0).slice(0, 2);
const atLeast = ([a, b], [c, d]) => a > c || (a === c && b >= d);

test('every Node version named in the README and the shipped sources meets engines', () => {
  const floor = /^>=\s*(\d+(?:\.\d+)?)$/.exec(pkg.engines.node);
  assert.ok(floor, `engines.node is ${pkg.engines.node}`);
  const min = version(floor[1]);
  const files = ['README.md', 'examples/README.md',
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
  assert.ok(read('scripts/build.sh').includes('npm pack'), 'build.sh packs the tarball');
  for (const fact of ['微信客服', 'kf/sync_msg', 'open_kfid', '小程序客服消息']) assert.ok(readme.includes(fact), fact);
});
