// The Client against the local emulator over real HTTP on 127.0.0.1 (node --test js-tests/node/).
// Uses the built package (pkg/loaders/node.js; WECHAT_KF_PKG overrides).
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { start } from '../../pkg/devtools/emulator/server.js';
import { control as emulatorControl, creds as emulatorCreds, recorded as emulatorRecorded } from './emulator-control.mjs';

const lib = await import(process.env.WECHAT_KF_PKG ?? new URL('../../pkg/loaders/node.js', import.meta.url).href);
const { Client, SendWindow, WxkfError, chatbot } = lib;

let emu;
const control = (path, body) => emulatorControl(emu, path, body);
const recorded = (path) => emulatorRecorded(emu, path);
const creds = () => emulatorCreds(emu);
const sleeps = [];
const client = (extra = {}) => new Client({ ...creds(), sleep: async (ms) => { sleeps.push(ms); }, ...extra });
const rejects = async (promise, code) => {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof WxkfError, `WxkfError, got ${e}`);
    assert.equal(e.code, code, e.message);
    return true;
  });
};

before(async () => {
  emu = await start({ port: 0, lib });
});
after(async () => {
  await emu?.close();
});
beforeEach(async () => {
  await control('reset', {});
  sleeps.length = 0;
});

test('one token request for 50 concurrent sends', { timeout: 20000 }, async () => {
  const c = client();
  for (let i = 0; i < 50; i++) await control('user', { openid: `u${i}`, action: 'message' });
  const results = await Promise.all(Array.from({ length: 50 }, (_, i) => c.sendText({ touser: `u${i}`, content: `hello ${i}` })));
  assert.equal(results.length, 50);
  const log = await control('requests');
  assert.equal(log.tokenRequests, 1);
  assert.equal(c.tokenRequests, 1);
  const sends = log.requests.filter((r) => r.path === '/cgi-bin/message/custom/send');
  assert.equal(sends.length, 50);
  assert.deepEqual(sends.find((r) => r.json.touser === 'u7').json, { touser: 'u7', msgtype: 'text', text: { content: 'hello 7' } });
});

test('stable_token mode and a user token function', { timeout: 10000 }, async () => {
  const c = client(); // stable_token is the default
  await control('user', { openid: 'u', action: 'message' });
  await c.sendText({ touser: 'u', content: 'x' });
  const [tok] = await recorded('/cgi-bin/stable_token');
  assert.deepEqual(tok.json, { grant_type: 'client_credential', appid: emu.state.config.appId, secret: '***', force_refresh: false }); // recorded without the secret
  const token = await c.getAccessToken();
  let calls = 0;
  const viaFn = new Client({ baseUrl: emu.url, accessToken: async () => { calls++; return token; } });
  await viaFn.sendText({ touser: 'u', content: 'y' });
  assert.equal(calls, 1);
});

test('token refreshed before expiry (margin) and after 42001 / 40001', { timeout: 10000 }, async () => {
  let now = Date.now();
  const c = client({ now: () => now, refreshMarginMs: 300_000 });
  await control('user', { openid: 'u', action: 'message' });
  await c.sendText({ touser: 'u', content: '1' });
  now += 7200_000 - 300_000; // inside the margin: refresh before using it
  await c.sendText({ touser: 'u', content: '2' });
  assert.equal((await control('requests')).tokenRequests, 2);
  await control('expire-tokens', {}); // the platform says 42001: refresh once and retry
  await c.sendText({ touser: 'u', content: '3' });
  assert.equal((await control('requests')).tokenRequests, 3);
  const answers = (await recorded('/cgi-bin/message/custom/send')).map((r) => r.errcode);
  assert.deepEqual(answers, [0, 0, 42001, 0]);
  // a token that stays invalid: dropped and fetched again, then once with force_refresh, then the error
  await control('fault', { path: '/cgi-bin/message/custom/send', errcode: 40001, times: 3 });
  await rejects(c.sendText({ touser: 'u', content: '4' }), 40001);
  assert.deepEqual((await recorded('/cgi-bin/stable_token')).map((r) => r.json.force_refresh).slice(-2), [false, true]);
});

