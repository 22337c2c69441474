import type {
  ErrorKind as GeneratedErrorKind,
  CatalogKind as GeneratedCatalogKind,
  EndpointName as GeneratedEndpointName,
  BuilderName as GeneratedBuilderName,
} from './generated/tables.js';

/** Every failure of the package. */
export declare class WxkfError extends Error {
  readonly name: 'WxkfError';
  /**
   * The package's own code (official WXBizMsgCrypt -40001 .. -40012, inbound -41001..,
   * outbound -42001.., stores -43001..: `ERR`) or the platform's errcode (catalog kinds).
   */
  readonly code: number;
  /** Stable string naming the failure, e.g. 'ValidateSignature', 'InvalidOption', 'SendWindowExpired'. */
  readonly kind: WxkfErrorKind | WxkfCatalogKind;
  /** The platform's own errmsg (API errors). */
  readonly errmsg?: string;
  /** What to do about it, in plain words (API errors). */
  readonly hint?: string;
  /** Whether the same call may succeed later (API errors, -42004 Transport). */
  readonly retryable?: boolean;
  /** The option (-41006 InvalidOption), query parameter (-41004) or input field (-42001 / -42002) at fault. */
  readonly field?: string;
  /** -43001 StoreOverBound: the number of live keys, and the bound it passed. */
  readonly size?: number;
  readonly maxKeys?: number;
  /** -43002 StoreUnavailable: the store's own error. */
  readonly cause?: unknown;
  constructor(message: string, code: number, kind: string, details?: Record<string, unknown>);
}

/**
 * The package's own error kinds, generated from the Rust table (src/error.rs): WXBizMsgCrypt
 * -40001 .. -40012, inbound -41001 .. -41007, outbound -42001 .. -42004, stores -43001 .. -43003.
 */
export type WxkfErrorKind = GeneratedErrorKind;
/** Kinds of platform errcodes, generated from the catalog (src/api/catalog.rs). */
export type WxkfCatalogKind = GeneratedCatalogKind;
/** Every endpoint the package calls, generated from src/api/paths.rs. */
export type WxkfEndpointName = GeneratedEndpointName;
/** The request builders of `requests`, generated from src/api/builders.rs. */
export type WxkfBuilderName = GeneratedBuilderName;

/** The package's own error codes by kind (generated from src/error.rs), e.g. `ERR.InvalidOption` (-41006). */
export declare const ERR: { readonly [K in WxkfErrorKind]: number };
/** Every endpoint the package calls: method and path (the host is the client's). */
export declare const ENDPOINTS: {
  readonly [K in WxkfEndpointName]: { readonly method: 'GET' | 'POST'; readonly path: string };
};

/** A timestamp or nonce: as received (string) or an integer number. */
export type Stamp = string | number;

export interface CryptOptions {
  /** The Token from the console's message push settings. */
  token: string;
  /** The 43-character EncodingAESKey. */
  encodingAESKey: string;
  /** The appId (receiveid) messages are encrypted for. */
  appId: string;
}

export interface Decrypted {
  plaintext: string;
  appId: string;
}

export interface DecryptMessageParams {
  msgSignature: string;
  timestamp: Stamp;
  nonce: Stamp;
  /** The raw request body: XML or JSON envelope carrying `Encrypt`. */
  body: string | Uint8Array;
}

export interface EncryptMessageOptions {
  /** Unix seconds; defaults to now. */
  timestamp?: Stamp;
  /** Defaults to a random decimal nonce. */
  nonce?: Stamp;
  /** Envelope format; defaults to 'xml'. */
  format?: 'xml' | 'json';
  /** 16 random bytes; defaults to the runtime's CSPRNG. */
  random?: Uint8Array;
}

export interface VerifyUrlQuery {
  /** Plain verification (mini programs, official accounts): answer is echostr as received. */
  signature?: string;
  /** Encrypted verification (WeCom style): answer is the decrypted echostr. */
  msgSignature?: string;
  timestamp: Stamp;
  nonce: Stamp;
  echostr: string;
}

export declare class WXBizMsgCrypt {
  /** @throws WxkfError -40004 for a bad EncodingAESKey, -40003 empty token, -40005 empty appId. */
  constructor(options: CryptOptions);
  readonly appId: string;
  /** Base64 ciphertext of `random ‖ length ‖ plaintext ‖ appId`. */
  encrypt(plaintext: string, random?: Uint8Array): string;
  /** @throws WxkfError -40005 when the message was encrypted for another appId. */
  decrypt(encrypt: string): Decrypted;
  msgSignature(timestamp: Stamp, nonce: Stamp, encrypt: string): string;
  /** Verifies msg_signature over the body's Encrypt, then decrypts it. */
  decryptMessage(params: DecryptMessageParams): string;
  /** Encrypts and wraps in the signed envelope (Encrypt, MsgSignature, TimeStamp, Nonce). */
  encryptMessage(plaintext: string, options?: EncryptMessageOptions): string;
  /** Returns the string to answer the verification GET with. */
  verifyUrl(query: VerifyUrlQuery): string;
  /** Releases the instance's memory now instead of at garbage collection. */
  free(): void;
}

