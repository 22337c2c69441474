// MemoryStore (stores/memory.js) where the JS mutation run (scripts/js-mutants.mjs) showed it
// untested beyond the conformance suite: TTLs that are not finite numbers, the option errors'
// codes, argument checks of every method, when sweeps run, when
// the bound is reported, and which errors unavailable() passes through. Uses the built package (pkg/;
// WECHAT_KF_PKG overrides the entry).
import { test } from 'node:test';
import assert from 'node:assert/strict';

const entry = process.env.WECHAT_KF_PKG ?? new URL('../../pkg/loaders/node.js', import.meta.url).href;
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

// An internal of stores/memory.js: the default export of wechat-kf.js, the module the entry loads.
const { unavailable } = (await import(new URL('../wechat-kf.js', entry).href)).default;
const { WxkfError } = await import(entry);

test('every method checks its key and value (-43003)', () => {
  const s = new MemoryStore();
  const refused = { code: -43003 };
  for (const key of ['', 5, null]) {
    assert.throws(() => s.get(key), refused);
    assert.throws(() => s.set(key, 'v'), refused);
    assert.throws(() => s.setIfAbsent(key, 'v', 10), refused);
    assert.throws(() => s.delete(key), refused);
    assert.throws(() => s.compareAndSet(key, null, 'v'), refused);
  }
  for (const value of [5, null, undefined, {}]) {
    assert.throws(() => s.set('k', value), refused);
    assert.throws(() => s.setIfAbsent('k', value, 10), refused);
    assert.throws(() => s.compareAndSet('k', null, value), refused);
  }
  assert.equal(s.size, 0);
});

test('reading an expired key drops it', () => {
  let t = 0;
  const s = new MemoryStore({ now: () => t });
  s.set('a', 'v', 5);
  s.set('b', 'v');
  t = 5;
  assert.equal(s.size, 2);
  assert.equal(s.get('a'), null);
  assert.equal(s.size, 1);
});

test('sweeps: at 1024 keys, then when the map doubles since the last sweep', () => {
  let t = 0;
  const s = new MemoryStore({ now: () => t });
  for (let i = 0; i < 1024; i++) s.set(`live${i}`, 'v'); // swept at 1024: all live, next at 2048
  for (let i = 0; i < 10; i++) s.set(`short${i}`, 'v', 1);
  t = 1;
  s.set('one', 'v');
  assert.equal(s.size, 1035, 'no sweep before 2048 keys');
  // A small map after a sweep sweeps again at 1024.
  const m = new MemoryStore({ now: () => t });
  for (let i = 0; i < 1023; i++) m.set(`a${i}`, 'v', 1);
  t = 2;
  m.set('b', 'v'); // sweep: 1 left, next at 1024
  for (let i = 0; i < 1022; i++) m.set(`c${i}`, 'v', 1);
  t = 3;
  assert.equal(m.size, 1023);
  m.set('d', 'v');
  assert.equal(m.size, 2);
});

test('maxKeys: reported past the bound (not at it), once per doubling, again after dropping back to it', () => {
  let t = 0;
  const fill = (s, n, prefix, ttl) => { for (let i = 0; i < n; i++) s.set(`${prefix}${i}`, 'v', ttl); };
  // Exactly at the bound: no report.
  const atBound = [];
  fill(new MemoryStore({ now: () => t, maxKeys: 1024, onError: (e) => atBound.push(e) }), 1024, 'k');
  assert.equal(atBound.length, 0);
  // A bound below the first sweep: reported at it, and again at 2048 (the next doubling).
  const small = [];
  const s = new MemoryStore({ now: () => t, maxKeys: 10, onError: (e) => small.push(e) });
  fill(s, 1024, 'k');
  assert.equal(small.length, 1);
  assert.equal(small[0].code, -43001);
  fill(s, 1024, 'm');
  assert.equal(small.length, 2);
  // Past the bound but below the next doubling at a sweep: not reported again.
  const once = [];
  const o = new MemoryStore({ now: () => t, maxKeys: 1000, onError: (e) => once.push(e) });
  fill(o, 1024, 'live'); // reported (1024 > 1000), next report at 2048
  fill(o, 1023, 'short', 1);
  t += 1;
  o.set('x', 'v'); // sweep at 2048: 1025 live, below 2048
  assert.equal(o.size, 1025);
  assert.equal(once.length, 1);
  // Dropping back to the bound (exactly) at a sweep resets it: the next excess is reported.
  const again = [];
  const r = new MemoryStore({ now: () => t, maxKeys: 1024, onError: (e) => again.push(e) });
  fill(r, 2048, 'a', 1); // reported at the sweep at 2048; next report at 4096, next sweep 4096
  assert.equal(again.length, 1);
  t += 1;
  fill(r, 1024, 'b', 1);
  t += 1;
  fill(r, 1024, 'c'); // sweep at 4096: exactly 1024 live (the bound): reset; next sweep 2048
  assert.equal(r.size, 1024);
  assert.equal(again.length, 1);
  fill(r, 1024, 'd'); // sweep at 2048: 2048 live, past the bound again
  assert.equal(again.length, 2);
});

test('unavailable(): StoreUnavailable and InvalidStoreArgument pass through, anything else is wrapped', () => {
  const down = new WxkfError('down', -43002, 'StoreUnavailable');
  const bad = new WxkfError('bad', -43003, 'InvalidStoreArgument');
  assert.equal(unavailable(down, 'a get'), down);
  assert.equal(unavailable(bad, 'a get'), bad);
  for (const e of [new WxkfError('opt', -41006, 'InvalidOption'), { code: -43002, message: 'lookalike' }, { code: -43003, message: 'lookalike' }, new Error('reset')]) {
    const w = unavailable(e, 'a get');
    assert.notEqual(w, e);
    assert.ok(w instanceof WxkfError);
    assert.equal(w.code, -43002);
    assert.match(w.message, /the store failed a get/);
  }
});
