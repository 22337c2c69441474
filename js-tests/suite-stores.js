// The store contract in every runtime: the conformance suite for MemoryStore, and the memory
// store's own promises (a live key is never dropped; the bound is reported; the injected
// clock drives expiry). Standard JS only.
import { makeChecker } from './check.js';
import { storeConformance } from './stores/conformance.js';

export async function runStoreSuite(lib, { log = () => {} } = {}) {
  const { MemoryStore } = lib;
  const c = makeChecker(log);

  await storeConformance((prefix) => new MemoryStore({ prefix }), c, { name: 'MemoryStore' });

  c.check('MemoryStore: the injected clock drives expiry', () => {
    let t = 1000;
    const s = new MemoryStore({ now: () => t });
    c.assertEq(s.setIfAbsent('a', '1', 10_000), true);
    c.assertEq(s.setIfAbsent('a', '2', 10_000), false);
    t += 9_999;
    c.assertEq(s.get('a'), '1');
    t += 1;
    c.assertEq(s.get('a'), null);
    c.assertEq(s.compareAndSet('a', null, '3'), true);
    t += 1e12;
    c.assertEq(s.get('a'), '3');
  });

  c.check('MemoryStore: past maxKeys it keeps every live key and reports -43001 once', () => {
    let t = 0;
    const errors = [];
    const s = new MemoryStore({ now: () => t, maxKeys: 1500, onError: (e) => errors.push(e) });
    for (let i = 0; i < 3000; i++) s.setIfAbsent(`k${i}`, 'v', 60_000);
    for (let i = 0; i < 3000; i++) if (s.get(`k${i}`) !== 'v') throw new Error(`live key k${i} was forgotten`);
    c.assertEq(errors.length, 1);
    c.assertEq(errors[0].code, -43001);
    c.assertEq(errors[0].kind, 'StoreOverBound');
  });

  c.check('MemoryStore: expired keys are swept as it grows (memory bounded by live keys)', () => {
    let t = 0;
    const errors = [];
    const s = new MemoryStore({ now: () => t, maxKeys: 5000, onError: (e) => errors.push(e) });
    for (let i = 0; i < 100_000; i++) {
      s.setIfAbsent(`k${i}`, 'v', 1000);
      t += 1; // about 1000 keys live at any time
    }
    c.assertTrue(s.size <= 4096, `size stays small, got ${s.size}`);
    c.assertEq(errors.length, 0);
  });

  return c.result();
}