/** Hex SHA-1 of the sorted token, timestamp, nonce (and encrypt when given). */
export declare function signature(token: string, timestamp: Stamp, nonce: Stamp, encrypt?: string): string;
/** Whether `signature` (hex, any case) is the one over token, timestamp, nonce (and encrypt: msg_signature); constant-time. */
export declare function checkSignature(token: string, timestamp: Stamp, nonce: Stamp, signature: string, encrypt?: string): boolean;

/** The fields of a push or reply body: text as strings (JSON numbers as their exact digits), nested elements as objects, repeated names as arrays. */
export interface BodyFields {
  [name: string]: string | boolean | null | BodyFields | Array<string | boolean | null | BodyFields>;
}
/** Reads an XML or JSON push or reply body (format from its first character); -40002/-40012 when it is not one. */
export declare function readFields(body: string): { format: 'xml' | 'json'; fields: BodyFields };
/** Writes flat fields in order as the platform does: `<xml>` with CDATA (default) or a JSON object; CreateTime, MsgId and BusinessId bare. Undefined values are left out. */
export declare function writeFields(fields: Record<string, string | number | bigint | undefined>, format?: 'xml' | 'json'): string;

/**
 * Loads the WebAssembly module. Required once in browsers before any other call; a no-op in
 * Node, Deno, Bun and Workers, where the import is ready synchronously. Idempotent.
 */
export declare function init(
  input?: string | URL | Request | Response | BufferSource | WebAssembly.Module,
): Promise<void>;

// ============================================================================================
// Inbound pushes (issue 3): Receiver, typed messages, dedup store, handlers.
// ============================================================================================

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

/**
 * A field's value as sent, with its structure (`raw` and the lowerCamelCase copies): an XML
 * element with child elements or a JSON object is an object; a repeated element (or key) is an
 * array in document order, as is a JSON array; XML text and JSON strings are strings; JSON
 * numbers are numbers, except integers beyond 2^53, which are strings of their exact digits.
 */
export type RawValue = string | number | boolean | null | RawValue[] | RawObject;
export interface RawObject {
  [name: string]: RawValue;
}

/** Fields every message and event has, typed or not. */
interface MessageFields {
  /** The account (mini program's original id). */
  toUserName: string;
  /** The user's openid. */
  fromUserName: string;
  /** Unix seconds. */
  createTime: number;
  /** The sub-merchant id, for sessions of a customer-service sub-merchant. */
  businessId?: number;
  /** Every field by its original name, with its structure (see RawValue). */
  raw: RawObject;
}

/**
 * Fields every typed message and event has. Besides its typed fields, a message also carries
 * every other field of the push under its lowerCamelCase name (`Location_X` -> `locationX`,
 * nested objects camel-cased too); those are not declared here.
 */
export interface MessageBase extends MessageFields {
  /** True: this version types the message (false: an UnknownMessage). */
  known: true;
}

interface UserMessageBase extends MessageBase {
  /** The 64-bit message id, as exact decimal digits (never a number: ids exceed 2^53). */
  msgId: string;
}

export interface TextMessage extends UserMessageBase {
  msgType: 'text';
  content: string;
}

export interface ImageMessage extends UserMessageBase {
  msgType: 'image';
  picUrl: string;
  mediaId: string;
}

export interface MiniProgramPageMessage extends UserMessageBase {
  msgType: 'miniprogrampage';
  title: string;
  appId: string;
  pagePath: string;
  thumbUrl: string;
  thumbMediaId: string;
}

export interface UserEnterTempSessionEvent extends MessageBase {
  msgType: 'event';
  event: 'user_enter_tempsession';
  sessionFrom: string;
}

export interface KfCreateSessionEvent extends MessageBase {
  msgType: 'event';
  event: 'kf_create_session';
  kfAccount: string;
}

export interface KfCloseSessionEvent extends MessageBase {
  msgType: 'event';
  event: 'kf_close_session';
  kfAccount: string;
  closeType: string;
}

export interface KfSwitchSessionEvent extends MessageBase {
  msgType: 'event';
  event: 'kf_switch_session';
  fromKfAccount: string;
  toKfAccount: string;
}

/** One template of a subscribe-message popup. Values are text as sent, in both formats. */
export interface SubscribeMsgPopupEntry {
  templateId: string;
  /** 'accept' or 'reject'. */
  subscribeStatusString: string;
  /** Where the popup was shown (e.g. '0' in a mini program page). */
  popupScene: string;
}

export interface SubscribeMsgChangeEntry {
  templateId: string;
  /** 'reject' (the platform pushes only refusals here). */
  subscribeStatusString: string;
}

