// The emulator's own model of the platform's send window, written from the protocol notes and
// independent of the package's (src/send_window.rs, SendWindow), so that tests against the emulator can
// catch a bug in either. Per openid: after a user message, 5 sends within 48 h; after the user
// enters the session, 2 sends within 1 min. Each action resets the count and the deadline to its
// own maximum (quotas never add up); the deadline is exclusive. Ships in the package as devtools/emulator/window.js.

const HOUR_MS = 3_600_000;
const DEFAULT_RULES = {
  message: { limit: 5, windowMs: 48 * HOUR_MS },
  enter: { limit: 2, windowMs: 60_000 },
};

/** 0 when a send is allowed, else the platform's errcode. */
export const WINDOW_CLOSED = 45015;
export const QUOTA_USED = 45047;

export class EmulatorWindow {
  #users = new Map(); // openid -> { action, remaining, deadline }
  #rules;
  #now;

  /** rules: { message?: { limit?, windowMs? }, enter?: { limit?, windowMs? } }; now: () => ms. */
  constructor({ rules = {}, now = Date.now } = {}) {
    this.#rules = {
      message: { ...DEFAULT_RULES.message, ...rules?.message },
      enter: { ...DEFAULT_RULES.enter, ...rules?.enter },
    };
    this.#now = now;
  }

  /** The user acted ('message' or 'enter'): the window restarts at that action's maximum. */
  observe(openid, action = 'message') {
    const rule = this.#rules[action];
    if (!rule) throw new Error(`unknown user action ${action} (message or enter)`);
    const state = { action, remaining: rule.limit, deadline: this.#now() + rule.windowMs };
    this.#users.set(openid, state);
    return { ...state };
  }

  /** Uses one send: 0 when allowed, 45015 when the window is over (or never opened), 45047 when used up. */
  consume(openid) {
    const state = this.#users.get(openid);
    if (!state || this.#now() >= state.deadline) return WINDOW_CLOSED;
    if (state.remaining <= 0) return QUOTA_USED;
    state.remaining -= 1;
    return 0;
  }
}
