// Runtime-agnostic checks of WeChat Cloud Hosting (微信云托管): the handler in cloudHosting mode
// (the CheckContainerPath probe in JSON and XML, unsigned pushes in both formats with exact
// 64-bit ids, the x-wx-source trust rule, retries handled once, push.cloud, passive replies,
// option errors) and the Client's token sources with an in-process fetch. Standard JS only.
import { makeChecker } from './check.js';

const BIG_ID = '24558315372876789123';
const fields = (over = {}) => ({
  ToUserName: 'gh_cloud0000', FromUserName: 'o_cloud_user', CreateTime: 1715943329, MsgType: 'text',
  Content: '云托管 <b> ]]> "q"', MsgId: BIG_ID, ...over,
});
const PLATFORM = {
  'x-wx-source': 'other', 'x-wx-openid': 'o_cloud_user', 'x-wx-appid': 'wx_cloud_app', 'x-wx-unionid': 'u_1',
  'x-wx-env': 'prod-1a2b', 'x-wx-cloudbase-access-token': 'CLOUDBASE_secret_token',
};

async function errorOf(fn) {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

export async function runCloudSuite(lib, { log = () => {} }) {
  const c = makeChecker(log);
  const { createHandler, cloudPushBody, cloudProbeBody, CloudReceiver, Client, WxkfError } = lib;
  const post = (handler, body, headers = {}, format = 'json') => handler(new Request('http://127.0.0.1/cloud', {
    method: 'POST', body, headers: { 'content-type': format === 'json' ? 'application/json' : 'text/xml', ...headers },
  }));

  for (const format of ['json', 'xml']) {
    await c.checkAsync(`cloud: the ${format} probe answers 200 success and never reaches onMessage`, async () => {
      let calls = 0;
      const handler = createHandler({ cloudHosting: { publicAccess: false }, onMessage: () => { calls++; } });
      const body = cloudProbeBody(format);
      c.assertEq(body, format === 'json' ? '{"action":"CheckContainerPath"}' : '<xml><action>CheckContainerPath</action></xml>');
      for (const b of [body, format === 'json' ? '{ "action" : "CheckContainerPath" }' : '<xml><action><![CDATA[CheckContainerPath]]></action></xml>']) {
        const res = await post(handler, b, {}, format);
        c.assertEq(res.status, 200);
        c.assertEq(await res.text(), 'success');
      }
      c.assertEq(calls, 0);
    });

    await c.checkAsync(`cloud: a ${format} push is typed, MsgId exact, headers on push.cloud, handled once`, async () => {
      const seen = [];
      const handler = createHandler({
        cloudHosting: { publicAccess: true },
        onMessage: (m, push) => { seen.push({ m, push }); },
      });
      const body = cloudPushBody(fields(), format);
      c.assertTrue(body.includes(BIG_ID), 'the id as digits in the body');
      if (format === 'json') c.assertTrue(body.includes(`"MsgId":${BIG_ID}`), 'MsgId a JSON number beyond 2^53');
      for (let i = 0; i < 3; i++) {
        const res = await post(handler, body, PLATFORM, format);
        c.assertEq(res.status, 200);
        c.assertEq(await res.text(), 'success');
      }
      c.assertEq(seen.length, 1);
      const { m, push } = seen[0];
      c.assertEq(m.msgType, 'text');
      c.assertEq(m.content, '云托管 <b> ]]> "q"');
      c.assertEq(m.msgId, BIG_ID);
      c.assertEq(push.mode, 'cloud');
      c.assertEq(push.format, format);
      c.assertEq(push.dedupKey, `msg:gh_cloud0000:${BIG_ID}`);
      c.assertEq(push.cloud.openid, 'o_cloud_user');
      c.assertEq(push.cloud.appid, 'wx_cloud_app');
      c.assertEq(push.cloud.unionid, 'u_1');
      c.assertEq(push.cloud.env, 'prod-1a2b');
      c.assertEq(push.cloud.source, 'other');
      c.assertEq(push.cloud.accessToken, 'CLOUDBASE_secret_token');
      c.assertTrue(!JSON.stringify(push.cloud).includes('CLOUDBASE'), 'the token kept out of JSON');
    });
  }

  await c.checkAsync('cloud: without x-wx-source, publicAccess true refuses (401) and false accepts', async () => {
    const body = cloudPushBody(fields({ MsgId: '9007199254740993' }), 'json');
    const { 'x-wx-source': _, ...noSource } = PLATFORM;
    let calls = 0;
    const errors = [];
    const open = createHandler({ cloudHosting: { publicAccess: true }, onMessage: () => { calls++; }, onError: (e, i) => errors.push([e.kind, i.phase]) });
    const refused = await post(open, body, noSource);
    c.assertEq(refused.status, 401);
    c.assertEq(await refused.text(), 'error: UntrustedSource');
    const probe = await post(open, cloudProbeBody('json'), noSource);
    c.assertEq(probe.status, 401);
    c.assertEq(calls, 0);
    c.assertEq(errors.map((e) => e.join(':')).join(), 'UntrustedSource:receive,UntrustedSource:receive');
    const closed = createHandler({ cloudHosting: { publicAccess: false }, onMessage: (m) => { calls++; c.assertEq(m.msgId, '9007199254740993'); } });
    const accepted = await post(closed, body, noSource);
    c.assertEq(accepted.status, 200);
    c.assertEq(calls, 1);
    // garbage is still a 400, and a signed-mode query changes nothing
    c.assertEq((await post(closed, 'not a push', {})).status, 400);
  });

  await c.checkAsync('cloud: a request that says a client sent it is refused (401 -41008) in both modes; the genuine push still counts', async () => {
    // A mini program user's own wx.cloud.callContainer carries x-wx-source and the caller's openid.
    const forged = cloudPushBody(fields({ FromUserName: 'oVICTIM', MsgId: '77' }), 'json');
    for (const publicAccess of [true, false]) {
      let calls = 0;
      const errors = [];
      const handler = createHandler({ cloudHosting: { publicAccess }, onMessage: () => { calls++; }, onError: (e, i) => errors.push(`${e.code}:${i.phase}`) });
      for (const headers of [
        { 'x-wx-source': 'wx_client', 'x-wx-openid': 'oATTACKER' },
        { 'x-wx-source': 'other', 'x-wx-openid': 'oATTACKER' },
        { 'x-wx-source': 'other', 'x-wx-from-openid': 'oATTACKER' },
        { 'x-wx-source': 'wx_client' },
        { 'x-wx-source': 'WX_DevTools' },
        { 'x-wx-source': 'wx_localdebug' },
        { 'x-wx-source': '' },
        { 'x-wx-source': '  ' },
      ]) {
        const res = await post(handler, forged, headers);
        c.assertEq(res.status, 401, `${JSON.stringify(headers)} (publicAccess ${publicAccess})`);
        c.assertEq(await res.text(), 'error: UntrustedSource');
      }
      c.assertEq(calls, 0);
      c.assertTrue(errors.length === 8 && errors.every((e) => e === '-41008:receive'), errors.join());
      // The refused forgeries claimed nothing: the genuine push with the same MsgId is handled.
      const genuine = await post(handler, forged, { 'x-wx-source': 'other', 'x-wx-openid': 'oVICTIM' });
      c.assertEq(genuine.status, 200);
      c.assertEq(calls, 1);
    }
    // The list of client sources is an option.
    const custom = createHandler({ cloudHosting: { publicAccess: true, clientSources: ['my_client'] }, onMessage() {} });
    c.assertEq((await post(custom, forged, { 'x-wx-source': 'my_client' })).status, 401);
    c.assertEq((await post(custom, forged, { 'x-wx-source': 'wx_client' })).status, 200);
    const bad = await errorOf(() => createHandler({ cloudHosting: { publicAccess: true, clientSources: 'wx_client' }, onMessage() {} }));
    c.assertEq(bad?.code, -41006);
    c.assertEq(bad?.field, 'cloudHosting.clientSources');
  });

  await c.checkAsync("cloud: 'transfer' and { body } for a mini program are reported and answered success", async () => {
    const errors = [];
    let reply = 'transfer';
    const handler = createHandler({ cloudHosting: { publicAccess: false }, onMessage: () => reply, onError: (e, i) => errors.push([e.code, e.kind, i.phase]) });
    c.assertEq(await (await post(handler, cloudPushBody(fields({ MsgId: '1' }), 'xml'), {}, 'xml')).text(), 'success');
    reply = { body: '<xml>x</xml>', contentType: 'text/xml' };
    c.assertEq(await (await post(handler, cloudPushBody(fields({ MsgId: '2' }), 'json'))).text(), 'success');
    c.assertEq(errors.map((e) => e.join(':')).join(), '-41009:PassiveReplyRefused:reply,-41009:PassiveReplyRefused:reply');
  });

  await c.checkAsync('cloud: passiveReplies (official accounts) gives the plaintext transfer reply', async () => {
    const handler = createHandler({ cloudHosting: { publicAccess: false, passiveReplies: true }, onMessage: () => 'transfer' });
    const res = await post(handler, cloudPushBody(fields({ MsgId: '3' }), 'json'));
    const json = JSON.parse(await res.text());
    c.assertEq(json.MsgType, 'transfer_customer_service');
    c.assertEq(json.ToUserName, 'o_cloud_user');
    c.assertEq(json.FromUserName, 'gh_cloud0000');
    c.assertTrue(res.headers.get('content-type').includes('json'), 'a JSON reply');
    const xml = await (await post(handler, cloudPushBody(fields({ MsgId: '4' }), 'xml'), {}, 'xml')).text();
    c.assertTrue(xml.startsWith('<xml>') && xml.includes('transfer_customer_service'), 'an XML reply');
  });

  c.check('cloud: CloudReceiver directly (probe, push, Node-style headers)', () => {
    const r = new CloudReceiver({ publicAccess: true });
    c.assertEq(JSON.stringify(r.receive({ body: cloudProbeBody('xml'), headers: { 'x-wx-source': 'x' } })), '{"probe":true,"format":"xml"}');
    const push = r.receive({ body: new TextEncoder().encode(cloudPushBody(fields(), 'json')), headers: { 'x-wx-source': ['a'], 'x-wx-openid': 'o_cloud_user' } });
    c.assertEq(push.message.msgId, BIG_ID);
    c.assertEq(push.cloud.openid, 'o_cloud_user');
    c.assertEq(push.cloud.accessToken, undefined);
    r.free();
  });

  for (const [name, option, make] of [
    ['cloudHosting without publicAccess', 'cloudHosting.publicAccess', () => createHandler({ cloudHosting: {}, onMessage() {} })],
    ['cloudHosting: true', 'cloudHosting', () => createHandler({ cloudHosting: true, onMessage() {} })],
    ['publicAccess: "yes"', 'cloudHosting.publicAccess', () => createHandler({ cloudHosting: { publicAccess: 'yes' }, onMessage() {} })],
    ['cloudHosting with token', 'token', () => createHandler({ cloudHosting: { publicAccess: false }, token: 't', onMessage() {} })],
    ['cloudHosting with encodingAESKey', 'encodingAESKey', () => createHandler({ cloudHosting: { publicAccess: false }, encodingAESKey: 'k'.repeat(43), onMessage() {} })],
    ['passiveReplies: 1', 'cloudHosting.passiveReplies', () => createHandler({ cloudHosting: { publicAccess: false, passiveReplies: 1 }, onMessage() {} })],
    ['Client cloudHosting with appSecret', 'appSecret', () => new Client({ appId: 'wx', appSecret: 's', cloudHosting: { tokenSource: 'open-api' } })],
    ['Client cloudHosting with accessToken', 'accessToken', () => new Client({ accessToken: () => 't', cloudHosting: { tokenSource: 'open-api' } })],
    ['Client tokenSource missing', 'cloudHosting.tokenSource', () => new Client({ cloudHosting: {} })],
    ['Client tokenSource "env"', 'cloudHosting.tokenSource', () => new Client({ cloudHosting: { tokenSource: 'env' } })],
  ]) {
    c.check(`cloud option error: ${name}`, () => {
      let error;
      try { make(); } catch (e) { error = e; }
      c.assertTrue(error instanceof WxkfError, 'a WxkfError');
      c.assertEq(error.code, -41006);
      c.assertEq(error.kind, 'InvalidOption');
      c.assertEq(error.field, option);
      c.assertTrue(error.message.includes(option), 'the message names the option');
    });
  }

  // The Client's token sources, against an in-process fetch standing in for the platform.
  const platform = (valid) => {
    const urls = [];
    const fetch = async (url) => {
      urls.push(String(url));
      const q = new URL(url).searchParams;
      const token = q.get('cloudbase_access_token');
      const ok = valid === null ? !q.has('access_token') && !token : token !== null && valid.has(token);
      const body = ok ? { errcode: 0, errmsg: 'ok' } : { errcode: 40001, errmsg: 'invalid credential' };
      return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
    };
    return { urls, fetch };
  };
  const send = { touser: 'o_cloud_user', content: 'hi' };

  await c.checkAsync("cloud Client: 'open-api' calls http://api.weixin.qq.com with no token", async () => {
    const p = platform(null);
    const client = new Client({ cloudHosting: { tokenSource: 'open-api' }, fetch: p.fetch });
    await client.sendText(send);
    c.assertEq(p.urls.length, 1);
    c.assertEq(p.urls[0], 'http://api.weixin.qq.com/cgi-bin/message/custom/send');
    c.assertEq(client.tokenRequests, 0);
    c.assertEq((await errorOf(() => client.getAccessToken()))?.code, -41006);
  });

  await c.checkAsync("cloud Client: 'request' sends the request's token as cloudbase_access_token", async () => {
    const p = platform(new Set(['REQ_TOKEN']));
    const client = new Client({ cloudHosting: { tokenSource: 'request' }, fetch: p.fetch, baseUrl: 'http://127.0.0.1:9' });
    await client.withRequestToken('REQ_TOKEN').sendText(send);
    await client.getKfList({}, { cloudbaseAccessToken: 'REQ_TOKEN' });
    c.assertEq(p.urls.length, 2);
    c.assertTrue(p.urls.every((u) => u.includes('cloudbase_access_token=REQ_TOKEN')), 'the token in every call');
    c.assertTrue(p.urls.every((u) => !/[?&]access_token=/.test(u)), 'no access_token parameter');
    const missing = await errorOf(() => client.sendText(send));
    c.assertEq(missing?.code, -42001);
    c.assertEq(missing?.field, 'cloudbaseAccessToken');
    const bad = await errorOf(() => client.withRequestToken('OTHER').sendText(send));
    c.assertEq(bad?.code, 40001);
    c.assertTrue(!String(bad?.message).includes('OTHER'), 'the token stays out of the message');
    c.assertEq((await errorOf(() => client.withRequestToken(''))).code, -42001);
  });

  await c.checkAsync("cloud Client: 'file' reads the token file, reads it again after a token error", async () => {
    const p = platform(new Set(['FILE_2']));
    let content = 'FILE_1\n';
    const reads = [];
    const client = new Client({
      cloudHosting: { tokenSource: 'file', tokenFile: '/mnt/token', readFile: async (path) => { reads.push(path); return content; } },
      fetch: p.fetch, baseUrl: 'http://127.0.0.1:9',
    });
    content = 'FILE_2';
    // the first read happens at the first call: FILE_2 at once
    await client.sendText(send);
    c.assertEq(reads.join(), '/mnt/token');
    await client.sendText(send);
    c.assertEq(reads.length, 1); // cached within recheckMs
    c.assertEq(await client.getAccessToken(), 'FILE_2');
    const other = new Client({
      cloudHosting: { tokenSource: 'file', readFile: async (path) => { reads.push(path); return reads.length > 2 ? 'FILE_2' : 'FILE_OLD'; } },
      fetch: p.fetch, baseUrl: 'http://127.0.0.1:9',
    });
    await other.sendText(send); // FILE_OLD fails with 40001, the file is read again: FILE_2
    c.assertEq(reads.slice(1).join(), '/.tencentcloudbase/wx/cloudbase_access_token,/.tencentcloudbase/wx/cloudbase_access_token');
    c.assertTrue(p.urls.at(-1).includes('cloudbase_access_token=FILE_2'), 'the new token used');
    const unreadable = new Client({ cloudHosting: { tokenSource: 'file', readFile: async () => { throw Object.assign(new Error('no'), { code: 'ENOENT' }); } }, fetch: p.fetch, retries: 0 });
    const e = await errorOf(() => unreadable.sendText(send));
    c.assertEq(e?.code, -42004);
    c.assertTrue(e.message.includes('ENOENT'), 'says why');
  });

  await c.checkAsync("cloud Client: 'file' with the runtime's own file reading (or a clear error where there is none)", async () => {
    const p = platform(new Set());
    const canRead = typeof globalThis.Deno?.readTextFile === 'function' || typeof globalThis.process?.getBuiltinModule === 'function';
    const client = new Client({ cloudHosting: { tokenSource: 'file', tokenFile: '/nonexistent-wechat-kf/cloudbase_access_token' }, fetch: p.fetch, retries: 0 });
    const e = await errorOf(() => client.sendText(send));
    c.assertEq(e?.code, canRead ? -42004 : -41006);
    c.assertTrue(e.message.includes(canRead ? '/nonexistent-wechat-kf/' : 'cloudHosting.readFile'), 'says what to fix');
    c.assertEq(p.urls.length, 0);
  });

  return c.result();
}