export interface SubscribeMsgSentEntry {
  templateId: string;
  /** The 64-bit id of the message sent, as exact decimal digits (`MsgID`). */
  msgId: string;
  /** '0' when delivered. */
  errorCode: string;
  /** 'success', or 'failed:...' with the reason. */
  errorStatus: string;
}

/**
 * The user answered a subscribe-message popup. `list` is always an array (XML nests the
 * entries as repeated `List` elements in `SubscribeMsgPopupEvent`; JSON sends `List` as an
 * array, or as one object when there is one entry).
 */
export interface SubscribeMsgPopupEvent extends MessageBase {
  msgType: 'event';
  event: 'subscribe_msg_popup_event';
  list: SubscribeMsgPopupEntry[];
}

/** The user changed a subscription in the settings (same list shapes as the popup). */
export interface SubscribeMsgChangeEvent extends MessageBase {
  msgType: 'event';
  event: 'subscribe_msg_change_event';
  list: SubscribeMsgChangeEntry[];
}

/** The delivery result of subscribe messages (same list shapes as the popup). */
export interface SubscribeMsgSentEvent extends MessageBase {
  msgType: 'event';
  event: 'subscribe_msg_sent_event';
  list: SubscribeMsgSentEntry[];
}

export type KfUserMessage = TextMessage | ImageMessage | MiniProgramPageMessage;
export type KfEvent =
  | UserEnterTempSessionEvent
  | KfCreateSessionEvent
  | KfCloseSessionEvent
  | KfSwitchSessionEvent
  | SubscribeMsgPopupEvent
  | SubscribeMsgChangeEvent
  | SubscribeMsgSentEvent;

/**
 * A message type or event this version does not type (for example `voice`, `location`, or a
 * new event): `known` is false, every field is in `raw` and under its lowerCamelCase name
 * (`message.mediaId`, `message.sendLocationInfo.label`).
 */
export interface UnknownMessage extends MessageFields {
  known: false;
  msgType: string;
  event?: string;
  /** The 64-bit message id, as exact decimal digits, when the push has a MsgId. */
  msgId?: string;
  [field: string]: RawValue | undefined;
}

/**
 * Every push: the typed arms and the honest arm for the rest. Check `known` first, then narrow
 * on `msgType` and `event`:
 * `if (!m.known) { ... } else switch (m.msgType) { ... default: const n: never = m }`.
 * (`case 'voice'` compiles and narrows to UnknownMessage.)
 */
export type KfMessage = KfUserMessage | KfEvent | UnknownMessage;

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

// ============================================================================================
// Stores (issue 9): one contract for dedup claims, the shared access token and send windows
// ============================================================================================

/**
 * The store contract. Every shipped store implements it (MemoryStore here; redisStore from
 * 'wechat-kf/redis', durableObjectStore from 'wechat-kf/cloudflare', denoKvStore from
 * 'wechat-kf/deno-kv'); methods may return a value or a Promise (callers always `await`).
 * All keys are strings, all values are strings, TTLs are milliseconds; a key past its TTL
 * reads as absent. Each method is atomic on its own. Every implementation applies its
 * `prefix` (default 'wechat-kf:') to keys. The library's own keys (under the prefix):
 * `dedup:<dedupKey>`, `token:<appId>` (JSON `{"value","expiresAt"}`), `token-lock:<appId>`,
 * `token-force:<appId>`, `window:<appId>:<openid>`.
 */
export interface Store {
  /** The value, or null when absent or expired. */
  get(key: string): Promise<string | null> | string | null;
  /** Sets key to value (with a TTL, or none when ttlMs is omitted). */
  set(key: string, value: string, ttlMs?: number): Promise<void> | void;
  /** Sets key only when it is absent (or expired). True when this call set it. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> | boolean;
  /** Deletes key; with ifValue, only when its current value equals ifValue. True when a key was deleted. */
  delete(key: string, ifValue?: string): Promise<boolean> | boolean;
  /** Sets key to value only when its current value equals expected (null = absent/expired).
   *  True when set. The read-modify-write primitive (send windows, token refresh). */
  compareAndSet(key: string, expected: string | null, value: string, ttlMs?: number): Promise<boolean> | boolean;
}

/** Store errors (JS): reported through onError, never thrown out of a handler. */
export type WxkfStoreErrorKind =
  | 'StoreOverBound' // -43001: the MemoryStore holds more live keys than maxKeys (it keeps them)
  | 'StoreUnavailable' // -43002: a store call failed or did not answer within storeTimeoutMs
  | 'InvalidStoreArgument'; // -43003: a key or value that is not a string, a TTL that is not > 0

