// @ts-self-types="./deno-kv.d.ts"
// `wechat-kf/deno-kv`: the Store contract on Deno KV (`await Deno.openKv()`; on Deno 2.9
// with a local file, run with --unstable-kv).
//
//   import { denoKvStore } from 'wechat-kf/deno-kv';
//   const store = denoKvStore(await Deno.openKv());
//
// Each conditional operation reads the entry, decides, and commits an atomic operation that
// checks the entry's versionstamp; when another instance changed the entry in between, the
// commit fails and the operation starts again on the new value (optimistic concurrency), so
// no two callers both win a setIfAbsent or a compareAndSet. TTLs use `expireIn`, but Deno KV
// deletes expired entries lazily (some time after expiry): the expiry time is stored with the
// value and every operation treats a value past it as absent. Several processes on one local
// KV file contend for its SQLite lock: a call refused with "database is locked" (nothing was
// written) is tried again after a short random pause, for up to BUSY_MS.
import internal from '../wechat-kf.js';
import { unlocked } from './deno-kv-locked.js';

export { denoKvQueue } from '../queues/deno-kv.js';

const { checkKey, checkPrefix, checkTtl, checkValue, invalidOption } = internal.contract;

const MAX_ATTEMPTS = 1000;

/** A Store (see store.d.ts) on a Deno.Kv; options.prefix is prepended to keys (default 'wechat-kf:'). */
export function denoKvStore(kv, options = {}) {
  if (!kv || typeof kv.get !== 'function' || typeof kv.set !== 'function' || typeof kv.atomic !== 'function') {
    throw invalidOption('kv', 'denoKvStore needs a Deno.Kv (await Deno.openKv())');
  }
  internal.checkOptionNames('denoKvStore', options, ['prefix']);
  const { prefix = 'wechat-kf:' } = options ?? {};
  checkPrefix(prefix);
  const kvKey = (key) => [prefix + checkKey(key)];
  const record = (value, ttlMs) => ({ v: value, e: ttlMs === undefined ? 0 : Math.ceil(Date.now() + ttlMs) });
  const setOptions = (ttlMs) => (ttlMs === undefined ? undefined : { expireIn: Math.max(1, Math.ceil(ttlMs)) });

  /** { entry, value }: value is the live string, or null when absent or expired. */
  async function read(k) {
    const entry = await unlocked(() => kv.get(k));
    const r = entry.value;
    const live = r && typeof r === 'object' && typeof r.v === 'string' && (r.e === 0 || r.e > Date.now());
    return { entry, value: live ? r.v : null };
  }

  /**
   * Reads key, asks decide(value) for { write: 'set' | 'delete', ... } or a result, and commits
   * the write only if the entry is unchanged since the read; retries when it changed.
   */
  async function conditional(key, decide) {
    const k = kvKey(key);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const { entry, value } = await read(k);
      const step = decide(value);
      if (!step.write) return step.result;
      const res = await unlocked(() => {
        const op = kv.atomic().check({ key: k, versionstamp: entry.versionstamp });
        if (step.write === 'delete') op.delete(k);
        else op.set(k, record(step.value, step.ttlMs), setOptions(step.ttlMs));
        return op.commit();
      });
      if (res.ok) return step.result;
    }
    throw new Error(`wechat-kf Deno KV store: gave up after ${MAX_ATTEMPTS} conflicting attempts`);
  }

  return {
    async get(key) {
      return (await read(kvKey(key))).value;
    },
    async set(key, value, ttlMs) {
      checkValue(value);
      checkTtl(ttlMs);
      const k = kvKey(key);
      await unlocked(() => kv.set(k, record(value, ttlMs), setOptions(ttlMs)));
    },
    async setIfAbsent(key, value, ttlMs) {
      checkValue(value);
      checkTtl(ttlMs, true);
      // A key already holding value is this caller's own write (sent again): true.
      return conditional(key, (current) => (current !== null ? { result: current === value } : { write: 'set', value, ttlMs, result: true }));
    },
    async delete(key, ifValue) {
      if (ifValue !== undefined) checkValue(ifValue);
      return conditional(key, (current) =>
        current === null || (ifValue !== undefined && current !== ifValue) ? { result: false } : { write: 'delete', result: true });
    },
    async compareAndSet(key, expected, value, ttlMs) {
      if (expected !== null) checkValue(expected);
      checkValue(value);
      checkTtl(ttlMs);
      return conditional(key, (current) => (current !== expected ? { result: current === value } : { write: 'set', value, ttlMs, result: true }));
    },
  };
}
