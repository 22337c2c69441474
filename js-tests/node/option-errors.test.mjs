// One code for a bad option everywhere: every constructor and factory refuses a missing or
// mistyped option with WxkfError -41006 InvalidOption whose `field` and message name it.
// Uses the built package (pkg/loaders/node.js; WECHAT_KF_PKG overrides).
import { test } from 'node:test';
import assert from 'node:assert/strict';

const entry = process.env.WECHAT_KF_PKG ?? new URL('../../pkg/loaders/node.js', import.meta.url).href;
const lib = await import(entry);
const { redisStore } = await import(new URL('../stores/redis.js', entry).href);
const {
  WxkfError, WXBizMsgCrypt, Receiver, Client, SendWindow, MemoryStore, chatbot, createHandler, ERR, ENDPOINTS,
} = lib;

const KEY = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const crypt = { token: 't0ken', encodingAESKey: KEY, appId: 'wx49f0ab532d5d035a' };
const client = { appId: 'wx1', appSecret: 's' };

const cases = [
  ['WXBizMsgCrypt without options', () => new WXBizMsgCrypt(), 'token'],
  ['WXBizMsgCrypt token a number', () => new WXBizMsgCrypt({ ...crypt, token: 1 }), 'token'],
  ['WXBizMsgCrypt empty token', () => new WXBizMsgCrypt({ ...crypt, token: '' }), 'token'],
  ['WXBizMsgCrypt encodingAESKey missing', () => new WXBizMsgCrypt({ token: 't', appId: 'a' }), 'encodingAESKey'],
  ['WXBizMsgCrypt appId missing', () => new WXBizMsgCrypt({ token: 't', encodingAESKey: KEY }), 'appId'],
  ['WXBizMsgCrypt appId empty', () => new WXBizMsgCrypt({ ...crypt, appId: '' }), 'appId'],
  ['Receiver token missing', () => new Receiver({ encodingAESKey: KEY, appId: 'a' }), 'token'],
  ['Receiver appId missing', () => new Receiver({ token: 't', encodingAESKey: KEY }), 'appId'],
  ['Receiver maxSkewSeconds negative', () => new Receiver({ ...crypt, maxSkewSeconds: -1 }), 'maxSkewSeconds'],
  ['Receiver maxBodyBytes a string', () => new Receiver({ ...crypt, maxBodyBytes: '10' }), 'maxBodyBytes'],
  ['Receiver now not a function', () => new Receiver({ ...crypt, now: 5 }), 'now'],
  ['Client appId missing', () => new Client({ appSecret: 's' }), 'appId'],
  ['Client appSecret missing', () => new Client({ appId: 'wx1' }), 'appSecret'],
  ['Client retries negative', () => new Client({ ...client, retries: -1 }), 'retries'],
  ['Client timeoutMs a string', () => new Client({ ...client, timeoutMs: '5' }), 'timeoutMs'],
  ['Client fetch not a function', () => new Client({ ...client, fetch: 'https://x' }), 'fetch'],
  ['Client store without methods', () => new Client({ ...client, store: {} }), 'store'],
  ['Client chatbot token missing', () => new Client({ ...client, chatbot: { encodingAESKey: KEY, appId: 'B' } }), 'chatbot.token'],
  ['Client chatbot token with a slash', () => new Client({ ...client, chatbot: { token: 'a/b', encodingAESKey: KEY, appId: 'B' } }), 'chatbot.token'],
  ['chatbot.Bot appId empty', () => new chatbot.Bot({ token: 'T', encodingAESKey: KEY, appId: '' }), 'appId'],
  ['SendWindow rules typo', () => new SendWindow({ rules: { enter: { limt: 1 } } }), 'rules.enter.limt'],
  ['SendWindow store without methods', () => new SendWindow({ store: { get() {} } }), 'store'],
  ['createHandler onMessage missing', () => createHandler({ ...crypt }), 'onMessage'],
  ['createHandler dedupTtlSeconds too small', () => createHandler({ ...crypt, onMessage: () => {}, dedupTtlSeconds: 1 }), 'dedupTtlSeconds'],
  ['MemoryStore maxKeys zero', () => new MemoryStore({ maxKeys: 0 }), 'maxKeys'],
  ['MemoryStore now not a function', () => new MemoryStore({ now: 1 }), 'now'],
  ['redisStore without a client', () => redisStore({}), 'client'],
];

