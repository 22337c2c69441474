// The API emulator's doors (node --test js-tests/node/): a loopback host unless told otherwise;
// control endpoints only for a loopback peer and Host, no foreign Origin, JSON bodies only;
// /__emulator/push only to loopback URLs (and no redirect elsewhere); recorded requests and
// /__emulator/config without any secret (secret, appsecret, access_token,
// cloudbase_access_token, any other token field, the dialogue platform's TOKEN and key).
// Uses the built package (pkg/loaders/node.js; WECHAT_KF_PKG overrides).
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import { spawnSync } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { fileURLToPath } from 'node:url';
import { DEFAULTS, isLoopbackPeer, start } from '../../pkg/devtools/emulator/server.js';

const PKG = fileURLToPath(new URL('../../pkg/', import.meta.url));

const lib = await import(process.env.WECHAT_KF_PKG ?? new URL('../../pkg/loaders/node.js', import.meta.url).href);

let emu;
before(async () => { emu = await start({ port: 0, lib }); });
after(async () => { await emu?.close(); });
beforeEach(async () => { assert.equal((await control('POST', '/__emulator/reset', '{}')).status, 200); });

/** A raw request to the emulator with the given headers (fetch cannot set Host). */
function raw(method, path, { headers = {}, body, host = '127.0.0.1', port = emu.port } = {}) {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, method, path, headers, timeout: 10_000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}
const control = (method, path, body, headers = {}) => raw(method, path, {
  headers: { host: `127.0.0.1:${emu.port}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
  body,
});
const records = async () => JSON.parse((await control('GET', '/__emulator/requests')).text).requests;

test('control endpoints answer only a loopback Host', async () => {
  for (const host of [`127.0.0.1:${emu.port}`, `localhost:${emu.port}`, `[::1]:${emu.port}`, 'localhost', `127.3.4.5:${emu.port}`]) {
    assert.equal((await control('GET', '/__emulator/requests', undefined, { host })).status, 200, host);
  }
  // DNS rebinding: a page of evil.example whose name now resolves to 127.0.0.1.
  for (const host of [`evil.example:${emu.port}`, 'evil.example', `127.0.0.1.evil.example:${emu.port}`, `user@127.0.0.1:${emu.port}`]) {
    const r = await control('GET', '/__emulator/requests', undefined, { host });
    assert.equal(r.status, 403, `${host}: ${r.text}`);
    assert.doesNotMatch(r.text, /requests/);
  }
  const refused = await control('POST', '/__emulator/user', JSON.stringify({ openid: 'o1' }), { host: 'evil.example' });
  assert.equal(refused.status, 403);
});

test('control endpoints refuse a foreign Origin and non-JSON bodies', async () => {
  // Something to lose: a recorded request.
  await fetch(`${emu.url}/cgi-bin/token?grant_type=client_credential&appid=x&secret=y`);
  assert.equal((await records()).length, 1);
  for (const origin of ['http://evil.example', 'null', 'https://127.0.0.1.evil.example', 'file://']) {
    const r = await control('POST', '/__emulator/reset', '{}', { origin });
    assert.equal(r.status, 403, origin);
  }
  // A simple cross-site POST (no preflight): text/plain or a form, even when the text is JSON.
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx']) {
    const r = await control('POST', '/__emulator/reset', '{}', { 'content-type': type });
    assert.equal(r.status, 415, type);
  }
  const notJson = await control('POST', '/__emulator/user', 'openid=o1');
  assert.equal(notJson.status, 400);
  assert.equal((await records()).length, 1, 'nothing was reset');
  // Local tools: no Origin, or a loopback one; a body-less POST needs no content type.
  assert.equal((await control('POST', '/__emulator/user', JSON.stringify({ openid: 'o1' }), { origin: `http://localhost:${emu.port}` })).status, 200);
  assert.equal((await raw('POST', '/__emulator/expire-tokens', { headers: { host: `127.0.0.1:${emu.port}` } })).status, 200);
  assert.equal((await control('POST', '/__emulator/reset', '{}', { 'content-type': 'application/json; charset=utf-8' })).status, 200);
  assert.equal((await records()).length, 0);
});

test('push goes only to loopback URLs, and follows no redirect', async () => {
  const seen = [];
  const target = createServer((req, res) => {
    seen.push(req.url);
    if (req.url.startsWith('/redirect')) {
      res.writeHead(302, { location: 'http://evil.example/collect' });
      return res.end();
    }
    req.resume();
    req.on('end', () => res.end('success'));
  });
  await new Promise((r) => target.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${target.address().port}`;
  const args = { token: 'PushToken', encodingAESKey: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR', message: { Content: 'hi' } };
  try {
    for (const url of ['http://evil.example/wechat', 'http://10.0.0.1/wechat', 'http://0.0.0.0:1/x', 'file:///etc/passwd', 'http://127.0.0.1.evil.example/x']) {
      const r = await control('POST', '/__emulator/push', JSON.stringify({ ...args, url }));
      assert.equal(r.status, 400, `${url}: ${r.text}`);
      assert.match(r.text, /loopback/);
    }
    const ok = await control('POST', '/__emulator/push', JSON.stringify({ ...args, url: `${base}/wechat` }));
    assert.equal(ok.status, 200, ok.text);
    assert.equal(JSON.parse(ok.text).body, 'success');
    const redirected = await control('POST', '/__emulator/push', JSON.stringify({ ...args, url: `${base}/redirect` }));
    assert.equal(JSON.parse(redirected.text).status, 302);
    assert.equal(seen.length, 2);
  } finally {
    await new Promise((r) => target.close(r));
  }
});

test('recorded requests show *** for secret, appsecret, access_token and the dialogue TOKEN', async () => {
  const { appId, appSecret, bots } = emu.state.config;
  const token = await (await fetch(`${emu.url}/cgi-bin/token?grant_type=client_credential&appid=${appId}&secret=${appSecret}`)).json();
  assert.equal(typeof token.access_token, 'string');
  const stable = await (await fetch(`${emu.url}/cgi-bin/stable_token`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credential', appid: appId, secret: appSecret, appsecret: appSecret }),
  })).json();
  await fetch(`${emu.url}/cgi-bin/message/custom/send?access_token=${token.access_token}`, { method: 'POST', body: '{"touser":"o"}' });
  await fetch(`${emu.url}/cgi-bin/media/get?ACCESS_TOKEN=${stable.access_token}&media_id=m`);
  await fetch(`${emu.url}/openapi/sendmsg/${bots[0].token}`, { method: 'POST', body: '{"encrypt":""}' });
  const text = (await control('GET', '/__emulator/requests')).text;
  for (const secret of [appSecret, token.access_token, stable.access_token, bots[0].token]) {
    assert.ok(!text.includes(secret), `${secret.slice(0, 6)}… in the records`);
  }
  const recs = JSON.parse(text).requests;
  assert.equal(recs.length, 5);
  assert.equal(recs[0].query.secret, '***');
  assert.equal(recs[0].query.appid, appId);
  assert.deepEqual(recs[1].json, { grant_type: 'client_credential', appid: appId, secret: '***', appsecret: '***' });
  assert.equal(recs[2].query.access_token, '***');
  assert.equal(recs[3].query.ACCESS_TOKEN, '***');
  assert.equal(recs[4].path, '/openapi/sendmsg/***');
  assert.equal(recs[4].errcode, 1004); // what happened is still recorded
  // The filter still finds a dialogue platform request by its real path (local tools only).
  const byPath = JSON.parse((await control('GET', `/__emulator/requests?path=${encodeURIComponent(`/openapi/sendmsg/${bots[0].token}`)}`)).text).requests;
  assert.equal(byPath.length, 1);
});

test('isLoopbackPeer: 127.0.0.0/8 and ::1 (also IPv4-mapped), nothing else', () => {
  for (const a of ['127.0.0.1', '127.5.6.7', '::1', '::ffff:127.0.0.1', '::FFFF:127.0.0.2', '0:0:0:0:0:0:0:1']) {
    assert.equal(isLoopbackPeer(a), true, a);
  }
  for (const a of ['10.0.0.1', '192.168.1.20', '172.17.0.1', '0.0.0.0', '::', '::ffff:10.0.0.1', 'fe80::1', '::2',
    '128.0.0.1', '127.0.0.1.evil', 'localhost', '', undefined, null, 2130706433]) {
    assert.equal(isLoopbackPeer(a), false, String(a));
  }
});

test('start() refuses a non-loopback host without allowNonLoopback', async () => {
  for (const host of ['0.0.0.0', '::', '192.168.1.2']) {
    await assert.rejects(start({ port: 0, lib, host }), (e) => {
      assert.ok(e instanceof lib.WxkfError, String(e));
      assert.equal(e.code, -41006);
      assert.equal(e.field, 'host');
      assert.match(e.message, /not a loopback address[\s\S]*allowNonLoopback/);
      return true;
    });
  }
});

test('wechat-kf emulator and server.js refuse --host 0.0.0.0 without --allow-non-loopback', () => {
  for (const args of [[`${PKG}cli/main.js`, 'emulator'], [`${PKG}devtools/emulator/server.js`]]) {
    const r = spawnSync(process.execPath, [...args, '--port', '0', '--host', '0.0.0.0'], { encoding: 'utf8', timeout: 15_000 });
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /0\.0\.0\.0 is not a loopback address[\s\S]*--allow-non-loopback/);
    assert.doesNotMatch(r.stdout, /listening/);
  }
});

// This machine's own non-loopback address: a connection to it comes from a peer that is not
// loopback, without a second machine.
const outside = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

test('with --allow-non-loopback, control endpoints still answer loopback peers only (Host: 127.0.0.1 is not enough)',
  { skip: outside ? false : 'no non-loopback IPv4 address on this machine' }, async () => {
    const open = await start({ port: 0, lib, host: '0.0.0.0', allowNonLoopback: true });
    try {
      const host = { host: `127.0.0.1:${open.port}` };
      for (const [method, path, body] of [['GET', '/__emulator/config'], ['GET', '/__emulator/requests'],
        ['POST', '/__emulator/push', JSON.stringify({ url: 'http://127.0.0.1:9/x', token: 't', encodingAESKey: 'k' })],
        ['POST', '/__emulator/reset', '{}']]) {
        const r = await raw(method, path, { host: outside, port: open.port, body, headers: { ...host, 'content-type': 'application/json' } });
        assert.equal(r.status, 403, `${method} ${path}: ${r.text}`);
        assert.match(r.text, /loopback peer/);
        assert.ok(!r.text.includes(open.state.config.appSecret));
      }
      // The same requests from this machine's loopback are answered; the API itself serves the network.
      assert.equal((await raw('GET', '/__emulator/config', { port: open.port, headers: host })).status, 200);
      const api = await raw('GET', `/cgi-bin/token?grant_type=client_credential&appid=x&secret=y`, { host: outside, port: open.port });
      assert.equal(api.status, 200);
      assert.equal(JSON.parse(api.text).errcode, 40013);
    } finally {
      await open.close();
    }
  });

test('/__emulator/config shows no secret', async () => {
  const r = await control('GET', '/__emulator/config');
  assert.equal(r.status, 200);
  const { appSecret, bots } = emu.state.config;
  for (const secret of [appSecret, DEFAULTS.appSecret, bots[0].token, bots[0].encodingAESKey]) {
    assert.ok(!r.text.includes(secret), `${secret.slice(0, 6)}… in the config`);
  }
  const config = JSON.parse(r.text);
  assert.equal(config.appId, emu.state.config.appId);
  assert.equal(config.appSecret, '***');
  assert.deepEqual(config.bots, [{ token: '***', encodingAESKey: '***', appId: bots[0].appId }]);
  // A secret given to it, too.
  const own = await start({ port: 0, lib, appSecret: 'own-app-secret-123', bots: [{ token: 'OwnBotToken1', encodingAESKey: 'k'.repeat(43), appId: 'B' }] });
  try {
    const text = await (await fetch(`${own.url}/__emulator/config`)).text();
    for (const secret of ['own-app-secret-123', 'OwnBotToken1', 'k'.repeat(43)]) assert.ok(!text.includes(secret), text);
  } finally {
    await own.close();
  }
});

test('recorded requests show no token anywhere: cloudbase_access_token, nested and form fields, answers, broken JSON', async () => {
  const { appId, appSecret } = emu.state.config;
  const cloud = JSON.parse((await control('POST', '/__emulator/cloudbase-token', '{}')).text).token;
  const access = (await (await fetch(`${emu.url}/cgi-bin/token?grant_type=client_credential&appid=${appId}&secret=${appSecret}`)).json()).access_token;
  const sent = [
    () => fetch(`${emu.url}/cgi-bin/customservice/getkflist?cloudbase_access_token=${cloud}`),
    () => fetch(`${emu.url}/cgi-bin/customservice/getkflist?Cloudbase_Access_Token=${cloud}&other=${encodeURIComponent(`x ${access} y`)}`),
    () => fetch(`${emu.url}/cgi-bin/message/custom/send?access_token=${access}`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ touser: 'o', refresh_token: 'RefreshTokenValue1', nested: [{ deep: { Token: 'NestedTokenValue1', appsecret: 'NestedSecret1' } }] }),
    }),
    () => fetch(`${emu.url}/cgi-bin/stable_token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `appid=${appId}&secret=FormSecretValue1&access_token=${access}` }),
    () => fetch(`${emu.url}/cgi-bin/stable_token`, { method: 'POST', body: `{"grant_type":"client_credential","appid":"${appId}","secret":"${appSecret}"` }), // not JSON
    () => fetch(`${emu.url}/cgi-bin/stable_token`, { method: 'POST', body: JSON.stringify({ grant_type: 'client_credential', appid: appId, secret: appSecret }) }),
  ];
  let stable;
  for (const f of sent) stable = await (await f()).json(); // one after the other: the records' order
  const text = (await control('GET', '/__emulator/requests')).text;
  for (const secret of [appSecret, cloud, access, stable.access_token, 'RefreshTokenValue1', 'NestedTokenValue1', 'NestedSecret1', 'FormSecretValue1']) {
    assert.ok(!text.includes(secret), `${secret.slice(0, 8)}… in the records`);
  }
  const recs = JSON.parse(text).requests;
  const kf = recs.filter((r) => r.path === '/cgi-bin/customservice/getkflist');
  assert.equal(kf[0].query.cloudbase_access_token, '***');
  assert.equal(kf[0].errcode, 0, 'the cloudbase token was accepted (what happened is still recorded)');
  assert.equal(kf[1].query.Cloudbase_Access_Token, '***');
  assert.equal(kf[1].query.other, 'x *** y');
  const send = recs.find((r) => r.path === '/cgi-bin/message/custom/send');
  assert.deepEqual(send.json, { touser: 'o', refresh_token: '***', nested: [{ deep: { Token: '***', appsecret: '***' } }] });
  assert.equal(send.body, JSON.stringify(send.json));
  const tokens = recs.filter((r) => r.path === '/cgi-bin/stable_token');
  assert.equal(tokens.length, 3);
  assert.equal(tokens[0].body, `appid=${appId}&secret=***&access_token=***`);
  assert.equal(tokens[2].response.access_token, '***');
  assert.equal(recs.find((r) => r.path === '/cgi-bin/token').response.access_token, '***');
});
