// The access token shared through a Store by every instance of one appId:
//   token:<appId>        JSON {"value","expiresAt","issuedAt","id"}: expiresAt (ms) is when
//                        instances stop using it (the platform's expiry minus the refresh margin,
//                        at most half the lifetime; the key's TTL ends there too); issuedAt (ms,
//                        `now` when its request was sent) fences writes: a token is written with
//                        compareAndSet over what was read, and never over a newer one; id makes
//                        each write unique (a re-sent compareAndSet recognises its own write).
//   token-lock:<appId>   held (setIfAbsent, TTL lockMs, a unique id) by the one instance
//                        fetching a token; the others poll token:<appId> and take the lock when
//                        it is released or lapses. The holder's fetch and write end before its
//                        lock can lapse (fetch deadline: lock taken + lockMs - 2 x storeTimeoutMs).
//   token-force:<appId>  set for forceIntervalMs when an instance asks for force_refresh, so
//                        that across instances it happens at most once per interval.
// One number bounds a call: budgetMs (tokenBudgetMs). Waiting for another holder's lock (at most
// lockMs, which is at most half the budget), then fetching with the lock (less than lockMs),
// fits in it; when it passes the call fails with -42004 Transport (retryable) and a response that
// comes later is dropped, never written.
// A failed token is dropped only if it is still the cached one (delete with ifValue). When the
// store fails, hangs (storeTimeoutMs) or answers outside its contract, the error is reported
// (-43002, phase 'store') and this instance keeps and fetches its own token, force_refresh at
// most once per interval from this instance (across instances only the platform's own limit then
// holds: see Client); the store is tried again after a pause (recovery is automatic).
import { ERR, wxkfError } from '../errors.js';
import { checkedStore } from '../stores/guarded.js';

const STORE_PAUSE_MS = 2000;
/** Attempts to write a token over what another instance wrote meanwhile. */
const WRITE_ATTEMPTS = 3;

const elapsed = typeof performance !== 'undefined' && typeof performance.now === 'function'
  ? () => performance.now()
  : () => Date.now();