for (const [name, fn, field] of cases) {
  test(`${name}: -41006 InvalidOption naming ${field}`, () => {
    assert.throws(fn, (e) => {
      assert.ok(e instanceof WxkfError, `${name}: not a WxkfError: ${e}`);
      assert.equal(e.code, -41006, `${name}: ${e.code} ${e.kind}: ${e.message}`);
      assert.equal(e.code, ERR.InvalidOption);
      assert.equal(e.kind, 'InvalidOption');
      assert.equal(e.field, field, `${name}: field ${e.field}: ${e.message}`);
      assert.ok(e.message.includes(field.split('.').pop()), `${name}: the message does not name ${field}: ${e.message}`);
      assert.ok(!e.message.includes(KEY), 'the message leaks the key');
      return true;
    });
  });
}

// The values each kind of option takes (the rules of serde-wasm-bindgen, which read every option
// before the inbound module read its own with wasm-bindgen's accessors): a whole number is a
// number that is a safe integer >= 0 (-0 too) or a BigInt within u64; a string is a primitive
// string; a boolean is a primitive boolean. Anything else is -41006 naming the option.
const WHOLE_OK = [[0, 0], [-0, 0], [10, 10], [2 ** 53 - 1, 2 ** 53 - 1], [10n, 10], [2n ** 64n - 1n, 2 ** 64]];
const WHOLE_BAD = [-1, 1.5, NaN, Infinity, -Infinity, 2 ** 53, '10', true, new Number(5), -1n, 2n ** 64n, {}, [5]];
const STRING_BAD = [1, 1n, true, {}, ['t'], new String('t'), Symbol('t')];
const BOOL_BAD = [0, 1, 'true', new Boolean(true), {}, 1n];
const { CloudReceiver } = lib;

const refusedNaming = (field) => (e) => e instanceof WxkfError && e.code === -41006 && e.field === field;

test('whole-number options (Receiver, CloudReceiver): safe integers >= 0 and BigInts within u64', () => {
  for (const [value, seen] of WHOLE_OK) {
    // Byte counts beyond wasm32's address space mean "no limit" (4 GiB - 1).
    const bytes = Math.min(seen, 2 ** 32 - 1);
    assert.equal(new Receiver({ ...crypt, maxSkewSeconds: value }).maxSkewSeconds, seen, `maxSkewSeconds ${value}`);
    assert.equal(new Receiver({ ...crypt, maxBodyBytes: value }).maxBodyBytes, bytes, `maxBodyBytes ${value}`);
    assert.equal(new CloudReceiver({ publicAccess: true, maxBodyBytes: value }).maxBodyBytes, bytes, `cloud maxBodyBytes ${value}`);
  }
  for (const value of WHOLE_BAD) {
    const label = typeof value === 'bigint' ? `${value}n` : String(value);
    assert.throws(() => new Receiver({ ...crypt, maxBodyBytes: value }), refusedNaming('maxBodyBytes'), label);
    assert.throws(() => new Receiver({ ...crypt, maxJsonDepth: value }), refusedNaming('maxJsonDepth'), label);
    assert.throws(() => new CloudReceiver({ publicAccess: true, maxJsonDepth: value }), refusedNaming('maxJsonDepth'), label);
  }
});

