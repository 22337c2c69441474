// The send window per openid (after a user message: 5 sends within 48 h; after the user
// enters the session: 2 within 1 min; each action resets, quotas never add up). The rules are
// the core's; this class only keeps each user's state in a Store (stores/store.d.ts), under
// `window:<appId>:<openid>` as the core's JSON. consume is a compareAndSet loop, so it is
// atomic across every instance sharing the store; refund gives a slot back the same way.
import { outbound } from '../loaders/outbound.js';
import { ERR, wxkfError, invalidOption } from '../errors.js';
import { MemoryStore } from '../stores/memory.js';

const MAX_ATTEMPTS = 1000;

export class SendWindow {
  #rules;
  #store;
  #now;
  #appId;

  /**
   * @param {{ rules?: object, store?: import('../stores/memory.js').MemoryStore, appId?: string, now?: () => number }} [options]
   */
  constructor({ rules, store, appId = '', now = Date.now } = {}) {
    this.#rules = outbound().__windowRules(JSON.stringify(rules ?? {}));
    this.#now = now;
    this.#appId = String(appId);
    this.#store = store ?? new MemoryStore({ now });
    for (const m of ['get', 'set', 'delete', 'compareAndSet']) {
      if (typeof this.#store[m] !== 'function') {
        throw invalidOption('store', `SendWindow option store must implement the Store contract (${m} is missing)`);
      }
    }
  }

  /** The complete rules in force. */
  get rules() {
    return JSON.parse(this.#rules);
  }

  #key(openid) {
    if (typeof openid !== 'string' || openid === '') {
      throw wxkfError(ERR.MissingField, 'openid is required and must not be empty', { field: 'openid' });
    }
    return `window:${this.#appId}:${openid}`;
  }

  /** Records a user action ('message' or 'enter') at `at` (ms); returns the new state. */
  async observe(openid, action = 'message', at = this.#now()) {
    const key = this.#key(openid);
    const json = outbound().__windowObserve(this.#rules, String(action), at);
    const state = JSON.parse(json);
    await this.#store.set(key, json, ttl(state, at));
    return state;
  }

  /**
   * Feeds an inbound push (a typed message: fromUserName, msgType, event). User messages and
   * user_enter_tempsession open a window; other events are ignored (returns undefined).
   */
  async observeMessage(message, at = this.#now()) {
    const action = outbound().__windowAction(String(message?.msgType ?? ''), message?.event == null ? undefined : String(message.event));
    if (!action) return undefined;
    return this.observe(message.fromUserName, action, at);
  }

  /** { allowed, remaining, deadline, code? } for a send at `at`, without using it up. */
  async check(openid, at = this.#now()) {
    const raw = await this.#store.get(this.#key(openid));
    return JSON.parse(outbound().__windowCheck(raw ?? 'null', at));
  }

  /**
   * Uses one send; throws WxkfError 45015 (window over) or 45047 (quota used up). Atomic across
   * instances sharing the store. The decision also carries `state` (what refund takes).
   */
  async consume(openid, at = this.#now()) {
    const key = this.#key(openid);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const raw = await this.#store.get(key);
      const next = outbound().__windowConsume(raw ?? 'null', at); // throws 45015 / 45047
      const state = JSON.parse(next);
      if (await this.#store.compareAndSet(key, raw, next, ttl(state, at))) {
        return { ...JSON.parse(outbound().__windowCheck(next, at)), state };
      }
      await pause(attempt);
    }
    throw contended(key);
  }

  /**
   * Gives back a send taken by consume (its decision's `state`) that never reached the platform.
   * Only into the same window (not after the user acted again); true when given back.
   */
  async refund(openid, consumed, at = this.#now()) {
    const key = this.#key(openid);
    const consumedJson = JSON.stringify(consumed);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const raw = await this.#store.get(key);
      const next = outbound().__windowRefund(this.#rules, raw ?? 'null', consumedJson);
      if (next === undefined) return false;
      if (await this.#store.compareAndSet(key, raw, next, ttl(JSON.parse(next), at))) return true;
      await pause(attempt);
    }
    throw contended(key);
  }

  /** Forgets a user's window. */
  async reset(openid) {
    await this.#store.delete(this.#key(openid));
  }
}

function ttl(state, at) {
  return Math.max(1, state.deadline - at);
}

/** After a lost compareAndSet: yield, then back off a little (up to ~20 ms) with jitter. */
function pause(attempt) {
  if (attempt < 3) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(20, attempt)));
}

function contended(key) {
  return wxkfError(ERR.StoreUnavailable, `the store kept changing ${key} under ${MAX_ATTEMPTS} attempts`);
}