export interface MemoryStoreOptions {
  /** The clock, in milliseconds (default Date.now). */
  now?: () => number;
  /**
   * Live keys past which a -43001 StoreOverBound error is reported through onError (default
   * 1,000,000). Live keys are never dropped; expired ones are swept away as the map grows.
   */
  maxKeys?: number;
  onError?: (error: WxkfError) => void;
  /** Applied to keys (default 'wechat-kf:'). */
  prefix?: string;
}

/** The default store: one process's memory (the handler's dedup claims, a Client's token, a SendWindow). */
export declare class MemoryStore implements Store {
  constructor(options?: MemoryStoreOptions);
  /** Keys held (live ones, and expired ones not swept yet). */
  readonly size: number;
  get(key: string): string | null;
  set(key: string, value: string, ttlMs?: number): void;
  setIfAbsent(key: string, value: string, ttlMs: number): boolean;
  delete(key: string, ifValue?: string): boolean;
  compareAndSet(key: string, expected: string | null, value: string, ttlMs?: number): boolean;
}

/**
 * The former dedup interface, still accepted as `dedup` (prefer `store`). Its claim is
 * awaited with the same deadline as a store call; release (if any) runs when onMessage fails.
 */
export interface DedupStore {
  /** Records `key` for `ttlSeconds`; true when it was not already recorded. */
  claim(key: string, ttlSeconds: number): boolean | Promise<boolean>;
  /** Forgets `key` (called when onMessage throws, so the platform's retry runs it again). */
  release?(key: string): void | Promise<void>;
}

/**
 * What onMessage may return: nothing or 'success' (acknowledge), 'transfer' (hand the message
 * to the customer-service tools), or a body to send as is.
 */
export type MessageReply = void | undefined | null | '' | 'success' | 'transfer' | 'transfer_customer_service' | PushReply;

export interface HandlerOptions extends Partial<ReceiverOptions> {
  /** An existing Receiver (otherwise token, encodingAESKey, appId... build one). */
  receiver?: Receiver;
  /**
   * WeChat Cloud Hosting mode: unsigned pushes over the platform's link (see CloudHostingOptions).
   * Cannot be combined with token, encodingAESKey, allowPlaintext or receiver (-41006).
   */
  cloudHosting?: CloudHostingOptions;
  /** Called once per push (retries are de-duplicated). */
  onMessage(message: KfMessage, push: Push): MessageReply | Promise<MessageReply>;
  /**
   * Where dedup claims are recorded (`dedup:<dedupKey>`, setIfAbsent before onMessage runs, so
   * a retry arriving while the first delivery is still running is a duplicate). Default: a
   * MemoryStore (one process) on the `now` clock. Share one (redisStore, durableObjectStore, denoKvStore) across
   * instances. Store failures fail open: reported through onError (phase 'dedup'), the push handled.
   */
  store?: Store;
  /** false turns de-duplication off; a legacy DedupStore is still accepted (prefer `store`). */
  dedup?: DedupStore | false;
  /**
   * How long a key is kept: default 2 × maxSkewSeconds + 60 (660 s), so that it outlives every
   * moment the same push is still accepted; less than 2 × maxSkewSeconds throws -41006.
   */
  dedupTtlSeconds?: number;
  /** How long a store call may take before the handler fails open (default 1000 ms). */
  storeTimeoutMs?: number;
  /**
   * How long to wait for onMessage before answering 'success' and letting it finish in the
   * background (default 3000 ms; the platform waits 5 s).
   */
  replyTimeoutMs?: number;
  /**
   * Failures, for logging: the error and where it happened. Never given secrets.
   * 'late-reply': onMessage returned a reply after the push was acknowledged (-41007
   * LateReply): it did not reach the user. 'respond': the answer could not be written
   * (answered 500 when possible).
   */
  onError?(error: unknown, info: { phase: 'verifyUrl' | 'receive' | 'dedup' | 'onMessage' | 'reply' | 'late-reply' | 'respond'; dedupKey?: string }): void;
}

/** Web-standard handler: Deno.serve, Workers (pass ctx for waitUntil), Bun.serve, Node (>= 20.19). */
export declare function createHandler(
  options: HandlerOptions,
): (request: Request, ctx?: { waitUntil(promise: Promise<unknown>): void }) => Promise<Response>;

/** node:http listener: `http.createServer(createNodeListener(options))`. */
export declare function createNodeListener(options: HandlerOptions): (req: any, res: any) => void;

/** Express middleware; mount before express.json() (or use express.raw for its route). */
export declare function createExpressMiddleware(options: HandlerOptions): (req: any, res: any, next: (err?: unknown) => void) => void;

/** Koa middleware (reads ctx.request.rawBody when koa-bodyparser ran first). */
export declare function createKoaMiddleware(options: HandlerOptions): (ctx: any, next?: () => Promise<unknown>) => Promise<void>;

// ============================================================================================
// Outbound: request builders, responses, send window, dialogue platform, Client (issue 4)
// ============================================================================================

