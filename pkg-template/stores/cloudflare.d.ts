// Types of `wechat-kf/cloudflare`: the Store contract and the queue mode's queue on Cloudflare Durable Objects.
// Workers KV is eventually consistent and is deliberately not offered as a Store: it cannot
// claim a push (dedup) or count a send window. Use a Durable Object.
import type { Queue, Store } from '../index.js';

/** The parts of a Durable Object namespace binding (`env.WECHAT_KF_STORE`) the store uses. */
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  get(id: any): { fetch(input: string, init?: RequestInit): Promise<Response> };
}

/** The parts of a Durable Object's state the object uses. */
export interface DurableObjectStateLike {
  storage: {
    get(key: string): Promise<any>;
    put(key: string, value: unknown): Promise<void>;
    put(entries: Record<string, unknown>): Promise<void>;
    delete(key: string | string[]): Promise<boolean | number>;
    list(options: { start?: string; end?: string; prefix?: string; limit?: number }): Promise<Map<string, any>>;
    getAlarm(): Promise<number | null>;
    setAlarm(scheduledTime: number | Date): Promise<void>;
  };
}

/**
 * The Durable Object that holds the keys: export it from your worker
 * (`export { DurableObjectStore } from 'wechat-kf/cloudflare'`) and bind it in wrangler.toml
 * (`[[durable_objects.bindings]] name = "WECHAT_KF_STORE", class_name = "DurableObjectStore"`,
 * with a migration `new_sqlite_classes = ["DurableObjectStore"]`). One object handles one
 * request at a time, so each operation is atomic; TTLs are stored with the values (an expired
 * value reads as absent) and an alarm deletes expired keys.
 */
export declare class DurableObjectStore {
  constructor(state: DurableObjectStateLike, env?: unknown);
  /** POST { op, key, value?, expected?, ifValue?, ttlMs? } -> { result }. */
  fetch(request: Request): Promise<Response>;
  /** Deletes expired keys and schedules the next sweep. */
  alarm(): Promise<void>;
}

/** Which object holds the keys: one per account (`appId`), or named (`name`). One is required. */
export type DurableObjectStoreOptions = {
  /** Prepended to every key (default 'wechat-kf:'). */
  prefix?: string;
} & (
  | {
      /** The account: its keys live in the object named after it (the same as `name: appId`). */
      appId: string;
      /** Overrides the object's name given by appId. */
      name?: string | ((key: string) => string);
    }
  | {
      appId?: string;
      /**
       * The object's name, or a function of the key to spread keys over several objects
       * (shards). A key always maps to the same object.
       */
      name: string | ((key: string) => string);
    }
);

/**
 * A Store on the DurableObjectStore bound as `namespace`, for `createHandler({ store })`,
 * `new Client({ store })` and `new SendWindow({ store })`: `durableObjectStore(env.WECHAT_KF_STORE,
 * { appId })`. Without `appId` or `name` it throws -41006 (field 'appId'): one object runs one
 * request at a time, so accounts do not share one by default. Bad arguments throw WxkfError
 * -43003 InvalidStoreArgument (a bad option -41006 InvalidOption); a failing object rejects
 * with an Error.
 */
export declare function durableObjectStore(namespace: DurableObjectNamespaceLike, options: DurableObjectStoreOptions): Store;

/** The parts of a Durable Object's state the queue's object uses. */
export interface DurableObjectQueueStateLike {
  storage: {
    get(key: string): Promise<any>;
    get(keys: string[]): Promise<Map<string, any>>;
    put(key: string, value: unknown): Promise<void>;
    put(entries: Record<string, unknown>): Promise<void>;
    delete(key: string | string[]): Promise<boolean | number>;
    list(options: { start?: string; end?: string; prefix?: string; limit?: number; reverse?: boolean }): Promise<Map<string, any>>;
    getAlarm(): Promise<number | null>;
    setAlarm(scheduledTime: number | Date): Promise<void>;
    deleteAlarm(): Promise<void>;
  };
}

export interface DurableObjectQueueOptions {
  /** How long a settled job's id is remembered (default 900000 ms): the same id enqueued again within it adds no job. */
  dedupMs?: number;
  /** Dead letters kept (the oldest dropped past it; default 10000). */
  maxDeadLetters?: number;
}

/** What consumer(queue, env) returns: a consumer that the object starts (createConsumer's). */
export interface DurableObjectQueueConsumer {
  start(): void;
  stop(): Promise<void>;
}

/**
 * The queue mode's queue on Cloudflare Workers: a Durable Object with alarms as the queue. It
 * keeps the jobs in its storage and runs the consumer itself, inside its alarm() invocations:
 * export a subclass that defines consumer(queue, env) and bind it
 * (`[[durable_objects.bindings]] name = "WECHAT_KF_QUEUE", class_name = "WechatKfQueue"`, with a
 * migration `new_sqlite_classes = ["WechatKfQueue"]`); the handler writes to it with
 * durableObjectQueue(env.WECHAT_KF_QUEUE, { appId }).
 *
 * A delivery is a lease; one instance of an object runs at a time, so a new instance (after a
 * restart, an eviction or a deploy) hands out again at once the jobs the one before it held
 * (attempt + 1): the alarm that the end interrupted runs again, and an alarm at the lease's end
 * (visibilityMs) is the backstop. A failed delivery waits retryDelayMs(attempt) (an alarm wakes
 * it). One alarm() run takes new deliveries for at most 5 minutes, then sets the next alarm.
 */
export declare class DurableObjectQueue {
  constructor(state: DurableObjectQueueStateLike, env?: unknown, options?: DurableObjectQueueOptions);
  /**
   * Override: the consumer of this object's jobs, `createConsumer({ queue, onMessage, … })`
   * (not started: the object starts it). Called once per instance of the object, with the
   * object's own queue and the worker's bindings. The base class's returns null (no consumer:
   * the jobs wait, and one line goes to console.error).
   */
  consumer(queue: Queue & { readonly kind: 'durable-object'; readonly durable: true; stats(): Promise<{ queued: number; dead: number }> }, env: any):
    DurableObjectQueueConsumer | null;
  /** POST { op: 'enqueue' | 'deadLetter' | 'deadLetters' | 'stats', job?, info?, limit? } -> { result }. */
  fetch(request: Request): Promise<Response>;
  /** Hands the due jobs to the consumer, then sets the alarm for the next due time. */
  alarm(): Promise<void>;
}

/** Which object holds the account's jobs: `appId` (one object per account) or `name`. One is required. */
export type DurableObjectQueueBindingOptions =
  | { /** The account: its jobs live in the object named after it. */ appId: string; /** Overrides the object's name given by appId. */ name?: string }
  | { appId?: string; /** The object's name. */ name: string };

/**
 * The queue mode's queue for createHandler({ queue }) in a worker:
 * `durableObjectQueue(env.WECHAT_KF_QUEUE, { appId })`, backed by your DurableObjectQueue
 * subclass bound as `namespace`. enqueue resolves once the object stored the job; consume()
 * rejects with -41006 (the object runs the consumer: DurableObjectQueue's consumer(queue, env));
 * deadLetters() and stats() read the object. A failing object rejects with -44001 QueueUnavailable.
 */
export declare function durableObjectQueue(namespace: DurableObjectNamespaceLike, options: DurableObjectQueueBindingOptions): Queue & {
  readonly kind: 'durable-object';
  readonly durable: true;
  /** The object's name. */
  readonly name: string;
  /** Jobs waiting or in hand, and dead letters kept. */
  stats(): Promise<{ queued: number; dead: number }>;
};
