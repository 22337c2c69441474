// MemoryStore (pkg/store.js) where the JS mutation run (scripts/js-mutants.mjs) showed it
// untested beyond the conformance suite: TTLs that are not finite numbers, the option errors'
// codes, and when the first sweep of expired keys runs. Uses the built package (pkg/;
// WECHAT_KF_PKG overrides the entry).
import { test } from 'node:test';
import assert from 'node:assert/strict';

const entry = process.env.WECHAT_KF_PKG ?? new URL('../../pkg/node.js', import.meta.url).href;
const { MemoryStore } = await import(entry);

test('a TTL that is NaN, Infinity or not a number is refused with -43003 by every method', () => {
  const s = new MemoryStore();
  const refused = { code: -43003, kind: 'InvalidStoreArgument' };
  for (const ttl of [NaN, Infinity, -Infinity, '100', null, 5n, -1, 0]) {
    assert.throws(() => s.set('k', 'v', ttl), refused, `set ${String(ttl)}`);
    assert.throws(() => s.setIfAbsent('k', 'v', ttl), refused, `setIfAbsent ${String(ttl)}`);
    assert.throws(() => s.compareAndSet('k', null, 'v', ttl), refused, `compareAndSet ${String(ttl)}`);
  }
  assert.equal(s.get('k'), null, 'nothing was stored');
  s.set('k', 'v', 0.5); // a positive fraction rounds up to 1 ms
  assert.equal(s.get('k'), 'v');
});

test('option errors are -41006 InvalidOption', () => {
  const invalid = { code: -41006, kind: 'InvalidOption' };
  assert.throws(() => new MemoryStore({ now: 5 }), { ...invalid, message: /now must be a function/ });
  assert.throws(() => new MemoryStore({ maxKeys: 0 }), { ...invalid, message: /maxKeys/ });
  assert.throws(() => new MemoryStore({ maxKeys: NaN }), { ...invalid, message: /maxKeys/ });
});

test('the first sweep runs when the map reaches 1024 keys, dropping only expired ones', () => {
  let t = 0;
  const s = new MemoryStore({ now: () => t });
  for (let i = 0; i < 1022; i++) s.set(`old${i}`, 'v', 10);
  s.set('kept', 'v'); // no TTL: never swept
  t += 10; // every old key has expired (unswept: still counted)
  assert.equal(s.size, 1023);
  s.set('new', 'v', 60_000); // the 1024th key: sweeps
  assert.equal(s.size, 2);
  assert.equal(s.get('kept'), 'v');
  assert.equal(s.get('new'), 'v');
});
