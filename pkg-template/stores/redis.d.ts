// wechat-kf/redis: the Store contract over your own Redis client (node-redis or ioredis).
import type { Store, WxkfError } from '../index.js';

export interface RedisStoreOptions {
  /** Put before every key (default 'wechat-kf:'). */
  prefix?: string;
  /**
   * Receives, once, the warning of the check made at the store's first operation: a WxkfError
   * -43004 `StoreMisconfigured` whose `problems` lists what may lose keys:
   * `'maxmemory-policy'` (any policy but `noeviction`: every claim and lock has a TTL, so
   * `volatile-*` policies evict them too) and `'persistence'` (`appendonly no`: a restart of
   * Redis forgets the claims and locks, all of them or those since the last RDB snapshot).
   * The store works the same either way. Without onError, one `console.warn` line per client.
   * When the server refuses `CONFIG GET` (managed Redis often does), nothing is reported.
   */
  onError?: (warning: WxkfError) => void;
}

/**
 * A Store over Redis. `client`: a connected node-redis client (`createClient()` or
 * `createCluster()` from npm `redis`, v4 to v6; commands go through `sendCommand`) or an
 * ioredis client (`new Redis()` or `new Redis.Cluster()`; through `call`). setIfAbsent,
 * compare-and-delete and compareAndSet are Lua scripts (EVALSHA, falling back to EVAL on
 * NOSCRIPT) on the one key they touch, so every operation runs in one cluster slot.
 * setIfAbsent and compareAndSet also answer true when the key already holds the value they
 * write, so a command that ioredis re-sends after a lost reply recognises its own write.
 * The package depends on no client library.
 */
export declare function redisStore(
  client: { sendCommand(...args: any[]): unknown } | { call(...args: any[]): unknown },
  options?: RedisStoreOptions,
): Store;
