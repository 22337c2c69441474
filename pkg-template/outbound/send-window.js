// The send window per openid (after a user message: 5 sends within 48 h; after the user
// enters the session: 2 within 1 min; each action resets, quotas never add up). The rules are
// the core's; this class only keeps each user's state in a Store (stores/store.d.ts), under
// `window:<appId>:<openid>` as the core's JSON plus an `op` id unique to the write. consume is
// a compareAndSet loop, so it is atomic across every instance sharing the store; refund gives a
// slot back the same way. The `op` id makes every value written unique, so that a store client
// that re-sends a compareAndSet whose reply was lost recognises its own write (the stores'
// compareAndSet is true when the key already holds exactly the value passed) instead of the
// loop taking a second slot.
//
// Under faults it fails open within storeTimeoutMs (one deadline for the whole operation, every
// attempt included): a store that fails, hangs, answers outside the contract or holds no state
// for the user never refuses a send. The failure is reported (onError, phase 'sendWindow';
// -43002 StoreUnavailable) and the decision says `unchecked`; the platform enforces 45015 /
// 45047 itself. Only a state read from the store refuses (45015 window over, 45047 used up).
//
// "No state": no record of the user's last interaction under the key. A record is kept past
// its deadline (for the rules' longest window again), so that a window that is over still
// refuses locally; no record at all means the user never acted within that time, or the store
// lost it (a restart, an eviction) — either way this instance cannot tell, and lets it go.
import { outbound } from '../loaders/outbound.js';
import { ERR, WxkfError, wxkfError, invalidOption } from '../errors.js';
import { MemoryStore } from '../stores/memory.js';
import { checkedStore, missingMethods, reporter } from '../stores/guarded.js';
import { checkOptionNames, numberOption } from '../options.js';
import { numberArg, optionalStringArg, stringArg, typeError } from '../args.js';

const MAX_ATTEMPTS = 1000;
const PHASE = 'sendWindow';
/** The longest openid a window key takes (the platform's are 28 characters; unionids 29). */
const MAX_OPENID = 128;

const elapsed = typeof performance !== 'undefined' && typeof performance.now === 'function'
  ? () => performance.now()
  : () => Date.now();

let counter = 0;
function opId() {
  counter = (counter + 1) % 1e9;
  const random = typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
  return `${random}.${counter}`;
}

/** The core's state JSON with a fresh `op` id (the core ignores fields it does not know). */
function stamped(coreJson) {
  return `${coreJson.slice(0, -1)},"op":${JSON.stringify(opId())}}`;
}

export class SendWindow {
  #rules;
  #store; // checkedStore: deadline and answer checks, failures reported
  #now;
  #appId;
  #timeoutMs;
  #keepMs;
  #report;

  /**
   * @param {{ rules?: object, store?: object, appId?: string, now?: () => number,
   *   storeTimeoutMs?: number, onError?: (error: Error, info: object) => void }} [options]
   */
  constructor(options) {
    checkOptionNames('SendWindow', options, ['rules', 'store', 'appId', 'now', 'storeTimeoutMs', 'onError']);
    const { rules, store, appId = '', now = Date.now, storeTimeoutMs = 1000, onError } = options ?? {};
    this.#rules = outbound().__windowRules(rulesJson(rules));
    if (typeof now !== 'function') throw invalidOption('now', 'SendWindow option now must be a function returning milliseconds');
    if (onError !== undefined && typeof onError !== 'function') {
      throw invalidOption('onError', 'SendWindow option onError must be a function (error, { phase, openid }) => void');
    }
    this.#timeoutMs = numberOption('SendWindow', 'storeTimeoutMs', storeTimeoutMs, { min: 1, max: 10_000 });
    this.#now = now;
    this.#appId = stringArg(appId, ERR.InvalidOption, 'appId');
    const s = store ?? new MemoryStore({ now, onError: (e) => this.#report(e, { phase: PHASE }) });
    const missing = missingMethods(s, ['get', 'set', 'delete', 'compareAndSet']);
    if (missing.length) {
      throw invalidOption('store', `SendWindow option store must implement the Store contract (${missing[0]} is missing)`);
    }
    this.#report = reporter(onError);
    this.#store = checkedStore(s, { timeoutMs: this.#timeoutMs, report: this.#report, phase: PHASE });
    const r = JSON.parse(this.#rules);
    this.#keepMs = Math.max(r.message.windowMs, r.enter.windowMs);
  }

  /** The complete rules in force. */
  get rules() {
    return JSON.parse(this.#rules);
  }

  #key(openid) {
    if (typeof openid !== 'string' || openid === '') {
      throw wxkfError(ERR.MissingField, 'openid is required and must not be empty', { field: 'openid' });
    }
    // An openid is 28 characters; a store key is not the place for an unbounded string.
    if (openid.length > MAX_OPENID) {
      throw wxkfError(ERR.InvalidField, `openid is ${openid.length} characters long, more than the ${MAX_OPENID} an openid can be `
        + '(the platform\'s are 28): pass the user\'s openid (message.fromUserName)', { field: 'openid' });
    }
    return `window:${this.#appId}:${openid}`;
  }

  /** The key's TTL: the window, then as long again (a record of a window that is over). */
  #ttl(state, at) {
    return Math.max(1, state.deadline - at) + this.#keepMs;
  }

  /** The store within what is left of a deadline (elapsed() ms); null when none is left. */
  #within(deadline) {
    const left = Math.floor(deadline - elapsed());
    return left >= 1 ? this.#store.withTimeout(left) : null;
  }

  #unchecked(reason, openid, error) {
    if (reason !== 'store') {
      // A store failure was reported where it happened (checkedStore).
      this.#report(error, { phase: PHASE, openid });
    }
    return { allowed: true, unchecked: reason, remaining: null, deadline: null, state: null };
  }