test('errcode -1 retried with backoff, then given up', { timeout: 10000 }, async () => {
  const c = client({ retries: 2, backoffMs: 100 });
  await control('user', { openid: 'u', action: 'message' });
  await control('fault', { path: '/cgi-bin/message/custom/send', errcode: -1, times: 2 });
  await c.sendText({ touser: 'u', content: 'x' });
  assert.deepEqual(sleeps, [100, 200]);
  await control('fault', { path: '/cgi-bin/message/custom/send', errcode: -1, times: 3 });
  const e = await c.sendText({ touser: 'u', content: 'x' }).catch((err) => err);
  assert.equal(e.code, -1);
  assert.equal(e.kind, 'SystemBusy');
  assert.equal(e.retryable, true);
});

test('invalid input rejected before any request', { timeout: 10000 }, async () => {
  const c = client();
  await rejects(c.sendLink({ touser: 'u', title: 't', description: 'd', url: 'nope', thumbUrl: 'https://x/y' }), -42002);
  await rejects(c.listBusiness({ offset: 0, count: 500 }), -42002);
  await rejects(c.registerBusiness({ accountName: 'abc', nickname: 'abcd', iconMediaId: 'm' }), -42002);
  assert.equal((await recorded()).length, 0);
});

test('the emulator enforces the send window (45015 / 45047) at its edges', { timeout: 10000 }, async () => {
  const c = client();
  await control('clock', { freeze: true });
  await rejects(c.sendText({ touser: 'nobody', content: 'x' }), 45015);
  await control('user', { openid: 'u', action: 'enter' });
  await c.sendText({ touser: 'u', content: '1' });
  await c.sendText({ touser: 'u', content: '2' });
  await rejects(c.sendText({ touser: 'u', content: '3' }), 45047);
  await control('user', { openid: 'u', action: 'enter' }); // resets to 2, not 0 + 2 + ...
  await c.sendText({ touser: 'u', content: '4' });
  await control('clock', { advanceMs: 59_999 });
  await c.sendText({ touser: 'u', content: '5' });
  await rejects(c.sendText({ touser: 'u', content: '6' }), 45047);
  await control('user', { openid: 'u', action: 'enter' });
  await control('clock', { advanceMs: 60_000 });
  await rejects(c.sendText({ touser: 'u', content: '7' }), 45015);
  await control('user', { openid: 'v', action: 'message' });
  await control('clock', { advanceMs: 48 * 3600_000 - 1 });
  await c.sendText({ touser: 'v', content: 'just in time' });
  await control('clock', { advanceMs: 1 });
  await control('expire-tokens', {}); // the clock jump also outlived the token
  await rejects(c.sendText({ touser: 'v', content: 'too late' }), 45015);
});

test('client-side SendWindow refuses from a stored state before the request; no record lets the send go, reported', { timeout: 10000 }, async () => {
  const reports = [];
  const window = new SendWindow({ onError: (e, info) => reports.push(`${info.phase} ${e.code} ${e.reason}`) });
  const c = client({ sendWindow: window });
  // No record of u's last interaction: the window cannot tell, the platform refuses it itself.
  const first = await c.sendText({ touser: 'u', content: 'x' }).catch((err) => err);
  assert.equal(first.code, 45015);
  assert.doesNotMatch(first.message, /locally/);
  assert.deepEqual(reports, ['sendWindow -43002 no-state']);
  assert.equal((await recorded('/cgi-bin/message/custom/send')).length, 1);
  await control('user', { openid: 'u', action: 'enter' });
  await window.observe('u', 'enter');
  await c.sendText({ touser: 'u', content: '1' });
  await c.sendText({ touser: 'u', content: '2' });
  const e = await c.sendText({ touser: 'u', content: '3' }).catch((err) => err);
  assert.equal(e.code, 45047);
  assert.match(e.message, /locally/);
  assert.equal((await recorded('/cgi-bin/message/custom/send')).length, 3);
  assert.equal(reports.length, 1);
});

