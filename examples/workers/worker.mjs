// Cloudflare Workers: secrets and vars arrive in `env`; `ctx.waitUntil` keeps a slow callback
// running after the acknowledgement. The handler is built once per isolate, on first request.
//
// Many isolates serve the URL, so what must hold across them lives in a Durable Object
// (wrangler.toml binds it as WECHAT_KF_STORE): retries of a push are handled once whichever
// isolate they reach, and every isolate shares one access token. (Workers KV is eventually
// consistent and cannot do this.)
import { Client, WxkfError, createHandler } from 'wechat-kf';
import { durableObjectStore } from 'wechat-kf/cloudflare';

// The Durable Object class, exported from the worker so that wrangler.toml can bind it.
export { DurableObjectStore } from 'wechat-kf/cloudflare';

/** @typedef {Record<string, any>} Env  secrets and vars (WECHAT_KF_*), and the WECHAT_KF_STORE binding */

/** @type {ReturnType<typeof createHandler> | undefined} */
let wechat;

/** @param {Env} env */
function build(env) {
  const store = durableObjectStore(env.WECHAT_KF_STORE, { appId: env.WECHAT_KF_APP_ID });
  const client = new Client({ appId: env.WECHAT_KF_APP_ID, appSecret: env.WECHAT_KF_APP_SECRET, baseUrl: env.WECHAT_KF_API_BASE || undefined, store });
  return createHandler({
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
}

export default {
  /** @param {Request} request @param {Env} env @param {{ waitUntil(promise: Promise<unknown>): void }} ctx */
  async fetch(request, env, ctx) {
    if (new URL(request.url).pathname !== '/wechat') return new Response('not found', { status: 404 });
    wechat ??= build(env);
    return wechat(request, ctx);
  },
};
