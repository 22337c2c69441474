// Types of `wechat-kf/deno-kv`: the Store contract and the queue mode's queue on Deno KV.
import type { Queue, Store } from '../index.js';

/** The parts of a `Deno.Kv` (from `await Deno.openKv()`) the store uses. */
export interface DenoKvLike {
  get(key: readonly unknown[]): Promise<{ value: unknown; versionstamp: string | null }>;
  set(key: readonly unknown[], value: unknown, options?: { expireIn?: number }): Promise<unknown>;
  atomic(): {
    check(...checks: { key: readonly unknown[]; versionstamp: string | null }[]): any;
    set(key: readonly unknown[], value: unknown, options?: { expireIn?: number }): any;
    delete(key: readonly unknown[]): any;
    commit(): Promise<{ ok: boolean }>;
  };
}

export interface DenoKvStoreOptions {
  /** Prepended to every key (default 'wechat-kf:'); each key is stored as `[prefix + key]`. */
  prefix?: string;
}

/**
 * A Store on Deno KV, for `createHandler({ store })`, `new Client({ store })` and
 * `new SendWindow({ store })`. Conditional operations use `atomic().check()` on versionstamps
 * (retried when another instance changed the key); TTLs use `expireIn` and, since Deno KV
 * deletes expired entries lazily, an expiry stored with the value. Bad arguments throw
 * WxkfError -43003 InvalidStoreArgument (a bad option -41006 InvalidOption).
 */
export declare function denoKvStore(kv: DenoKvLike, options?: DenoKvStoreOptions): Store;

/** The parts of a `Deno.Kv` the queue uses (its entries and its queue). */
export interface DenoKvQueueLike {
  get(key: readonly unknown[]): Promise<{ key: readonly unknown[]; value: unknown; versionstamp: string | null }>;
  getMany(keys: readonly (readonly unknown[])[]): Promise<{ key: readonly unknown[]; value: unknown; versionstamp: string | null }[]>;
  set(key: readonly unknown[], value: unknown, options?: { expireIn?: number }): Promise<unknown>;
  list(
    selector: { prefix: readonly unknown[] } | { start: readonly unknown[]; end: readonly unknown[] },
    options?: { limit?: number; reverse?: boolean },
  ): AsyncIterable<{ key: readonly unknown[]; value: any; versionstamp: string }>;
  atomic(): {
    check(...checks: { key: readonly unknown[]; versionstamp: string | null }[]): any;
    set(key: readonly unknown[], value: unknown, options?: { expireIn?: number }): any;
    delete(key: readonly unknown[]): any;
    enqueue(value: unknown, options?: { delay?: number }): any;
    commit(): Promise<{ ok: boolean; versionstamp?: string }>;
  };
  enqueue(value: unknown, options?: { delay?: number }): Promise<unknown>;
  listenQueue(handler: (value: unknown) => unknown): Promise<void>;
}

export interface DenoKvQueueOptions {
  /** The first element of every key the queue writes (default 'wechat-kf:queue'; at most 200 characters). */
  prefix?: string;
  /**
   * How often each consumer reads the queue's index for jobs whose time has come that no KV
   * message woke (default 1000 ms; 50..60000). On a local KV file Deno delivers a message
   * enqueued by another process only when the listening process next looks (every 60 s): this
   * is what hands such a job out within about pollMs. It also finds the deliveries whose
   * consumer died (their lease lapsed) and wake-ups another listener on the database took.
   */
  pollMs?: number;
  /** The deadline of each KV call (default 5000 ms; a locked local file is tried again within it): -44001 QueueUnavailable past it. */
  timeoutMs?: number;
  /**
   * How long a settled job's id is remembered (default 900000 ms): the same id enqueued again
   * within it adds no job (a handler's retry after a lost reply).
   */
  dedupMs?: number;
  /** Dead letters kept (the oldest dropped past it; default 10000). */
  maxDeadLetters?: number;
}

/**
 * The queue mode's queue on Deno KV (createHandler({ queue }), createConsumer({ queue })):
 * `denoKvQueue(await Deno.openKv(path))`. A job is an entry (attempts, state, due time) changed
 * only by atomic operations checked on its versionstamp; KV queue messages (kv.enqueue with
 * `delay`, kv.listenQueue) wake consumers at once, at a retry's time and when a lease lapses,
 * and each consumer also reads the queue's index every pollMs. A delivery is a lease of
 * visibilityMs: a consumer that dies leaves its job to another once it lapses (the attempt
 * counts). Give the queue a database of its own: Deno KV hands every message of a database to
 * any of its listeners, and the queue's listener throws on a message that is not its own (so
 * that KV delivers it again). Bad options throw -41006 InvalidOption; failing KV calls reject
 * with -44001 QueueUnavailable.
 */
export declare function denoKvQueue(kv: DenoKvQueueLike, options?: DenoKvQueueOptions): Queue & {
  readonly kind: 'deno-kv';
  readonly durable: true;
  /** The first element of every key the queue writes. */
  readonly prefix: string;
  /** Jobs waiting or in hand (counted by reading the queue's index), and dead letters kept. */
  stats(): Promise<{ queued: number; dead: number }>;
};