test('media upload, get, and an image send', { timeout: 10000 }, async () => {
  const c = client();
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
  const up = await c.uploadMedia(png, { filename: 'a.png', contentType: 'image/png' });
  assert.equal(up.type, 'image');
  assert.match(up.media_id, /^EMU_MEDIA_/);
  const got = await c.getMedia(up.media_id);
  assert.equal(got.contentType, 'image/png');
  assert.deepEqual([...got.data], [...png]);
  await rejects(c.getMedia('missing'), 40007);
  await control('user', { openid: 'u', action: 'message' });
  await c.sendImage({ touser: 'u', mediaId: up.media_id });
  const [send] = await recorded('/cgi-bin/message/custom/send');
  assert.deepEqual(send.json, { touser: 'u', msgtype: 'image', image: { media_id: up.media_id } });
});

test('uploadMedia: bytes, ArrayBuffer, Blob and File, with their names and types', { timeout: 10000 }, async () => {
  const c = client();
  const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 9, 8, 7]);
  const gif = new TextEncoder().encode('GIF89a..');
  const ups = [
    [await c.uploadMedia(jpeg), 'image/jpeg', 'image.jpg'],
    [await c.uploadMedia(gif.buffer), 'image/gif', 'image.gif'],
    [await c.uploadMedia(new Blob([jpeg])), 'image/jpeg', 'image.jpg'],
    [await c.uploadMedia(new Blob([jpeg], { type: 'image/jpeg' }), { filename: 'x.jpeg' }), 'image/jpeg', 'x.jpeg'],
    [await c.uploadMedia(new File([gif], 'cat.gif', { type: 'image/gif' })), 'image/gif', 'cat.gif'],
  ];
  for (const [up, type, name] of ups) {
    const media = emu.state.media.get(up.media_id);
    assert.equal(media.contentType, type);
    assert.equal(media.filename, name);
  }
  assert.deepEqual([...emu.state.media.get(ups[4][0].media_id).data], [...gif]);
});

test('uploadMedia refuses a string, a non-image, a wrong type and 2 MB + 1 before any request', { timeout: 10000 }, async () => {
  const c = client();
  const refused = async (promise, field, pattern) => {
    await assert.rejects(promise, (e) => {
      assert.ok(e instanceof WxkfError, `WxkfError, got ${e}`);
      assert.equal(e.code, -42002, e.message);
      assert.equal(e.field, field);
      assert.match(e.message, pattern);
      return true;
    });
  };
  await refused(c.uploadMedia('hello.jpg'), 'file', /not a path.*read the file first/);
  await refused(c.uploadMedia(undefined), 'file', /Uint8Array or ArrayBuffer/);
  await refused(c.uploadMedia([0xff, 0xd8, 0xff]), 'file', /got Array/);
  await refused(c.uploadMedia(new TextEncoder().encode('hello.jpg')), 'file', /not a JPEG, PNG or GIF/);
  await refused(c.uploadMedia(new Blob(['<svg/>'], { type: 'image/svg+xml' })), 'file', /not a JPEG, PNG or GIF/);
  const png = new Uint8Array(2 * 1024 * 1024 + 1);
  png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  await refused(c.uploadMedia(png), 'file', /at most 2097152 bytes \(2 MB\)/);
  await refused(c.uploadMedia(png.subarray(0, 16), { contentType: 'image/jpeg' }), 'contentType', /the bytes are image\/png/);
  await refused(c.uploadMedia(new File([png.subarray(0, 16)], 'a.webp', { type: 'image/webp' })), 'contentType', /image\/gif only/);
  await refused(c.uploadMedia(png.subarray(0, 16), { type: 'voice' }), 'type', /must be 'image'/);
  assert.equal((await recorded()).length, 0, 'nothing reached the emulator');
  // exactly 2 MB goes through (the emulator takes up to 10 MB)
  const up = await c.uploadMedia(png.subarray(0, 2 * 1024 * 1024));
  assert.equal(emu.state.media.get(up.media_id).data.length, 2 * 1024 * 1024);
});

test('typing rules: 45080 without interaction, 45081 twice', { timeout: 10000 }, async () => {
  const c = client();
  await rejects(c.typing({ touser: 'u' }), 45080);
  await control('user', { openid: 'u', action: 'message' });
  await c.typing({ touser: 'u', command: 'Typing' });
  await rejects(c.typing({ touser: 'u', command: 'Typing' }), 45081);
  await c.typing({ touser: 'u', command: 'CancelTyping' });
  await control('clock', { advanceMs: 31_000 });
  await rejects(c.typing({ touser: 'u' }), 45080);
});

