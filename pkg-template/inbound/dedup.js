// De-duplication of the platform's retries (it tries a push three times, 5 s apart, when it
// gets no answer; usually on another instance). A claim is a lease, not a verdict:
//   1. `setIfAbsent(dedup:<dedupKey>, 'lease:<id>', leaseMs)` before onMessage runs: a short
//      processing lease, unique to this attempt (a client that re-sends the command after a
//      lost reply finds its own id: the store counts that as set);
//   2. when the push was handled (or acknowledged), `compareAndSet` from the lease to
//      'done:<id>' for the whole dedup TTL: from then on every copy is answered 'success';
//   3. when onMessage failed, compare-and-delete of the lease, so that the platform's retry
//      runs it again — also after a store timeout, so that no claim that landed late lingers.
// A crashed instance's lease lapses after leaseMs (default 5 s: the reply budget and a store
// call, plus a second), before the platform's last attempt, and another instance handles it.
// A copy that finds another's lease waits (polling) for it to turn to done or lapse within its
// own reply budget, and is answered 503 if it did not: never 'success' before the push was
// handled. Store errors, timeouts and answers outside the contract fail open: reported through
// onError (phase 'dedup'), the push handled.
import { MemoryStore, withDeadline, unavailable } from '../stores/memory.js';
import { checkedStore, missingMethods } from '../stores/guarded.js';
import { ERR, wxkfError, invalidOption } from '../errors.js';

/** How often a waiting copy looks at another instance's lease (ms). */
const POLL_MS = 100;
const LEASE = 'lease:';
const DONE = 'done:';
const PREFIX = 'dedup:';

// A claim's id: unique to one attempt, across instances. One random prefix per process (drawn
// at the first claim) and a counter: a UUID per claim cost a few tenths of a µs a push.
let prefix;
let counter = 0;
function claimId() {
  prefix ??= typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  counter += 1;
  return `${prefix}.${counter}`;
}

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

/**
 * The handler's dedup claims from its options: `store` (a Store; default a MemoryStore),
 * `dedup: false` (off), or a legacy `dedup: { claim(key, ttlSeconds), release?(key) }` (a
 * verdict, not a lease). `leaseMs` is the processing lease.
 * Returns null (off) or { claim(key, ttlSeconds, deadline) }, where claim resolves to
 *   false                        the push was handled already: answer 'success';
 *   'busy'                       another instance holds its lease past `deadline` (a time on
 *                                Date.now's clock): answer an error, the platform tries again;
 *   { done(), release() }        this request handles it: done() after it was handled or
 *                                acknowledged, release() after it failed. Neither throws.
 * Never throws.
 */
export function dedupClaims(options, report, leaseMs = 5000) {
  const { store, dedup, storeTimeoutMs = 1000 } = options;
  if (dedup === false) return null;
  const fail = (e, key, what) => report(unavailable(e, what), { phase: 'dedup', dedupKey: key });

  if (dedup !== undefined && dedup !== null) {
    if (typeof dedup.claim !== 'function') {
      throw invalidOption('dedup', 'dedup must be false or an object with claim(key, ttlSeconds); pass a Store as `store`');
    }
    return legacyClaims(dedup, storeTimeoutMs, fail);
  }

  const s = store ?? new MemoryStore({ now: options.now, onError: (e) => report(e, { phase: 'dedup' }) });
  const missing = missingMethods(s, ['get', 'setIfAbsent', 'delete', 'compareAndSet']);
  if (missing.length > 0) {
    throw invalidOption('store', `store must implement the Store contract (${missing.join(', ')} missing)`);
  }
  // Every call with the deadline and its answer checked; each failure reported once, here.
  const checked = checkedStore(s, {
    timeoutMs: storeTimeoutMs,
    report: (e, info) => report(e, { phase: 'dedup', dedupKey: String(info.key ?? '').slice(PREFIX.length) }),
  });

  /**
   * The handle of a lease this request holds, or may hold (`known` false: the claim's answer was
   * lost, already reported; a lease that is not there then is no news).
   */
  function lease(key, k, id, ttlSeconds, known = true) {
    const mine = LEASE + id;
    return {
      async done() {
        let marked;
        try {
          marked = await checked.compareAndSet(k, mine, DONE + id, ttlSeconds * 1000);
        } catch {
          return; // reported
        }
        if (!marked && known) {
          report(wxkfError(ERR.LeaseLost, `the dedup lease of this push was gone when it was marked handled (it lapsed `
            + `after ${leaseMs} ms, or the store lost it): another instance may handle it too`), { phase: 'dedup', dedupKey: key });
        }
      },
      async release() {
        await checked.delete(k, mine).catch(() => {}); // a failure is reported
      },
    };
  }

  return {
    async claim(key, ttlSeconds, deadline = 0) {
      const k = PREFIX + key;
      for (let attempt = 0; ; ) {
        const id = claimId();
        let taken;
        try {
          taken = await checked.setIfAbsent(k, LEASE + id, leaseMs);
        } catch {
          // Unknown (reported): the command may have run. Handle the push (fail open); the
          // handle still marks or releases this id, so a claim that landed late is cleaned up.
          return lease(key, k, id, ttlSeconds, false);
        }
        if (taken) return lease(key, k, id, ttlSeconds);
        if (attempt++ > 0 && Date.now() >= deadline) return 'busy';
        // Someone holds it: handled already, or a lease another copy is working under.
        for (;;) {
          let value;
          try {
            value = await checked.get(k);
          } catch {
            return 'busy'; // reported; the platform tries again
          }
          if (value === null) break; // released or lapsed: claim it again (below)
          if (!value.startsWith(LEASE)) return false; // done (or a claim of an older version)
          if (Date.now() + POLL_MS >= deadline) return 'busy';
          await sleep(POLL_MS);
        }
      }
    },
  };
}

/** The former `dedup: { claim, release? }` interface: a verdict, kept as it was. */
function legacyClaims(dedup, storeTimeoutMs, fail) {
  const noop = async () => {};
  return {
    async claim(key, ttlSeconds) {
      try {
        const claimed = await withDeadline(dedup.claim(key, ttlSeconds), storeTimeoutMs, 'a dedup claim');
        if (claimed === false) return false;
        if (claimed !== true) {
          throw wxkfError(ERR.StoreUnavailable, `the dedup store answered claim() with ${claimed === null ? 'null' : typeof claimed}, not a boolean`);
        }
      } catch (e) {
        fail(e, key, 'a dedup claim');
      }
      return {
        done: noop,
        async release() {
          if (typeof dedup.release !== 'function') return;
          try { await withDeadline(dedup.release(key), storeTimeoutMs, 'a dedup release'); } catch (e) { fail(e, key, 'a dedup release'); }
        },
      };
    },
  };
}