function randomId() {
  return typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}.${Math.random().toString(36).slice(2)}`;
}

/** A stored token record, or null when `raw` is not one. */
function parseRecord(raw) {
  if (typeof raw !== 'string') return null;
  let parsed;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof parsed?.value !== 'string' || typeof parsed.expiresAt !== 'number') return null;
  const issuedAt = typeof parsed.issuedAt === 'number' ? parsed.issuedAt : 0; // older records: oldest
  return { value: parsed.value, expiresAt: parsed.expiresAt, issuedAt, raw };
}

/** Resolves after `ms` (at least 0). */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export class TokenCache {
  #store; #key; #lockKey; #forceKey; #fetch; #now; #marginMs; #storeMs; #budgetMs; #lockMs;
  #forceMs; #pollMs;
  #local = null; // { value, expiresAt, issuedAt, raw }
  #failed = []; // the last tokens the platform refused here: never taken from the cache again
  #inflight = null;
  #storeDownUntil = -Infinity;
  #lastLocalForce = -Infinity;

  /**
   * @param {object} o
   * @param {object} o.store  a Store (stores/store.d.ts)
   * @param {string} o.appId
   * @param {(force: boolean, deadline: number) => Promise<{ value: string, expiresIn?: number }>} o.fetch
   *   fetches a token (expiresIn in seconds; without it the token is not cached); `deadline`
   *   (performance.now() ms) is when the fetch must be over, retries included
   * @param {number} o.budgetMs  bounds a call (get), waiting and retries included
   * @param {number} o.lockMs  the refresh lock's TTL: more than 3 x storeTimeoutMs, at most budgetMs / 2
   */
  constructor({ store, appId, fetch, now, marginMs, storeTimeoutMs = 1000, budgetMs = 20_000,
    lockMs = Math.floor(budgetMs / 2), forceIntervalMs = 30_000, pollMs = 50, onError = () => {} }) {
    this.#key = `token:${appId}`;
    this.#lockKey = `token-lock:${appId}`;
    this.#forceKey = `token-force:${appId}`;
    this.#fetch = fetch;
    this.#now = now;
    this.#marginMs = marginMs;
    this.#storeMs = storeTimeoutMs;
    this.#budgetMs = budgetMs;
    this.#lockMs = lockMs;
    this.#forceMs = forceIntervalMs;
    this.#pollMs = pollMs;
    this.#store = checkedStore(store, {
      timeoutMs: storeTimeoutMs,
      phase: 'store',
      report: (error, info) => {
        this.#storeDownUntil = elapsed() + STORE_PAUSE_MS;
        onError(error, info);
      },
    });
  }

  /**
   * A valid token within budgetMs (or by `deadline`, elapsed() ms, when sooner: a call's
   * budget shared by its token rounds), or a WxkfError. `force`: the last freshly fetched token
   * still failed: ask the platform for a new one (force_refresh), gated across instances unless
   * `ungated`.
   */
  async get({ force = false, ungated = false, deadline: given = Infinity } = {}) {
    const deadline = Math.min(given, elapsed() + this.#budgetMs);
    if (!force) {
      const cached = await this.#read();
      if (cached) return cached.value;
    }
    if (!this.#inflight) {
      this.#inflight = this.#refresh(force, ungated, deadline).finally(() => {
        this.#inflight = null;
      });
    }
    return this.#bounded(this.#inflight, deadline, 'waiting for a token');
  }

  /** Forgets `value` here and in the store, only if it is still the cached token. */
  async drop(value) {
    if (value !== undefined && !this.#failed.includes(value)) {
      this.#failed.push(value);
      if (this.#failed.length > 8) this.#failed.shift();
    }
    const local = this.#local;
    if (value === undefined) {
      this.#local = null;
      if (!this.#down()) await this.#store.delete(this.#key).catch(() => {});
      return;
    }
    if (local?.value !== value) return;
    this.#local = null;
    if (this.#down()) return;
    await this.#store.delete(this.#key, local.raw).catch(() => {});
  }

  #down() {
    return elapsed() < this.#storeDownUntil;
  }

  /** `promise`, or a -42004 Transport error when `deadline` (elapsed() ms) passes first. */
  #bounded(promise, deadline, what) {
    let timer;
    const late = new Promise((_, reject) => {
      timer = setTimeout(() => reject(this.#budgetError(what)), Math.max(0, deadline - elapsed()));
    });
    return Promise.race([promise, late]).finally(() => clearTimeout(timer));
  }

  #budgetError(what) {
    return wxkfError(ERR.Transport, `no access token in time: ${what} took too long (tokenBudgetMs ${this.#budgetMs} ms; `
      + `a refresh holding the lock ends ${2 * this.#storeMs} ms before its ${this.#lockMs} ms lapse)`,
      { retryable: true, phase: 'token' });
  }

  #fresh(entry) {
    return entry && this.#now() < entry.expiresAt ? entry : null;
  }

  /** The cached token when still usable: from the store, or this instance's own when it is down. */
  async #read() {
    if (this.#down()) return this.#fresh(this.#local);
    let raw;
    try {
      raw = await this.#store.get(this.#key);
    } catch {
      return this.#fresh(this.#local);
    }
    const entry = parseRecord(raw);
    // Refused here already, still cached (another caller's delete not done yet): not again.
    if (!entry || this.#failed.includes(entry.value) || !this.#fresh(entry)) return null;
    this.#local = entry;
    return entry;
  }

  async #refresh(force, ungated, deadline) {
    if (this.#down()) return this.#fetchLocally(force, deadline);
    const id = randomId();
    for (;;) {
      const before = elapsed();
      if (before >= deadline) throw this.#budgetError('waiting for the refresh lock');
      let locked;
      try {
        locked = await this.#store.setIfAbsent(this.#lockKey, id, this.#lockMs);
      } catch {
        return this.#fetchLocally(force, deadline);
      }
      if (locked) {
        // The lock lapses no earlier than before + lockMs: the fetch ends in time to write.
        const fetchDeadline = Math.min(deadline, before + this.#lockMs - 2 * this.#storeMs);
        try {
          const useForce = force && (ungated || await this.#forceAllowed(id));
          if (!useForce) {
            const cached = await this.#read(); // refreshed by another instance meanwhile
            if (cached) return cached.value;
          }
          return await this.#fetchAndKeep(useForce, true, fetchDeadline);
        } finally {
          await this.#store.delete(this.#lockKey, id).catch(() => {});
        }
      }
      // Another instance is fetching: wait for its token (or for its lock to go away).
      await sleep(Math.min(this.#pollMs * (0.5 + Math.random()), deadline - elapsed()));
      const cached = await this.#read();
      if (cached) return cached.value;
      if (this.#down()) return this.#fetchLocally(force, deadline);
    }
  }

  /** Whether this instance may force_refresh now: the shared gate, or this instance's own. */
  async #forceAllowed(id) {
    try {
      return await this.#store.setIfAbsent(this.#forceKey, `${this.#now()}:${id}`, this.#forceMs);
    } catch {
      return this.#localForceAllowed();
    }
  }

  #localForceAllowed() {
    const t = elapsed();
    if (t - this.#lastLocalForce < this.#forceMs) return false;
    this.#lastLocalForce = t;
    return true;
  }

  /** Without the store: this instance's own token, force_refresh at most once per interval. */
  async #fetchLocally(force, deadline) {
    const local = this.#fresh(this.#local);
    if (local && !force) return local.value;
    return this.#fetchAndKeep(force && this.#localForceAllowed(), false, deadline);
  }

  async #fetchAndKeep(force, share, deadline) {
    if (deadline - elapsed() < 1) throw this.#budgetError('fetching a token');
    const issuedAt = this.#now();
    // After the deadline the answer is dropped: a late token is never kept nor written.
    const got = await this.#bounded(this.#fetch(force, deadline), deadline, 'fetching a token');
    this.#failed = this.#failed.filter((v) => v !== got.value); // freshly issued: try it again
    if (got.expiresIn === undefined) return got.value; // the user's function is the cache
    const now = this.#now();
    const lifetimeMs = (Number(got.expiresIn) || 7200) * 1000;
    const expiresAt = now + Math.max(lifetimeMs - this.#marginMs, lifetimeMs / 2);
    const raw = JSON.stringify({ value: got.value, expiresAt, issuedAt, id: randomId() });
    const entry = { value: got.value, expiresAt, issuedAt, raw };
    this.#local = entry;
    if (share && expiresAt > now) await this.#keep(entry, now);
    return got.value;
  }

  /** Writes `entry` over what the store holds, unless that is newer (compareAndSet, fenced). */
  async #keep(entry, now) {
    try {
      for (let i = 0; i < WRITE_ATTEMPTS; i++) {
        const current = await this.#store.get(this.#key);
        const held = parseRecord(current);
        if (held && held.issuedAt > entry.issuedAt) return; // a newer token: keep it
        if (await this.#store.compareAndSet(this.#key, current, entry.raw, entry.expiresAt - now)) return;
      }
    } catch {
      // Reported (checkedStore); this instance keeps its own token.
    }
  }
}