test('string and boolean options: primitives only (Receiver and WXBizMsgCrypt alike)', () => {
  for (const value of STRING_BAD) {
    const label = typeof value === 'symbol' ? 'a symbol' : `${typeof value} ${String(value)}`;
    assert.throws(() => new Receiver({ ...crypt, token: value }), refusedNaming('token'), label);
    assert.throws(() => new Receiver({ ...crypt, appId: value }), refusedNaming('appId'), label);
    assert.throws(() => new WXBizMsgCrypt({ ...crypt, token: value }), refusedNaming('token'), label);
  }
  for (const value of BOOL_BAD) {
    assert.throws(() => new Receiver({ ...crypt, allowPlaintext: value }), refusedNaming('allowPlaintext'), String(value));
  }
  assert.equal(new Receiver({ token: 't', allowPlaintext: false }).hasKey, false);
  assert.equal(new Receiver({ ...crypt, appId: 'wx1', allowPlaintext: true }).hasKey, true);
});

test('ERR and ENDPOINTS are the generated tables (codes of src/error.rs, paths of src/api/paths.rs)', () => {
  assert.equal(ERR.ValidateSignature, -40001);
  assert.equal(ERR.LateReply, -41007);
  assert.equal(ERR.Transport, -42004);
  assert.equal(ERR.InvalidStoreArgument, -43003);
  assert.deepEqual(ENDPOINTS.customSend, { method: 'POST', path: '/cgi-bin/message/custom/send' });
  assert.ok(Object.isFrozen(ERR) && Object.isFrozen(ENDPOINTS));
  assert.equal(new Set(Object.values(ERR)).size, Object.keys(ERR).length, 'a code used twice');
});

// Issue 22.8: every numeric option of the handlers, the Client, SendWindow and MemoryStore is a finite number
// within a stated range; anything else is -41006 naming it, with the range in the message.
// (storeTimeoutMs: Infinity once let a push's dedup claim wait forever, and the push ran twice.)
const NUMBER_BAD = [Infinity, -Infinity, NaN, 1e10, -1, 'abc', '100', null, {}, true, 10n];
const numeric = [
  ['createHandler', 'replyTimeoutMs', (v) => createHandler({ ...crypt, onMessage: () => {}, replyTimeoutMs: v }), /1 to 4500/],
  ['createHandler', 'storeTimeoutMs', (v) => createHandler({ ...crypt, onMessage: () => {}, storeTimeoutMs: v }), /1 to 3000/],
  ['createHandler', 'dedupTtlSeconds', (v) => createHandler({ ...crypt, onMessage: () => {}, dedupTtlSeconds: v }), /dedupTtlSeconds/],
  ['Client', 'retries', (v) => new Client({ ...client, retries: v }), /0 to 10/],
  ['Client', 'backoffMs', (v) => new Client({ ...client, backoffMs: v }), /0 to 60000/],
  ['Client', 'refreshMarginMs', (v) => new Client({ ...client, refreshMarginMs: v }), /0 to 3600000/],
  ['Client', 'timeoutMs', (v) => new Client({ ...client, timeoutMs: v }), /1 to 300000/],
  ['Client', 'storeTimeoutMs', (v) => new Client({ ...client, storeTimeoutMs: v }), /1 to 10000/],
  ['Client', 'tokenBudgetMs', (v) => new Client({ ...client, tokenBudgetMs: v }), /tokenBudgetMs/],
  ['Client', 'tokenLockMs', (v) => new Client({ ...client, tokenLockMs: v }), /3001 to 10000/],
  ['Client', 'forceRefreshIntervalMs', (v) => new Client({ ...client, forceRefreshIntervalMs: v }), /1 to 86400000/],
  ['SendWindow', 'storeTimeoutMs', (v) => new SendWindow({ storeTimeoutMs: v }), /1 to 10000/],
  ['MemoryStore', 'maxKeys', (v) => new MemoryStore({ maxKeys: v }), /whole number of keys from 1/],
];
for (const [owner, field, make, range] of numeric) {
  test(`${owner} ${field}: Infinity, 1e10, -1, 'abc' ... are -41006 naming it, the range in the message`, () => {
    for (const value of NUMBER_BAD) {
      if (value === null && field === 'dedupTtlSeconds') continue; // null: the default (??)
      if (value === 1e10 && field === 'maxKeys') continue; // a whole number of keys in range
      const label = typeof value === 'bigint' ? `${value}n` : String(value);
      assert.throws(() => make(value), (e) => {
        assert.ok(e instanceof WxkfError && e.code === -41006, `${field} ${label}: ${e}`);
        assert.equal(e.field, field, `${field} ${label}: field ${e.field}`);
        assert.match(e.message, range, `${field} ${label}: ${e.message}`);
        return true;
      }, `${field} ${label}`);
    }
  });
}