/** Extra properties of API (platform errcode) and validation errors on a WxkfError. */
export interface WxkfErrorDetails {
  /** The platform's own errmsg (API errors). */
  errmsg?: string;
  /** What to do about it, in plain words. */
  hint?: string;
  /** Whether the same call may succeed later (-1 busy, token errors, transport failures). */
  retryable?: boolean;
  /** The input field at fault (validation errors -42001 / -42002) or the option (-41006). */
  field?: string;
}

/**
 * Outbound kinds: -42001 MissingField, -42002 InvalidField, -42003 InvalidInput, -42004
 * Transport (JS only: network, HTTP status, not JSON); platform errcodes keep their code and
 * get a catalog kind, e.g. 45015 'SendWindowExpired', 45047 'SendQuotaExceeded', -1
 * 'SystemBusy', 1001..1008 'Chatbot*'; unknown errcodes are 'UnknownApiError'.
 */
export type WxkfOutboundErrorKind =
  | 'MissingField' | 'InvalidField' | 'InvalidInput' | 'Transport' | WxkfCatalogKind;

/** What a builder returns: `body` is the exact JSON text to POST (null for GET/uploads). */
export interface RequestDescriptor {
  method: 'GET' | 'POST';
  path: string;
  query: Record<string, string>;
  body: string | null;
}

/** A sub-merchant id: switches sends and typing to the business endpoints. */
export type BusinessId = number | string;

export interface SendTextInput { touser: string; content: string; businessId?: BusinessId }
export interface SendImageInput { touser: string; mediaId: string; businessId?: BusinessId }
export interface SendLinkInput {
  touser: string; title: string; description: string; url: string; thumbUrl: string; businessId?: BusinessId;
}
export interface SendMiniProgramPageInput {
  touser: string; title: string; pagePath: string; thumbMediaId: string; businessId?: BusinessId;
}
export interface TypingInput { touser: string; command?: 'Typing' | 'CancelTyping'; businessId?: BusinessId }
export interface KfAccountInput { kfOpenid: string; businessId?: BusinessId }
export interface RegisterBusinessInput {
  /** 6-30 letters, digits, underscores. */
  accountName: string;
  /** 4-30 (a Chinese character counts 2) of Chinese, letters, digits. */
  nickname: string;
  iconMediaId: string;
  transferToCommkf?: boolean;
}

export declare const requests: {
  sendText(input: SendTextInput): RequestDescriptor;
  sendImage(input: SendImageInput): RequestDescriptor;
  sendLink(input: SendLinkInput): RequestDescriptor;
  sendMiniProgramPage(input: SendMiniProgramPageInput): RequestDescriptor;
  typing(input: TypingInput): RequestDescriptor;
  getKfList(input?: { businessId?: BusinessId }): RequestDescriptor;
  getOnlineKfList(input?: { businessId?: BusinessId }): RequestDescriptor;
  addKfAccount(input: { kfWx: string; businessId?: BusinessId }): RequestDescriptor;
  deleteKfAccount(input: KfAccountInput): RequestDescriptor;
  setKfAdmin(input: KfAccountInput): RequestDescriptor;
  cancelKfAdmin(input: KfAccountInput): RequestDescriptor;
  registerBusiness(input: RegisterBusinessInput): RequestDescriptor;
  updateBusiness(input: { businessId: BusinessId; nickname?: string; iconMediaId?: string }): RequestDescriptor;
  getBusiness(input: { businessId: BusinessId; accountName?: never } | { accountName: string; businessId?: never }): RequestDescriptor;
  /** offset and count: integers, or strings of digits. */
  listBusiness(input: { offset: number | string; count: number | string }): RequestDescriptor;
  token(input: { appId: string; appSecret: string }): RequestDescriptor;
  stableToken(input: { appId: string; appSecret: string; forceRefresh?: boolean }): RequestDescriptor;
  mediaUpload(input?: { type?: 'image' }): RequestDescriptor;
  mediaGet(input: { mediaId: string }): RequestDescriptor;
};

/** Returns the data, or throws WxkfError (code = errcode, kind, errmsg, hint, retryable). */
export declare const parseResponse: {
  <T = any>(json: string | object): T;
  catalog(): { code: number; kind: WxkfCatalogKind; hint: string; retryable: boolean }[];
};

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

