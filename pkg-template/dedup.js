// De-duplication of the platform's retries (it retries a push 3 times when not answered in
// 5 s). A store records each push's dedupKey for a while; the handler acknowledges a repeated
// key without handling it again.
//
// The interface (implement it for a shared store when several instances serve the URL):
//   claim(key, ttlSeconds) -> boolean | Promise<boolean>  true when the key was NOT there yet
//                                                          (it is recorded now, for ttlSeconds)
//   release?(key)          -> void | Promise<void>         forget it (the callback failed, so
//                                                          the platform's retry runs it again)
// Redis:  claim = (await redis.set(key, '1', { NX: true, EX: ttl })) === 'OK'; release = del.
// Workers KV (eventually consistent, so best effort): claim = !(await kv.get(key)) and then
//   kv.put(key, '1', { expirationTtl: Math.max(60, ttl) }); release = kv.delete(key).

/** In-memory store with a TTL per key and a bound on the number of keys. */
export class MemoryDedupStore {
  #keys = new Map(); // key -> expiry (ms), in insertion order
  #now;
  #maxEntries;

  /** @param {{ maxEntries?: number, now?: () => number }} [options] */
  constructor({ maxEntries = 10000, now = Date.now } = {}) {
    this.#maxEntries = maxEntries;
    this.#now = now;
  }

  claim(key, ttlSeconds = 300) {
    const now = this.#now();
    const expiry = this.#keys.get(key);
    if (expiry !== undefined && expiry > now) return false;
    this.#keys.delete(key);
    this.#keys.set(key, now + ttlSeconds * 1000);
    if (this.#keys.size > this.#maxEntries) this.#sweep(now);
    return true;
  }

  release(key) {
    this.#keys.delete(key);
  }

  get size() {
    return this.#keys.size;
  }

  #sweep(now) {
    for (const [k, expiry] of this.#keys) if (expiry <= now) this.#keys.delete(k);
    // Still too many live keys: drop the oldest.
    for (const k of this.#keys.keys()) {
      if (this.#keys.size <= this.#maxEntries) break;
      this.#keys.delete(k);
    }
  }
}
