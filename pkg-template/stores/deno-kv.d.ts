// Types of `wechat-kf/deno-kv`: the Store contract on Deno KV.
import type { Store } from '../index.js';

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