test('kf accounts and sub-merchant businesses', { timeout: 10000 }, async () => {
  const c = client();
  await c.addKfAccount({ kfWx: 'agent_1' });
  await rejects(c.addKfAccount({ kfWx: 'agent_1' }), 65406);
  const { kf_list } = await c.getKfList();
  assert.equal(kf_list.length, 1);
  await c.setKfAdmin({ kfOpenid: kf_list[0].kf_openid });
  assert.equal((await c.getOnlineKfList()).kf_online_list.length, 1);
  await c.deleteKfAccount({ kfOpenid: kf_list[0].kf_openid });
  await rejects(c.cancelKfAdmin({ kfOpenid: kf_list[0].kf_openid }), 65401);

  await rejects(c.registerBusiness({ accountName: 'apple_1', nickname: '苹果', iconMediaId: 'nope' }), 40007);
  const icon = await c.uploadMedia(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
  const { business_id } = await c.registerBusiness({ accountName: 'apple_1', nickname: '苹果', iconMediaId: icon.media_id });
  await rejects(c.registerBusiness({ accountName: 'apple_1', nickname: '苹果', iconMediaId: icon.media_id }), 45070);
  await c.updateBusiness({ businessId: business_id, nickname: '苹果店' });
  assert.equal((await c.getBusiness({ businessId: business_id })).business_info.nickname, '苹果店');
  assert.equal((await c.listBusiness({ offset: 0, count: 10 })).list.length, 1);
  await rejects(c.getBusiness({ accountName: 'pear_123' }), 45071);
  await control('user', { openid: 'u', action: 'message' });
  await c.sendText({ touser: 'u', content: 'from the shop', businessId: business_id });
  const [send] = await recorded('/cgi-bin/message/custom/business/send');
  assert.deepEqual(send.json, { touser: 'u', businessid: business_id, msgtype: 'text', text: { content: 'from the shop' } });
});

test('dialogue platform payloads round-trip through the emulator', { timeout: 10000 }, async () => {
  const bot = emu.state.config.bots[0];
  const c = client({ chatbotBaseUrl: emu.url, chatbot: bot });
  const msg = chatbot.msg.multimsg(['Hello,', chatbot.msg.image({ mediaId: 'M1', url: 'https://p.qq.com/1.jpg' })]);
  const payload = { appId: 'wx123', openid: 'o1', msg, channel: 0, event: 'waiterEnter', kefuname: '小红', kefuavatar: 'https://a/b.png', ansNodeName: 'faq' };
  const answer = await c.chatbotSend(payload);
  assert.equal(answer.errcode, 0);
  const [rec] = await recorded(`/openapi/sendmsg/${bot.token}`);
  assert.deepEqual(rec.payload, payload);
  assert.deepEqual(Object.keys(rec.json), ['encrypt']);
  // wrong token, wrong key, missing fields
  const wrong = client({ chatbotBaseUrl: emu.url, chatbot: { ...bot, token: 'NotABot' } });
  await rejects(wrong.chatbotSend(payload), 1001);
  const otherKey = client({ chatbotBaseUrl: emu.url, chatbot: { ...bot, encodingAESKey: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq' } });
  await rejects(otherKey.chatbotSend(payload), 1005);
  const raw = async (body) => (await fetch(`${emu.url}/openapi/sendmsg/${bot.token}`, { method: 'POST', body })).json();
  assert.equal((await raw('{"encrypt":""}')).errcode, 1004);
  const crypt = new lib.WXBizMsgCrypt({ token: bot.token, encodingAESKey: bot.encodingAESKey, appId: bot.appId });
  const noMsg = crypt.encrypt('<xml><openid><![CDATA[o]]></openid><channel>7</channel></xml>');
  assert.equal((await raw(JSON.stringify({ encrypt: noMsg }))).errcode, 1008);
  // the XML envelope instead of the bare ciphertext is refused
  const envelope = crypt.encryptMessage(chatbot.payloadXml({ openid: 'o', msg: 'm', channel: 7 }));
  assert.equal((await raw(JSON.stringify({ encrypt: envelope }))).errcode, 1005);
});

test('transport failures: HTTP errors and unreachable hosts', { timeout: 10000 }, async () => {
  const c = client({ baseUrl: `${emu.url}/nowhere`, retries: 1, backoffMs: 1 });
  const e = await c.getKfList().catch((err) => err);
  assert.equal(e.code, -42004);
  assert.equal(e.kind, 'Transport');
  const down = new Client({ appId: 'a', appSecret: 'b', baseUrl: 'http://127.0.0.1:9', retries: 1, sleep: async () => {} });
  const e2 = await down.getKfList().catch((err) => err);
  assert.equal(e2.code, -42004);
  assert.equal(e2.retryable, true);
  const bad = new Client({ appId: 'wrong', appSecret: 'b', baseUrl: emu.url });
  await rejects(bad.getKfList(), 40013);
});

test('transport errors name no secret: bot token in the sendmsg path, access_token, appSecret', { timeout: 10000 }, async () => {
  const secrets = { botToken: 'BotTokenSecret42', accessToken: 'ACCESS_TOKEN_SECRET_9', appSecret: 'app-secret-value-7' };
  const key = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
  const noSecret = (e) => {
    assert.ok(e instanceof WxkfError, `WxkfError, got ${e}`);
    assert.equal(e.code, -42004);
    for (const s of Object.values(secrets)) assert.ok(!String(e.message).includes(s), `secret in: ${e.message}`);
  };
  // The dialogue platform answers HTTP 503 (as it does to a wrong body): the path holds the TOKEN.
  const bot = new Client({
    accessToken: () => secrets.accessToken, retries: 0,
    chatbot: { token: secrets.botToken, encodingAESKey: key, appId: 'botapp' },
    fetch: async () => new Response('busy', { status: 503 }),
  });
  noSecret(await bot.chatbotSend({ openid: 'o', msg: 'm', channel: 7 }).catch((e) => e));
  // A fetch whose error names the URL (undici's "Failed to parse URL from ...", proxies, mocks).
  const echo = async (url) => { throw new TypeError(`request to ${url} failed`); };
  const viaToken = new Client({ accessToken: () => secrets.accessToken, retries: 0, fetch: echo });
  noSecret(await viaToken.getKfList().catch((e) => e));
  const viaSecret = new Client({ appId: 'wxapp', appSecret: secrets.appSecret, retries: 0, fetch: echo });
  noSecret(await viaSecret.getAccessToken().catch((e) => e));
  const botEcho = new Client({ accessToken: () => secrets.accessToken, retries: 0, fetch: echo, chatbot: { token: secrets.botToken, encodingAESKey: key, appId: 'botapp' } });
  noSecret(await botEcho.chatbotSend({ openid: 'o', msg: 'm', channel: 7 }).catch((e) => e));
});

// ---- redirects and answer sizes, against servers of their own on 127.0.0.1 --------------------

/** An HTTP server on 127.0.0.1 answering with `handler`; { url, port, seen: [{ method, url, body }], close() }. */
async function server(handler) {
  const seen = [];
  const s = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, body: Buffer.concat(chunks).toString('utf8') });
      handler(req, res);
    });
  });
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address();
  return {
    url: `http://127.0.0.1:${port}`, port, seen,
    close: () => new Promise((resolve) => { s.closeAllConnections(); s.close(resolve); }),
  };
}

