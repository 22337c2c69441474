// SendWindow: the 48 h / 1 min send window over a Store.
import type { Store } from '../stores/store.js';

export interface SendWindowRule { limit?: number; windowMs?: number }

export interface SendWindowRules { message?: SendWindowRule; enter?: SendWindowRule }

/** One user's window, as stored. `deadline` is exclusive (ms). */
export interface SendWindowState { action: 'message' | 'enter'; remaining: number; deadline: number }

export interface SendWindowDecision { allowed: boolean; remaining: number; deadline: number; code?: 45015 | 45047 }

/** Defaults: 5 sends within 48 h after a user message; 2 within 1 min after entering. */
export interface SendWindowOptions {
  rules?: SendWindowRules;
  /**
   * Where states are kept (`window:<appId>:<openid>`, the core's JSON); default a MemoryStore.
   * With a shared store, consume and refund are atomic across instances (compareAndSet loops).
   */
  store?: Store;
  /** Part of the key, so that several accounts can share a store (default ''). */
  appId?: string;
  now?: () => number;
}

/** consume's answer: the decision after the send, and the state it left (what refund takes). */
export interface SendWindowConsumed extends SendWindowDecision { state: SendWindowState }

export declare class SendWindow {
  constructor(options?: SendWindowOptions);
  readonly rules: Required<{ [K in keyof SendWindowRules]: Required<SendWindowRule> }>;
  observe(openid: string, action?: 'message' | 'enter', at?: number): Promise<SendWindowState>;
  observeMessage(message: { fromUserName: string; msgType: string; event?: string }, at?: number): Promise<SendWindowState | undefined>;
  check(openid: string, at?: number): Promise<SendWindowDecision>;
  /** @throws WxkfError 45015 (window over) or 45047 (quota used up). */
  consume(openid: string, at?: number): Promise<SendWindowConsumed>;
  /**
   * Gives back a send taken by consume (its `state`) that never reached the platform; only
   * into the same window (not after the user acted again). True when given back.
   */
  refund(openid: string, consumed: SendWindowState, at?: number): Promise<boolean>;
  reset(openid: string): Promise<void>;
}
