// A koa handler for customer-service pushes, written with wechat-kf: verification, decryption,
// retries and the 5 s budget (docs/protocol.md#retries) are handled by the middleware.
import Koa from 'koa';
import { Client, WxkfError, createKoaMiddleware } from 'wechat-kf';

const env = process.env;
const client = new Client({ appId: env.WECHAT_KF_APP_ID, appSecret: env.WECHAT_KF_APP_SECRET, baseUrl: env.WECHAT_KF_API_BASE || undefined });

const wechat = createKoaMiddleware({
  token: env.WECHAT_KF_TOKEN,
  // Set: encrypted pushes only (plaintext ones get 401). Unset: a plaintext-mode account.
  encodingAESKey: env.WECHAT_KF_AES_KEY || undefined,
  appId: env.WECHAT_KF_APP_ID,
  replyTimeoutMs: Number(env.REPLY_TIMEOUT_MS) || 3000,
  onError: (error, { phase }) => console.error(`wechat-kf ${phase}:`, error instanceof WxkfError ? `${error.kind} ${error.code}` : error),
  async onMessage(message, push) {
    console.log(`handled ${push.dedupKey}`);
    if (!message.known) return; // a type this version does not type (voice, location...): its fields are in message.raw
    switch (message.msgType) {
      case 'text': // the user sent text in the customer-service session
        if (message.content.includes('人工')) return 'transfer'; // hand over to human agents
        await client.sendText({ touser: message.fromUserName, content: '我知道了', businessId: message.businessId });
        break;
      case 'image': // the user sent an image: send it back
        await client.sendImage({ touser: message.fromUserName, mediaId: message.mediaId, businessId: message.businessId });
        break;
      case 'event':
        if (message.event === 'user_enter_tempsession') { // entered from the contact button
          await client.sendText({ touser: message.fromUserName, content: '您有什么问题吗?', businessId: message.businessId });
        } else if (message.event === 'kf_create_session') {
          console.log(`agent ${message.kfAccount} took the session`);
        }
        break;
    }
  },
});

const app = new Koa();
app.use(async (ctx, next) => (ctx.path === '/wechat' ? wechat(ctx, next) : next()));
const port = Number(env.PORT) || 8080;
app.listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}/wechat`));