test('a redirect is never followed: a 307 from stable_token does not re-post the appSecret elsewhere', { timeout: 20000 }, async () => {
  const secret = 'redirected-app-secret-31';
  const botToken = 'RedirectBotToken7';
  const other = await server((req, res) => res.end('{"access_token":"STOLEN","expires_in":7200}'));
  const status = { '/cgi-bin/stable_token': 307, '/cgi-bin/token': 302, '/cgi-bin/customservice/getkflist': 301, '/cgi-bin/media/get': 302 };
  const redirecting = await server((req, res) => {
    const path = req.url.split('?')[0];
    res.writeHead(status[path] ?? 308, { location: `${other.url}${req.url}` }).end();
  });
  try {
    const base = { appId: 'wxredirect', appSecret: secret, baseUrl: redirecting.url, chatbotBaseUrl: redirecting.url, retries: 2, sleep: async () => {} };
    const checks = [
      ['POST', '/cgi-bin/stable_token', 307, () => new Client(base).getAccessToken()],
      ['GET', '/cgi-bin/token', 302, () => new Client({ ...base, stableToken: false }).getAccessToken()],
      ['GET', '/cgi-bin/customservice/getkflist', 301, () => new Client({ ...base, appSecret: undefined, accessToken: () => 'ACCESS_TOKEN_R1' }).getKfList()],
      ['GET', '/cgi-bin/media/get', 302, () => new Client({ ...base, appSecret: undefined, accessToken: () => 'ACCESS_TOKEN_R1' }).getMedia('m1')],
      ['POST', '/openapi/sendmsg/***', 308, () => new Client({
        ...base, appSecret: undefined, accessToken: () => 'ACCESS_TOKEN_R1',
        chatbot: { token: botToken, encodingAESKey: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR', appId: 'botapp' },
      }).chatbotSend({ openid: 'o', msg: 'm', channel: 7 })],
    ];
    for (const [method, path, code, call] of checks) {
      const before = redirecting.seen.length;
      const e = await call().catch((err) => err);
      assert.ok(e instanceof WxkfError, `${path}: WxkfError, got ${e}`);
      assert.equal(e.code, -42004, e.message);
      assert.equal(e.kind, 'Transport');
      assert.equal(e.retryable, false);
      assert.ok(e.message.includes(`${method} 127.0.0.1:${redirecting.port}${path} answered a redirect (HTTP ${code} to 127.0.0.1:${other.port})`), e.message);
      assert.ok(!e.message.includes('?'), `no query in: ${e.message}`);
      for (const s of [secret, 'ACCESS_TOKEN_R1', botToken]) assert.ok(!e.message.includes(s), `secret in: ${e.message}`);
      assert.equal(redirecting.seen.length - before, 1, `${path}: asked once, not retried`);
    }
    assert.deepEqual(other.seen, [], 'the other origin received nothing');
    assert.ok(redirecting.seen[0].body.includes(secret), 'the request itself did carry the secret (to the configured base)');
  } finally {
    await Promise.all([other.close(), redirecting.close()]);
  }
});

test('every call asks fetch for redirect: manual; an opaque redirect and a followed one are refused', { timeout: 10000 }, async () => {
  const inits = [];
  const ok = (url, init) => {
    inits.push([String(url).split('?')[0], init.redirect]);
    return new Response(JSON.stringify({ errcode: 0, errmsg: 'ok', access_token: 'T', expires_in: 7200, msg: 'Success', media_id: 'm', type: 'image', created_at: 1, kf_list: [] }), { headers: { 'content-type': 'application/json' } });
  };
  const bot = { token: 'BotTokenManual1', encodingAESKey: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR', appId: 'botapp' };
  const c = new Client({ appId: 'wx1', appSecret: 'manual-secret-1', fetch: async (url, init) => ok(url, init), chatbot: bot });
  await c.getKfList();
  await c.getMedia('m');
  await c.uploadMedia(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1]));
  await c.chatbotSend({ openid: 'o', msg: 'm', channel: 7 });
  const cloud = new Client({ cloudHosting: { tokenSource: 'request' }, fetch: async (url, init) => ok(url, init) });
  await cloud.withRequestToken('CLOUD_T').getKfList();
  assert.equal(inits.length, 6);
  for (const [url, redirect] of inits) assert.equal(redirect, 'manual', url);

  // A browser's answer to redirect: 'manual' (status 0), and a fetch double that followed a redirect anyway.
  const opaque = { type: 'opaqueredirect', status: 0, ok: false, redirected: false, headers: new Headers(), body: null };
  const followed = Object.defineProperty(new Response('{"access_token":"T","expires_in":7200}'), 'redirected', { value: true });
  for (const answer of [opaque, followed]) {
    const e = await new Client({ appId: 'wx1', appSecret: 'manual-secret-1', retries: 0, fetch: async () => answer }).getAccessToken().catch((err) => err);
    assert.ok(e instanceof WxkfError, String(e));
    assert.equal(e.code, -42004);
    assert.match(e.message, /^POST api\.weixin\.qq\.com\/cgi-bin\/stable_token answered a redirect/);
    assert.ok(!e.message.includes('manual-secret-1'));
  }
});