test('numeric options: the edges of each range are accepted; ranges that depend on another option', () => {
  createHandler({ ...crypt, onMessage: () => {}, replyTimeoutMs: 4500, storeTimeoutMs: 4500 });
  createHandler({ ...crypt, onMessage: () => {}, replyTimeoutMs: 1 }); // storeTimeoutMs defaults to 1 then
  assert.throws(() => createHandler({ ...crypt, onMessage: () => {}, replyTimeoutMs: 200, storeTimeoutMs: 201 }),
    (e) => e.code === -41006 && e.field === 'storeTimeoutMs' && /1 to 200/.test(e.message));
  new Client({ ...client, retries: 0, backoffMs: 0, refreshMarginMs: 0, timeoutMs: 1, tokenBudgetMs: 600_000, forceRefreshIntervalMs: 1 });
  new Client({ ...client, storeTimeoutMs: 10, tokenBudgetMs: 100 }); // lock 50 > 3 x 10
  assert.throws(() => new Client({ ...client, storeTimeoutMs: 5000 }),
    (e) => e.code === -41006 && e.field === 'tokenBudgetMs' && /6 x storeTimeoutMs/.test(e.message));
  new Client({ ...client, storeTimeoutMs: 5000, tokenBudgetMs: 40_000 });
  assert.throws(() => new Client({ ...client, tokenLockMs: 15_000 }),
    (e) => e.code === -41006 && e.field === 'tokenLockMs' && /half of tokenBudgetMs/.test(e.message));
  new Client({ ...client, tokenLockMs: 15_000, tokenBudgetMs: 30_000 });
  assert.throws(() => new Client({ ...client, retries: 1.5 }), (e) => e.field === 'retries' && /whole number/.test(e.message));
  assert.throws(() => new Client({ ...client, onError: 'log' }), (e) => e.field === 'onError');
  assert.throws(() => new Client({ ...client, sendWindow: {} }), (e) => e.field === 'sendWindow');
  assert.throws(() => new SendWindow({ onError: 1 }), (e) => e.field === 'onError');
  new SendWindow({ storeTimeoutMs: 1 });
  new SendWindow({ storeTimeoutMs: 10_000 });
});

// Issue 25: an option spelled in another case, with `_` or `-`, or one letter off (`appid`,
// `encodingAesKey`, `Token`, `appsecret`, `replyTimeOutMs`) is refused with "did you mean
// <the documented name>?", by every constructor and factory that takes options; each owner's
// documented names are read from its .d.ts, so a name added there and not to the runtime's list
// fails here.
const PKG_DIR = new URL('../', entry);
const { readFileSync } = await import('node:fs');
const { durableObjectStore, durableObjectQueue, DurableObjectQueue } = await import(new URL('../stores/cloudflare.js', entry).href);
const { denoKvStore, denoKvQueue } = await import(new URL('../stores/deno-kv.js', entry).href);

