// Issue 9 in one process: Clients sharing a Store (one token request, one refresh at a time,
// compare-and-delete of a failed token, force_refresh gated), store outages (fall back, report,
// recover), the send window's slot given back, and the emulator's token rules (grace period,
// stable_token early renewal, force_refresh limits 45011 / 45009).
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { start } from '../../pkg/devtools/emulator/server.js';
import { control as emulatorControl, creds as emulatorCreds, recorded as emulatorRecorded } from './emulator-control.mjs';

const lib = await import(process.env.WECHAT_KF_PKG ?? new URL('../../pkg/loaders/node.js', import.meta.url).href);
const { Client, SendWindow, MemoryStore, WxkfError } = lib;

let emu;
const control = (path, body) => emulatorControl(emu, path, body);
const recorded = (path) => emulatorRecorded(emu, path);
const creds = () => emulatorCreds(emu);
const post = async (path, body) => (await fetch(`${emu.url}${path}`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
})).json();
const stable = (force = false) => post('/cgi-bin/stable_token', {
  grant_type: 'client_credential', appid: emu.state.config.appId, secret: emu.state.config.appSecret, force_refresh: force,
});
const plainToken = async () => (await fetch(`${emu.url}/cgi-bin/token?grant_type=client_credential&appid=${emu.state.config.appId}&secret=${emu.state.config.appSecret}`)).json();
const kfList = async (token) => { const r = await (await fetch(`${emu.url}/cgi-bin/customservice/getkflist?access_token=${token}`)).json(); return { errcode: r.errcode ?? 0 }; };

before(async () => {
  emu = await start({ port: 0, lib });
});
after(async () => {
  await emu?.close();
});
beforeEach(async () => {
  await control('reset', {});
});

test('emulator: /cgi-bin/token keeps the previous token valid for 5 minutes', async () => {
  const a = (await plainToken()).access_token;
  const b = (await plainToken()).access_token;
  assert.notEqual(a, b);
  assert.equal((await kfList(a)).errcode, 0);
  await control('clock', { advanceMs: 4 * 60_000 });
  assert.equal((await kfList(a)).errcode, 0);
  await control('clock', { advanceMs: 61_000 });
  assert.equal((await kfList(a)).errcode, 42001);
  assert.equal((await kfList(b)).errcode, 0);
});

test('emulator: stable_token is stable, renewed 5 minutes early with both valid; force_refresh limits', async () => {
  const a = await stable();
  assert.equal(a.expires_in, 7200);
  assert.equal((await stable()).access_token, a.access_token);
  await control('clock', { advanceMs: 7200_000 - 300_000 - 1000 });
  assert.equal((await stable()).access_token, a.access_token);
  await control('clock', { advanceMs: 2000 });
  const next = await stable();
  assert.notEqual(next.access_token, a.access_token);
  assert.ok(next.expires_in > 300);
  assert.equal((await stable()).access_token, next.access_token);
  assert.equal((await kfList(a.access_token)).errcode, 0);
  assert.equal((await kfList(next.access_token)).errcode, 0);
  await control('clock', { advanceMs: 300_000 });
  assert.equal((await kfList(a.access_token)).errcode, 42001);
  assert.equal((await stable()).access_token, next.access_token);
  // force_refresh: a new token, the old one invalid at once; 30 s apart (45011), 20 a day (45009).
  const forced = await stable(true);
  assert.notEqual(forced.access_token, next.access_token);
  assert.equal((await kfList(next.access_token)).errcode, 40001);
  assert.equal((await stable(true)).errcode, 45011);
  for (let i = 1; i < 20; i++) {
    await control('clock', { advanceMs: 30_000 });
    assert.ok((await stable(true)).access_token, `force ${i + 1}`);
  }
  await control('clock', { advanceMs: 30_000 });
  assert.equal((await stable(true)).errcode, 45009);
  await control('clock', { advanceMs: 86_400_000 });
  assert.ok((await stable(true)).access_token);
});

test('clients sharing a store: one token request in all; after expiry one more', { timeout: 20000 }, async () => {
  const store = new MemoryStore();
  const clients = Array.from({ length: 4 }, () => new Client({ ...creds(), store }));
  const calls = () => Promise.all(clients.flatMap((c) => Array.from({ length: 25 }, () => c.getKfList())));
  await calls();
  assert.equal((await control('requests')).tokenRequests, 1);
  assert.deepEqual((await recorded('/cgi-bin/stable_token')).map((r) => r.json.force_refresh), [false]);
  await control('expire-tokens', {});
  const results = await calls();
  assert.equal(results.length, 100);
  assert.equal((await control('requests')).tokenRequests, 2);
  assert.equal(clients.reduce((n, c) => n + c.tokenRequests, 0), 2);
  const raw = JSON.parse(store.get('token:' + emu.state.config.appId));
  assert.equal(typeof raw.value, 'string');
  assert.equal(typeof raw.expiresAt, 'number');
});

