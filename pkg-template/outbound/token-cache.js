// The access token shared through a Store by every instance of one appId:
//   token:<appId>        JSON {"value","expiresAt"}: expiresAt (ms) is when instances stop using
//                        it (the platform's expiry minus the refresh margin, at most half the
//                        lifetime); the key's TTL ends there too.
//   token-lock:<appId>   held (setIfAbsent, TTL lockMs) by the one instance fetching a token;
//                        the others poll token:<appId> and take the lock if it is released.
//   token-force:<appId>  set for forceIntervalMs when an instance asks for force_refresh, so
//                        that across instances it happens at most once per interval.
// A failed token is dropped only if it is still the cached one (delete with ifValue). When the
// store fails or hangs (storeTimeoutMs), the error is reported and this instance keeps and
// fetches its own token; the store is tried again after a pause (recovery is automatic).
import { withDeadline, unavailable } from '../stores/memory.js';

const STORE_PAUSE_MS = 2000;

function randomId() {
  return typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}.${Math.random().toString(36).slice(2)}`;
}

export class TokenCache {
  #store; #key; #lockKey; #forceKey; #fetch; #now; #marginMs; #timeoutMs; #lockMs; #forceMs;
  #pollMs; #report;
  #local = null; // { value, expiresAt, raw }
  #failed = []; // the last tokens the platform refused here: never taken from the cache again
  #inflight = null;
  #storeDownUntil = 0;
  #lastLocalForce = -Infinity;

  /**
   * @param {object} o
   * @param {object} o.store  a Store (stores/store.d.ts)
   * @param {string} o.appId
   * @param {(force: boolean) => Promise<{ value: string, expiresIn?: number }>} o.fetch
   *   fetches a token (expiresIn in seconds; without it the token is not cached)
   */
  constructor({ store, appId, fetch, now, marginMs, storeTimeoutMs = 1000, lockMs = 10_000,
    forceIntervalMs = 30_000, pollMs = 50, onError = () => {} }) {
    this.#store = store;
    this.#key = `token:${appId}`;
    this.#lockKey = `token-lock:${appId}`;
    this.#forceKey = `token-force:${appId}`;
    this.#fetch = fetch;
    this.#now = now;
    this.#marginMs = marginMs;
    this.#timeoutMs = storeTimeoutMs;
    this.#lockMs = lockMs;
    this.#forceMs = forceIntervalMs;
    this.#pollMs = pollMs;
    this.#report = onError;
  }

  /**
   * A valid token. `force`: the last freshly fetched token still failed: ask the platform for a
   * new one (force_refresh), gated across instances unless `ungated`.
   */
  async get({ force = false, ungated = false } = {}) {
    if (!force) {
      const cached = await this.#read();
      if (cached) return cached.value;
    }
    if (!this.#inflight) {
      this.#inflight = this.#refresh(force, ungated).finally(() => {
        this.#inflight = null;
      });
    }
    return this.#inflight;
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
      if (!this.#down()) await this.#call(() => this.#store.delete(this.#key), 'dropping the token').catch(() => {});
      return;
    }
    if (local?.value !== value) return;
    this.#local = null;
    if (this.#down()) return;
    await this.#call(() => this.#store.delete(this.#key, local.raw), 'dropping the token').catch(() => {});
  }

  #down() {
    return Date.now() < this.#storeDownUntil;
  }

  async #call(fn, what) {
    try {
      return await withDeadline(fn(), this.#timeoutMs, what);
    } catch (e) {
      this.#storeDownUntil = Date.now() + STORE_PAUSE_MS;
      const error = unavailable(e, what);
      try { this.#report(error, { phase: 'store' }); } catch {}
      throw error;
    }
  }

  #fresh(entry) {
    return entry && this.#now() < entry.expiresAt ? entry : null;
  }

  /** The cached token when still usable: from the store, or this instance's own when it is down. */
  async #read() {
    if (this.#down()) return this.#fresh(this.#local);
    let raw;
    try {
      raw = await this.#call(() => this.#store.get(this.#key), 'reading the token');
    } catch {
      return this.#fresh(this.#local);
    }
    if (raw === null || raw === undefined) return null;
    let parsed;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return null;
    }
    if (typeof parsed?.value !== 'string' || typeof parsed.expiresAt !== 'number') return null;
    // Refused here already, still cached (another caller's delete not done yet): not again.
    if (this.#failed.includes(parsed.value)) return null;
    const entry = { value: parsed.value, expiresAt: parsed.expiresAt, raw };
    if (!this.#fresh(entry)) return null;
    this.#local = entry;
    return entry;
  }

  async #refresh(force, ungated) {
    if (this.#down()) return this.#fetchLocally(force);
    const id = randomId();
    for (;;) {
      let locked;
      try {
        locked = await this.#call(() => this.#store.setIfAbsent(this.#lockKey, id, this.#lockMs), 'taking the token lock');
      } catch {
        return this.#fetchLocally(force);
      }
      if (locked) {
        try {
          const useForce = force && (ungated || await this.#forceAllowed());
          if (!useForce) {
            const cached = await this.#read(); // refreshed by another instance meanwhile
            if (cached) return cached.value;
          }
          return await this.#fetchAndKeep(useForce, true);
        } finally {
          await this.#call(() => this.#store.delete(this.#lockKey, id), 'releasing the token lock').catch(() => {});
        }
      }
      // Another instance is fetching: wait for its token (or for its lock to go away).
      await new Promise((resolve) => setTimeout(resolve, this.#pollMs * (0.5 + Math.random())));
      const cached = await this.#read();
      if (cached) return cached.value;
      if (this.#down()) return this.#fetchLocally(force);
    }
  }

  async #forceAllowed() {
    try {
      return await this.#call(() => this.#store.setIfAbsent(this.#forceKey, String(this.#now()), this.#forceMs), 'gating force_refresh');
    } catch {
      return false;
    }
  }

  /** Without the store: this instance's own token, force_refresh at most once per interval. */
  async #fetchLocally(force) {
    const local = this.#fresh(this.#local);
    if (local && !force) return local.value;
    const useForce = force && Date.now() - this.#lastLocalForce >= this.#forceMs;
    if (useForce) this.#lastLocalForce = Date.now();
    return this.#fetchAndKeep(useForce, false);
  }

  async #fetchAndKeep(force, share) {
    const got = await this.#fetch(force);
    this.#failed = this.#failed.filter((v) => v !== got.value); // freshly issued: try it again
    if (got.expiresIn === undefined) return got.value; // the user's function is the cache
    const now = this.#now();
    const lifetimeMs = (Number(got.expiresIn) || 7200) * 1000;
    const expiresAt = now + Math.max(lifetimeMs - this.#marginMs, lifetimeMs / 2);
    const raw = JSON.stringify({ value: got.value, expiresAt });
    this.#local = { value: got.value, expiresAt, raw };
    if (share && expiresAt > now) {
      await this.#call(() => this.#store.set(this.#key, raw, expiresAt - now), 'storing the token').catch(() => {});
    }
    return got.value;
  }
}
