// The Node/Deno/Bun entry (loaders/node.js) reads the .wasm and node:crypto through
// process.getBuiltinModule. A runtime without it (Deno before 2.1, an old Bun) must be told what
// to upgrade at import, not fail with "process.getBuiltinModule is not a function". Checked in
// a fresh Node process with the function removed before the import. Uses the built package
// (pkg/loaders/node.js; WECHAT_KF_PKG overrides).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const entry = process.env.WECHAT_KF_PKG ?? new URL('../../pkg/loaders/node.js', import.meta.url).href;

test('without process.getBuiltinModule the import fails naming the runtime versions that have it', () => {
  const child = `
delete process.getBuiltinModule;
try {
  await import(${JSON.stringify(entry)});
  console.log(JSON.stringify({ imported: true }));
} catch (e) {
  console.log(JSON.stringify({ name: e.name, message: e.message }));
}`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', child], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const got = JSON.parse(r.stdout.trim().split('\n').pop());
  assert.equal(got.imported, undefined, 'the import must fail');
  assert.match(got.message, /^wechat-kf: this runtime has no process\.getBuiltinModule/);
  assert.match(got.message, /Node >= 20\.19, Deno >= 2\.1 or a current Bun/);
});
