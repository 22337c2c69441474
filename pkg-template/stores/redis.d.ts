// wechat-kf/redis: the Store contract and the queue mode's queue over your own Redis client (node-redis or ioredis).
import type { Queue, Store, WxkfError } from '../index.js';

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

export interface RedisQueueOptions {
  /** Put before every key (default 'wechat-kf:'); the keys are `<prefix>{queue}:…`, one hash slot. */
  prefix?: string;
  /**
   * The connection for consume's blocking reads (XREADGROUP BLOCK holds its connection until
   * something comes or blockMs passes, so it must not be the one the handler writes with).
   * Default: `client.duplicate()`, connected by consume() and closed when it ends. Another
   * client of yours works too; `false` reads without blocking (polling every ~100 ms).
   */
  reader?: { sendCommand(...args: any[]): unknown } | { call(...args: any[]): unknown } | false;
  /** The deadline of each command (default 5000 ms; a blocking read gets blockMs more): -44001 QueueUnavailable past it. */
  timeoutMs?: number;
  /** How long a blocking read waits for a new job before the queue looks for lapsed deliveries again (default 1000 ms). */
  blockMs?: number;
  /**
   * How long an enqueued id is remembered (default 900000 ms): the same id again within it adds
   * no job (a handler's retry after a lost reply, a command the client re-sent).
   */
  dedupMs?: number;
  /** Dead letters kept (the stream is capped at about this many; default 10000). */
  maxDeadLetters?: number;
}

/**
 * The queue mode's queue on Redis Streams (createHandler({ queue }), createConsumer({ queue })),
 * on your own node-redis or ioredis client (Redis, or a Cluster: every key in one slot).
 * Durable as far as Redis is: use `appendonly yes` (a restart without it loses the queue) and
 * `maxmemory-policy noeviction`. Needs Redis 6.2 or later (XAUTOCLAIM).
 */
export declare function redisQueue(
  client: { sendCommand(...args: any[]): unknown } | { call(...args: any[]): unknown },
  options?: RedisQueueOptions,
): Queue & {
  readonly kind: 'redis';
  readonly durable: true;
  /** The stream keys: jobs, dead letters. */
  readonly keys: { readonly jobs: string; readonly dead: string };
  /** Entries in the jobs stream (waiting or in hand) and dead letters kept. */
  stats(): Promise<{ queued: number; dead: number }>;
};
