// Type-level test of the Deno KV and Workers queues (issue 24): `tsc -p js-tests/types`.
import { createConsumer, createHandler, type Queue } from 'wechat-kf';
import { DurableObjectQueue, durableObjectQueue, type DurableObjectNamespaceLike } from 'wechat-kf/cloudflare';
import { denoKvQueue, type DenoKvQueueLike } from 'wechat-kf/deno-kv';

declare const kv: DenoKvQueueLike;
declare const namespace: DurableObjectNamespaceLike;

const deno = denoKvQueue(kv, { prefix: 'wx-queue', pollMs: 500, timeoutMs: 3000, dedupMs: 60_000, maxDeadLetters: 100 });
const kind: 'deno-kv' = deno.kind;
const durable: true = deno.durable;
const prefix: string = deno.prefix;
denoKvQueue(kv);
// @ts-expect-error a Deno.Kv with its queue is required
denoKvQueue({ get: () => null });
// @ts-expect-error pollMs is a number
denoKvQueue(kv, { pollMs: '1000' });

const workers = durableObjectQueue(namespace, { appId: 'wx123' });
const workersKind: 'durable-object' = workers.kind;
const name: string = workers.name;
durableObjectQueue(namespace, { name: 'queue-a' });
// @ts-expect-error appId (one object per account) or name is required
durableObjectQueue(namespace, {});
// @ts-expect-error options are required
durableObjectQueue(namespace);

// The object: a subclass defines its consumer; workerd constructs it with (state, env).
export class WechatKfQueue extends DurableObjectQueue {
  consumer(queue: Queue, _env: { APP_ID: string }) {
    return createConsumer({ queue, onMessage: (message, { dedupKey, attempt }) => { void message; void dedupKey; void attempt; } });
  }
}
declare const state: ConstructorParameters<typeof DurableObjectQueue>[0];
const object = new WechatKfQueue(state, {});
export const answer: Promise<Response> = object.fetch(new Request('https://x/', { method: 'POST', body: '{}' }));
export const ran: Promise<void> = object.alarm();
new DurableObjectQueue(state, {}, { dedupMs: 60_000, maxDeadLetters: 10 });

export async function use(): Promise<void> {
  for (const queue of [deno, workers]) {
    const q: Queue = queue;
    createHandler({ token: 't', encodingAESKey: 'k', appId: 'a', queue: q });
    const { queued, dead } = await queue.stats();
    const letters = await queue.deadLetters(10);
    void [queued, dead, letters[0]?.job.id, letters[0]?.attempts];
  }
  void [kind, durable, prefix, workersKind, name];
}
