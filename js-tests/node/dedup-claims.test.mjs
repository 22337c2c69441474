// The dedup claims (inbound/dedup.js) where the JS mutation run (scripts/js-mutants.mjs) showed
// them untested: each claim's id is its own even when the random part repeats (a claim that
// expired must not release the claim that replaced it), and claims work on a host without
// crypto.randomUUID or without a global crypto at all; the TTL in seconds is the store's TTL
// in milliseconds; the default deadline of a store call is 1000 ms; the codes of the option
// errors. Uses the built package (pkg/;
// WECHAT_KF_PKG overrides the entry).
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';

const entry = process.env.WECHAT_KF_PKG ?? new URL('../../pkg/loaders/node.js', import.meta.url).href;
// Internals (inbound/dedup.js, inbound/push-handler.js): the default export of wechat-kf.js, the
// module the entry loads; importing it alone compiles no wasm.
const internalUrl = new URL('../wechat-kf.js', entry).href;
const { default: { dedupClaims }, MemoryStore } = await import(internalUrl);

/** Claims (lease 1000 ms) over a MemoryStore whose clock the test moves. */
function claimsWithClock() {
  const clock = { t: 1_700_000_000_000 };
  const store = new MemoryStore({ now: () => clock.t });
  const errors = [];
  const claims = dedupClaims({ store }, (e) => errors.push(e), 1000);
  return { clock, store, claims, errors };
}

/** An expired lease's late release leaves the lease that replaced it in place. */
async function lateReleaseKeepsTheNewClaim() {
  const { clock, store, claims, errors } = claimsWithClock();
  const first = await claims.claim('msg:a:1', 1);
  assert.equal(typeof first?.release, 'function', 'the first claim is taken');
  assert.equal(await claims.claim('msg:a:1', 1), 'busy', 'a copy while the lease is held, with no time to wait: busy');
  clock.t += 1000; // the first lease lapses (its callback is still running)
  const second = await claims.claim('msg:a:1', 1);
  assert.equal(typeof second?.release, 'function', 'a claim after the lease is taken');
  await first.release(); // the slow first callback fails late: must not release the second
  assert.match(String(await store.get('dedup:msg:a:1')), /^lease:/, 'the second lease is still stored');
  assert.equal(await claims.claim('msg:a:1', 1), 'busy', 'still held');
  await second.release();
  assert.equal(await store.get('dedup:msg:a:1'), null, 'its own release deletes it');
  const third = await claims.claim('msg:a:1', 1);
  assert.equal(typeof third?.done, 'function', 'claimable again');
  await third.done();
  assert.match(String(await store.get('dedup:msg:a:1')), /^done:/, 'marked handled');
  assert.equal(await claims.claim('msg:a:1', 1), false, 'handled: every later copy is a duplicate');
  await first.done(); // the first's lease is long gone: marking it reports LeaseLost, changes nothing
  assert.deepEqual(errors.map((e) => e.code), [-43005]);
  assert.match(String(await store.get('dedup:msg:a:1')), /^done:/);
}

/** Runs fn with globalThis.crypto replaced (undefined, or an object without randomUUID). */
async function withCrypto(replacement, fn) {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
  Object.defineProperty(globalThis, 'crypto', { value: replacement, configurable: true, writable: true });
  try {
    await fn();
  } finally {
    if (saved) Object.defineProperty(globalThis, 'crypto', saved);
    else delete globalThis.crypto;
  }
}

/** Runs fn with Math.random returning the same number every time. */
async function withFixedRandom(fn) {
  const saved = Math.random;
  Math.random = () => 0.5;
  try {
    await fn();
  } finally {
    Math.random = saved;
  }
}

test('claim ids differ even when the random part repeats: a late release keeps the newer claim', async () => {
  await lateReleaseKeepsTheNewClaim();
  await withCrypto(undefined, () => withFixedRandom(lateReleaseKeepsTheNewClaim));
});

test('claims work on a host without crypto.randomUUID', async () => {
  await withCrypto({ getRandomValues: (a) => a }, lateReleaseKeepsTheNewClaim);
});

test('claims work on a host without a global crypto', async () => {
  await withCrypto(undefined, lateReleaseKeepsTheNewClaim);
});

test('a done mark of ttlSeconds expires after exactly ttlSeconds * 1000 ms of the store clock; a lease after leaseMs', async () => {
  const { clock, claims } = claimsWithClock();
  const claim = await claims.claim('event:a:b:1:subscribe', 3);
  clock.t += 999;
  assert.equal(await claims.claim('event:a:b:1:subscribe', 3), 'busy', 'the lease is live 1 ms before it lapses');
  await claim.done();
  clock.t += 2999;
  assert.equal(await claims.claim('event:a:b:1:subscribe', 3), false, 'done, live 1 ms before');
  clock.t += 1;
  assert.ok(await claims.claim('event:a:b:1:subscribe', 3), 'expired at 3000 ms');
});

