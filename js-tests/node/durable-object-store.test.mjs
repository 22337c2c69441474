// The Durable Object class of `wechat-kf/cloudflare` driven directly, on a storage that keeps
// its data in a Map (the parts workerd gives it: get/put/delete/list/getAlarm/setAlarm): the
// request protocol, and the alarm that deletes expired keys (engines.mjs runs the class in a
// real workerd, where expired keys are only seen through the lazy checks).
import { test } from 'node:test';
import assert from 'node:assert/strict';

const pkg = process.env.WECHAT_KF_PKG ?? new URL('../../pkg/', import.meta.url).href;
const { DurableObjectStore } = await import(new URL('stores/cloudflare.js', pkg.endsWith('/') ? pkg : `${pkg}/`).href);

function memoryStorage() {
  const data = new Map();
  let alarm = null;
  const sorted = () => [...data.keys()].sort();
  return {
    data,
    get alarmAt() { return alarm; },
    async get(key) { return structuredClone(data.get(key)); },
    async put(key, value) {
      if (typeof key === 'object') for (const [k, v] of Object.entries(key)) data.set(k, structuredClone(v));
      else data.set(key, structuredClone(value));
    },
    async delete(keys) {
      if (Array.isArray(keys)) return keys.filter((k) => data.delete(k)).length;
      return data.delete(keys);
    },
    async list({ start, end, prefix, limit = Infinity } = {}) {
      const out = new Map();
      for (const k of sorted()) {
        if (start !== undefined && k < start) continue;
        if (end !== undefined && k >= end) continue;
        if (prefix !== undefined && !k.startsWith(prefix)) continue;
        if (out.size >= limit) break;
        out.set(k, structuredClone(data.get(k)));
      }
      return out;
    },
    async getAlarm() { return alarm; },
    async setAlarm(at) { alarm = Number(at); },
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function op(object, body) {
  const res = await object.fetch(new Request('https://do/', { method: 'POST', body: JSON.stringify(body) }));
  return { status: res.status, body: await res.json() };
}

test('operations over the request protocol', async () => {
  const object = new DurableObjectStore({ storage: memoryStorage() }, {});
  assert.deepEqual(await op(object, { op: 'setIfAbsent', key: 'a', value: '1', ttlMs: 60_000 }), { status: 200, body: { result: true } });
  assert.deepEqual((await op(object, { op: 'setIfAbsent', key: 'a', value: '2', ttlMs: 60_000 })).body, { result: false });
  assert.deepEqual((await op(object, { op: 'get', key: 'a' })).body, { result: '1' });
  assert.deepEqual((await op(object, { op: 'compareAndSet', key: 'a', expected: '1', value: '3' })).body, { result: true });
  assert.deepEqual((await op(object, { op: 'delete', key: 'a', ifValue: '1' })).body, { result: false });
  assert.deepEqual((await op(object, { op: 'delete', key: 'a', ifValue: '3' })).body, { result: true });
  assert.deepEqual((await op(object, { op: 'compareAndSet', key: 'a', expected: null, value: '4' })).body, { result: true });
});

test('bad requests: 405 for GET, 400 with -43003 for a bad body or operation', async () => {
  const object = new DurableObjectStore({ storage: memoryStorage() }, {});
  assert.equal((await object.fetch(new Request('https://do/'))).status, 405);
  const notJson = await object.fetch(new Request('https://do/', { method: 'POST', body: '{' }));
  assert.equal(notJson.status, 400);
  for (const body of [{ op: 'flush', key: 'a' }, { op: 'get', key: '' }, { op: 'set', key: 'a', value: 5 }, { op: 'setIfAbsent', key: 'a', value: 'v' }]) {
    const r = await op(object, body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.body.code, -43003);
    assert.equal(r.body.kind, 'InvalidStoreArgument');
  }
});

test('the alarm deletes expired keys only, and is scheduled for the next expiry', async () => {
  const storage = memoryStorage();
  const object = new DurableObjectStore({ storage }, {});
  await op(object, { op: 'set', key: 'short', value: 's', ttlMs: 30 });
  await op(object, { op: 'set', key: 'renewed', value: 'r', ttlMs: 30 });
  await op(object, { op: 'set', key: 'forever', value: 'f' });
  await op(object, { op: 'set', key: 'long', value: 'l', ttlMs: 3_600_000 });
  assert.ok(storage.alarmAt !== null && storage.alarmAt <= Date.now() + 3000, `an alarm soon after the first expiry, got ${storage.alarmAt}`);
  await op(object, { op: 'set', key: 'renewed', value: 'r2', ttlMs: 3_600_000 }); // its old index entry must not delete it
  await sleep(100);
  await object.alarm();
  const left = [...storage.data.keys()].filter((k) => k.startsWith('v:')).sort();
  assert.deepEqual(left, ['v:forever', 'v:long', 'v:renewed']);
  assert.equal([...storage.data.keys()].filter((k) => k.startsWith('x:')).length, 2, 'index entries of long and renewed remain');
  assert.deepEqual((await op(object, { op: 'get', key: 'renewed' })).body, { result: 'r2' });
  assert.ok(storage.alarmAt > Date.now() + 3_000_000, `the next alarm is for the hour-long keys, got ${storage.alarmAt}`);
});

test('an expired key reads as absent before any alarm ran', async () => {
  const object = new DurableObjectStore({ storage: memoryStorage() }, {});
  await op(object, { op: 'set', key: 'k', value: 'v', ttlMs: 20 });
  await sleep(60);
  assert.deepEqual((await op(object, { op: 'get', key: 'k' })).body, { result: null });
  assert.deepEqual((await op(object, { op: 'setIfAbsent', key: 'k', value: 'w', ttlMs: 1000 })).body, { result: true });
});

test('sent again: setIfAbsent and compareAndSet are true when the key already holds their value', async () => {
  const object = new DurableObjectStore({ storage: memoryStorage() }, {});
  assert.deepEqual((await op(object, { op: 'setIfAbsent', key: 'c', value: 'id-1', ttlMs: 60_000 })).body, { result: true });
  assert.deepEqual((await op(object, { op: 'setIfAbsent', key: 'c', value: 'id-1', ttlMs: 60_000 })).body, { result: true });
  assert.deepEqual((await op(object, { op: 'setIfAbsent', key: 'c', value: 'id-2', ttlMs: 60_000 })).body, { result: false });
  assert.deepEqual((await op(object, { op: 'compareAndSet', key: 'c', expected: 'id-1', value: 'id-3' })).body, { result: true });
  assert.deepEqual((await op(object, { op: 'compareAndSet', key: 'c', expected: 'id-1', value: 'id-3' })).body, { result: true });
  assert.deepEqual((await op(object, { op: 'compareAndSet', key: 'c', expected: 'id-1', value: 'id-4' })).body, { result: false });
  assert.deepEqual((await op(object, { op: 'get', key: 'c' })).body, { result: 'id-3' });
});

test('durableObjectStore: the object is named after appId (or name); neither is -41006', async () => {
  const { durableObjectStore } = await import(new URL('stores/cloudflare.js', pkg.endsWith('/') ? pkg : `${pkg}/`).href);
  const objects = new Map();
  const namespace = {
    idFromName: (name) => ({ name }),
    get: ({ name }) => {
      if (!objects.has(name)) objects.set(name, new DurableObjectStore({ storage: memoryStorage() }, {}));
      const object = objects.get(name);
      return { fetch: (url, init) => object.fetch(new Request(url, init)) };
    },
  };
  await durableObjectStore(namespace, { appId: 'wxA' }).set('k', 'a');
  await durableObjectStore(namespace, { appId: 'wxB' }).set('k', 'b');
  await durableObjectStore(namespace, { name: 'shared' }).set('k', 's');
  await durableObjectStore(namespace, { appId: 'wxB', name: (key) => `shard-${key.length % 2}` }).set('k', 'x');
  assert.deepEqual([...objects.keys()].sort(), ['shard-1', 'shared', 'wxA', 'wxB']);
  assert.equal(await durableObjectStore(namespace, { name: 'wxA' }).get('k'), 'a');
  for (const options of [undefined, {}, { prefix: 'p:' }, { appId: '' }, { appId: 7 }, { name: '' }, { name: 3 }]) {
    assert.throws(() => durableObjectStore(namespace, options), (e) => e.code === -41006 && e.kind === 'InvalidOption'
      && (options?.name !== undefined ? e.field === 'name' : e.field === 'appId'), JSON.stringify(options));
  }
  assert.throws(() => durableObjectStore(namespace), /pass|appId.*name|name.*appId/);
});
