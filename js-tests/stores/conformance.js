// The store contract's conformance suite (stores/store.d.ts `Store`), runtime-agnostic (standard JS
// only), run unchanged for every shipped store: MemoryStore in the JS suite's six runtimes,
// redisStore (node-redis and ioredis) in Node, the Durable Object store in workerd, the Deno KV
// store in Deno.
//
//   import { storeConformance } from './stores/conformance.js';
//   const result = await storeConformance(makeStore, check, options?);
//
// makeStore(prefix) -> Store | Promise<Store>: a store over the SAME backend each time, with
//   that prefix (the suite uses fresh random prefixes, so a shared backend needs no cleanup).
// check: a checker from js-tests/check.js (makeChecker()); the suite returns check.result().
// options: { name?: 'memory' (prefix of the check names), ttlMs?: 300 (the short TTL used;
//   raise it for slow backends), waitMs?: 10000 (how long to poll for an expiry),
//   rawGet?(fullKey) -> value|null (reads the backend without a prefix: checks the default
//   prefix 'wechat-kf:' and custom ones are applied) }.
// Timing: expiry is awaited by polling with a generous bound, never by one tight sleep.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let serial = 0;
const freshPrefix = () => `conf${Date.now().toString(36)}${(serial++).toString(36)}${Math.random().toString(36).slice(2, 6)}:`;

