// The store contract shared by dedup claims, the access token and send windows; MemoryStore.
import type { WxkfError } from '../index.js';

/**
 * The store contract. Every shipped store implements it (MemoryStore here; redisStore from
 * 'wechat-kf/redis', durableObjectStore from 'wechat-kf/cloudflare', denoKvStore from
 * 'wechat-kf/deno-kv'); methods may return a value or a Promise (callers always `await`).
 * All keys are strings, all values are strings, TTLs are milliseconds; a key past its TTL
 * reads as absent. Each method is atomic on its own. Every implementation applies its
 * `prefix` (default 'wechat-kf:') to keys. The library's own keys (under the prefix):
 * `dedup:<dedupKey>`, `token:<appId>` (JSON `{"value","expiresAt"}`), `token-lock:<appId>`,
 * `token-force:<appId>`, `window:<appId>:<openid>`.
 */
export interface Store {
  /** The value, or null when absent or expired. */
  get(key: string): Promise<string | null> | string | null;
  /** Sets key to value (with a TTL, or none when ttlMs is omitted). */
  set(key: string, value: string, ttlMs?: number): Promise<void> | void;
  /**
   * Sets key only when it is absent (or expired). True when the key was absent and now holds
   * `value`, or when it already holds exactly `value` (its TTL then unchanged); false when it
   * holds another value. The second case makes the call safe to send again: a client that
   * re-sends a command after a reconnect (ioredis does, by default) when the first copy ran but
   * its reply was lost recognises its own write. So callers pass a value unique to the attempt
   * (a random id): two callers passing the same value would both get true.
   */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> | boolean;
  /** Deletes key; with ifValue, only when its current value equals ifValue. True when a key was
   *  deleted (a copy re-sent after a lost reply finds nothing to delete and answers false). */
  delete(key: string, ifValue?: string): Promise<boolean> | boolean;
  /**
   * Sets key to value only when its current value equals expected (null = absent/expired).
   * True when set, or when the key already holds exactly `value` (nothing is written then);
   * false otherwise. The read-modify-write primitive (send windows, token refresh). As with
   * setIfAbsent, a copy re-sent after a lost reply then reports the write it made once, and
   * is not counted twice; this needs `value` unique to the attempt: callers make it so (for
   * example by carrying an id of the attempt in it). Two callers moving the same `expected`
   * to the same `value` would both get true.
   */
  compareAndSet(key: string, expected: string | null, value: string, ttlMs?: number): Promise<boolean> | boolean;
}

/** Store errors (JS): reported through onError, never thrown out of a handler. */
export type WxkfStoreErrorKind =
  | 'StoreOverBound' // -43001: the MemoryStore holds more live keys than maxKeys (it keeps them)
  | 'StoreUnavailable' // -43002: a store call failed or did not answer within storeTimeoutMs
  | 'InvalidStoreArgument' // -43003: a key or value that is not a string, a TTL that is not > 0
  | 'StoreMisconfigured'; // -43004: a warning at start: the engine may lose keys (eviction, no persistence)

export interface MemoryStoreOptions {
  /** The clock, in milliseconds (default Date.now). */
  now?: () => number;
  /**
   * Live keys past which a -43001 StoreOverBound error is reported through onError (default
   * 1,000,000). Live keys are never dropped; expired ones are swept away as the map grows.
   */
  maxKeys?: number;
  onError?: (error: WxkfError) => void;
  /** Applied to keys (default 'wechat-kf:'). */
  prefix?: string;
}

/** The default store: one process's memory (the handler's dedup claims, a Client's token, a SendWindow). */
export declare class MemoryStore implements Store {
  constructor(options?: MemoryStoreOptions);
  /** Keys held (live ones, and expired ones not swept yet). */
  readonly size: number;
  get(key: string): string | null;
  set(key: string, value: string, ttlMs?: number): void;
  setIfAbsent(key: string, value: string, ttlMs: number): boolean;
  delete(key: string, ifValue?: string): boolean;
  compareAndSet(key: string, expected: string | null, value: string, ttlMs?: number): boolean;
}

/**
 * The former dedup interface, still accepted as `dedup` (prefer `store`). Its claim is
 * awaited with the same deadline as a store call; release (if any) runs when onMessage fails.
 */
export interface DedupStore {
  /** Records `key` for `ttlSeconds`; true when it was not already recorded. */
  claim(key: string, ttlSeconds: number): boolean | Promise<boolean>;
  /** Forgets `key` (called when onMessage throws, so the platform's retry runs it again). */
  release?(key: string): void | Promise<void>;
}