test('a copy that finds a lease waits for it to turn done (or lapse) within its deadline', async () => {
  const store = new MemoryStore();
  const claims = dedupClaims({ store }, () => {}, 5000);
  const first = await claims.claim('msg:w:1', 60);
  const waiting = claims.claim('msg:w:1', 60, Date.now() + 4000);
  setTimeout(() => first.done(), 150);
  assert.equal(await waiting, false, 'answered as handled once the first was done');
  const other = await claims.claim('msg:w:2', 60);
  const next = claims.claim('msg:w:2', 60, Date.now() + 4000);
  setTimeout(() => other.release(), 150);
  const taken = await next;
  assert.equal(typeof taken?.done, 'function', 'released: the waiting copy takes it and handles it');
});

test('a re-sent claim (the store already holds this attempt\'s own lease) is a claim, not a duplicate', async () => {
  const store = new MemoryStore();
  // A store whose first setIfAbsent runs twice, as ioredis re-sends a command after a lost reply.
  const resending = {
    get: (k) => store.get(k), delete: (k, v) => store.delete(k, v), compareAndSet: (...a) => store.compareAndSet(...a),
    setIfAbsent(k, v, ttl) { store.setIfAbsent(k, v, ttl); return store.setIfAbsent(k, v, ttl); },
  };
  const claims = dedupClaims({ store: resending }, () => {}, 5000);
  const claim = await claims.claim('msg:r:1', 60);
  assert.equal(typeof claim?.done, 'function');
});

test('a store answering outside the contract is reported (-43002) and the push handled (fail open)', async () => {
  for (const answer of [undefined, 'OK', 1, null, {}]) {
    const store = new MemoryStore();
    const errors = [];
    const odd = { get: () => null, delete: () => true, compareAndSet: () => true, setIfAbsent: async () => answer };
    const claims = dedupClaims({ store: odd }, (e, info) => errors.push([e.code, info.phase, info.dedupKey]), 5000);
    const claim = await claims.claim('msg:g:1', 60);
    assert.equal(typeof claim?.done, 'function', `${String(answer)}: handled`);
    assert.deepEqual(errors, [[-43002, 'dedup', 'msg:g:1']], String(answer));
    void store;
  }
  const legacyErrors = [];
  const legacy = dedupClaims({ dedup: { claim: () => undefined } }, (e) => legacyErrors.push(e.code));
  assert.equal(typeof (await legacy.claim('msg:g:2', 60))?.release, 'function', 'legacy dedup: handled');
  assert.deepEqual(legacyErrors, [-43002]);
});

test('a store that does not answer fails open after the default 1000 ms (mocked timers)', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const errors = [];
    const never = () => new Promise(() => {});
    const hanging = { get: never, compareAndSet: never, setIfAbsent: never, delete: never };
    const claims = dedupClaims({ store: hanging }, (e, context) => errors.push({ e, context }));
    let settled = null;
    claims.claim('msg:a:2', 10).then((v) => { settled = v; });
    const flush = async () => { for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r)); };
    await flush();
    mock.timers.tick(999);
    await flush();
    assert.equal(settled, null, 'still waiting at 999 ms');
    mock.timers.tick(1);
    await flush();
    assert.ok(settled && typeof settled.release === 'function', 'handled (fail open) at 1000 ms');
    assert.equal(errors.length, 1);
    assert.equal(errors[0].e.code, -43002);
    assert.equal(errors[0].context.phase, 'dedup');
    assert.equal(errors[0].context.dedupKey, 'msg:a:2');
  } finally {
    mock.timers.reset();
  }
});

test('option errors: -41006 InvalidOption for a dedup without claim() and a store without a method', () => {
  const invalid = { code: -41006, kind: 'InvalidOption' };
  assert.throws(() => dedupClaims({ dedup: {} }, () => {}), invalid);
  assert.throws(() => dedupClaims({ store: { get() {}, setIfAbsent() {}, compareAndSet() {} } }, () => {}), { ...invalid, message: /delete missing/ });
  assert.throws(() => dedupClaims({ store: { get() {}, delete() {}, compareAndSet() {} } }, () => {}), { ...invalid, message: /setIfAbsent missing/ });
  assert.equal(dedupClaims({ dedup: false }, () => {}), null);
});

test('with the replay window off (maxSkewSeconds: 0) the dedup TTL assumes a 300 s window: at least 600 s', async () => {
  await import(entry); // loads the wasm
  const { createProcessor } = (await import(internalUrl)).default;
  const base = { token: 'edge-token', encodingAESKey: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR', appId: 'wx49f0ab532d5d035a', maxSkewSeconds: 0, onMessage() {} };
  assert.throws(() => createProcessor({ ...base, dedupTtlSeconds: 599 }), { code: -41006, message: /at least 600 / });
  assert.doesNotThrow(() => createProcessor({ ...base, dedupTtlSeconds: 600 }));
  assert.throws(() => createProcessor({ ...base, maxSkewSeconds: 100, dedupTtlSeconds: 199 }), { code: -41006, message: /at least 200 / });
  assert.doesNotThrow(() => createProcessor({ ...base, maxSkewSeconds: 100, dedupTtlSeconds: 200 }));
});
