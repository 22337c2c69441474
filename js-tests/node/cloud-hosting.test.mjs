// WeChat Cloud Hosting over real HTTP on 127.0.0.1 (node --test js-tests/node/): the Client's
// three token sources against the emulator in cloud-hosting mode, and examples/cloud-hosting
// (a container-style Node server) receiving the probe and pushes the way the platform sends them.
// Uses the built package (pkg/loaders/node.js; WECHAT_KF_PKG overrides).
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { start } from '../../pkg/devtools/emulator/server.js';
import { control } from './emulator-control.mjs';

const pkgUrl = process.env.WECHAT_KF_PKG ?? new URL('../../pkg/loaders/node.js', import.meta.url).href;
const lib = await import(pkgUrl);
const { Client, WxkfError, cloudPushBody, cloudProbeBody } = lib;
const EXAMPLE = fileURLToPath(new URL('../../examples/cloud-hosting/server.mjs', import.meta.url));

let emu;
let plain; // an emulator NOT in cloud-hosting mode
const sends = async (e) => (await control(e, 'requests?path=/cgi-bin/message/custom/send')).requests;
const open = (openid) => control(emu, 'user', { openid, action: 'message' });
const rejects = (promise, code) => assert.rejects(promise, (e) => {
  assert.ok(e instanceof WxkfError, `WxkfError, got ${e}`);
  assert.equal(e.code, code, e.message);
  return true;
});

before(async () => {
  emu = await start({ port: 0, lib, cloudHosting: true });
  plain = await start({ port: 0, lib });
});
after(async () => {
  await emu?.close();
  await plain?.close();
});
beforeEach(async () => {
  await control(emu, 'reset', {});
});

test("tokenSource 'open-api': no token at all, accepted by the open API service", async () => {
  const client = new Client({ cloudHosting: { tokenSource: 'open-api' }, baseUrl: emu.url });
  await open('o_open_api');
  await client.sendText({ touser: 'o_open_api', content: 'hi' });
  const [r] = await sends(emu);
  assert.deepEqual(Object.keys(r.query), []);
  assert.equal(r.errcode, 0);
  assert.equal(r.openApi, true);
  assert.equal(client.tokenRequests, 0);
  assert.equal((await control(emu, 'requests')).tokenRequests, 0);
  // Without the open API service the platform answers 41001: the error says what to check.
  const elsewhere = new Client({ cloudHosting: { tokenSource: 'open-api' }, baseUrl: plain.url, retries: 0 });
  await assert.rejects(elsewhere.sendText({ touser: 'o_open_api', content: 'hi' }), (e) => e.code === 41001 && /开放接口服务/.test(e.message));
});

test("tokenSource 'request': the request's X-WX-CLOUDBASE-ACCESS-TOKEN as cloudbase_access_token", async () => {
  const { token } = await control(emu, 'cloudbase-token', {});
  const client = new Client({ cloudHosting: { tokenSource: 'request' }, baseUrl: emu.url, retries: 0 });
  await open('o_request');
  await client.withRequestToken(token).sendText({ touser: 'o_request', content: 'hi' });
  const [r] = await sends(emu);
  assert.deepEqual(r.query, { cloudbase_access_token: '***' }); // never shown; errcode 0: the issued token
  assert.equal(r.errcode, 0);
  await rejects(client.withRequestToken('CLOUDBASE_forged').sendText({ touser: 'o_request', content: 'x' }), 40001);
  await control(emu, 'clock', { advanceMs: 31 * 60_000 }); // valid 30 minutes
  await rejects(client.withRequestToken(token).sendText({ touser: 'o_request', content: 'x' }), 42001);
  await rejects(client.sendText({ touser: 'o_request', content: 'x' }), -42001); // no token given
});

