// Issue 25, ready to publish: the built package (pkg/) as npm and JSR would take it.
//   - package.json has repository (the crate's), license, keywords, engines, sideEffects, a bin
//     npm keeps, and an `exports` entry with its types for every module entry;
//   - `npm publish --dry-run` passes (offline) without a warning and ships exactly what should:
//     the bundle, the loaders, the .d.ts, the stores and queues, the CLI and dev tools, both .wasm,
//     README, LICENSE, CHANGELOG; nothing of the JSR package's own (deno.json, loaders/deno.js,
//     the base64 .wasm modules);
//   - `deno publish --dry-run` passes (offline) with deno.json, whose version and entries follow
//     package.json's; and the JSR entry (loaders/deno.js) works in Deno with no permission at
//     all, from a file and from an HTTP server (as jsr.io serves it).
// Uses the built package (pkg/; WECHAT_KF_PKG: its loaders/node.js, as for the other tests).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const entry = process.env.WECHAT_KF_PKG ?? new URL('../../pkg/loaders/node.js', import.meta.url).href;
const PKG = fileURLToPath(new URL('../', entry.startsWith('file:') ? entry : `file://${entry}`));
const DENO = join(ROOT, 'node_modules', '.bin', 'deno');
const pkgJson = JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'wechat-kf-publish-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A copy of the package to publish from (npm and deno may write beside it). */
function copy(name) {
  const dir = join(work, name);
  cpSync(PKG, dir, { recursive: true });
  return dir;
}

test('package.json: repository, license, keywords, engines, sideEffects, bin, exports with types', () => {
  const cargo = readFileSync(join(ROOT, 'Cargo.toml'), 'utf8');
  const crateRepository = /^repository = "([^"]+)"/m.exec(cargo)[1];
  assert.equal(pkgJson.repository?.type, 'git');
  assert.equal(pkgJson.repository.url.replace(/^git\+/, '').replace(/\.git$/, ''), crateRepository, 'the same repository as Cargo.toml');
  assert.equal(pkgJson.license, 'MIT');
  assert.ok(Array.isArray(pkgJson.keywords) && pkgJson.keywords.includes('wechat'));
  assert.match(pkgJson.engines?.node ?? '', /^>=20\.19/);
  assert.ok(Array.isArray(pkgJson.sideEffects) && pkgJson.sideEffects.length > 0, 'the loaders have side effects; nothing else');
  for (const file of pkgJson.sideEffects) assert.ok(existsSync(join(PKG, file)), file);
  // npm drops a bin path it does not like ("./cli/main.js" was removed by npm 11's publish).
  assert.deepEqual(pkgJson.bin, { 'wechat-kf': 'cli/main.js' });
  for (const [subpath, spec] of Object.entries(pkgJson.exports)) {
    const targets = typeof spec === 'string' ? [spec] : Object.values(spec);
    for (const target of targets) assert.ok(existsSync(join(PKG, target)), `${subpath}: ${target} is missing`);
    if (typeof spec === 'string') {
      assert.ok(/\.(wasm|json)$/.test(spec), `${subpath} is a module without types`);
    } else {
      assert.ok(spec.types, `${subpath} has no types`);
      assert.equal(Object.keys(spec)[0], 'types', `${subpath}: types must come first`);
    }
  }
});

