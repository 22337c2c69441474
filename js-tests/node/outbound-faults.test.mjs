// Issues 22 and 23: the send window and the access token under store and network faults.
// Stores that throw raw errors, hang, answer outside the contract or lose their state; token
// endpoints that are slow, never answer or answer late; refresh locks whose holder dies. Every
// case ends within a stated deadline (short budgets, no real waiting on the defaults), fails
// open where the design says so, and reports what went wrong with a typed error.
// Uses the built package (pkg/; WECHAT_KF_PKG overrides). node --test js-tests/node/outbound-faults.test.mjs
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { start } from '../../pkg/devtools/emulator/server.js';
import { control as emulatorControl, creds as emulatorCreds, recorded as emulatorRecorded } from './emulator-control.mjs';

const entry = process.env.WECHAT_KF_PKG ?? new URL('../../pkg/loaders/node.js', import.meta.url).href;
const lib = await import(entry);
const internal = (await import(new URL('../wechat-kf.js', entry).href)).default;
const { Client, SendWindow, MemoryStore, WxkfError, WXBizMsgCrypt } = lib;
const { checkedStore, createProcessor } = internal;

const METHODS = ['get', 'set', 'setIfAbsent', 'delete', 'compareAndSet'];
const APP = 'wxfaults';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const hang = () => new Promise(() => {});

/** A store whose methods are `impl(method, args, inner)`; the rest go to a MemoryStore. */
function storeWith(impl, inner = new MemoryStore()) {
  const s = { inner };
  for (const m of METHODS) s[m] = (...args) => impl(m, args, inner);
  return s;
}
const offline = () => storeWith(() => { throw new Error('The client is offline'); });
const rejecting = () => storeWith(async () => { throw 'ECONNRESET'; }); // not even an Error
const hanging = () => storeWith(() => hang());

/** Collects reports as 'phase code' (and reason when there is one). */
function reports() {
  const list = [];
  const onError = (e, info) => {
    assert.ok(e instanceof WxkfError, `a typed error, got ${e}`);
    list.push(`${info.phase} ${e.code}${e.reason ? ` ${e.reason}` : ''}`);
  };
  return { list, onError };
}

/** Measures how long `promise` takes to settle; resolves to { value, error, ms }. */
async function timed(promise) {
  const t0 = performance.now();
  try {
    return { value: await promise, ms: performance.now() - t0 };
  } catch (error) {
    return { error, ms: performance.now() - t0 };
  }
}

// ---- checkedStore: one place for the deadline and the contract ----------------------------------

test('checkedStore: answers outside the contract are -43002, reported once, with the op and key', async () => {
  const garbage = { get: 5, set: undefined, setIfAbsent: undefined, delete: 'yes', compareAndSet: 1 };
  const seen = [];
  const s = checkedStore(storeWith((m) => garbage[m]), { timeoutMs: 100, phase: 'test', report: (e, info) => seen.push([e.code, info]) });
  for (const m of ['get', 'setIfAbsent', 'delete', 'compareAndSet']) {
    await assert.rejects(s[m]('k', 'v', 1000), (e) => e instanceof WxkfError && e.code === -43002 && e.kind === 'StoreUnavailable'
      && e.message.includes(m) && e.message.includes('Store contract'), m);
  }
  await s.set('k', 'v'); // set's answer is not used: anything goes
  assert.deepEqual(seen.map(([code, info]) => `${code} ${info.phase} ${info.op} ${info.key}`),
    ['-43002 test get k', '-43002 test setIfAbsent k', '-43002 test delete k', '-43002 test compareAndSet k']);
  // get: undefined is not null either.
  await assert.rejects(checkedStore(storeWith(() => undefined)).get('k'), (e) => e.code === -43002);
});