test("tokenSource 'file': the mounted token file, read again when its token fails", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wechat-kf-cloud-'));
  try {
    const file = join(dir, 'cloudbase_access_token');
    const first = await control(emu, 'cloudbase-token', { ttlSeconds: 60 });
    writeFileSync(file, `${first.token}\n`);
    const client = new Client({ cloudHosting: { tokenSource: 'file', tokenFile: file }, baseUrl: emu.url, retries: 0 });
    await open('o_file');
    await client.sendText({ touser: 'o_file', content: '1' });
    // the platform rewrites the file; the old token expires
    const second = await control(emu, 'cloudbase-token', {});
    writeFileSync(file, second.token);
    await control(emu, 'clock', { advanceMs: 2 * 60_000 });
    await open('o_file');
    await client.sendText({ touser: 'o_file', content: '2' });
    // The records never show a token: the first one works, then expires (42001), then the file's new one works.
    const got = (await sends(emu)).map((r) => [r.query.cloudbase_access_token, r.errcode]);
    assert.deepEqual(got, [['***', 0], ['***', 42001], ['***', 0]]);
    const missing = new Client({ cloudHosting: { tokenSource: 'file', tokenFile: join(dir, 'absent') }, baseUrl: emu.url, retries: 0 });
    await assert.rejects(missing.sendText({ touser: 'o_file', content: '3' }), (e) => e.code === -42004 && /ENOENT/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Starts examples/cloud-hosting with the built package, on 127.0.0.1. */
async function startExample(envExtra) {
  const dir = mkdtempSync(join(tmpdir(), 'wechat-kf-cloud-example-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(fileURLToPath(new URL('../', pkgUrl)), join(dir, 'node_modules', 'wechat-kf'), 'dir');
  copyFileSync(EXAMPLE, join(dir, 'server.mjs'));
  const child = spawn(process.execPath, [join(dir, 'server.mjs')], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', WECHAT_KF_API_BASE: emu.url, ...envExtra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the example did not start:\n${output}`)), 30_000);
    const look = () => {
      const m = output.match(/listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    child.stdout.on('data', look);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the example exited (${code}):\n${output}`)); });
  });
  return {
    url,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const post = (url, body, format, headers = {}) => fetch(url, {
  method: 'POST',
  body,
  headers: { 'content-type': format === 'json' ? 'application/json' : 'text/xml', ...headers },
  signal: AbortSignal.timeout(10_000),
});
const waitFor = async (fn, what) => {
  const until = Date.now() + 20_000;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

test('examples/cloud-hosting: probe, pushes in JSON and XML, x-wx-source, retries handled once', async () => {
  const ex = await startExample({ PUBLIC_ACCESS: 'true', TOKEN_SOURCE: 'open-api' });
  try {
    const source = { 'x-wx-source': 'other', 'x-wx-openid': 'o_example' };
    for (const format of ['json', 'xml']) {
      const res = await post(ex.url, cloudProbeBody(format), format, source);
      assert.equal(res.status, 200);
      assert.equal(await res.text(), 'success');
    }
    let id = 0;
    for (const format of ['json', 'xml']) {
      const openid = `o_example_${format}`;
      await open(openid);
      const msgId = `2455831537287678${9100 + id++}`;
      const body = cloudPushBody({ ToUserName: 'gh_x', FromUserName: openid, CreateTime: Math.floor(Date.now() / 1000), MsgType: 'text', Content: `hello ${format}`, MsgId: msgId }, format);
      for (let i = 0; i < 3; i++) { // the platform's retries (a caller openid, if any, is the sender's)
        const res = await post(ex.url, body, format, { ...source, 'x-wx-openid': openid });
        assert.equal(res.status, 200);
        assert.equal(await res.text(), 'success');
      }
      const mine = async () => (await sends(emu)).filter((r) => r.json?.touser === openid);
      const [sent] = await waitFor(async () => ((await mine()).length ? mine() : null), `the ${format} reply`);
      assert.equal(sent.json.text.content, `收到: hello ${format}`);
      assert.equal(sent.errcode, 0);
      assert.deepEqual(Object.keys(sent.query), []); // open API service: no token
      await new Promise((r) => setTimeout(r, 200));
      assert.equal((await mine()).length, 1, 'handled once');
      assert.match(ex.output(), new RegExp(`handled msg:gh_x:${msgId} for o_example`));
    }
    // a request from the internet (no x-wx-source) under public access
    const forged = cloudPushBody({ ToUserName: 'gh_x', FromUserName: 'o_forged', CreateTime: 1, MsgType: 'text', Content: 'x', MsgId: '5' }, 'json');
    const res = await post(ex.url, forged, 'json', { 'x-wx-openid': 'o_forged' });
    assert.equal(res.status, 401);
    assert.equal(await res.text(), 'error: UntrustedSource');
    // a mini program user's own wx.cloud.callContainer posting a push "from" another user
    const spoofed = cloudPushBody({ ToUserName: 'gh_x', FromUserName: 'o_victim', CreateTime: 1, MsgType: 'text', Content: 'x', MsgId: '6' }, 'json');
    for (const headers of [{ 'x-wx-source': 'wx_client', 'x-wx-openid': 'o_victim' }, { 'x-wx-source': 'other', 'x-wx-openid': 'o_attacker' }]) {
      const r = await post(ex.url, spoofed, 'json', headers);
      assert.equal(r.status, 401);
      await r.text();
    }
  } finally {
    await ex.stop();
  }
});

test("examples/cloud-hosting without public access accepts pushes without x-wx-source ('request' tokens)", async () => {
  const ex = await startExample({ PUBLIC_ACCESS: 'false', TOKEN_SOURCE: 'request' });
  try {
    const { token } = await control(emu, 'cloudbase-token', {});
    await open('o_private');
    const body = cloudPushBody({ ToUserName: 'gh_x', FromUserName: 'o_private', CreateTime: 1, MsgType: 'text', Content: 'hi', MsgId: '9223372036854775809' }, 'xml');
    const res = await post(ex.url, body, 'xml', { 'x-wx-cloudbase-access-token': token });
    assert.equal(res.status, 200);
    const [sent] = await waitFor(async () => {
      const s = (await sends(emu)).filter((r) => r.json?.touser === 'o_private');
      return s.length ? s : null;
    }, 'the reply');
    assert.deepEqual(sent.query, { cloudbase_access_token: '***' }); // never shown; errcode 0: the request's token
    assert.equal(sent.errcode, 0);
    assert.ok(!ex.output().includes(token), 'the token never logged');
  } finally {
    await ex.stop();
  }
});
