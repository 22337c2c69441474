// WeChat Cloud Hosting (微信云托管): the container's HTTP server. In the console, message push
// (消息推送) goes to this service at path /wechat: the platform probes it (CheckContainerPath),
// then pushes each message over its internal link, unsigned and unencrypted, in JSON or XML.
// Answers go through the send API with the token the platform provides (no appSecret here).
//   PORT (80)  HOST (0.0.0.0)  PUBLIC_ACCESS (true unless 'false': then only x-wx-source requests are pushes)
//   TOKEN_SOURCE ('open-api' | 'request' | 'file'; default open-api)  TOKEN_FILE (tokenSource 'file')
//   WECHAT_KF_API_BASE (default http://api.weixin.qq.com, the open API service; the emulator's URL locally)
import http from 'node:http';
import { Client, WxkfError, createNodeListener } from 'wechat-kf';

const env = process.env;
const tokenSource = /** @type {'open-api' | 'request' | 'file'} */ (env.TOKEN_SOURCE || 'open-api'); // the Client checks it
const client = new Client({
  cloudHosting: { tokenSource, tokenFile: env.TOKEN_FILE || undefined },
  baseUrl: env.WECHAT_KF_API_BASE || undefined, // default http://api.weixin.qq.com (open API service)
});

const wechat = createNodeListener({
  cloudHosting: { publicAccess: env.PUBLIC_ACCESS !== 'false' },
  onError: (error, { phase }) => console.error(`wechat-kf ${phase}:`, error instanceof WxkfError ? `${error.kind} ${error.code}` : error),
  async onMessage(message, push) {
    console.log(`handled ${push.dedupKey} for ${push.cloud?.openid ?? message.fromUserName}`);
    if (!message.known) return; // a type this version does not type (voice, location...): its fields are in message.raw
    // Mini programs take no passive reply here: answer through the send API.
    const api = tokenSource === 'request' ? client.withRequestToken(push.cloud?.accessToken ?? '') : client;
    if (message.msgType === 'text') {
      await api.sendText({ touser: message.fromUserName, content: `收到: ${message.content}` });
    } else if (message.msgType === 'event' && message.event === 'user_enter_tempsession') {
      await api.sendText({ touser: message.fromUserName, content: '您好，有什么可以帮您？' });
    }
  },
});

const server = http.createServer((req, res) => {
  if (new URL(req.url ?? '/', 'http://container').pathname === '/wechat') return wechat(req, res);
  res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
});
server.listen(Number(env.PORT ?? 80), env.HOST || '0.0.0.0', () => {
  const { address, port } = server.address();
  console.log(`listening on http://${address}:${port}/wechat`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
