// The store contract (store.d.ts `Store`) and the in-memory store, the default for one
// process. Shared stores for many instances: wechat-kf/redis, wechat-kf/cloudflare,
// wechat-kf/deno-kv. Keys and values are strings, TTLs milliseconds; each method is atomic.
import { ERR, WxkfError, wxkfError, invalidOption } from '../errors.js';
import { checkOptionNames, numberOption } from '../options.js';
import { reporter } from './guarded.js';

// The store codes (-43001 StoreOverBound, -43002 StoreUnavailable, -43003 InvalidStoreArgument)
// live in the Rust table (src/error.rs), generated into generated/tables.js as ERR.

function invalid(message) {
  return wxkfError(ERR.InvalidStoreArgument, message);
}

/** Checks the arguments every store takes (shared by the shipped stores). */
export function checkKey(key) {
  if (typeof key !== 'string' || key === '') throw invalid('a store key must be a non-empty string');
}
export function checkValue(value) {
  if (typeof value !== 'string') throw invalid('a store value must be a string (serialise it first)');
}
export function checkTtl(ttlMs, required) {
  if (ttlMs === undefined && !required) return undefined;
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw invalid('ttlMs must be a positive number of milliseconds');
  }
  return Math.max(1, Math.ceil(ttlMs));
}

/**
 * One process's store. Expired keys read as absent and are swept away in amortised constant
 * time (a full sweep each time the map doubles since the last one). A live key is never
 * dropped: past `maxKeys` live keys (default 1,000,000) the store keeps them all and reports a
 * -43001 StoreOverBound WxkfError through `onError` (once per doubling past the bound).
 */
export class MemoryStore {
  #map = new Map(); // key -> { value, expiresAt } (expiresAt Infinity: no TTL)
  #now;
  #maxKeys;
  #onError;
  #prefix;
  #nextSweep = 1024;
  #nextReport;

  /** @param {{ now?: () => number, maxKeys?: number, onError?: (e: Error) => void, prefix?: string }} [options] */
  constructor(options = {}) {
    checkOptionNames('MemoryStore', options, ['now', 'maxKeys', 'onError', 'prefix']);
    const { now = Date.now, maxKeys = 1_000_000, onError, prefix = 'wechat-kf:' } = options;
    if (typeof now !== 'function') throw invalidOption('now', 'MemoryStore option now must be a function returning milliseconds');
    numberOption('MemoryStore', 'maxKeys', maxKeys, { min: 1, max: Number.MAX_SAFE_INTEGER, whole: true, unit: 'keys' });
    this.#now = now;
    this.#maxKeys = maxKeys;
    if (onError !== undefined && typeof onError !== 'function') {
      throw invalidOption('onError', 'MemoryStore option onError must be a function (error) => void');
    }
    // Never throws: a throwing or rejecting onError, or none (one console.error line), is handled there.
    this.#onError = reporter(onError);
    this.#prefix = String(prefix);
    this.#nextReport = maxKeys;
  }

  /** Keys held (live, and expired ones not swept yet). */
  get size() {
    return this.#map.size;
  }

  #live(key) {
    const k = this.#prefix + key;
    const entry = this.#map.get(k);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#map.delete(k);
      return undefined;
    }
    return entry;
  }

  #put(key, value, ttlMs) {
    const expiresAt = ttlMs === undefined ? Infinity : this.#now() + ttlMs;
    this.#map.set(this.#prefix + key, { value, expiresAt });
    if (this.#map.size >= this.#nextSweep) this.#sweep();
  }

  #sweep() {
    const now = this.#now();
    for (const [k, e] of this.#map) if (e.expiresAt <= now) this.#map.delete(k);
    const size = this.#map.size;
    this.#nextSweep = Math.max(1024, size * 2);
    if (size > this.#maxKeys && size >= this.#nextReport) {
      this.#nextReport = size * 2;
      this.#onError(wxkfError(ERR.StoreOverBound,
        `the memory store holds ${size} live keys, more than maxKeys (${this.#maxKeys}); ` +
        'it keeps them all: raise maxKeys, shorten TTLs, or use a shared store',
        { size, maxKeys: this.#maxKeys }), { phase: 'store' });
    } else if (size <= this.#maxKeys) {
      this.#nextReport = this.#maxKeys;
    }
  }

  get(key) {
    checkKey(key);
    return this.#live(key)?.value ?? null;
  }

  set(key, value, ttlMs) {
    checkKey(key);
    checkValue(value);
    this.#put(key, value, checkTtl(ttlMs, false));
  }

  setIfAbsent(key, value, ttlMs) {
    checkKey(key);
    checkValue(value);
    const ttl = checkTtl(ttlMs, true);
    const entry = this.#live(key);
    if (entry !== undefined) return entry.value === value; // its own write, sent again: true
    this.#put(key, value, ttl);
    return true;
  }

  delete(key, ifValue) {
    checkKey(key);
    const entry = this.#live(key);
    if (entry === undefined) return false;
    if (ifValue !== undefined && entry.value !== ifValue) return false;
    this.#map.delete(this.#prefix + key);
    return true;
  }

  compareAndSet(key, expected, value, ttlMs) {
    checkKey(key);
    checkValue(value);
    const ttl = checkTtl(ttlMs, false);
    const current = this.#live(key)?.value ?? null;
    if (current !== expected) return current === value; // already holds value: its own write
    this.#put(key, value, ttl);
    return true;
  }
}

/**
 * Runs one store call with a deadline so that a store that hangs (a client queueing commands
 * while it reconnects) cannot hold up a handler: rejects with -43002 StoreUnavailable.
 */
export function withDeadline(promiseOrValue, ms, what) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(wxkfError(ERR.StoreUnavailable,
      `the store did not answer ${what} within ${ms} ms`)), ms);
  });
  return Promise.race([Promise.resolve(promiseOrValue), late]).finally(() => clearTimeout(timer));
}

/** Wraps any error of a store call as -43002 StoreUnavailable (the cause kept). */
export function unavailable(error, what) {
  if (error instanceof WxkfError && error.code === ERR.StoreUnavailable) return error;
  if (error instanceof WxkfError && error.code === ERR.InvalidStoreArgument) return error;
  return wxkfError(ERR.StoreUnavailable,
    `the store failed ${what}: ${error && error.message ? error.message : error}`, { cause: error });
}
