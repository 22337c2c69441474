// Type-level test of the Durable Object and Deno KV stores (issue 9): `tsc -p js-tests/types`.
import { Client, SendWindow, createHandler, type Store } from 'wechat-kf';
import { DurableObjectStore, durableObjectStore, type DurableObjectNamespaceLike } from 'wechat-kf/cloudflare';
import { denoKvStore, type DenoKvLike } from 'wechat-kf/deno-kv';

declare const namespace: DurableObjectNamespaceLike;
declare const kv: DenoKvLike;

const one: Store = durableObjectStore(namespace, { appId: 'wx123' });
// @ts-expect-error appId (one object per account) or name is required
durableObjectStore(namespace);
// @ts-expect-error appId (one object per account) or name is required
durableObjectStore(namespace, { prefix: 'wx:' });
const sharded: Store = durableObjectStore(namespace, { name: (key) => `shard-${key.length % 4}`, prefix: 'wx:' });
durableObjectStore(namespace, { name: 'wx123' });
// @ts-expect-error a namespace binding is required
durableObjectStore({});
// @ts-expect-error name is a string or a function of the key
durableObjectStore(namespace, { name: 4 });

const deno: Store = denoKvStore(kv, { prefix: 'wx:' });
// @ts-expect-error a Deno.Kv is required
denoKvStore({ get: () => null });

// The class is exported for the user's worker to re-export; workerd constructs it.
declare const state: ConstructorParameters<typeof DurableObjectStore>[0];
const object = new DurableObjectStore(state, {});
export const answer: Promise<Response> = object.fetch(new Request('https://x/', { method: 'POST', body: '{}' }));

export async function use(): Promise<void> {
  for (const store of [one, sharded, deno]) {
    const value: string | null = await store.get('k');
    const won: boolean = await store.setIfAbsent('k', value ?? 'v', 1000);
    void won;
    new Client({ appId: 'a', appSecret: 's', store, sendWindow: new SendWindow({ store, appId: 'a' }) });
    createHandler({ token: 't', encodingAESKey: 'k', appId: 'a', store, onMessage: () => {} });
  }
}
