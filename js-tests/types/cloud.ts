// Type checks of the Cloud Hosting API (tsc -p js-tests/types/tsconfig.json).
import { Client, CloudReceiver, cloudProbeBody, cloudPushBody, createHandler, createNodeListener } from 'wechat-kf';
import type { CloudPushInfo, Push } from 'wechat-kf';

const client = new Client({ cloudHosting: { tokenSource: 'request' } });
const handler = createHandler({
  cloudHosting: { publicAccess: true },
  async onMessage(message, push: Push) {
    const cloud: CloudPushInfo | undefined = push.cloud;
    const mode: 'plaintext' | 'compatible' | 'safe' | 'cloud' = push.mode;
    void mode;
    await client.withRequestToken(cloud?.accessToken).sendText({ touser: message.fromUserName, content: 'hi' });
    await client.sendText({ touser: message.fromUserName, content: 'hi' }, { cloudbaseAccessToken: cloud?.accessToken });
  },
});
void handler;
createNodeListener({ cloudHosting: { publicAccess: false, passiveReplies: true }, onMessage: () => 'transfer' });
new Client({ cloudHosting: { tokenSource: 'file', tokenFile: '/tmp/t', recheckMs: 1000, readFile: async (p) => p } });
new Client({ cloudHosting: { tokenSource: 'open-api' }, baseUrl: 'http://127.0.0.1:1' });
const r = new CloudReceiver({ publicAccess: false });
const got = r.receive({ body: cloudProbeBody('json'), headers: {} });
if (!('probe' in got)) got.message.msgType.toUpperCase();
const body: string = cloudPushBody({ ToUserName: 'a', CreateTime: 1 }, 'xml');
void body;
// @ts-expect-error publicAccess is required
createHandler({ cloudHosting: {}, onMessage() {} });
// @ts-expect-error unknown token source
new Client({ cloudHosting: { tokenSource: 'env' } });
