// Cloudflare Workers: secrets and vars arrive in `env`; `ctx.waitUntil` keeps a slow callback
// running after the acknowledgement. The handler is built once per isolate, on first request.
import { Client, createHandler } from 'wechat-kf';

let wechat;

function build(env) {
  const client = new Client({ appId: env.WECHAT_APPID, appSecret: env.WECHAT_APPSECRET, baseUrl: env.WECHAT_API_BASE || undefined });
  return createHandler({
    token: env.WECHAT_TOKEN,
    // Set: encrypted pushes only (plaintext ones get 401). Unset: a plaintext-mode account.
    encodingAESKey: env.WECHAT_ENCODING_AES_KEY || undefined,
    appId: env.WECHAT_APPID,
    replyTimeoutMs: Number(env.REPLY_TIMEOUT_MS) || 3000,
    // Several isolates may serve the URL: for cross-isolate de-duplication pass a DedupStore
    // over KV or a Durable Object (see the DedupStore docs); the default is per isolate.
    onError: (error, { phase }) => console.error(`wechat-kf ${phase}: ${error.kind ?? error.name}`),
    async onMessage(message, push) {
      console.log(`handled ${push.dedupKey}`);
      if (message.msgType === 'text') {
        if (message.content.includes('人工')) return 'transfer';
        await client.sendText({ touser: message.fromUserName, content: '我知道了' });
      } else if (message.msgType === 'event' && message.event === 'user_enter_tempsession') {
        await client.sendText({ touser: message.fromUserName, content: '您有什么问题吗?' });
      }
    },
  });
}

export default {
  async fetch(request, env, ctx) {
    if (new URL(request.url).pathname !== '/wechat') return new Response('not found', { status: 404 });
    wechat ??= build(env);
    return wechat(request, ctx);
  },
};
