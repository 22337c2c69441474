// @ts-self-types="./cloudflare.d.ts"
// `wechat-kf/cloudflare`: the Store contract on a Cloudflare Durable Object (and, from
// queues/cloudflare.js, the queue mode's queue: DurableObjectQueue, durableObjectQueue).
//
//   // worker.js
//   export { DurableObjectStore } from 'wechat-kf/cloudflare';
//   const store = durableObjectStore(env.WECHAT_KF_STORE, { appId });   // one object per account
//
//   # wrangler.toml
//   [[durable_objects.bindings]]  name = "WECHAT_KF_STORE"  class_name = "DurableObjectStore"
//   [[migrations]]  tag = "v1"  new_sqlite_classes = ["DurableObjectStore"]
//
// A Durable Object runs one request at a time per object and its storage is strongly
// consistent, so each operation (read, decide, write) is atomic inside the object. Workers KV
// is eventually consistent (a write is seen elsewhere up to a minute later): it cannot claim a
// push or count a send window, so no KV store is offered.
//
// Protocol between the store and the object: POST with a JSON body
// { op: 'get'|'set'|'setIfAbsent'|'delete'|'compareAndSet', key, value?, expected?, ifValue?, ttlMs? }
// answered by { result } (200), or { error, code, kind } (400 bad request, 500 failure).
// Depends on no Cloudflare library: the class is a plain Durable Object (constructor(state, env),
// fetch, alarm), which every workerd and wrangler version accepts.
import internal, { ERR, WxkfError } from '../wechat-kf.js';

export { DurableObjectQueue, durableObjectQueue } from '../queues/cloudflare.js';

const { checkKey, checkPrefix, checkTtl, checkValue, invalidArgument, invalidOption } = internal.contract;

const OPS = new Set(['get', 'set', 'setIfAbsent', 'delete', 'compareAndSet']);
const VALUE = 'v:'; // VALUE + key -> { v: string, e: expiry in ms since epoch, 0 = none }
const INDEX = 'x:'; // INDEX + 15-digit expiry + ':' + key -> key (what the alarm sweeps)
const SWEEP_BATCH = 500;

const pad = (ms) => String(Math.ceil(ms)).padStart(15, '0');

/** The Durable Object: export it from your worker and bind it (one object per name). */
export class DurableObjectStore {
  #storage;
  #queue = Promise.resolve();
  #alarmAt; // undefined: not read yet; null: none scheduled; else ms

  constructor(state, _env) {
    this.#storage = state.storage;
  }

  async fetch(request) {
    if (request.method !== 'POST') return Response.json({ error: 'POST a JSON operation' }, { status: 405 });
    let op;
    try {
      op = await request.json();
    } catch {
      return Response.json({ error: 'the body is not JSON', code: ERR.InvalidStoreArgument, kind: 'InvalidStoreArgument' }, { status: 400 });
    }
    try {
      const result = await this.#serial(() => this.#apply(op ?? {}));
      return Response.json({ result });
    } catch (e) {
      const known = e instanceof WxkfError;
      return Response.json({ error: known ? e.message : 'store failure', code: e?.code, kind: e?.kind },
        { status: known ? 400 : 500 });
    }
  }

  /** Deletes the keys whose TTL has passed, then schedules itself for the next expiry. */
  async alarm() {
    await this.#serial(async () => {
      this.#alarmAt = null;
      const now = Date.now();
      for (;;) {
        const due = await this.#storage.list({ start: INDEX, end: `${INDEX}${pad(now + 1)}`, limit: SWEEP_BATCH });
        if (due.size === 0) break;
        for (const [indexKey, key] of due) {
          const expiry = Number(indexKey.slice(INDEX.length, INDEX.length + 15));
          const entry = await this.#storage.get(VALUE + key);
          // Only when the value still carries this expiry (it may have been set again since).
          if (entry && entry.e === expiry && expiry <= now) await this.#storage.delete(VALUE + key);
        }
        await this.#storage.delete([...due.keys()]);
        if (due.size < SWEEP_BATCH) break;
      }
      const next = await this.#storage.list({ prefix: INDEX, limit: 1 });
      for (const indexKey of next.keys()) await this.#schedule(Number(indexKey.slice(INDEX.length, INDEX.length + 15)));
    });
  }

  // Operations run one after another: with the object's input gate this is already so, and
  // the queue keeps it so should an operation ever await something other than storage.
  #serial(fn) {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.then(() => {}, () => {});
    return run;
  }

  async #apply({ op, key, value, expected, ifValue, ttlMs }) {
    if (!OPS.has(op)) throw invalidArgument('op must be get, set, setIfAbsent, delete or compareAndSet');
    checkKey(key);
    // Arguments are checked before anything is read or written.
    if (op === 'set' || op === 'setIfAbsent' || op === 'compareAndSet') checkValue(value);
    if (op === 'compareAndSet' && expected !== null) checkValue(expected);
    if (op === 'delete' && ifValue != null) checkValue(ifValue);
    const ttl = op === 'get' || op === 'delete' ? undefined : checkTtl(ttlMs ?? undefined, op === 'setIfAbsent');
    const now = Date.now();
    const current = await this.#read(key, now);
    switch (op) {
      case 'get':
        return current;
      case 'set':
        await this.#write(key, value, ttl, now);
        return null;
      case 'setIfAbsent':
        if (current !== null) return current === value; // its own write, sent again: true
        await this.#write(key, value, ttl, now);
        return true;
      case 'delete':
        if (current === null || (ifValue != null && current !== ifValue)) return false;
        await this.#storage.delete(VALUE + key);
        return true;
      case 'compareAndSet':
        if (current !== expected) return current === value; // already holds value: true
        await this.#write(key, value, ttl, now);
        return true;
    }
  }

  /** The live value of key, or null (an expired value is deleted on the way). */
  async #read(key, now) {
    const entry = await this.#storage.get(VALUE + key);
    if (!entry) return null;
    if (entry.e !== 0 && entry.e <= now) {
      await this.#storage.delete(VALUE + key);
      return null;
    }
    return entry.v;
  }

  async #write(key, value, ttlMs, now) {
    if (ttlMs === undefined) {
      await this.#storage.put(VALUE + key, { v: value, e: 0 });
      return;
    }
    const e = Math.ceil(now + ttlMs);
    await this.#storage.put({ [VALUE + key]: { v: value, e }, [`${INDEX}${pad(e)}:${key}`]: key });
    await this.#schedule(e);
  }

  /** Makes sure an alarm fires soon after `expiry` (rounded up to whole seconds). */
  async #schedule(expiry) {
    const at = Math.ceil(expiry / 1000) * 1000 + 1000;
    if (this.#alarmAt === undefined) this.#alarmAt = (await this.#storage.getAlarm()) ?? null;
    if (this.#alarmAt !== null && this.#alarmAt <= at) return;
    await this.#storage.setAlarm(at);
    this.#alarmAt = at;
  }
}

