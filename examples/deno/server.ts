// Deno: `deno run --allow-net --allow-env --allow-read server.ts` (with wechat-kf installed).
import { Client, createHandler } from 'wechat-kf';

const env = Deno.env.toObject();
const client = new Client({ appId: env.WECHAT_APPID, appSecret: env.WECHAT_APPSECRET, baseUrl: env.WECHAT_API_BASE || undefined });

const wechat = createHandler({
  token: env.WECHAT_TOKEN,
  encodingAESKey: env.WECHAT_ENCODING_AES_KEY,
  appId: env.WECHAT_APPID,
  replyTimeoutMs: Number(env.REPLY_TIMEOUT_MS) || 3000,
  onError: (error, { phase }) => console.error(`wechat-kf ${phase}: ${(error as { kind?: string }).kind}`),
  async onMessage(message, push) {
    console.log(`handled ${push.dedupKey}`);
    if (message.known && message.msgType === 'text') {
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
