// Bun: `bun run server.mjs`.
import { Client, WxkfError, createHandler } from 'wechat-kf';

const env = process.env;
const client = new Client({ appId: env.WECHAT_KF_APP_ID, appSecret: env.WECHAT_KF_APP_SECRET, baseUrl: env.WECHAT_KF_API_BASE || undefined });

const wechat = createHandler({
  token: env.WECHAT_KF_TOKEN,
  // Set: encrypted pushes only (plaintext ones get 401). Unset: a plaintext-mode account.
  encodingAESKey: env.WECHAT_KF_AES_KEY || undefined,
  appId: env.WECHAT_KF_APP_ID,
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
Bun.serve({
  hostname: '127.0.0.1',
  port,
  fetch: (request) => (new URL(request.url).pathname === '/wechat' ? wechat(request) : new Response('not found', { status: 404 })),
});
console.log(`listening on http://127.0.0.1:${port}/wechat`);