test('checkedStore: raw throws (sync, async, not Errors), a missing method and a hang are all -43002', async () => {
  for (const [name, store] of [['sync throw', offline()], ['rejects a string', rejecting()], ['missing method', { get: () => null }]]) {
    const seen = [];
    const s = checkedStore(store, { timeoutMs: 100, report: (e) => seen.push(e.code) });
    await assert.rejects(s.setIfAbsent('k', 'v', 1000), (e) => e instanceof WxkfError && e.code === -43002, name);
    assert.deepEqual(seen, [-43002], name);
  }
  const s = checkedStore(hanging(), { timeoutMs: 30 });
  const r = await timed(s.get('k'));
  assert.equal(r.error?.code, -43002);
  assert.match(r.error.message, /within 30 ms/);
  assert.ok(r.ms < 1000, `${r.ms} ms`);
  // withTimeout: a shorter deadline from the same store (what is left of a longer budget).
  const short = await timed(s.withTimeout(5).get('k'));
  assert.equal(short.error?.code, -43002);
  assert.match(short.error.message, /within 5 ms/);
  // Answers the contract allows pass through; the store's own -43003 passes as it is.
  const m = checkedStore(new MemoryStore());
  assert.equal(await m.setIfAbsent('a', 'x', 1000), true);
  assert.equal(await m.get('a'), 'x');
  assert.equal(await m.get('b'), null);
  assert.equal(await m.compareAndSet('a', 'x', 'y'), true);
  assert.equal(await m.delete('a', 'nope'), false);
  await assert.rejects(m.setIfAbsent('a', 'x', Infinity), (e) => e.code === -43003);
});

// ---- Issue 22.5: a store that answers garbage ------------------------------------------------------