export interface ChatbotPayload {
  /** Required for channels 0, 5, 6. */
  appId?: string;
  openid: string;
  /** A string, or a rich msg object (sent as its JSON text). */
  msg: string | object;
  channel: 0 | 2 | 3 | 4 | 5 | 6 | 7;
  event?: 'waiterQualityEvaluate' | 'waiterEnter' | 'waiterSwitch' | 'waiterQuit';
  kefuname?: string;
  kefuavatar?: string;
  ansNodeName?: string;
}
export interface ChatbotOptions { token: string; encodingAESKey: string; appId: string }
declare class ChatbotBot {
  constructor(options: ChatbotOptions);
  readonly appId: string;
  sendmsg(payload: ChatbotPayload, options?: { random?: Uint8Array }): RequestDescriptor;
  encryptPayload(payload: ChatbotPayload, options?: { random?: Uint8Array }): string;
  /** The platform's side (emulator, tests): throws 1004 / 1005 / 1008. */
  openSendmsg(body: string): ChatbotPayload & { msg: string };
  decryptCallback(body: string): string;
  encryptCallback(plaintext: string, options?: { random?: Uint8Array }): string;
}
export declare const chatbot: {
  readonly channels: { Bound: 0; OpenApi: 2; WecomGroup: 3; WecomKf: 4; MenuH5: 5; MiniProgramPlugin: 6; WebH5: 7 };
  readonly events: { waiterQualityEvaluate: 'waiterQualityEvaluate'; waiterEnter: 'waiterEnter'; waiterSwitch: 'waiterSwitch'; waiterQuit: 'waiterQuit' };
  readonly msg: {
    text(content: string): string;
    textWithMenu(text: string, questions: (string | { content: string; id?: string; label?: string })[]): string;
    hyperlink(link: { text: string; url: string; before?: string; after?: string }): string;
    news(articles: { title: string; description?: string; url: string; picUrl?: string; type?: 'h5' | 'mp' }[]): string;
    image(image: { mediaId: string; url?: string }): string;
    miniProgramPage(page: { title: string; appId: string; pagePath: string; thumbMediaId?: string; thumbUrl?: string }): string;
    multimsg(parts: string[]): string;
  };
  readonly Bot: typeof ChatbotBot;
  payloadXml(payload: ChatbotPayload): string;
};

export interface ClientOptions {
  appId?: string;
  appSecret?: string;
  /** Instead of appId/appSecret: your own token source (called with forceRefresh after 40001/42001). */
  accessToken?: (o: { forceRefresh: boolean }) => string | { accessToken: string; expiresIn?: number } | Promise<string | { accessToken: string; expiresIn?: number }>;
  /**
   * Use POST /cgi-bin/stable_token (default true: every caller gets the same token, no
   * instance invalidates another's); false: GET /cgi-bin/token.
   */
  stableToken?: boolean;
  /**
   * Where the token is cached and locked (`token:<appId>`, `token-lock:<appId>`,
   * `token-force:<appId>`); default a MemoryStore of this Client. Share one store across
   * instances: one token request for all of them. When it fails or hangs, the error goes to
   * onError and this Client fetches tokens itself until the store answers again.
   */
  store?: Store;
  /** How long a store call may take (default 1000 ms). */
  storeTimeoutMs?: number;
  /** TTL of the refresh lock, so a crashed holder does not block others (default 10000 ms). */
  tokenLockMs?: number;
  /** At most one force_refresh per this interval per appId across instances (default 30000 ms). */
  forceRefreshIntervalMs?: number;
  /** Store failures (phase 'store') and send window refunds that failed (phase 'sendWindow'). */
  onError?: (error: unknown, info: { phase: 'store' | 'sendWindow' }) => void;
  /**
   * Default https://api.weixin.qq.com (http://api.weixin.qq.com with cloudHosting tokenSource
   * 'open-api'); point it at the emulator in tests.
   */
  baseUrl?: string;
  /**
   * WeChat Cloud Hosting: the platform provides the token (see CloudHostingClientOptions).
   * Cannot be combined with appSecret or accessToken (-41006); appId is optional.
   */
  cloudHosting?: CloudHostingClientOptions;
  /** Default https://chatbot.weixin.qq.com. */
  chatbotBaseUrl?: string;
  fetch?: typeof fetch;
  /** Injectable for tests; default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Retries of errcode -1 and transport failures (default 2), backoff doubling from backoffMs (300). */
  retries?: number;
  backoffMs?: number;
  /** Refresh this long before expiry (default 300000 ms). */
  refreshMarginMs?: number;
  now?: () => number;
  /**
   * When given, sends consume the window first and are refused locally (45015 / 45047); a
   * send failing below the platform (transport error, errcode -1) gives its slot back.
   */
  sendWindow?: SendWindow;
  /** The bot for chatbotSend. */
  chatbot?: ChatbotOptions | ChatbotBot;
  /** Per request (default 15000 ms). */
  timeoutMs?: number;
}
export declare class Client {
  constructor(options: ClientOptions);
  readonly tokenRequests: number;
  getAccessToken(options?: { forceRefresh?: boolean }): Promise<string>;
  /** Drops the cached token (only if it is still `token`; any when none is given). */
  invalidateToken(token?: string): Promise<void>;
  call<T = any>(request: RequestDescriptor): Promise<T>;
  sendText(input: SendTextInput): Promise<{ errcode: number; errmsg: string }>;
  sendImage(input: SendImageInput): Promise<{ errcode: number; errmsg: string }>;
  sendLink(input: SendLinkInput): Promise<{ errcode: number; errmsg: string }>;
  sendMiniProgramPage(input: SendMiniProgramPageInput): Promise<{ errcode: number; errmsg: string }>;
  typing(input: TypingInput): Promise<{ errcode: number; errmsg: string }>;
  getKfList(input?: { businessId?: BusinessId }): Promise<{ kf_list: Record<string, unknown>[] }>;
  getOnlineKfList(input?: { businessId?: BusinessId }): Promise<{ kf_online_list: Record<string, unknown>[] }>;
  addKfAccount(input: { kfWx: string; businessId?: BusinessId }): Promise<{ errcode: number; errmsg: string }>;
  deleteKfAccount(input: KfAccountInput): Promise<{ errcode: number; errmsg: string }>;
  setKfAdmin(input: KfAccountInput): Promise<{ errcode: number; errmsg: string }>;
  cancelKfAdmin(input: KfAccountInput): Promise<{ errcode: number; errmsg: string }>;
  registerBusiness(input: RegisterBusinessInput): Promise<{ business_id: number }>;
  updateBusiness(input: { businessId: BusinessId; nickname?: string; iconMediaId?: string }): Promise<{ errcode: number; errmsg: string }>;
  getBusiness(input: { businessId: BusinessId; accountName?: never } | { accountName: string; businessId?: never }): Promise<{ business_info: Record<string, unknown> }>;
  listBusiness(input: { offset: number | string; count: number | string }): Promise<{ list: Record<string, unknown>[] }>;
  /**
   * Uploads an image (JPEG, PNG or GIF, recognised by its first bytes; at most 2 MB) for
   * `media_id`. A File gives its name and type; `filename`/`contentType` override them (for
   * bytes: default `image.<jpg|png|gif>` and the detected type). Anything else, a string above
   * all, and an image over the limits are refused (-42002, field `file` or `contentType`)
   * before any request.
   */
  uploadMedia(file: Blob | Uint8Array | ArrayBuffer, options?: { filename?: string; contentType?: 'image/jpeg' | 'image/png' | 'image/gif' | (string & {}); type?: 'image' }): Promise<{ type: 'image'; media_id: string; created_at: number }>;
  getMedia(mediaId: string): Promise<{ contentType: string; data: Uint8Array }>;
  chatbotSend(payload: ChatbotPayload, options?: { random?: Uint8Array }): Promise<{ errcode: number; msg?: string }>;
}

