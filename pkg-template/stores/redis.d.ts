// wechat-kf/redis: the Store contract over your own Redis client (node-redis v4/v5 or ioredis).
import type { Store } from '../index.js';

export interface RedisStoreOptions {
  /** Put before every key (default 'wechat-kf:'). */
  prefix?: string;
}

/**
 * A Store over Redis. `client`: a connected node-redis client (`createClient()` from npm
 * `redis`, v4 or v5; commands go through `sendCommand`) or an ioredis client (`new Redis()`;
 * through `call`). setIfAbsent is `SET NX PX`; compare-and-delete and compareAndSet are Lua
 * scripts (EVALSHA, falling back to EVAL on NOSCRIPT). The package depends on no client library.
 */
export declare function redisStore(
  client: { sendCommand(...args: any[]): unknown } | { call(...args: any[]): unknown },
  options?: RedisStoreOptions,
): Store;
