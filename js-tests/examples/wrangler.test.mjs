// examples/workers is a wrangler project: `wrangler deploy --dry-run --outdir` bundles it
// offline, from the packed tarball, with the package's `workerd` entry, each .wasm (inbound and
// outbound) as a module of its own, and the Durable Object (DurableObjectStore) bound as WECHAT_KF_STORE.
//   node --test js-tests/examples/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../runners/harness.mjs';
import { prepareScratch } from '../runners/scratch.mjs';

test('examples/workers: wrangler deploy --dry-run bundles the workerd entry, both .wasm modules and the Durable Object', { timeout: 300_000 }, () => {
  const scratch = join(ROOT, 'js-tests', '.scratch-wrangler');
  prepareScratch(scratch);
  const project = join(scratch, 'workers');
  cpSync(join(ROOT, 'examples', 'workers'), project, { recursive: true });
  const out = mkdtempSync(join(tmpdir(), 'wechat-kf-wrangler-'));
  try {
    const home = join(out, 'home');
    const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'wrangler'), ['deploy', '--dry-run', '--outdir', join(out, 'dist')], {
      cwd: project,
      encoding: 'utf8',
      timeout: 240_000,
      env: {
        ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), WRANGLER_SEND_METRICS: 'false',
        WRANGLER_LOG_PATH: join(out, 'logs'), CI: '1', NO_COLOR: '1', FORCE_COLOR: '0',
      },
    });
    const output = `${r.stdout}\n${r.stderr}`;
    assert.equal(r.status, 0, output);
    const size = output.match(/Total Upload:[^\n]*/);
    assert.ok(size, `wrangler reported no upload size:\n${output}`);
    console.log(`wrangler deploy --dry-run: ${size[0].trim()}`);
    assert.match(output, /WECHAT_KF_STORE[^\n]*DurableObjectStore|DurableObjectStore[^\n]*WECHAT_KF_STORE/, 'the Durable Object binding is listed');

    const files = readdirSync(join(out, 'dist'));
    const wasm = files.filter((f) => f.endsWith('.wasm'));
    assert.equal(wasm.length, 2, `two .wasm modules (inbound and outbound) in ${files.join(', ')}`);
    console.log(`bundle: ${files.map((f) => `${f} ${statSync(join(out, 'dist', f)).size} B`).join(', ')}`);
    const js = files.filter((f) => /\.m?js$/.test(f)).map((f) => readFileSync(join(out, 'dist', f), 'utf8')).join('\n');
    assert.match(js, /wechat-kf\/loaders\/workerd\.js/, 'the workerd entry of the package was bundled');
    assert.doesNotMatch(js, /wechat-kf\/loaders\/(node|browser)\.js/, 'no other entry was bundled');
    for (const name of wasm) {
      assert.match(js, new RegExp(`from\\s*"\\.\\/${name.replace(/[.$]/g, '\\$&')}"`), `${name} is imported as a module`);
    }
    assert.match(js, /class DurableObjectStore\b|DurableObjectStore = class\b/, "the Durable Object class is in the bundle");
    assert.match(js, /export\s*\{[^}]*DurableObjectStore/, 'and exported by the worker');
  } finally {
    rmSync(out, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
});
