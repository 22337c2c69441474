// The queue mode's web side: verifies each push, claims it (dedup), writes it to a Redis stream
// and only then answers `success` — within one queue write, however long the handling takes.
// worker.mjs (run two or more) handles the pushes. Needs `redis` (node-redis) and Redis.
//   REDIS_URL=redis://127.0.0.1:6379 PORT=8080 node examples/queue/server.mjs
import http from 'node:http';
import { createClient } from 'redis';
import { WxkfError, createNodeListener } from 'wechat-kf';
import { redisQueue, redisStore } from 'wechat-kf/redis';

const env = process.env;
const redis = createClient({ url: env.REDIS_URL || 'redis://127.0.0.1:6379' });
redis.on('error', (e) => console.error(`redis: ${e.message}`));
await redis.connect();

const listener = createNodeListener({
  token: env.WECHAT_KF_TOKEN,
  encodingAESKey: env.WECHAT_KF_AES_KEY,
  appId: env.WECHAT_KF_APP_ID,
  store: redisStore(redis), // dedup claims: the platform's retries are queued once
  queue: redisQueue(redis), // acknowledged means stored: a push answered `success` is in Redis
  // A quick decision before queueing (within the 5 s): the only passive reply a mini program
  // takes is transfer_customer_service. Anything else goes to the workers.
  passiveReply: (message) => (message.known && message.msgType === 'text' && message.content.includes('人工') ? 'transfer' : undefined),
  // A failed queue write is answered 500 (the platform retries) and reported here.
  onError: (error, { phase }) => console.error(`wechat-kf ${phase}:`, error instanceof WxkfError ? `${error.kind} ${error.code}` : error),
});
const port = Number(env.PORT) || 8080;
const server = http.createServer((req, res) => (req.url.startsWith('/wechat') ? listener(req, res) : res.writeHead(404).end()));
server.listen(port, '127.0.0.1', () => console.log(`queue server on http://127.0.0.1:${port}/wechat`));
process.on('SIGTERM', () => server.close(() => redis.close().finally(() => process.exit(0))));
