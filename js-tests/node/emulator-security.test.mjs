// The API emulator's doors (node --test js-tests/node/): control endpoints only for a loopback
// Host, no foreign Origin, JSON bodies only; /__emulator/push only to loopback URLs (and no
// redirect elsewhere); recorded requests without secret, appsecret, access_token or the
// dialogue platform's TOKEN. Uses the built package (pkg/loaders/node.js; WECHAT_KF_PKG overrides).
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import { start } from '../../pkg/devtools/emulator/server.js';

const lib = await import(process.env.WECHAT_KF_PKG ?? new URL('../../pkg/loaders/node.js', import.meta.url).href);

let emu;
before(async () => { emu = await start({ port: 0, lib }); });
after(async () => { await emu?.close(); });
beforeEach(async () => { assert.equal((await control('POST', '/__emulator/reset', '{}')).status, 200); });

/** A raw request to the emulator with the given headers (fetch cannot set Host). */
function raw(method, path, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: emu.port, method, path, headers, timeout: 10_000 }, (res) => {
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