export async function storeConformance(makeStore, check, options = {}) {
  const { name = 'store', ttlMs = 300, waitMs = 10_000, rawGet } = options;
  const c = check;
  const t = (what) => `${name}: ${what}`;
  const store = async () => makeStore(freshPrefix());
  const expires = async (s, key) => {
    const until = Date.now() + waitMs;
    while (Date.now() < until) {
      if ((await s.get(key)) === null) return true;
      await sleep(Math.max(20, ttlMs / 5));
    }
    return false;
  };

  await c.checkAsync(t('get/set/delete'), async () => {
    const s = await store();
    c.assertEq(await s.get('k'), null);
    c.assertEq(await s.set('k', 'v1'), undefined);
    c.assertEq(await s.get('k'), 'v1');
    await s.set('k', 'v2');
    c.assertEq(await s.get('k'), 'v2');
    c.assertEq(await s.delete('k'), true);
    c.assertEq(await s.get('k'), null);
    c.assertEq(await s.delete('k'), false);
    await s.set('empty', '');
    c.assertEq(await s.get('empty'), '');
    const odd = 'ünï/cødé {"json":[1,2]} \n\t';
    await s.set('key with spaces:and:colons', odd);
    c.assertEq(await s.get('key with spaces:and:colons'), odd);
  });

  await c.checkAsync(t('setIfAbsent: only the first sets; an expired key is absent'), async () => {
    const s = await store();
    c.assertEq(await s.setIfAbsent('once', 'a', 60_000), true);
    c.assertEq(await s.setIfAbsent('once', 'b', 60_000), false);
    c.assertEq(await s.get('once'), 'a');
    c.assertEq(await s.setIfAbsent('short', 'a', ttlMs), true);
    c.assertTrue(await expires(s, 'short'), `'short' gone within ${waitMs} ms`);
    c.assertEq(await s.setIfAbsent('short', 'b', 60_000), true);
    c.assertEq(await s.get('short'), 'b');
  });

  await c.checkAsync(t('setIfAbsent sent again with its own value: true, value and TTL unchanged'), async () => {
    // A client that re-sends a command after a lost reply (ioredis) must see its own write.
    const s = await store();
    c.assertEq(await s.setIfAbsent('claim', 'attempt-1', 60_000), true);
    c.assertEq(await s.setIfAbsent('claim', 'attempt-1', 60_000), true);
    c.assertEq(await s.setIfAbsent('claim', 'attempt-2', 60_000), false);
    c.assertEq(await s.setIfAbsent('claim', 'attempt-1', 60_000), true);
    c.assertEq(await s.get('claim'), 'attempt-1');
    // Sent again with a longer TTL: the first TTL stands (nothing is written again).
    c.assertEq(await s.setIfAbsent('brief', 'attempt-1', ttlMs), true);
    c.assertEq(await s.setIfAbsent('brief', 'attempt-1', 600_000), true);
    c.assertTrue(await expires(s, 'brief'), `'brief' gone within ${waitMs} ms (its first TTL kept)`);
    c.assertEq(await s.setIfAbsent('brief', 'attempt-2', 60_000), true);
    // A value set by set() counts the same: the key holds exactly that value.
    await s.set('plain', 'same');
    c.assertEq(await s.setIfAbsent('plain', 'same', 60_000), true);
    c.assertEq(await s.setIfAbsent('plain', 'other', 60_000), false);
    c.assertEq(await s.setIfAbsent('plain', '', 60_000), false);
  });

  await c.checkAsync(t('compareAndSet sent again: true when the key holds its value, counted once'), async () => {
    const s = await store();
    await s.set('n', '1');
    c.assertEq(await s.compareAndSet('n', '1', '2:attempt-a'), true);
    c.assertEq(await s.compareAndSet('n', '1', '2:attempt-a'), true); // the same command again
    c.assertEq(await s.get('n'), '2:attempt-a');
    c.assertEq(await s.compareAndSet('n', '1', '2:attempt-b'), false); // another caller, stale
    c.assertEq(await s.get('n'), '2:attempt-a');
    c.assertEq(await s.compareAndSet('n', '2:attempt-a', '3:attempt-c'), true);
    c.assertEq(await s.compareAndSet('n', '1', '2:attempt-a'), false); // its value replaced since
    c.assertEq(await s.get('n'), '3:attempt-c');
    // From absent, sent again.
    c.assertEq(await s.compareAndSet('m', null, 'first:a'), true);
    c.assertEq(await s.compareAndSet('m', null, 'first:a'), true);
    c.assertEq(await s.compareAndSet('m', null, 'first:b'), false);
    c.assertEq(await s.get('m'), 'first:a');
    // Sent again: nothing is written, so the TTL of the first copy stands.
    c.assertEq(await s.compareAndSet('t', null, 'short:a', ttlMs), true);
    c.assertEq(await s.compareAndSet('t', null, 'short:a'), true);
    c.assertTrue(await expires(s, 't'), `'t' gone within ${waitMs} ms (its first TTL kept)`);
    // expected equal to value: set (the TTL renewed), true.
    await s.set('same', 'v');
    c.assertEq(await s.compareAndSet('same', 'v', 'v', 60_000), true);
    c.assertEq(await s.get('same'), 'v');
  });

  await c.checkAsync(t('delete with ifValue: only the matching value'), async () => {
    const s = await store();
    await s.set('lock', 'mine');
    c.assertEq(await s.delete('lock', 'theirs'), false);
    c.assertEq(await s.get('lock'), 'mine');
    c.assertEq(await s.delete('lock', 'mine'), true);
    c.assertEq(await s.get('lock'), null);
    c.assertEq(await s.delete('lock', 'mine'), false);
  });

  await c.checkAsync(t('compareAndSet: null means absent; a mismatch changes nothing'), async () => {
    const s = await store();
    c.assertEq(await s.compareAndSet('n', 'x', '1'), false);
    c.assertEq(await s.get('n'), null);
    c.assertEq(await s.compareAndSet('n', null, '1'), true);
    c.assertEq(await s.compareAndSet('n', null, '2'), false);
    c.assertEq(await s.compareAndSet('n', '0', '2'), false);
    c.assertEq(await s.get('n'), '1');
    c.assertEq(await s.compareAndSet('n', '1', '2', 60_000), true);
    c.assertEq(await s.get('n'), '2');
    // An expired key compares as null.
    c.assertEq(await s.compareAndSet('e', null, 'old', ttlMs), true);
    c.assertTrue(await expires(s, 'e'), `'e' gone within ${waitMs} ms`);
    c.assertEq(await s.compareAndSet('e', 'old', 'new'), false);
    c.assertEq(await s.compareAndSet('e', null, 'new'), true);
    c.assertEq(await s.get('e'), 'new');
  });

  await c.checkAsync(t('TTL: set with a TTL expires, set without keeps, a new set replaces the TTL'), async () => {
    const s = await store();
    await s.set('ttl', 'v', ttlMs);
    await s.set('keep', 'v');
    await s.set('renewed', 'v', ttlMs);
    await s.set('renewed', 'w'); // no TTL now
    c.assertEq(await s.get('ttl'), 'v');
    c.assertTrue(await expires(s, 'ttl'), `'ttl' gone within ${waitMs} ms`);
    await sleep(ttlMs);
    c.assertEq(await s.get('keep'), 'v');
    c.assertEq(await s.get('renewed'), 'w');
    c.assertEq(await s.delete('ttl'), false);
  });

  await c.checkAsync(t('prefixes isolate stores over one backend'), async () => {
    const a = await store();
    const b = await store();
    await a.set('shared-name', 'A');
    c.assertEq(await b.get('shared-name'), null);
    c.assertEq(await b.setIfAbsent('shared-name', 'B', 60_000), true);
    c.assertEq(await a.get('shared-name'), 'A');
    c.assertEq(await b.get('shared-name'), 'B');
    c.assertEq(await b.delete('shared-name', 'A'), false);
    c.assertEq(await a.delete('shared-name'), true);
    c.assertEq(await b.get('shared-name'), 'B');
    if (rawGet) {
      const prefix = freshPrefix();
      const p = await makeStore(prefix);
      await p.set('raw', 'R');
      c.assertEq(await rawGet(`${prefix}raw`), 'R');
      c.assertEq(await rawGet('raw'), null);
    }
  });

  await c.checkAsync(t('bad arguments are refused (-43003)'), async () => {
    const s = await store();
    for (const [what, fn] of [
      ['a number value', () => s.set('k', 5)],
      ['an empty key', () => s.get('')],
      ['a zero TTL', () => s.setIfAbsent('k', 'v', 0)],
      ['no TTL for setIfAbsent', () => s.setIfAbsent('k', 'v')],
    ]) {
      let error;
      try { await fn(); } catch (e) { error = e; }
      c.assertTrue(error && error.code === -43003, `${what} refused with -43003, got ${error && error.code}`);
    }
  });

  await c.checkAsync(t('concurrency: 50 setIfAbsent on one key -> exactly one true'), async () => {
    const s = await store();
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => s.setIfAbsent('race', `v${i}`, 60_000)));
    c.assertEq(results.filter(Boolean).length, 1);
    c.assertEq(await s.get('race'), `v${results.indexOf(true)}`);
  });

  await c.checkAsync(t('concurrency: 20 compareAndSet increments with retry -> exact count'), async () => {
    // Each value carries the id of its increment (the contract: values unique to the attempt).
    const s = await store();
    const increment = async (id) => {
      for (let attempt = 0; attempt < 10_000; attempt++) {
        const cur = await s.get('counter');
        const next = `${Number((cur ?? '0').split(':')[0]) + 1}:${id}`;
        if (await s.compareAndSet('counter', cur, next, 60_000)) return;
      }
      throw new Error(`increment ${id} gave up`);
    };
    await Promise.all(Array.from({ length: 20 }, (_, i) => increment(`inc${i}`)));
    c.assertEq((await s.get('counter')).split(':')[0], '20');
  });

  await c.checkAsync(t('concurrency: 20 compare-and-delete of one value -> exactly one true'), async () => {
    const s = await store();
    await s.set('held', 'owner');
    const results = await Promise.all(Array.from({ length: 20 }, () => s.delete('held', 'owner')));
    c.assertEq(results.filter(Boolean).length, 1);
    c.assertEq(await s.get('held'), null);
  });

  return c.result();
}
