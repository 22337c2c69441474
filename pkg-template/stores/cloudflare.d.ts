// Types of `wechat-kf/cloudflare`: the Store contract on a Cloudflare Durable Object.
// Workers KV is eventually consistent and is deliberately not offered as a Store: it cannot
// claim a push (dedup) or count a send window. Use a Durable Object.
import type { Store } from '../index.js';

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