/** The top-level member names of `interface name { ... }` or `type name = { ... }` in a .d.ts (every object literal of it). */
function declaredNames(file, name) {
  const source = readFileSync(new URL(file, PKG_DIR), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
  const start = new RegExp(`export (?:interface ${name}\\b[^{]*|type ${name}\\s*=)`).exec(source);
  assert.ok(start, `${file}: no declaration of ${name}`);
  const names = new Set();
  // Walk from the declaration to its end: members of every object literal at brace depth 1.
  let depth = 0;
  let round = 0;
  let segment = '';
  let opened = false;
  for (let i = start.index + start[0].length; i < source.length; i++) {
    const ch = source[i];
    // Brackets within a member (a function's parameters): not a member's end.
    if (depth >= 1 && (ch === '(' || ch === '[')) round++;
    if (depth >= 1 && (ch === ')' || ch === ']')) round--;
    if (ch === '{') {
      depth++;
      opened = true;
      if (depth === 1) segment = '';
      else continue;
    }
    if (ch === '}') {
      if (depth === 1) {
        const m = /^\s*(?:readonly\s+)?([A-Za-z_$][\w$]*)\??\s*[:(]/.exec(segment);
        if (m) names.add(m[1]);
        segment = '';
      }
      depth--;
      // The declaration ends unless an intersection or a union of more object literals follows.
      if (depth === 0 && !/^[\s)]*[&|]/.test(source.slice(i + 1, i + 40))) break;
      continue;
    }
    if (depth === 1 && round === 0 && (ch === ';' || ch === '\n' || ch === ',')) {
      const m = /^\s*(?:readonly\s+)?([A-Za-z_$][\w$]*)\??\s*[:(]/.exec(segment);
      if (m) names.add(m[1]);
      segment = '';
      continue;
    }
    if (depth === 1 && ch !== '{') segment += ch;
    if (!opened && ch === ';') break;
  }
  assert.ok(names.size > 0, `${file}: ${name} declares no member`);
  return [...names];
}

/** Names a user might type for `name`: other cases, snake_case, one letter dropped. */
function misspellings(name) {
  const out = new Set([name.toLowerCase(), name[0].toUpperCase() + name.slice(1), name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)]);
  if (name.length >= 6) out.add(name.slice(0, 2) + name.slice(3));
  out.delete(name);
  return [...out];
}

const fakeRedis = { sendCommand: async () => 'OK' };
const fakeNamespace = { idFromName: () => ({}), get: () => ({ fetch: async () => new Response('{}') }) };
const fakeKv = { get: async () => ({}), set: async () => ({}), atomic: () => ({}) };
const fakeKvQueue = { ...fakeKv, list: () => [], enqueue: async () => ({}), listenQueue: async () => {} };
const owners = [
  ['Client', (o) => new Client({ ...client, ...o }), [['outbound/client.d.ts', 'ClientOptions']]],
  ['Client cloudHosting', (o) => new Client({ cloudHosting: { tokenSource: 'open-api', ...o } }), [['outbound/client.d.ts', 'CloudHostingClientOptions']]],
  ['handler', (o) => createHandler({ ...crypt, onMessage: () => {}, ...o }),
    [['inbound/handlers.d.ts', 'HandlerBaseOptions'], ['inbound/handlers.d.ts', 'InlineHandlerOptions'], ['inbound/handlers.d.ts', 'QueueHandlerOptions'], ['inbound/receiver.d.ts', 'ReceiverOptions']]],
  ['cloudHosting', (o) => createHandler({ onMessage: () => {}, cloudHosting: { publicAccess: false, ...o } }), [['inbound/cloud-receiver.d.ts', 'CloudHostingOptions']]],
  ['Receiver', (o) => new Receiver({ ...crypt, ...o }), [['inbound/receiver.d.ts', 'ReceiverOptions']]],
  ['CloudReceiver', (o) => new CloudReceiver({ publicAccess: false, ...o }), [['inbound/cloud-receiver.d.ts', 'CloudHostingOptions']], ['maxBodyBytes', 'maxJsonDepth', 'now']],
  ['WXBizMsgCrypt', (o) => new WXBizMsgCrypt({ ...crypt, ...o }), [['crypto.d.ts', 'CryptOptions']]],
  ['chatbot.Bot', (o) => new chatbot.Bot({ ...crypt, ...o }), [['outbound/chatbot.d.ts', 'ChatbotOptions']]],
  ['SendWindow', (o) => new SendWindow(o), [['outbound/send-window.d.ts', 'SendWindowOptions']]],
  ['MemoryStore', (o) => new MemoryStore(o), [['stores/store.d.ts', 'MemoryStoreOptions']]],
  ['redisStore', (o) => redisStore(fakeRedis, o), [['stores/redis.d.ts', 'RedisStoreOptions']]],
  ['durableObjectStore', (o) => durableObjectStore(fakeNamespace, { appId: 'wx1', ...o }), [['stores/cloudflare.d.ts', 'DurableObjectStoreOptions']]],
  ['denoKvStore', (o) => denoKvStore(fakeKv, o), [['stores/deno-kv.d.ts', 'DenoKvStoreOptions']]],
  ['denoKvQueue', (o) => denoKvQueue(fakeKvQueue, o), [['stores/deno-kv.d.ts', 'DenoKvQueueOptions']]],
  ['durableObjectQueue', (o) => durableObjectQueue(fakeNamespace, { appId: 'wx1', ...o }), [['stores/cloudflare.d.ts', 'DurableObjectQueueBindingOptions']]],
  ['DurableObjectQueue', (o) => new DurableObjectQueue({ storage: {} }, {}, o), [['stores/cloudflare.d.ts', 'DurableObjectQueueOptions']]],
];

for (const [owner, make, declarations, extra = []] of owners) {
  test(`${owner}: every documented option spelled otherwise is -41006 "did you mean <it>?"`, () => {
    const names = [...new Set([...declarations.flatMap(([file, name]) => declaredNames(file, name)), ...extra])];
    for (const name of names) {
      for (const typo of misspellings(name)) {
        // A misspelling that is itself another documented name (none today) is not a typo.
        if (names.includes(typo)) continue;
        assert.throws(() => make({ [typo]: 'x' }), (e) => {
          assert.ok(e instanceof WxkfError, `${owner} ${typo}: ${e}`);
          assert.equal(e.code, -41006, `${owner} ${typo}: ${e.code} ${e.message}`);
          assert.equal(e.field, typo, `${owner} ${typo}: field ${e.field}`);
          assert.ok(e.message.includes(`did you mean ${name}?`), `${owner} ${typo}: ${e.message}`);
          assert.ok(e.message.startsWith(`${owner} option ${typo}`), `${owner} ${typo}: ${e.message}`);
          return true;
        }, `${owner} ${typo}`);
      }
    }
  });
}

test('new Client({ appid }) says "did you mean appId", not only that appId is missing', () => {
  assert.throws(() => new Client({ appid: 'wx1', appsecret: 's' }), (e) => e.code === -41006 && e.field === 'appid'
    && /Client option appid is not an option: did you mean appId\?/.test(e.message));
  assert.throws(() => new Client({ appId: 'wx1', secret: 's' }), (e) => e.field === 'secret' && /did you mean appSecret\?/.test(e.message));
  assert.throws(() => new WXBizMsgCrypt({ Token: 't', encodingAesKey: KEY, appId: 'a' }), (e) => e.field === 'Token' && /did you mean token\?/.test(e.message));
  assert.throws(() => createHandler({ ...crypt, onMessage: () => {}, replyTimeOutMs: 1000 }), (e) => /did you mean replyTimeoutMs\?/.test(e.message));
  assert.throws(() => durableObjectStore(fakeNamespace, { appid: 'wx1' }), (e) => e.field === 'appid' && /did you mean appId\?/.test(e.message));
  // Names that are no near miss are left alone (an object of settings may carry more).
  new Client({ ...client, region: 'cn', logger: console });
  new Receiver({ ...crypt, onMessage: () => {} });
  new MemoryStore({ label: 'x' });
});