test('a failed token is dropped only if still cached; force_refresh when a fresh token fails, gated 30 s', { timeout: 20000 }, async () => {
  const store = new MemoryStore();
  const a = new Client({ ...creds(), store });
  const b = new Client({ ...creds(), store });
  const first = await a.getAccessToken();
  await store.set('token:' + emu.state.config.appId, JSON.stringify({ value: 'NEWER', expiresAt: Date.now() + 600_000 }));
  await a.invalidateToken(first); // not the cached one any more: kept
  assert.equal(await b.getAccessToken(), 'NEWER');
  await store.delete('token:' + emu.state.config.appId);
  // The platform keeps refusing the token: drop, fetch (same stable token), still refused ->
  // one force_refresh; a second client failing the same way within 30 s is not allowed another.
  await control('fault', { path: '/cgi-bin/customservice/getkflist', errcode: 40001, times: 2 });
  await a.getKfList();
  const forced = (await recorded('/cgi-bin/stable_token')).map((r) => r.json.force_refresh);
  assert.deepEqual(forced, [false, false, false, true]);
  await control('fault', { path: '/cgi-bin/customservice/getkflist', errcode: 40001, times: 3 });
  await assert.rejects(b.getKfList(), (e) => e instanceof WxkfError && e.code === 40001);
  assert.equal((await recorded('/cgi-bin/stable_token')).filter((r) => r.json.force_refresh).length, 1);
  assert.ok(await store.get('token-force:' + emu.state.config.appId));
});

test('GET /cgi-bin/token stays available behind stableToken: false', { timeout: 10000 }, async () => {
  const c = new Client({ ...creds(), stableToken: false });
  await c.getKfList();
  assert.equal((await recorded('/cgi-bin/token')).length, 1);
  assert.equal((await recorded('/cgi-bin/stable_token')).length, 0);
});

test('store outage: the Client reports, fetches its own token, and uses the store again later', { timeout: 20000 }, async () => {
  const inner = new MemoryStore();
  let down = false;
  const flaky = {};
  for (const m of ['get', 'set', 'setIfAbsent', 'delete', 'compareAndSet']) {
    flaky[m] = (...args) => (down ? new Promise(() => {}) : inner[m](...args)); // hangs when down
  }
  const errors = [];
  const c = new Client({ ...creds(), store: flaky, storeTimeoutMs: 100, onError: (e, info) => errors.push(`${info.phase}:${e.code}`) });
  down = true;
  const t0 = Date.now();
  await c.getKfList();
  assert.ok(Date.now() - t0 < 5000);
  assert.ok(errors.length >= 1 && errors.every((e) => e === 'store:-43002'), errors.join());
  assert.equal(inner.get('token:' + emu.state.config.appId), null);
  down = false;
  await new Promise((r) => setTimeout(r, 2100)); // the store is tried again after a pause
  await control('expire-tokens', {});
  await c.getKfList();
  assert.ok(inner.get('token:' + emu.state.config.appId), 'the token is in the store again');
});

test('a send failing below the platform gives its window slot back', { timeout: 10000 }, async () => {
  const window = new SendWindow();
  const c = new Client({ ...creds(), sendWindow: window, retries: 0 });
  await control('user', { openid: 'u', action: 'enter' });
  await window.observe('u', 'enter');
  await control('fault', { path: '/cgi-bin/message/custom/send', errcode: -1, times: 1 });
  await assert.rejects(c.sendText({ touser: 'u', content: 'x' }), (e) => e.code === -1);
  assert.equal((await window.check('u')).remaining, 2);
  await c.sendText({ touser: 'u', content: '1' });
  await c.sendText({ touser: 'u', content: '2' });
  await assert.rejects(c.sendText({ touser: 'u', content: '3' }), (e) => e.code === 45047);
  // A platform refusal (not below the platform) is not given back.
  await window.observe('u', 'enter');
  await control('fault', { path: '/cgi-bin/message/custom/send', errcode: 40003, times: 1 });
  await assert.rejects(c.sendText({ touser: 'u', content: 'y' }), (e) => e.code === 40003);
  assert.equal((await window.check('u')).remaining, 1);
});

test('wechat-kf/redis loads with require() and import, and refuses what is not a Redis client', async () => {
  const { createRequire } = await import('node:module');
  const dir = new URL('../../pkg/', import.meta.url);
  const viaRequire = createRequire(import.meta.url)(new URL('stores/redis.js', dir).pathname);
  const viaImport = await import(new URL('stores/redis.js', dir).href);
  assert.equal(typeof viaRequire.redisStore, 'function');
  assert.equal(viaRequire.redisStore, viaImport.redisStore);
  assert.throws(() => viaImport.redisStore({}), (e) => e instanceof WxkfError && e.code === -41006);
});

test('a refresh lock left by a crashed holder expires: the others take over', { timeout: 20000 }, async () => {
  const store = new MemoryStore();
  const appId = emu.state.config.appId;
  assert.equal(store.setIfAbsent(`token-lock:${appId}`, 'crashed-instance', 400), true);
  const c = new Client({ ...creds(), store });
  const t0 = Date.now();
  const token = await c.getAccessToken();
  assert.ok(Date.now() - t0 >= 350, 'waited for the lock to expire');
  assert.equal(typeof token, 'string');
  assert.equal(c.tokenRequests, 1);
  assert.equal(store.get(`token-lock:${appId}`), null, 'its own lock released');
  assert.equal(JSON.parse(store.get(`token:${appId}`)).value, token);
});
