// Several Node processes (node:cluster) serving one push URL, sharing Redis: every push handled
// once whichever worker the platform's retries land on, one access token for all workers, and
// one send window per user. Needs `redis` (node-redis) and a Redis server (REDIS_URL).
//   REDIS_URL=redis://127.0.0.1:6379 WORKERS=4 node examples/cluster/server.mjs
import cluster from 'node:cluster';
import http from 'node:http';
import { availableParallelism } from 'node:os';
import { createClient } from 'redis';
import { Client, SendWindow, WxkfError, createNodeListener } from 'wechat-kf';
import { redisStore } from 'wechat-kf/redis';

const env = process.env;
const workers = Number(env.WORKERS) || availableParallelism();

if (cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (signal !== 'SIGTERM' && code !== 0) cluster.fork(); // replace a crashed worker
  });
  process.on('SIGTERM', () => {
    for (const w of Object.values(cluster.workers)) w.kill('SIGTERM');
    process.exit(0);
  });
} else {
  // An outage fails fast (and the library fails open) instead of queueing commands.
  const redis = createClient({ url: env.REDIS_URL || 'redis://127.0.0.1:6379', disableOfflineQueue: true });
  redis.on('error', (e) => console.error(`redis: ${e.message}`));
  await redis.connect();
  const store = redisStore(redis);
  const appId = env.WECHAT_KF_APP_ID;
  /** One reporter for the handler, the Client and the SendWindow (each says its phase). @param {unknown} error @param {{ phase: string }} info */
  const onError = (error, { phase }) => console.error(`wechat-kf ${phase}:`, error instanceof WxkfError ? `${error.kind} ${error.code}` : error);
  // A Redis outage: the window cannot be checked, the send goes (the platform enforces its
  // limits) and onError says so; likewise the token (fetched by each worker) and the dedup claim.
  const sendWindow = new SendWindow({ store, appId, onError });
  const client = new Client({
    appId, appSecret: env.WECHAT_KF_APP_SECRET, baseUrl: env.WECHAT_KF_API_BASE || undefined, store, sendWindow, onError,
  });
  const listener = createNodeListener({
    token: env.WECHAT_KF_TOKEN,
    encodingAESKey: env.WECHAT_KF_AES_KEY,
    appId,
    store,
    onError,
    async onMessage(message, push) {
      console.log(`worker ${process.pid} handled ${push.dedupKey}`);
      if (!message.known) return; // a type this version does not type (voice, location...): its fields are in message.raw
      await sendWindow.observeMessage(message);
      if (message.msgType === 'text') {
        if (message.content.includes('人工')) return 'transfer';
        await client.sendText({ touser: message.fromUserName, content: '我知道了' });
      } else if (message.msgType === 'event' && message.event === 'user_enter_tempsession') {
        await client.sendText({ touser: message.fromUserName, content: '您有什么问题吗?' });
      }
    },
  });
  const port = Number(env.PORT) || 8080;
  // The workers share the port (the primary distributes connections).
  http.createServer((req, res) => (req.url.startsWith('/wechat') ? listener(req, res) : res.writeHead(404).end()))
    .listen(port, '127.0.0.1', () => console.log(`worker ${process.pid} on http://127.0.0.1:${port}/wechat`));
  process.on('SIGTERM', () => redis.quit().finally(() => process.exit(0)));
}
