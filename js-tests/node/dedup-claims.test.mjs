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

/** Claims over a MemoryStore whose clock the test moves. */
function claimsWithClock() {
  const clock = { t: 1_700_000_000_000 };
  const store = new MemoryStore({ now: () => clock.t });
  const errors = [];
  const claims = dedupClaims({ store }, (e) => errors.push(e));
  return { clock, store, claims, errors };
}

/** An expired claim's late release leaves the claim that replaced it in place. */
async function lateReleaseKeepsTheNewClaim() {
  const { clock, store, claims, errors } = claimsWithClock();
  const first = await claims.claim('msg:a:1', 1);
  assert.ok(first, 'the first claim is taken');
  assert.equal(await claims.claim('msg:a:1', 1), false, 'a retry inside the TTL is a duplicate');
  clock.t += 2000; // the first claim expires (its callback is still running)
  const second = await claims.claim('msg:a:1', 1);
  assert.ok(second, 'a claim after the TTL is taken');
  await first.release(); // the slow first callback fails late: must not release the second
  assert.notEqual(await store.get('dedup:msg:a:1'), null, 'the second claim is still stored');
  assert.equal(await claims.claim('msg:a:1', 1), false, 'still a duplicate');
  await second.release();
  assert.equal(await store.get('dedup:msg:a:1'), null, 'its own release deletes it');
  assert.ok(await claims.claim('msg:a:1', 1), 'claimable again');
  assert.deepEqual(errors, []);
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

test('a claim of ttlSeconds expires after exactly ttlSeconds * 1000 ms of the store clock', async () => {
  const { clock, claims } = claimsWithClock();
  assert.ok(await claims.claim('event:a:b:1:subscribe', 3));
  clock.t += 2999;
  assert.equal(await claims.claim('event:a:b:1:subscribe', 3), false, 'live 1 ms before');
  clock.t += 1;
  assert.ok(await claims.claim('event:a:b:1:subscribe', 3), 'expired at 3000 ms');
});

test('a store that does not answer fails open after the default 1000 ms (mocked timers)', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const errors = [];
    const hanging = { setIfAbsent: () => new Promise(() => {}), delete: () => new Promise(() => {}) };
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
  assert.throws(() => dedupClaims({ store: { setIfAbsent() {} } }, () => {}), { ...invalid, message: /delete is missing/ });
  assert.throws(() => dedupClaims({ store: { delete() {} } }, () => {}), { ...invalid, message: /setIfAbsent is missing/ });
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