/**
 * A Store (see store.d.ts) backed by the DurableObjectStore bound as `namespace`.
 * options.appId: the account; its keys live in the object named after it (one object per
 * account). options.name: the object's name instead, or a function of the key choosing one of
 * several objects (shards). One of the two is required: with neither, every account of every
 * worker bound to the namespace would share one object, which runs one request at a time for
 * all of them. options.prefix: prepended to every key (default 'wechat-kf:').
 */
export function durableObjectStore(namespace, options = {}) {
  if (!namespace || typeof namespace.idFromName !== 'function' || typeof namespace.get !== 'function') {
    throw invalidOption('namespace', 'durableObjectStore needs a Durable Object namespace binding (env.WECHAT_KF_STORE)');
  }
  internal.checkOptionNames('durableObjectStore', options, ['appId', 'name', 'prefix']);
  const { appId, prefix = 'wechat-kf:' } = options ?? {};
  if (appId !== undefined && (typeof appId !== 'string' || appId === '')) {
    throw invalidOption('appId', 'durableObjectStore option appId must be a non-empty string (the account whose object this is)');
  }
  const name = options?.name ?? appId;
  if (name === undefined) {
    throw invalidOption('appId', 'durableObjectStore needs { appId } (one object per account) or { name } ' +
      '(an object name, or a function of the key for shards): without either, every account would share one object');
  }
  if ((typeof name !== 'string' || name === '') && typeof name !== 'function') {
    throw invalidOption('name', 'durableObjectStore option name must be a non-empty string or a function (key) => string');
  }
  checkPrefix(prefix);
  const objectName = (key) => {
    const n = typeof name === 'function' ? name(key) : name;
    if (typeof n !== 'string' || n === '') throw invalidOption('name', 'durableObjectStore option name(key) must return a non-empty string');
    return n;
  };

  async function call(op, key, fields) {
    checkKey(key);
    const stub = namespace.get(namespace.idFromName(objectName(key)));
    const res = await stub.fetch('https://wechat-kf.store/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ op, key: prefix + key, ...fields }),
    });
    const text = await res.text();
    let body;
    try { body = JSON.parse(text); } catch { body = {}; }
    if (res.status === 400 && body.kind) throw new WxkfError(body.error, body.code, body.kind);
    if (!res.ok || !('result' in body)) {
      throw new Error(`wechat-kf Durable Object store: ${op} failed (HTTP ${res.status}${body.error ? `: ${body.error}` : ''})`);
    }
    return body.result;
  }

  return {
    get: async (key) => call('get', key, {}),
    set: async (key, value, ttlMs) => {
      await call('set', key, { value: checkValue(value), ttlMs: checkTtl(ttlMs) });
    },
    setIfAbsent: async (key, value, ttlMs) => call('setIfAbsent', key, { value: checkValue(value), ttlMs: checkTtl(ttlMs, true) }),
    delete: async (key, ifValue) => call('delete', key, ifValue === undefined ? {} : { ifValue: checkValue(ifValue) }),
    compareAndSet: async (key, expected, value, ttlMs) => call('compareAndSet', key, {
      expected: expected === null ? null : checkValue(expected),
      value: checkValue(value),
      ttlMs: checkTtl(ttlMs),
    }),
  };
}