test('npm publish --dry-run passes with no warning and ships only what should', { timeout: 120_000 }, async () => {
  const dir = copy('npm');
  const { stdout, stderr } = await run('npm', ['publish', '--dry-run', '--json', '--offline', '--ignore-scripts'], { cwd: dir });
  const warnings = stderr.split('\n').filter((l) => /npm warn/i.test(l) && !/logged in/.test(l));
  assert.deepEqual(warnings, [], 'npm warned');
  // npm 11 keys the report by the package's name; earlier ones print it alone.
  const parsed = JSON.parse(stdout.slice(stdout.indexOf('{')));
  const report = parsed.files ? parsed : parsed[pkgJson.name];
  const files = report.files.map((f) => f.path).sort();
  for (const must of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'wechat-kf.js', 'index.d.ts', 'cli/main.js',
    'loaders/node.js', 'loaders/browser.js', 'loaders/workerd.js', 'wasm/wechat_kf_bg.wasm', 'wasm/wechat_kf_outbound_bg.wasm',
    'wasm/wechat_kf_outbound.js', 'stores/redis.js', 'stores/redis.d.ts', 'devtools/emulator/server.js']) {
    assert.ok(files.includes(must), `${must} does not ship`);
  }
  const wrong = files.filter((f) => f === 'deno.json' || f === 'loaders/deno.js' || /\.wasm\.js$/.test(f) || /^wasm\/.*\.d\.ts$/.test(f)
    || /\.(map|rs|test\.mjs|tgz|log)$/.test(f) || /(^|\/)(node_modules|\.scratch|target|js-tests)\//.test(f));
  assert.deepEqual(wrong, [], 'files that should not ship');
  // Every shipped module's relative imports ship too (the bin, the loaders, the stores, the dev tools).
  for (const file of files.filter((f) => /\.js$/.test(f))) {
    const source = readFileSync(join(dir, file), 'utf8');
    for (const m of source.matchAll(/(?:^|[\n;])\s*(?:import|export)\s[^'"`;]*?['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = join(file, '..', m[1]).replaceAll('\\', '/');
      assert.ok(files.includes(target), `${file} imports ${target}, which does not ship`);
    }
  }
  assert.equal(report.name, 'wechat-kf');
  assert.equal(report.version, pkgJson.version);
});

test('deno.json: deno publish --dry-run passes; its version and entries follow package.json', { timeout: 180_000 }, async () => {
  const dir = copy('jsr');
  const deno = JSON.parse(readFileSync(join(dir, 'deno.json'), 'utf8'));
  assert.equal(deno.version, pkgJson.version);
  assert.equal(deno.license, pkgJson.license);
  const npmEntries = Object.keys(pkgJson.exports).filter((k) => typeof pkgJson.exports[k] === 'object');
  assert.deepEqual(Object.keys(deno.exports).sort(), npmEntries.sort(), 'the same entries as npm (every module entry)');
  const env = { ...process.env, DENO_DIR: join(work, '.deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
  const { stdout, stderr } = await run(DENO, ['publish', '--dry-run', '--allow-dirty'], { cwd: dir, env, maxBuffer: 16 << 20 });
  assert.match(stdout + stderr, /Dry run complete/);
  assert.doesNotMatch(stdout + stderr, /warning/i, stdout + stderr);
});

test('the JSR entry works in Deno with no permission, from a file and over HTTP', { timeout: 120_000 }, async () => {
  const dir = copy('jsr-use');
  const server = createServer((req, res) => {
    const path = join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!path.startsWith(dir) || !existsSync(path)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': extname(path) === '.js' ? 'text/javascript' : 'application/octet-stream' }).end(readFileSync(path));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    const script = (from) => `import { Receiver, signature, requests } from '${from}';
const ts = String(Math.floor(Date.now() / 1000));
const body = '<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><CreateTime>' + ts + '</CreateTime><MsgType>text</MsgType><Content>hi</Content><MsgId>1</MsgId></xml>';
const push = new Receiver({ token: 't' }).receive({ query: { signature: signature('t', ts, '1'), timestamp: ts, nonce: '1' }, body });
console.log(push.message.content, push.dedupKey, requests.sendText({ touser: 'o', content: 'x' }).path);
`;
    const env = { ...process.env, DENO_DIR: join(work, '.deno-run'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
    for (const from of [new URL('loaders/deno.js', `file://${dir}/`).href, `http://127.0.0.1:${server.address().port}/loaders/deno.js`]) {
      const file = join(work, `use-${from.startsWith('http') ? 'http' : 'file'}.mjs`);
      writeFileSync(file, script(from));
      // No --allow-read or --allow-net: the .wasm come as modules, not by reading or fetching
      // (--allow-import for this server only: Deno allows imports from jsr.io by default).
      const flags = from.startsWith('http') ? [`--allow-import=${new URL(from).host}`] : [];
      const { stdout } = await run(DENO, ['run', '--no-prompt', '--no-lock', ...flags, file], { cwd: work, env });
      assert.equal(stdout.trim(), 'hi msg:gh:1 /cgi-bin/message/custom/send', from);
    }
  } finally {
    server.close();
  }
});