  /** Parses a stored value as a state; undefined when it is not one. */
  #decide(raw, at) {
    try {
      return JSON.parse(outbound().__windowCheck(raw ?? 'null', at));
    } catch (e) {
      if (e instanceof WxkfError && e.kind === 'InvalidInput') return undefined;
      throw e;
    }
  }

  #badState(key) {
    return wxkfError(ERR.StoreUnavailable,
      `the store holds something other than a send window state under ${key}: the send was not checked`, { reason: 'bad-state' });
  }

  #noState(key) {
    return wxkfError(ERR.StoreUnavailable,
      `no record of the user's last interaction under ${key} (never seen, or the store lost it): the send was not checked`,
      { reason: 'no-state' });
  }

  /**
   * Records a user action ('message' or 'enter') at `at` (ms); returns the new state. A store
   * failure is reported (phase 'sendWindow') and the state still returned.
   */
  async observe(openid, action = 'message', at = this.#now()) {
    const key = this.#key(openid);
    const json = outbound().__windowObserve(this.#rules, stringArg(action, ERR.InvalidField, 'action'), atArg(at));
    const state = JSON.parse(json);
    try {
      await this.#store.set(key, stamped(json), this.#ttl(state, at));
    } catch {
      // Reported by checkedStore; the send that follows goes unchecked (fail open).
    }
    return state;
  }

  /**
   * Feeds an inbound push (a typed message: fromUserName, msgType, event). User messages and
   * user_enter_tempsession open a window; other events are ignored (returns undefined).
   */
  async observeMessage(message, at = this.#now()) {
    const action = outbound().__windowAction(stringArg(message?.msgType ?? '', ERR.InvalidField, 'message.msgType'),
      optionalStringArg(message?.event, ERR.InvalidField, 'message.event'));
    if (!action) return undefined;
    return this.observe(message.fromUserName, action, at);
  }

  /**
   * { allowed, remaining, deadline, code? } for a send at `at`, without using it up. When the
   * window cannot be checked: { allowed: true, unchecked, remaining: null, deadline: null }
   * (`unchecked`: 'store' the store failed, 'no-state' no record, 'bad-state' not a state).
   */
  async check(openid, at = this.#now()) {
    const key = this.#key(openid);
    atArg(at);
    let raw;
    try {
      raw = await this.#store.get(key);
    } catch (e) {
      return strip(this.#unchecked('store', openid, e));
    }
    if (raw === null) return strip({ allowed: true, unchecked: 'no-state', remaining: null, deadline: null });
    const decision = this.#decide(raw, at);
    if (decision === undefined) return strip(this.#unchecked('bad-state', openid, this.#badState(key)));
    return decision;
  }

  /**
   * Uses one send; throws WxkfError 45015 (window over) or 45047 (quota used up), only from a
   * state read from the store. Atomic across instances sharing the store. The decision also
   * carries `state` (what refund takes). Fails open within storeTimeoutMs: the answer is then
   * { allowed: true, unchecked, state: null, ... } and the failure was reported.
   */
  async consume(openid, at = this.#now()) {
    const key = this.#key(openid);
    atArg(at);
    const deadline = elapsed() + this.#timeoutMs;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      let raw;
      let store = this.#within(deadline);
      if (!store) break;
      try {
        raw = await store.get(key);
      } catch (e) {
        return this.#unchecked('store', openid, e);
      }
      if (raw === null) return this.#unchecked('no-state', openid, this.#noState(key));
      const decision = this.#decide(raw, at);
      if (decision === undefined) return this.#unchecked('bad-state', openid, this.#badState(key));
      const coreNext = outbound().__windowConsume(raw, at); // throws 45015 / 45047
      const state = JSON.parse(coreNext);
      const next = stamped(coreNext);
      store = this.#within(deadline);
      if (!store) break;
      let written;
      try {
        written = await store.compareAndSet(key, raw, next, this.#ttl(state, at));
      } catch (e) {
        return this.#unchecked('store', openid, e);
      }
      if (written) return { ...JSON.parse(outbound().__windowCheck(coreNext, at)), state };
      if (!(await this.#pause(attempt, deadline))) break;
    }
    return this.#unchecked('contended', openid, this.#contended(key));
  }

  /**
   * Gives back a send taken by consume (its decision's `state`) that never reached the platform.
   * Only into the same window (not after the user acted again); true when given back, false
   * when not (also when the store failed: reported, within storeTimeoutMs).
   */
  async refund(openid, consumed, at = this.#now()) {
    const key = this.#key(openid);
    atArg(at);
    if (consumed == null) return false; // an unchecked send took nothing
    const consumedJson = stateJson(consumed);
    const deadline = elapsed() + this.#timeoutMs;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      let store = this.#within(deadline);
      if (!store) break;
      let raw;
      try {
        raw = await store.get(key);
      } catch {
        return false;
      }
      let coreNext;
      try {
        coreNext = outbound().__windowRefund(this.#rules, raw ?? 'null', consumedJson);
      } catch (e) {
        if (e instanceof WxkfError && e.kind === 'InvalidInput') {
          this.#report(this.#badState(key), { phase: PHASE, openid });
          return false;
        }
        throw e;
      }
      if (coreNext === undefined) return false;
      store = this.#within(deadline);
      if (!store) break;
      try {
        if (await store.compareAndSet(key, raw, stamped(coreNext), this.#ttl(JSON.parse(coreNext), at))) return true;
      } catch {
        return false;
      }
      if (!(await this.#pause(attempt, deadline))) break;
    }
    this.#report(this.#contended(key), { phase: PHASE, openid });
    return false;
  }

  /** Forgets a user's window. A store failure is reported, not thrown. */
  async reset(openid) {
    try {
      await this.#store.delete(this.#key(openid));
    } catch (e) {
      if (!(e instanceof WxkfError) || e.code !== ERR.StoreUnavailable) throw e;
    }
  }

  /** After a lost compareAndSet: yield, then back off a little (up to ~20 ms) with jitter. */
  async #pause(attempt, deadline) {
    if (attempt >= 3) {
      const ms = Math.min(Math.random() * Math.min(20, attempt), deadline - elapsed());
      if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
    }
    return elapsed() < deadline;
  }

  #contended(key) {
    return wxkfError(ERR.StoreUnavailable,
      `the send window under ${key} was not settled within storeTimeoutMs (${this.#timeoutMs} ms): the store kept changing it or answered too slowly`,
      { reason: 'contended' });
  }
}

/** A time in ms (the `at` of every method) crosses into wasm as a number: -42002 otherwise. */
function atArg(at) {
  return numberArg(at, ERR.InvalidField, 'at');
}

/** The rules option as JSON text (crosses into wasm as a string); the core checks the rest (-41006). */
function rulesJson(rules) {
  if (rules !== undefined && rules !== null && typeof rules !== 'object') {
    throw typeError(ERR.InvalidOption, 'rules', 'an object { message?, enter? }', rules);
  }
  try {
    return JSON.stringify(rules ?? {});
  } catch (e) {
    throw invalidOption('rules', `SendWindow option rules cannot be read: ${e && e.message}`);
  }
}

/** refund's `consumed` (a state consume returned) as JSON text: -42003 for what is not an object. */
function stateJson(consumed) {
  if (typeof consumed !== 'object') throw typeError(ERR.InvalidInput, 'consumed', "the state consume returned", consumed);
  try {
    return JSON.stringify(consumed);
  } catch (e) {
    throw wxkfError(ERR.InvalidInput, `consumed is not a send window state: ${e && e.message}`, { field: 'consumed' });
  }
}

/** check's answer has no `state`. */
function strip({ state, ...decision }) {
  return decision;
}
