// SendWindow: the 48 h / 1 min send window over a Store.
import type { Store } from '../stores/store.js';

export interface SendWindowRule { limit?: number; windowMs?: number }

export interface SendWindowRules { message?: SendWindowRule; enter?: SendWindowRule }

/** One user's window, as stored. `deadline` is exclusive (ms). */
export interface SendWindowState { action: 'message' | 'enter'; remaining: number; deadline: number }

/** A decision from the user's stored state. */
export interface SendWindowCheckedDecision { allowed: boolean; remaining: number; deadline: number; code?: 45015 | 45047; unchecked?: undefined }

/**
 * The window could not be checked, so the send is allowed (the platform enforces its own
 * limits): 'store' the store failed, hung or answered outside its contract; 'no-state' no record
 * of the user's last interaction (never seen within the record's life, or the store lost it);
 * 'bad-state' the stored value is not a state; 'contended' (consume, refund) not settled within
 * storeTimeoutMs. Reported through onError (-43002, phase 'sendWindow'), except check's 'no-state'.
 */
export interface SendWindowUncheckedDecision { allowed: true; remaining: null; deadline: null; code?: undefined; unchecked: 'store' | 'no-state' | 'bad-state' | 'contended' }

export type SendWindowDecision = SendWindowCheckedDecision | SendWindowUncheckedDecision;

/** Defaults: 5 sends within 48 h after a user message; 2 within 1 min after entering. */
export interface SendWindowOptions {
  rules?: SendWindowRules;
  /**
   * Where states are kept (`window:<appId>:<openid>`, the core's JSON with a unique `op` id);
   * default a MemoryStore. With a shared store, consume and refund are atomic across instances
   * (compareAndSet loops). A record outlives its window by the rules' longest window, so a
   * window that is over is still refused locally.
   */
  store?: Store;
  /** Part of the key, so that several accounts can share a store (default ''). */
  appId?: string;
  now?: () => number;
  /**
   * One deadline for each operation (observe, check, consume, refund, reset), every store call
   * and retry included (default 1000 ms; 1..10000). Past it, or when the store fails, the
   * operation fails open: reported, and the send is allowed.
   */
  storeTimeoutMs?: number;
  /**
   * Windows that could not be checked and store failures (-43002 StoreUnavailable, phase
   * 'sendWindow'; `reason` 'no-state' | 'bad-state' | 'contended' when the store itself did not
   * fail). Without onError, one line per failure goes to console.error (code, kind and phase;
   * never a message or a secret).
   */
  onError?: (error: unknown, info: { phase: 'sendWindow'; openid?: string; op?: string; key?: string }) => void;
}

/**
 * consume's answer: the decision after the send, and the state it left (what refund takes);
 * `state` is null when the window could not be checked (nothing was taken).
 */
export type SendWindowConsumed =
  | (SendWindowCheckedDecision & { state: SendWindowState })
  | (SendWindowUncheckedDecision & { state: null });

export declare class SendWindow {
  constructor(options?: SendWindowOptions);
  readonly rules: Required<{ [K in keyof SendWindowRules]: Required<SendWindowRule> }>;
  /**
   * The new state; a store failure is reported, not thrown. Every method takes the user's
   * openid (message.fromUserName): an empty one is -42001, one longer than 128 characters -42002.
   */
  observe(openid: string, action?: 'message' | 'enter', at?: number): Promise<SendWindowState>;
  observeMessage(message: { fromUserName: string; msgType: string; event?: string }, at?: number): Promise<SendWindowState | undefined>;
  check(openid: string, at?: number): Promise<SendWindowDecision>;
  /** @throws WxkfError 45015 (window over) or 45047 (quota used up), only from a stored state. */
  consume(openid: string, at?: number): Promise<SendWindowConsumed>;
  /**
   * Gives back a send taken by consume (its `state`) that never reached the platform; only
   * into the same window (not after the user acted again). True when given back.
   */
  refund(openid: string, consumed: SendWindowState | null, at?: number): Promise<boolean>;
  reset(openid: string): Promise<void>;
}
