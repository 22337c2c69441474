// A user's Store seen through a deadline and the store contract (store.d.ts). Every caller of a
// store in the library (dedup claims, the token cache, the send window) goes through
// checkedStore, so that a store which hangs, throws anything, or answers what the contract does
// not allow is one typed failure in one place: a WxkfError -43002 StoreUnavailable, reported
// (once, through `report`) and then rejected; the caller decides how it fails open.
//   get            -> a string, or null when absent
//   setIfAbsent, delete, compareAndSet -> a boolean
//   set            -> anything (its answer is not used)
// A -43003 InvalidStoreArgument (the store refusing an argument the library passed) is
// reported and rejected as it is. Also here: the one default reporter (no onError given).
import { ERR, WxkfError, wxkfError } from '../errors.js';

const isBoolean = (v) => typeof v === 'boolean';
const ANSWERS = {
  get: [(v) => typeof v === 'string' || v === null, 'a string or null'],
  set: [() => true, 'anything'],
  setIfAbsent: [isBoolean, 'a boolean'],
  delete: [isBoolean, 'a boolean'],
  compareAndSet: [isBoolean, 'a boolean'],
};
export const STORE_METHODS = Object.freeze(Object.keys(ANSWERS));

/** What an answer is, for a message (never its content: it may be anything a store holds). */
function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? `an object (${Object.prototype.toString.call(v).slice(8, -1)})` : typeof v;
}

/**
 * The store call `op(...args)` within `timeoutMs`, its answer checked. Resolves with the answer;
 * rejects with a WxkfError -43002 (or the store's own -43003), after `report(error, info)`.
 */
function guardedCall(store, op, args, timeoutMs, report, phase) {
  // A store that answers at once (MemoryStore: a value, not a promise) needs no timer.
  let answer;
  let pending;
  try {
    answer = store[op](...args);
    pending = answer !== null && (typeof answer === 'object' || typeof answer === 'function') && typeof answer.then === 'function';
  } catch (e) {
    return Promise.reject(failed(e, op, args[0], report, phase));
  }
  if (!pending) {
    try {
      return Promise.resolve(checked(answer, op, args[0]));
    } catch (e) {
      return Promise.reject(failed(e, op, args[0], report, phase));
    }
  }
  return awaited(answer, op, args[0], timeoutMs, report, phase);
}

/** The answer when the contract allows it; else throws -43002. */
function checked(answer, op, key) {
  const [ok, expected] = ANSWERS[op];
  if (!ok(answer)) {
    throw wxkfError(ERR.StoreUnavailable,
      `the store answered ${op}(${key}) with ${describe(answer)}, not ${expected} as the Store contract says`, { op, key });
  }
  return answer;
}

/** The store error for `e`, reported once. */
function failed(e, op, key, report, phase) {
  const error = asStoreError(e, op, key);
  try { report(error, { phase, op, key }); } catch {}
  return error;
}

/** A pending answer within `timeoutMs`, checked. */
async function awaited(pending, op, key, timeoutMs, report, phase) {
  let timer;
  try {
    const late = new Promise((_, reject) => {
      timer = setTimeout(() => reject(wxkfError(ERR.StoreUnavailable,
        `the store did not answer ${op}(${key}) within ${timeoutMs} ms`, { op, key, timeout: true })), timeoutMs);
    });
    return checked(await Promise.race([pending, late]), op, key);
  } catch (e) {
    throw failed(e, op, key, report, phase);
  } finally {
    clearTimeout(timer);
  }
}

/** Any failure of a store call as -43002 StoreUnavailable (the cause kept); -43002/-43003 as they are. */
export function asStoreError(error, op, key) {
  if (error instanceof WxkfError && (error.code === ERR.StoreUnavailable || error.code === ERR.InvalidStoreArgument)) {
    return error;
  }
  const why = error instanceof Error ? error.message : describe(error);
  return wxkfError(ERR.StoreUnavailable, `the store failed ${op}(${key}): ${why}`, { op, key, cause: error });
}

/**
 * checkedStore(store, { timeoutMs, report, phase }) -> the same five methods, each returning a
 * Promise that resolves with an answer the contract allows, or rejects with a WxkfError
 * (-43002, or -43003) that was first passed to `report(error, { phase, op, key })`.
 * `withTimeout(ms)`: the same store with another deadline (what is left of a longer budget).
 * @param {object} store  a Store (stores/store.d.ts)
 * @param {{ timeoutMs?: number, report?: (error: Error, info: object) => void, phase?: string }} [options]
 */
export function checkedStore(store, { timeoutMs = 1000, report = () => {}, phase = 'store' } = {}) {
  const ms = Math.max(1, Math.ceil(timeoutMs));
  const checked = {
    timeoutMs: ms,
    store,
    withTimeout: (t) => checkedStore(store, { timeoutMs: Math.min(ms, t), report, phase }),
  };
  for (const op of STORE_METHODS) {
    checked[op] = (...args) => guardedCall(store, op, args, ms, report, phase);
  }
  return Object.freeze(checked);
}

/** The Store methods `store` lacks (an empty array when it has them all, or `store` is not an object). */
export function missingMethods(store, methods = STORE_METHODS) {
  if (store === null || (typeof store !== 'object' && typeof store !== 'function')) return [...methods];
  return methods.filter((m) => typeof store[m] !== 'function');
}

/**
 * The reporter for an `onError` option: calls it (never throwing), or without one writes one
 * line to console.error with the code, kind and phase — never a message, key or value.
 */
export function reporter(onError) {
  if (typeof onError === 'function') {
    // onError may throw, reject or never settle: nothing awaits it, and when it fails, both its
    // own failure and the error it was given go to the console line (never an unhandled rejection).
    const fallback = reporter(undefined);
    const failed = (e, error, info) => {
      fallback(e, { phase: 'onError' });
      fallback(error, info);
    };
    return (error, info) => {
      let result;
      try {
        result = onError(error, info);
      } catch (e) {
        failed(e, error, info);
        return;
      }
      if (result !== null && (typeof result === 'object' || typeof result === 'function')) {
        let then;
        try { then = result.then; } catch (e) { failed(e, error, info); return; }
        if (typeof then === 'function') Promise.resolve(result).then(undefined, (e) => failed(e, error, info));
      }
    };
  }
  return (error, info) => {
    try {
      const code = error && error.code !== undefined ? error.code : 'none';
      const kind = (error && (error.kind ?? error.name)) || 'Error';
      console.error(`wechat-kf: ${kind} (code ${code}) in phase ${info?.phase ?? 'unknown'}; pass onError to handle it`);
    } catch {}
  };
}
