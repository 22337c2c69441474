// Deno: `deno run --unstable-kv --allow-net --allow-env --allow-read --allow-write server.ts`
// (with wechat-kf installed; Deno Deploy needs no flags). Dedup claims and the access token
// live in Deno KV, so every instance (Deno Deploy regions, several processes on one KV file)
// handles a retried push once and shares one token. WECHAT_KF_KV_PATH picks a local KV file.
import { Client, WxkfError, createHandler } from 'wechat-kf';
import { denoKvStore } from 'wechat-kf/deno-kv';

const env = Deno.env.toObject();
const store = denoKvStore(await Deno.openKv(env.WECHAT_KF_KV_PATH || undefined));
const client = new Client({ appId: env.WECHAT_KF_APP_ID, appSecret: env.WECHAT_KF_APP_SECRET, baseUrl: env.WECHAT_KF_API_BASE || undefined, store });

const wechat = createHandler({
  token: env.WECHAT_KF_TOKEN,
  // Set: encrypted pushes only (plaintext ones get 401). Unset: a plaintext-mode account.
  encodingAESKey: env.WECHAT_KF_AES_KEY || undefined,
  appId: env.WECHAT_KF_APP_ID,
  store,
  replyTimeoutMs: Number(env.REPLY_TIMEOUT_MS) || 3000,
  onError: (error, { phase }) => console.error(`wechat-kf ${phase}:`, error instanceof WxkfError ? `${error.kind} ${error.code}` : error),
  async onMessage(message, push) {
    console.log(`handled ${push.dedupKey}`);
    if (!message.known) return; // a type this version does not type (voice, location...): its fields are in message.raw
    if (message.msgType === 'text') {
      if (message.content.includes('人工')) return 'transfer';
      await client.sendText({ touser: message.fromUserName, content: '我知道了' });
    } else if (message.msgType === 'event' && message.event === 'user_enter_tempsession') {
      await client.sendText({ touser: message.fromUserName, content: '您有什么问题吗?' });
    }
  },
});

const port = Number(env.PORT) || 8080;
Deno.serve({ hostname: '127.0.0.1', port, onListen: () => console.log(`listening on http://127.0.0.1:${port}/wechat`) }, (request) =>
  new URL(request.url).pathname === '/wechat' ? wechat(request) : new Response('not found', { status: 404 }));
