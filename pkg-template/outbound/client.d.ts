// Client: the platform's HTTP API with a shared token, retries and Cloud Hosting token sources.
import type { ChatbotOptions, ChatbotPayload, chatbot } from './chatbot.js';
import type { BusinessId, KfAccountInput, RegisterBusinessInput, RequestDescriptor, SendImageInput, SendLinkInput, SendMiniProgramPageInput, SendTextInput, TypingInput } from './requests.js';
import type { SendWindow } from './send-window.js';
import type { Store } from '../stores/store.js';

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
   * instances: one token request for all of them. When it fails, hangs or answers outside the
   * Store contract, the error (-43002) goes to onError and this Client fetches tokens itself
   * until the store answers again. A token is written with compareAndSet, never over a newer
   * one (the record carries the time its request was sent).
   */
  store?: Store;
  /** How long a store call may take (default 1000 ms; 1..10000). */
  storeTimeoutMs?: number;
  /**
   * Bounds getting a token (getAccessToken, and the token part of every call): waiting for
   * another instance's refresh, the requests and their retries included (default 20000 ms;
   * 1..600000, and more than 6 × storeTimeoutMs unless tokenLockMs is given). Past it the call
   * fails with -42004 Transport (retryable) and an answer that comes later is dropped.
   */
  tokenBudgetMs?: number;
  /**
   * TTL of the refresh lock (default tokenBudgetMs / 2; more than 3 × storeTimeoutMs, at most
   * tokenBudgetMs / 2). Its holder's requests end 2 × storeTimeoutMs before it can lapse; a
   * holder that dies is taken over when it lapses, within the waiters' budget.
   */
  tokenLockMs?: number;
  /**
   * At most one force_refresh per this interval per appId across instances (default 30000 ms;
   * 1..86400000). While the store is down, per instance; a force the platform then refuses as
   * too frequent (45011, or 45009 for the day) is followed by a plain stable_token request,
   * which gets the token the other instance forced.
   */
  forceRefreshIntervalMs?: number;
  /**
   * Store failures (phase 'store'), send windows that could not be checked or refunds that
   * failed (phase 'sendWindow'). Without onError, one line per failure goes to console.error
   * (code, kind and phase; never a message or a secret).
   */
  onError?: (error: unknown, info: { phase: 'store' | 'sendWindow'; op?: string; key?: string }) => void;
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
  /**
   * Retries of errcode -1 and transport failures (default 2; 0..10), backoff doubling from
   * backoffMs (300; 0..60000). A token request is not retried past tokenBudgetMs.
   */
  retries?: number;
  backoffMs?: number;
  /** Refresh this long before expiry (default 300000 ms; 0..3600000). */
  refreshMarginMs?: number;
  now?: () => number;
  /**
   * When given, sends consume the window first and are refused locally (45015 / 45047, only
   * from a state the window read); a send failing below the platform (transport error, errcode
   * -1) gives its slot back. A window that cannot be checked (store down, no record of the
   * user) never stops a send: reported, and the platform enforces its limits.
   */
  sendWindow?: SendWindow;
  /** The bot for chatbotSend. */
  chatbot?: ChatbotOptions | InstanceType<(typeof chatbot)['Bot']>;
  /** Per request (default 15000 ms; 1..300000); a token request also within tokenBudgetMs. */
  timeoutMs?: number;
  /**
   * The largest JSON answer read (default 1048576 bytes): a larger one (by its Content-Length,
   * or counted as it streams in) is refused with -42004 (`limit`) before any of it reaches wasm.
   */
  maxResponseBytes?: number;
  /** The largest file getMedia reads (default 10485760 bytes, the platform's 10 MB); larger: -42004. */
  maxMediaBytes?: number;
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

// Declarations above without `export` stay private to this file.
export {};