const TOKEN = 'faults-token';
const KEY = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const HANDLER_APP = 'wx49f0ab532d5d035a';
const NOW = 1_700_000_000;
const crypt = new WXBizMsgCrypt({ token: TOKEN, encodingAESKey: KEY, appId: HANDLER_APP });
function push(id) {
  const plain = `<xml><ToUserName><![CDATA[gh_x]]></ToUserName><FromUserName><![CDATA[o_user]]></FromUserName><CreateTime>${NOW}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi ${id}]]></Content><MsgId>${id}</MsgId></xml>`;
  const encrypt = crypt.encrypt(plain);
  const body = `<xml><ToUserName><![CDATA[gh_x]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
  return {
    method: 'POST',
    query: { timestamp: String(NOW), nonce: '7', encrypt_type: 'aes', msg_signature: crypt.msgSignature(String(NOW), '7', encrypt) },
    body: async () => body,
    contentType: 'text/xml',
  };
}

test('22.5: a store whose setIfAbsent answers undefined: three distinct pushes are each handled, -43002 reported', { timeout: 10_000 }, async () => {
  const { list, onError } = reports();
  const handled = [];
  const store = storeWith((m, args, inner) => (m === 'setIfAbsent' ? undefined : inner[m](...args)));
  const p = createProcessor({
    token: TOKEN, encodingAESKey: KEY, appId: HANDLER_APP, now: () => NOW * 1000, store, storeTimeoutMs: 100,
    onMessage: (message) => { handled.push(message.content); }, onError,
  });
  for (const id of ['101', '102', '103']) {
    const r = await p.process(push(id));
    assert.equal(r.status, 200);
  }
  assert.deepEqual(handled, ['hi 101', 'hi 102', 'hi 103']);
  assert.ok(list.filter((r) => r === 'dedup -43002').length >= 3, list.join());
});

test('22.5: getAccessToken over a store whose setIfAbsent answers undefined: a token, -43002 reported (the lock poll ends)', { timeout: 10_000 }, async () => {
  const { list, onError } = reports();
  const api = tokenApi();
  const store = storeWith((m, args, inner) => (m === 'setIfAbsent' ? undefined : inner[m](...args)));
  const c = new Client({ appId: APP, appSecret: 'secret-x', baseUrl: 'https://api.test', fetch: api.fetch, store, storeTimeoutMs: 50, onError });
  const r = await timed(c.getAccessToken());
  assert.equal(r.value, 'T1', r.error?.message);
  assert.ok(r.ms < 2000, `${r.ms} ms`);
  assert.ok(list.includes('store -43002'), list.join());
});

// ---- Issue 23: SendWindow fails open within storeTimeoutMs ---------------------------------------------

let emu;
const control = (path, body) => emulatorControl(emu, path, body);
const recorded = (path) => emulatorRecorded(emu, path);
const SEND = '/cgi-bin/message/custom/send';
before(async () => { emu = await start({ port: 0, lib }); });
after(async () => { await emu?.close(); });
beforeEach(async () => { await control('reset', {}); });

const userMessage = (openid) => ({ fromUserName: openid, msgType: 'text', content: 'hi' });

for (const [name, make] of [['throws raw errors (node-redis offline)', offline], ['rejects with a non-Error', rejecting]]) {
  test(`23: a window store that ${name}: observeMessage and sendText go on, -43002 reported`, { timeout: 10_000 }, async () => {
    const { list, onError } = reports();
    const window = new SendWindow({ store: make(), storeTimeoutMs: 200, onError });
    const c = new Client({ ...emulatorCreds(emu), sendWindow: window, onError });
    await control('user', { openid: 'u1', action: 'message' });
    const observed = await timed(window.observeMessage(userMessage('u1')));
    assert.equal(observed.error, undefined, observed.error?.message);
    assert.equal(observed.value.action, 'message');
    const sent = await timed(c.sendText({ touser: 'u1', content: 'hello' }));
    assert.equal(sent.error, undefined, sent.error?.message);
    assert.equal(sent.value.errcode, 0);
    assert.equal((await recorded(SEND)).length, 1);
    assert.deepEqual(list, ['sendWindow -43002', 'sendWindow -43002']);
    // check and refund fail open too; reset reports instead of throwing.
    const decision = await window.check('u1');
    assert.deepEqual(decision, { allowed: true, unchecked: 'store', remaining: null, deadline: null });
    assert.equal(await window.refund('u1', { action: 'message', remaining: 4, deadline: 1 }), false);
    await window.reset('u1');
  });
}

test('22.9 / 23: a window store that hangs: each operation fails open within storeTimeoutMs, reported', { timeout: 10_000 }, async () => {
  const { list, onError } = reports();
  const window = new SendWindow({ store: hanging(), storeTimeoutMs: 80, onError });
  const c = new Client({ ...emulatorCreds(emu), sendWindow: window, onError });
  await control('user', { openid: 'u2', action: 'message' });
  const observed = await timed(window.observe('u2', 'message'));
  assert.equal(observed.value.remaining, 5);
  const consumed = await timed(window.consume('u2'));
  assert.equal(consumed.value.allowed, true);
  assert.equal(consumed.value.unchecked, 'store');
  assert.equal(consumed.value.state, null);
  for (const r of [observed, consumed]) assert.ok(r.ms >= 70 && r.ms < 800, `${r.ms} ms (storeTimeoutMs 80)`);
  const sent = await timed(c.sendText({ touser: 'u2', content: 'hello' }));
  assert.equal(sent.value?.errcode, 0, sent.error?.message);
  assert.equal((await recorded(SEND)).length, 1);
  assert.deepEqual(list, ['sendWindow -43002', 'sendWindow -43002', 'sendWindow -43002']);
});

test('23: a window store that answers garbage (get 5, compareAndSet undefined): the send goes, -43002 reported', { timeout: 10_000 }, async () => {
  for (const bad of ['get', 'compareAndSet']) {
    await control('reset', {});
    const { list, onError } = reports();
    const inner = new MemoryStore();
    const window = new SendWindow({ store: storeWith((m, args) => (m === bad ? (bad === 'get' ? 5 : undefined) : inner[m](...args)), inner), onError });
    const c = new Client({ ...emulatorCreds(emu), sendWindow: window, onError });
    await control('user', { openid: 'u3', action: 'message' });
    await window.observe('u3', 'message');
    assert.equal((await c.sendText({ touser: 'u3', content: 'x' })).errcode, 0, bad);
    assert.deepEqual(list, ['sendWindow -43002'], bad);
  }
});

test('23: no record of the user (the store restarted): the send is not refused; a report says it was not checked', { timeout: 10_000 }, async () => {
  const { list, onError } = reports();
  let inner = new MemoryStore();
  const store = storeWith((m, args) => inner[m](...args));
  const window = new SendWindow({ store, onError });
  const c = new Client({ ...emulatorCreds(emu), sendWindow: window, onError });
  await control('user', { openid: 'u4', action: 'message' });
  await window.observeMessage(userMessage('u4'));
  assert.equal((await c.sendText({ touser: 'u4', content: '1' })).errcode, 0);
  inner = new MemoryStore(); // the store restarts empty
  const decision = await window.check('u4');
  assert.deepEqual(decision, { allowed: true, unchecked: 'no-state', remaining: null, deadline: null });
  assert.equal((await c.sendText({ touser: 'u4', content: '2' })).errcode, 0);
  assert.equal((await recorded(SEND)).length, 2);
  assert.deepEqual(list, ['sendWindow -43002 no-state']);
  // Something that is not a state under the key: the same, reported as bad-state.
  await inner.set(`window::u4`, '{"not":"a state"}');
  assert.equal((await c.sendText({ touser: 'u4', content: '3' })).errcode, 0);
  assert.deepEqual(list, ['sendWindow -43002 no-state', 'sendWindow -43002 bad-state']);
});

test('23: a window that is over still refuses locally (the record outlives its deadline)', async () => {
  let now = 1_000_000;
  const store = new MemoryStore({ now: () => now });
  const window = new SendWindow({ store, now: () => now, onError: () => assert.fail('nothing to report') });
  await window.observe('u5', 'enter');
  now += 60_000; // the 1-minute window is over
  await assert.rejects(window.consume('u5'), (e) => e instanceof WxkfError && e.code === 45015 && /locally/.test(e.message));
  assert.equal((await window.check('u5')).code, 45015);
  now += 48 * 3_600_000; // and the record is gone after the longest window again
  assert.equal((await window.check('u5')).unchecked, 'no-state');
});

test('23: a consume whose compareAndSet reply was lost and re-sent does not take a second slot', async () => {
  const inner = new MemoryStore();
  // The client sends compareAndSet, the store runs it, the reply is lost; the client sends it
  // again after reconnecting and returns that second answer.
  const store = storeWith(async (m, args) => {
    if (m !== 'compareAndSet') return inner[m](...args);
    await inner.compareAndSet(...args);
    return inner.compareAndSet(...args);
  }, inner);
  const window = new SendWindow({ store, onError: (e) => assert.fail(e.message) });
  await window.observe('u6', 'enter');
  const first = await window.consume('u6');
  assert.equal(first.remaining, 1);
  assert.equal((await window.check('u6')).remaining, 1);
  // Values are unique per attempt: concurrent consumes from the same state each take their own slot.
  await window.observe('u6', 'message');
  const all = await Promise.all(Array.from({ length: 5 }, () => window.consume('u6')));
  assert.deepEqual(all.map((d) => d.remaining).sort(), [0, 1, 2, 3, 4]); // each its own slot
  assert.ok(all.every((d) => d.state && !d.unchecked));
  assert.equal((await window.check('u6')).remaining, 0);
  await assert.rejects(window.consume('u6'), (e) => e.code === 45047);
  assert.match(inner.get('window::u6'), /"op":"/);
});

// ---- Issue 23: the token under faults -----------------------------------------------------------------

/**
 * A fake API for the Client's fetch option. Token requests are answered by `answer(n)` (n: the
 * request's number from 1), a function returning a promise of the JSON to answer, 'hang' (never,
 * the abort signal honoured) or 'deaf' (never, the signal ignored); default at once. Counts token
 * requests in flight and their maximum.
 */
function tokenApi({ answer = () => undefined } = {}) {
  const api = { requests: [], inflight: 0, maxInflight: 0, n: 0 };
  api.fetch = async (url, init = {}) => {
    const u = new URL(url);
    if (u.pathname === '/cgi-bin/stable_token' || u.pathname === '/cgi-bin/token') {
      const n = ++api.n;
      const force = u.pathname === '/cgi-bin/stable_token' && JSON.parse(init.body).force_refresh;
      api.requests.push({ n, path: u.pathname, force });
      api.inflight++;
      api.maxInflight = Math.max(api.maxInflight, api.inflight);
      let json;
      try {
        const how = answer(n);
        const aborted = new Promise((_, reject) => init.signal?.addEventListener('abort', () => reject(init.signal.reason)));
        aborted.catch(() => {}); // raced only where the request honours the abort
        if (how === 'hang') await Promise.race([hang(), aborted]);
        else if (how === 'deaf') await hang();
        else if (how) json = await Promise.race([how, aborted]);
      } finally {
        api.inflight--;
      }
      return Response.json(json ?? { access_token: `T${n}`, expires_in: 7200 });
    }
    return Response.json({ errcode: 0, errmsg: 'ok', kf_list: [] });
  };
  return api;
}
const tokenClient = (api, store, extra = {}) => new Client({
  appId: APP, appSecret: 'secret-x', baseUrl: 'https://api.test', fetch: api.fetch, store,
  storeTimeoutMs: 20, tokenBudgetMs: 600, sleep: async () => {}, ...extra,
});
const isBudget = (e) => e instanceof WxkfError && e.code === -42004 && e.kind === 'Transport';

test('23 token: a refresh slower than the lock: never two token requests at once; typed failure, the waiter takes over', { timeout: 20_000 }, async () => {
  const api = tokenApi({ answer: (n) => (n === 1 ? 'hang' : undefined) });
  const store = new MemoryStore();
  const a = tokenClient(api, store);
  const b = tokenClient(api, store);
  const [ra, rb] = await Promise.all([timed(a.getAccessToken()), (async () => { await sleep(5); return timed(b.getAccessToken()); })()]);
  assert.equal(api.maxInflight, 1, 'two refreshes at once');
  assert.ok(isBudget(ra.error), `the holder whose request outlived its lock: ${ra.error ?? ra.value}`);
  assert.equal(rb.value, 'T2', rb.error?.message);
  // lock 300 ms (half the budget): the holder's request ends 40 ms before it could lapse.
  assert.ok(ra.ms < 550, `holder ${ra.ms} ms`); // ~260 ms; slack for a loaded machine
  assert.ok(rb.ms < 900, `waiter ${rb.ms} ms (budget 600)`);
  assert.equal(store.get(`token-lock:${APP}`), null, 'the lock released');
  assert.equal(JSON.parse(store.get(`token:${APP}`)).value, 'T2');
});

test('23 token: a holder that dies mid-fetch: its lock lapses and another instance takes over within the budget', { timeout: 20_000 }, async () => {
  const api = tokenApi();
  const store = new MemoryStore();
  store.setIfAbsent(`token-lock:${APP}`, 'a-holder-that-died', 300); // as a Client with budget 600 holds it
  const b = tokenClient(api, store);
  const r = await timed(b.getAccessToken());
  assert.equal(r.value, 'T1', r.error?.message);
  assert.ok(r.ms >= 250 && r.ms < 900, `${r.ms} ms (lock 300, budget 600)`);
  assert.equal(api.requests.length, 1);
});

test('23 token: an endpoint that never answers (ignoring the abort): calls fail typed within tokenBudgetMs', { timeout: 20_000 }, async () => {
  const api = tokenApi({ answer: () => 'deaf' });
  const store = new MemoryStore();
  const a = tokenClient(api, store);
  const b = tokenClient(api, store);
  const results = await Promise.all([timed(a.getAccessToken()), timed(b.getAccessToken()), timed(a.getKfList())]);
  for (const r of results) {
    assert.ok(isBudget(r.error), `${r.error ?? r.value}`);
    assert.ok(r.ms < 900, `${r.ms} ms (budget 600)`);
  }
  assert.ok(api.requests.length <= 3, `${api.requests.length} token requests`);
  // A call's token rounds and retries share one budget: no retry of a token that was not had.
  const c = tokenClient(tokenApi({ answer: () => 'deaf' }), new MemoryStore(), { retries: 5 });
  const call = await timed(c.getKfList());
  assert.ok(isBudget(call.error) && call.ms < 900, `${call.error} ${call.ms} ms`);
});

test('23 token: a late response never replaces a newer token (stableToken: false); past the budget it is dropped', { timeout: 20_000 }, async () => {
  let release;
  const held = new Promise((r) => { release = r; });
  const api = tokenApi({ answer: (n) => (n === 1 ? held.then(() => ({ access_token: 'LATE', expires_in: 7200 })) : undefined) });
  const store = new MemoryStore();
  let now = 5_000_000;
  const a = tokenClient(api, store, { stableToken: false, now: () => now, tokenBudgetMs: 2000 });
  const pending = a.getAccessToken();
  while (api.requests.length === 0) await sleep(1);
  // Meanwhile another instance stored a token whose request was sent later.
  store.set(`token:${APP}`, JSON.stringify({ value: 'NEWER', expiresAt: now + 3_600_000, issuedAt: now + 10 }));
  now += 20;
  release();
  assert.equal(await pending, 'LATE'); // valid for this caller (the platform's 5-minute overlap)
  assert.equal(JSON.parse(store.get(`token:${APP}`)).value, 'NEWER', 'the newer token was overwritten');
  assert.equal(await a.getAccessToken(), 'NEWER');

  // An answer that comes after the budget is neither returned nor stored.
  let release2;
  const held2 = new Promise((r) => { release2 = r; });
  const api2 = tokenApi({ answer: () => held2.then(() => ({ access_token: 'TOO-LATE', expires_in: 7200 })) });
  const store2 = new MemoryStore();
  const b = tokenClient(api2, store2, { stableToken: false, tokenBudgetMs: 200 });
  const r = await timed(b.getAccessToken());
  assert.ok(isBudget(r.error), `${r.error ?? r.value}`);
  release2();
  await sleep(20);
  assert.equal(store2.get(`token:${APP}`), null);
});

test('23 token: the store down during force_refresh: no call fails with 45011; one force reaches the platform', { timeout: 30_000 }, async () => {
  // Four instances whose store is down (each falls back to its own token). Each call sees the
  // token refused twice, so each instance asks for a force_refresh: the platform grants one and
  // refuses the others as too frequent (45011); they then take the stable token it issued.
  const { list, onError } = reports();
  const clients = Array.from({ length: 4 }, () => new Client({ ...emulatorCreds(emu), store: offline(), onError, sleep: async () => {} }));
  const outcomes = [];
  for (const c of clients) {
    await control('fault', { path: '/cgi-bin/customservice/getkflist', errcode: 40001, times: 2 });
    outcomes.push(await c.getKfList().then(() => 'ok', (e) => e.code));
  }
  assert.deepEqual(outcomes, ['ok', 'ok', 'ok', 'ok']);
  const tokens = await recorded('/cgi-bin/stable_token');
  const forced = tokens.filter((r) => r.json.force_refresh);
  assert.equal(forced.filter((r) => !r.errcode).length, 1, 'one force granted');
  assert.ok(forced.slice(1).every((r) => r.errcode === 45011), JSON.stringify(forced.map((r) => r.errcode)));
  assert.ok(list.length > 0 && list.every((r) => r === 'store -43002'), list.join());
});

test('23 token: with the store up, the force gate holds across instances (a unique value per instance)', { timeout: 20_000 }, async () => {
  const store = new MemoryStore();
  const clients = Array.from({ length: 3 }, () => new Client({ ...emulatorCreds(emu), store, sleep: async () => {} }));
  for (const c of clients) {
    await control('fault', { path: '/cgi-bin/customservice/getkflist', errcode: 40001, times: 2 });
    await c.getKfList();
  }
  const forced = (await recorded('/cgi-bin/stable_token')).filter((r) => r.json.force_refresh);
  assert.equal(forced.length, 1);
  assert.match(store.get(`token-force:${emu.state.config.appId}`), /^\d+:.+/);
});
