// The dedup claims (pkg/dedup.js) where the JS mutation run (scripts/js-mutants.mjs) showed
// them untested: each claim's id is its own even when the random part repeats (a claim that
// expired must not release the claim that replaced it), and claims work on a host without
// crypto.randomUUID or without a global crypto at all. Uses the built package (pkg/;
// WECHAT_KF_PKG overrides the entry).
import { test } from 'node:test';
import assert from 'node:assert/strict';

const entry = process.env.WECHAT_KF_PKG ?? new URL('../../pkg/node.js', import.meta.url).href;
const { dedupClaims } = await import(new URL('./dedup.js', entry).href);
const { MemoryStore } = await import(new URL('./store.js', entry).href);

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
