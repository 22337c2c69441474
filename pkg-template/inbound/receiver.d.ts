// Receiver: one account's inbound pipeline (verify, decrypt, parse), its options and its result.
import type { CloudPushInfo } from './cloud-receiver.js';
import type { KfMessage } from './messages.js';

/** Error kinds of the inbound pipeline, in the extension range -41001.. */
export type WxkfInboundErrorKind =
  | 'TimestampOutOfWindow' // -41001: timestamp further from now than maxSkewSeconds
  | 'BodyTooLarge' // -41002: body larger than maxBodyBytes
  | 'JsonTooDeep' // -41003: JSON nested deeper than maxJsonDepth
  | 'InvalidQuery' // -41004: a query parameter missing, too long (error.field names it) or malformed (timestamp not canonical, echostr with markup), unknown encrypt_type
  | 'PlaintextRefused' // -41005: plaintext push to a receiver with an EncodingAESKey, without allowPlaintext
  | 'InvalidOption' // -41006: an option missing or of the wrong type (error.field names it), in every class
  | 'LateReply' // -41007 (JS, given to onError only): onMessage returned a reply after the push was acknowledged
  | 'UntrustedSource' // -41008: Cloud Hosting with public access, and no x-wx-source header
  | 'PassiveReplyRefused'; // -41009 (JS, given to onError only): a passive reply to a Cloud Hosting push without passiveReplies

export interface ReceiverOptions {
  /** The Token of the console's message push settings. */
  token: string;
  /**
   * The 43-character EncodingAESKey. Optional: without it (a plaintext-mode account) only
   * plaintext pushes are accepted; with it only encrypted ones, unless `allowPlaintext`.
   */
  encodingAESKey?: string;
  /** The appId (receiveid) pushes are encrypted for; required with `encodingAESKey`. */
  appId?: string;
  /**
   * Replay window in seconds (default 300), applied to the query's timestamp and, for
   * encrypted pushes, to the signed CreateTime; 0 disables both checks.
   */
  maxSkewSeconds?: number;
  /** Largest body accepted, in bytes (default 1 MB). */
  maxBodyBytes?: number;
  /** Deepest JSON nesting accepted (default 32). */
  maxJsonDepth?: number;
  /**
   * Accept plaintext-mode pushes although an EncodingAESKey is configured (default false).
   * In plaintext mode `signature` does not cover the body: anyone who saw one push URL could
   * send any body with it. Refused pushes throw -41005 PlaintextRefused. Without an
   * EncodingAESKey plaintext pushes are the only ones accepted, whatever this says.
   */
  allowPlaintext?: boolean;
  /** The clock, in milliseconds like Date.now (default Date.now). */
  now?: () => number;
}

/** The query of a push or verification: URLSearchParams or a plain object (first of arrays). */
export type PushQueryInput =
  | URLSearchParams
  | Record<string, string | string[] | undefined | null>;

/** 'cloud': WeChat Cloud Hosting (unsigned, over the platform's internal link). */
export type PushMode = 'plaintext' | 'compatible' | 'safe' | 'cloud';

export type PushFormat = 'xml' | 'json';

/** A passive reply to send as the HTTP response body. */
export interface PushReply {
  body: string;
  contentType: string;
}

export interface Push {
  /** The message: a typed arm, or an UnknownMessage when `known` is false. */
  message: KfMessage;
  /** False for message types and events this version does not type (same as `message.known`). */
  known: boolean;
  mode: PushMode;
  format: PushFormat;
  /** `msg:<ToUserName>:<MsgId>`, or for events `event:<ToUserName>:<FromUserName>:<CreateTime>:<Event>`. */
  dedupKey: string;
  /** Cloud Hosting pushes only (mode 'cloud'): the platform's x-wx-* headers. */
  cloud?: CloudPushInfo;
  /**
   * `transfer_customer_service` in the push's format, To/From swapped, encrypted with a fresh
   * timestamp, nonce and msg_signature when the push was encrypted.
   * @throws WxkfError -40011 for events (only user messages may be transferred).
   */
  transferReply(): PushReply;
}

export interface ReceiveParams {
  query: PushQueryInput;
  /** The raw body, exactly as received. */
  body: string | Uint8Array | ArrayBuffer;
  contentType?: string;
}

export declare class Receiver {
  /** @throws WxkfError -40004 bad EncodingAESKey, -40003 empty token, -40005 empty appId (with a key). */
  constructor(options: ReceiverOptions);
  readonly maxBodyBytes: number;
  /** The replay window in seconds (0: disabled). */
  readonly maxSkewSeconds: number;
  /** Whether an EncodingAESKey is configured. */
  readonly hasKey: boolean;
  /**
   * Checks a URL verification GET; returns the string to answer (the echostr). Its plain form
   * works for every account. An echostr that is not 1 to 512 printable ASCII characters
   * without `< > & " '` throws -41004.
   */
  verifyUrl(query: PushQueryInput): string;
  /**
   * Limits, mode (by encrypt_type=aes), format, replay window, signature (msg_signature over
   * Encrypt when encrypted), decryption and parsing, in one call. Query parameters longer
   * than their cap (signatures 40, timestamp 10, nonce 64, encrypt_type 8, echostr 512
   * characters) throw -41004 before anything is copied into wasm memory.
   * @throws WxkfError -40001 signature, -40002/-40012 XML/JSON, -40004 encrypted push without
   * a key, -40005 appId, -41001 replay window (timestamp or CreateTime), -41002 too large,
   * -41003 too deep, -41004 query, -41005 plaintext refused.
   */
  receive(params: ReceiveParams): Push & { mode: 'plaintext' | 'compatible' | 'safe' };
  free(): void;
}