// ============================================================================================
// WeChat Cloud Hosting (微信云托管, issue 13)
// ============================================================================================

/** createHandler / Node adapters: `cloudHosting`. */
export interface CloudHostingOptions {
  /**
   * Whether the service has public access. true: only requests carrying the `x-wx-source`
   * header (added by the platform's internal link) are pushes; others get 401
   * (-41008 UntrustedSource). false: every request is the platform's (no public route exists).
   */
  publicAccess: boolean;
  /**
   * Passive replies ('transfer' or { body } from onMessage) are only for official accounts
   * (被动回复只支持公众号). Default false: such a return is reported through onError
   * (-41009 PassiveReplyRefused, phase 'reply') and the push answered 'success'; answer mini
   * program users with the Client's send API. true: plaintext passive replies are sent.
   */
  passiveReplies?: boolean;
}

/** `push.cloud`: the x-wx-* headers of a Cloud Hosting push (absent headers are undefined). */
export interface CloudPushInfo {
  /** x-wx-openid */
  openid?: string;
  /** x-wx-appid */
  appid?: string;
  /** x-wx-unionid */
  unionid?: string;
  /** x-wx-from-openid (resource sharing) */
  fromOpenid?: string;
  /** x-wx-from-appid (resource sharing) */
  fromAppid?: string;
  /** x-wx-from-unionid (resource sharing) */
  fromUnionid?: string;
  /** x-wx-env: the cloud environment id */
  env?: string;
  /** x-wx-source: what triggered the request */
  source?: string;
  /** x-original-forwarded-for */
  forwardedFor?: string;
  /**
   * X-WX-CLOUDBASE-ACCESS-TOKEN, for `client.withRequestToken(...)`. Not enumerable (kept out of
   * JSON.stringify and logs): a credential.
   */
  readonly accessToken?: string;
}

/** `new Client({ cloudHosting })`: where the token comes from. No appSecret is ever used. */
export interface CloudHostingClientOptions {
  /**
   * 'open-api': the open API service (开放接口服务): calls to http://api.weixin.qq.com from the
   * container carry no token. 'request': the request's X-WX-CLOUDBASE-ACCESS-TOKEN, passed per
   * call (withRequestToken, or the cloudbaseAccessToken call option), sent as
   * cloudbase_access_token. 'file': the token file mounted by the platform, sent as
   * cloudbase_access_token, read again every recheckMs and after a token error.
   */
  tokenSource: 'open-api' | 'request' | 'file';
  /** 'file': the path (default /.tencentcloudbase/wx/cloudbase_access_token). */
  tokenFile?: string;
  /** 'file': how long a read token is used before reading the file again (default 60000 ms). */
  recheckMs?: number;
  /** 'file': how to read it (default Deno.readTextFile, or node:fs in Node and Bun). */
  readFile?: (path: string) => Promise<string>;
}

