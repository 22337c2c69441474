// The send window per openid (after a user message: 5 sends within 48 h; after the user
// enters the session: 2 within 1 min; each action resets, quotas never add up). The rules are
// the core's; this class only keeps each user's state in a store.
//
// Store interface (implement it over Redis, KV, a database... when several instances send):
//   get(key)                 -> state | undefined          (or a Promise of it)
//   set(key, state, ttlMs)   -> void                       state: { action, remaining, deadline }
//   delete?(key)             -> void                       ttlMs: until the deadline; may expire then
// Operations on one key are serialised within this instance; across instances the store's own
// consistency applies (a send may slip through a race; the platform still enforces).
import { __windowRules, __windowObserve, __windowCheck, __windowConsume, __windowAction } from './wechat_kf.js';
import { WxkfError } from './errors.js';

/** In-memory store with expiry and a bound on the number of users. */
export class MemoryWindowStore {
  #map = new Map(); // key -> { state, expiry }
  #now;
  #maxEntries;

  constructor({ maxEntries = 100000, now = Date.now } = {}) {
    this.#now = now;
    this.#maxEntries = maxEntries;
  }

  get(key) {
    const entry = this.#map.get(key);
    if (!entry) return undefined;
    if (entry.expiry <= this.#now()) {
      this.#map.delete(key);
      return undefined;
    }
    return entry.state;
  }

  set(key, state, ttlMs) {
    this.#map.delete(key);
    this.#map.set(key, { state, expiry: this.#now() + Math.max(0, ttlMs) });
    if (this.#map.size > this.#maxEntries) {
      const now = this.#now();
      for (const [k, e] of this.#map) if (e.expiry <= now) this.#map.delete(k);
      for (const k of this.#map.keys()) {
        if (this.#map.size <= this.#maxEntries) break;
        this.#map.delete(k);
      }
    }
  }

  delete(key) {
    this.#map.delete(key);
  }

  get size() {
    return this.#map.size;
  }
}

export class SendWindow {
  #rules;
  #store;
  #now;
  #locks = new Map();

  /**
   * @param {{ rules?: { message?: { limit?: number, windowMs?: number }, enter?: { limit?: number, windowMs?: number } },
   *           store?: object, now?: () => number }} [options]
   */
  constructor({ rules, store, now = Date.now } = {}) {
    this.#rules = __windowRules(JSON.stringify(rules ?? {}));
    this.#now = now;
    this.#store = store ?? new MemoryWindowStore({ now });
  }

  /** The complete rules in force. */
  get rules() {
    return JSON.parse(this.#rules);
  }

  /** Records a user action ('message' or 'enter') at `at` (ms); returns the new state. */
  observe(openid, action = 'message', at = this.#now()) {
    const key = keyOf(openid);
    return this.#serial(key, async () => {
      const state = JSON.parse(__windowObserve(this.#rules, String(action), at));
      await this.#store.set(key, state, state.deadline - at);
      return state;
    });
  }

  /**
   * Feeds an inbound push (a typed message: fromUserName, msgType, event). User messages and
   * user_enter_tempsession open a window; other events are ignored (returns undefined).
   */
  async observeMessage(message, at = this.#now()) {
    const action = __windowAction(String(message?.msgType ?? ''), message?.event == null ? undefined : String(message.event));
    if (!action) return undefined;
    return this.observe(message.fromUserName, action, at);
  }

  /** { allowed, remaining, deadline, code? } for a send at `at`, without using it up. */
  check(openid, at = this.#now()) {
    const key = keyOf(openid);
    return this.#serial(key, async () => {
      const state = await this.#store.get(key);
      return JSON.parse(__windowCheck(stateJson(state), at));
    });
  }

  /** Uses one send; throws WxkfError 45015 (window over) or 45047 (quota used up). */
  consume(openid, at = this.#now()) {
    const key = keyOf(openid);
    return this.#serial(key, async () => {
      const state = await this.#store.get(key);
      const next = JSON.parse(__windowConsume(stateJson(state), at));
      await this.#store.set(key, next, next.deadline - at);
      return JSON.parse(__windowCheck(JSON.stringify(next), at));
    });
  }

  /** Forgets a user's window. */
  async reset(openid) {
    const key = keyOf(openid);
    await this.#serial(key, async () => {
      if (this.#store.delete) await this.#store.delete(key);
    });
  }

  #serial(key, fn) {
    const previous = this.#locks.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.then(() => {}, () => {});
    this.#locks.set(key, tail);
    tail.then(() => {
      if (this.#locks.get(key) === tail) this.#locks.delete(key);
    });
    return run;
  }
}

function keyOf(openid) {
  if (typeof openid !== 'string' || openid === '') {
    throw new WxkfError('openid is required and must not be empty', -42001, 'MissingField', { field: 'openid' });
  }
  return openid;
}

function stateJson(state) {
  return state == null ? 'null' : typeof state === 'string' ? state : JSON.stringify(state);
}