test('answers over maxResponseBytes / maxMediaBytes are refused before wasm, and the Client keeps working', { timeout: 30000 }, async () => {
  let mode = 'ok';
  const head = '{"errcode":0,"kf_list":[],"pad":"';
  const json = (n) => `${head}${'x'.repeat(n - head.length - 2)}"}`; // n bytes
  const big = await server((req, res) => {
    const path = req.url.split('?')[0];
    if (path === '/cgi-bin/media/get') {
      const size = Number(mode.split(':')[1] ?? 16);
      return res.writeHead(200, { 'content-type': 'image/png', 'content-length': size }).end(Buffer.alloc(size, 7));
    }
    if (mode === 'ok') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"kf_list":[]}');
    if (mode.startsWith('exact:')) return res.writeHead(200, { 'content-type': 'application/json' }).end(json(Number(mode.slice(6))));
    if (mode === 'length') {
      const body = json(2 << 20);
      return res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
    }
    // 'stream': no Content-Length, 12 MiB in chunks until the client stops reading
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.on('error', () => {});
    res.write('{"errcode":0,"pad":"');
    let sent = 0;
    const more = () => {
      while (sent < 12 << 20) {
        sent += 64 << 10;
        if (!res.write('x'.repeat(64 << 10))) return res.once('drain', more);
      }
      res.end('"}');
    };
    more();
  });
  try {
    const c = new Client({ accessToken: () => 'ACCESS_TOKEN_BIG', baseUrl: big.url, retries: 2, sleep: async () => {} });
    const tooLarge = async (promise, limit, option) => {
      const e = await promise.catch((err) => err);
      assert.ok(e instanceof WxkfError, `WxkfError, got ${e?.stack ?? e}`);
      assert.equal(e.code, -42004, e.message);
      assert.equal(e.kind, 'Transport');
      assert.equal(e.retryable, false);
      assert.equal(e.limit, limit);
      assert.ok(e.message.includes(`option ${option}`), e.message);
      assert.ok(!e.message.includes('ACCESS_TOKEN_BIG'), e.message);
    };
    for (mode of ['length', 'stream']) {
      const before = big.seen.length;
      await tooLarge(c.getKfList(), 1 << 20, 'maxResponseBytes');
      assert.equal(big.seen.length - before, 1, `${mode}: not retried`);
      mode = 'ok';
      assert.deepEqual(await c.getKfList(), { errcode: 0, kf_list: [] }, 'the Client still works');
    }
    // The cap itself: exactly maxResponseBytes is read, one byte more is not.
    const small = new Client({ accessToken: () => 'ACCESS_TOKEN_BIG', baseUrl: big.url, maxResponseBytes: 1000, maxMediaBytes: 2000 });
    mode = 'exact:1000';
    assert.equal((await small.getKfList()).pad.length, 1000 - head.length - 2);
    mode = 'exact:1001';
    await tooLarge(small.getKfList(), 1000, 'maxResponseBytes');
    // getMedia's file has its own cap (default 10 MiB: a 3 MiB image is read).
    mode = 'media:2000';
    assert.equal((await small.getMedia('m')).data.byteLength, 2000);
    mode = 'media:2001';
    await tooLarge(small.getMedia('m'), 2000, 'maxMediaBytes');
    mode = 'media:3145728';
    assert.equal((await c.getMedia('m')).data.byteLength, 3 << 20);
    mode = 'ok';
    assert.deepEqual(await small.getKfList(), { errcode: 0, kf_list: [] });
  } finally {
    await big.close();
  }
  for (const [name, value] of [['maxResponseBytes', 0], ['maxResponseBytes', '1000'], ['maxMediaBytes', 1.5], ['maxMediaBytes', -1]]) {
    assert.throws(() => new Client({ accessToken: () => 't', [name]: value }), (e) => e instanceof WxkfError && e.code === -41006 && e.field === name, `${name}: ${value}`);
  }
});
