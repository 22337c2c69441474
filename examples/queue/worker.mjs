// A queue worker: takes the pushes server.mjs queued in Redis and answers each with a slow
// handler (MODEL_DELAY_MS, default 20 s, standing in for a model call), the user seeing "typing…"
// meanwhile. Run two or more: each push goes to one of them; if a worker dies mid-handle (a
// deploy, a crash), another takes the push over once the visibility timeout has passed; a push
// that fails every attempt is kept as a dead letter and reported. Needs `redis` and Redis.
//   REDIS_URL=redis://127.0.0.1:6379 WECHAT_KF_APP_ID=… WECHAT_KF_APP_SECRET=… node examples/queue/worker.mjs
import { createClient } from 'redis';
import { Client, SendWindow, WxkfError, createConsumer } from 'wechat-kf';
import { redisQueue, redisStore } from 'wechat-kf/redis';

const env = process.env;
const redis = createClient({ url: env.REDIS_URL || 'redis://127.0.0.1:6379' });
redis.on('error', (e) => console.error(`redis: ${e.message}`));
await redis.connect();
const store = redisStore(redis);
const appId = env.WECHAT_KF_APP_ID;
/** One reporter for the consumer, the Client and the SendWindow. @param {unknown} error @param {{ phase: string, dedupKey?: string }} info */
const onError = (error, { phase, dedupKey }) => console.error(`wechat-kf ${phase}${dedupKey ? ` ${dedupKey}` : ''}:`, error instanceof WxkfError ? `${error.kind} ${error.code}` : error);
// The Client checks each send against the user's window (shared through Redis by every worker).
const sendWindow = new SendWindow({ store, appId, onError });
const client = new Client({ appId, appSecret: env.WECHAT_KF_APP_SECRET, baseUrl: env.WECHAT_KF_API_BASE || undefined, store, sendWindow, onError });
const delay = env.MODEL_DELAY_MS === undefined ? 20_000 : Number(env.MODEL_DELAY_MS);

/** Stands in for a model call that drafts the answer. @param {import('wechat-kf').KfMessage} message */
async function draftAnswer(message) {
  await new Promise((resolve) => setTimeout(resolve, delay));
  return message.known && message.msgType === 'text' ? `关于「${message.content.slice(0, 20)}」：我们已收到，稍后详细答复。` : '您好，请问有什么可以帮您？';
}

const consumer = createConsumer({
  queue: redisQueue(redis), // its blocking reads use client.duplicate(): a second connection
  client,
  sendWindow, // records each push in the window before its first attempt
  typing: true, // "typing…" every ~10 s while the platform allows it, cancelled at the end
  concurrency: 8,
  visibilityMs: 60_000, // longer than the slowest handling: a dead worker's push comes back after it
  maxAttempts: 5,
  onError,
  async onMessage(message, { dedupKey, attempt, client }) {
    if (message.msgType === 'event' && message.event !== 'user_enter_tempsession') return; // nothing to answer
    // Idempotent by the dedup key: a push taken over after a worker died mid-handle is not
    // answered twice (the marker is set right after the send; a crash between the two sends again).
    if (await store.get(`answered:${dedupKey}`)) return;
    const answer = await draftAnswer(message);
    await client.sendText({ touser: message.fromUserName, content: answer });
    await store.set(`answered:${dedupKey}`, '1', 86_400_000);
    console.log(`worker ${process.pid} answered ${dedupKey} (attempt ${attempt})`);
  },
});
consumer.start();
console.log(`worker ${process.pid} consuming`);
// A deploy's SIGTERM: finish the pushes in hand (stop() waits for them), then exit.
process.on('SIGTERM', async () => {
  await consumer.stop();
  await redis.close();
  process.exit(0);
});
