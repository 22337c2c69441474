// Type-level test of the queue mode (issue 24): compiled by `tsc -p js-tests/types`.
import {
  memoryQueue, createConsumer, createHandler, createNodeListener, Client, SendWindow, ERR,
  type Queue, type QueueJob, type Consumer, type KfMessage, type HandlerOptions,
} from 'wechat-kf';
import { redisQueue, redisStore } from 'wechat-kf/redis';

const memory = memoryQueue({ maxDeadLetters: 10 });
const asQueue: Queue = memory;
const durable: false = memory.durable;
const ioredisLike = { call: async (...args: string[]) => args.length };
const redis = redisQueue(ioredisLike, { prefix: 'app:', reader: false, timeoutMs: 2000, blockMs: 500, dedupMs: 60_000, maxDeadLetters: 100 });
const alsoQueue: Queue = redis;
const keys: string = redis.keys.jobs;
redisQueue(ioredisLike, { reader: ioredisLike });
// @ts-expect-error reader is a client or false
redisQueue(ioredisLike, { reader: true });

// The handler in queue mode: no onMessage; a quick passiveReply.
createHandler({ token: 't', queue: memory, passiveReply: (m: KfMessage) => (m.msgType === 'text' ? 'transfer' : undefined) });
createNodeListener({ token: 't', store: redisStore(ioredisLike), queue: redis });
// @ts-expect-error onMessage runs in createConsumer when there is a queue
createHandler({ token: 't', queue: memory, onMessage: () => {} });
// @ts-expect-error passiveReply is for the queue mode
createHandler({ token: 't', onMessage: () => {}, passiveReply: () => 'transfer' });
const inline: HandlerOptions = { token: 't', onMessage: () => 'success' };

// The consumer: onMessage gets the dedup key, the attempt and the client.
const client = new Client({ appId: 'wx1', appSecret: 's', sendWindow: new SendWindow() });
const consumer: Consumer = createConsumer({
  queue: redis,
  client,
  typing: { intervalMs: 5000 },
  sendWindow: new SendWindow(),
  concurrency: 4,
  maxAttempts: 3,
  visibilityMs: 30_000,
  retryDelayMs: (attempt) => attempt * 1000,
  queueTimeoutMs: 2000,
  onError: (error, { phase, dedupKey, attempt }) => {
    const p: 'onMessage' | 'queue' | 'typing' | 'sendWindow' = phase;
    void [p, dedupKey, attempt, error];
  },
  async onMessage(message, { dedupKey, attempt, client: c, job }) {
    const id: string = dedupKey;
    const n: number = attempt;
    const j: QueueJob = job;
    await c.sendText({ touser: message.fromUserName, content: `${id} ${n} ${j.receivedAt}` });
  },
});
consumer.start();
const stopped: Promise<void> = consumer.stop();
createConsumer({ queue: memory, onMessage: () => {}, retryDelayMs: 500 });
// @ts-expect-error typing takes a boolean or { intervalMs }
createConsumer({ queue: memory, onMessage: () => {}, typing: 'yes' });
// @ts-expect-error a queue is required
createConsumer({ onMessage: () => {} });

async function deadLetters() {
  const letters = await redis.deadLetters(10);
  const first: { job: QueueJob; attempts: number; error: string; at: number } | undefined = letters[0];
  const stats: { queued: number; dead: number } = await redis.stats();
  const codes: number[] = [ERR.QueueUnavailable, ERR.DeadLettered, ERR.HandlerTimeout];
  void [first, stats, codes];
}

void [asQueue, alsoQueue, durable, keys, inline, stopped, deadLetters];
