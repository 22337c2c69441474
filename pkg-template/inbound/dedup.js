// De-duplication of the platform's retries (it retries a push 3 times when not answered in
// 5 s, usually on another instance). Each push's dedupKey is claimed in the store
// (`dedup:<dedupKey>`, setIfAbsent) before onMessage runs, so a retry arriving while the first
// delivery is still running is acknowledged as a duplicate. A failed callback releases its
// claim (compare-and-delete, so only its own) and the platform's retry runs it again. Store
// errors and timeouts fail open: reported through onError (phase 'dedup'), the push handled.
import { MemoryStore, withDeadline, unavailable } from '../stores/memory.js';
import { invalidOption } from '../errors.js';

let counter = 0;
function claimId() {
  counter = (counter + 1) % 1e9;
  const random = typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : Math.random().toString(36).slice(2);
  return `${random}.${counter}`;
}

/**
 * The handler's dedup claims from its options: `store` (a Store; default a MemoryStore),
 * `dedup: false` (off), or a legacy `dedup: { claim(key, ttlSeconds), release?(key) }`.
 * Returns null (off) or { claim(key, ttlSeconds) -> Promise<false | { release() }> }; never throws.
 */
export function dedupClaims(options, report) {
  const { store, dedup, storeTimeoutMs = 1000 } = options;
  if (dedup === false) return null;
  const fail = (e, key, what) => report(unavailable(e, what), { phase: 'dedup', dedupKey: key });

  if (dedup !== undefined && dedup !== null) {
    if (typeof dedup.claim !== 'function') {
      throw invalidOption('dedup', 'dedup must be false or an object with claim(key, ttlSeconds); pass a Store as `store`');
    }
    return {
      async claim(key, ttlSeconds) {
        try {
          if (!(await withDeadline(dedup.claim(key, ttlSeconds), storeTimeoutMs, 'a dedup claim'))) return false;
        } catch (e) {
          fail(e, key, 'a dedup claim');
        }
        return {
          async release() {
            if (typeof dedup.release !== 'function') return;
            try { await withDeadline(dedup.release(key), storeTimeoutMs, 'a dedup release'); } catch (e) { fail(e, key, 'a dedup release'); }
          },
        };
      },
    };
  }

  const s = store ?? new MemoryStore({ now: options.now, onError: (e) => report(e, { phase: 'dedup' }) });
  for (const m of ['setIfAbsent', 'delete']) {
    if (typeof s[m] !== 'function') throw invalidOption('store', `store must implement the Store contract (${m} is missing)`);
  }
  return {
    async claim(key, ttlSeconds) {
      const k = `dedup:${key}`;
      const id = claimId();
      let mine = true;
      try {
        mine = await withDeadline(s.setIfAbsent(k, id, ttlSeconds * 1000), storeTimeoutMs, 'a dedup claim');
      } catch (e) {
        fail(e, key, 'a dedup claim');
        return { async release() {} }; // nothing was claimed
      }
      if (!mine) return false;
      return {
        async release() {
          try { await withDeadline(s.delete(k, id), storeTimeoutMs, 'a dedup release'); } catch (e) { fail(e, key, 'a dedup release'); }
        },
      };
    },
  };
}