/** Per-call option of a Cloud Hosting Client with tokenSource 'request'. */
export interface CloudCallOptions {
  /** The request's X-WX-CLOUDBASE-ACCESS-TOKEN (push.cloud.accessToken). */
  cloudbaseAccessToken?: string;
}

type CloudBound<K extends keyof Client> = Client[K] extends (input: infer I, ...rest: any[]) => infer R ? (input: I) => R : never;

/** The Client's API bound to one request's token (tokenSource 'request'). */
export interface CloudRequestClient {
  call<T = any>(request: RequestDescriptor, options?: CloudCallOptions): Promise<T>;
  sendText: CloudBound<'sendText'>;
  sendImage: CloudBound<'sendImage'>;
  sendLink: CloudBound<'sendLink'>;
  sendMiniProgramPage: CloudBound<'sendMiniProgramPage'>;
  typing: CloudBound<'typing'>;
  getKfList: CloudBound<'getKfList'>;
  getOnlineKfList: CloudBound<'getOnlineKfList'>;
  addKfAccount: CloudBound<'addKfAccount'>;
  deleteKfAccount: CloudBound<'deleteKfAccount'>;
  setKfAdmin: CloudBound<'setKfAdmin'>;
  cancelKfAdmin: CloudBound<'cancelKfAdmin'>;
  registerBusiness: CloudBound<'registerBusiness'>;
  updateBusiness: CloudBound<'updateBusiness'>;
  getBusiness: CloudBound<'getBusiness'>;
  listBusiness: CloudBound<'listBusiness'>;
  uploadMedia: Client['uploadMedia'];
  getMedia(mediaId: string): Promise<{ contentType: string; data: Uint8Array }>;
}

// The Client's Cloud Hosting additions (merged into the class declared above).
export interface Client {
  /**
   * tokenSource 'request': this client's API bound to the token of the request being handled.
   * @throws WxkfError -41006 without cloudHosting tokenSource 'request'; -42001 for an empty token.
   */
  withRequestToken(token: string | undefined): CloudRequestClient;
  /**
   * With cloudHosting: the token of tokenSource 'file'; 'request' needs the call option
   * (throws -42001); 'open-api' has none (throws -41006).
   */
  getAccessToken(options?: { forceRefresh?: boolean }): Promise<string>;
  call<T = any>(request: RequestDescriptor, options?: CloudCallOptions): Promise<T>;
  sendText(input: SendTextInput, options?: CloudCallOptions): Promise<{ errcode: number; errmsg: string }>;
  sendImage(input: SendImageInput, options?: CloudCallOptions): Promise<{ errcode: number; errmsg: string }>;
  sendLink(input: SendLinkInput, options?: CloudCallOptions): Promise<{ errcode: number; errmsg: string }>;
  sendMiniProgramPage(input: SendMiniProgramPageInput, options?: CloudCallOptions): Promise<{ errcode: number; errmsg: string }>;
  typing(input: TypingInput, options?: CloudCallOptions): Promise<{ errcode: number; errmsg: string }>;
  getKfList(input: { businessId?: BusinessId } | undefined, options?: CloudCallOptions): Promise<{ kf_list: Record<string, unknown>[] }>;
  getMedia(mediaId: string, options?: CloudCallOptions): Promise<{ contentType: string; data: Uint8Array }>;
}

/** The receiver of createHandler({ cloudHosting }): probe, trust rule, parsing. */
export declare class CloudReceiver {
  constructor(options: CloudHostingOptions & { maxBodyBytes?: number; maxJsonDepth?: number; now?: () => number });
  readonly maxBodyBytes: number;
  /**
   * One request: `{ probe: true, format }` for the CheckContainerPath probe, else the push
   * (mode 'cloud', with `cloud`). headers: a Headers object or a Node headers object.
   * @throws WxkfError -41008 UntrustedSource, -41002 too large, -41003 too deep, -40002/-40012 parse.
   */
  receive(params: { headers?: unknown; body: string | Uint8Array | ArrayBuffer; contentType?: string }): Push | { probe: true; format: PushFormat };
  free(): void;
}

/** The unsigned push body the platform sends to Cloud Hosting (CreateTime, MsgId, BusinessId as bare numbers). */
export declare function cloudPushBody(fields: Record<string, string | number>, format: PushFormat): string;
/** The CheckContainerPath probe body. */
export declare function cloudProbeBody(format: PushFormat): string;
