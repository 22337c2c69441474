// Client: sends the core's request descriptors with fetch (any runtime). The access token lives
// in a Store (stores/store.d.ts; default one MemoryStore per Client) under `token:<appId>`, shared by
// every instance using the same store, refreshed by one instance at a time (lock
// `token-lock:<appId>`; the others poll the cache; see token-cache.js). Getting a token, waiting
// and retries included, takes at most tokenBudgetMs (default 20 s), else -42004. errcode -1 and
// transport failures retried with backoff; 40001/40014/42001 drop the failed token (only if still
// cached) and retry, with a force_refresh when a freshly fetched token still fails (at most once
// per 30 s per appId, `token-force:<appId>`; a force the platform refuses as too frequent, 45011
// or 45009, is followed by a plain stable_token request, which gets the token another instance
// forced). Store outages: reported through onError, tokens fetched locally.
// Optional SendWindow: a slot is consumed before a send and given back when the send fails
// below the platform (transport error, errcode -1); a window that cannot be checked lets the send
// go (the platform enforces its own limits), reported.
// Every platform call goes through #exchange: no redirect is followed (a 3xx is a -42004 error:
// a 307 would re-send the appSecret or the token to wherever it points), and no answer is read
// past its cap (maxResponseBytes for JSON, maxMediaBytes for getMedia's file), checked on the
// Content-Length first and then while the body streams in, before anything reaches wasm memory.
import { buildRequest } from './requests.js';
import { joinChunks } from '../bytes.js';
import { MemoryStore } from '../stores/memory.js';
import { TokenCache } from './token-cache.js';
import { parseResponse } from './response.js';
import { ERR, WxkfError, wxkfError, invalidOption } from '../errors.js';
import { missingMethods, reporter } from '../stores/guarded.js';
import { checkOptionNames, numberOption } from '../options.js';
import { BUILDER_NAMES, CATALOG_KINDS } from '../generated/tables.js';
import { chatbot } from './chatbot.js';
import { cloudTokens } from './cloud-token.js';
import { imageUpload } from './media.js';

const API_BASE = 'https://api.weixin.qq.com';
const CHATBOT_BASE = 'https://chatbot.weixin.qq.com';
/** Cloud Hosting's open API service answers plain HTTP from inside the container. */
const OPEN_API_BASE = 'http://api.weixin.qq.com';
const TOKEN_ERRORS = new Set([
  CATALOG_KINDS.InvalidCredential, CATALOG_KINDS.InvalidAccessToken, CATALOG_KINDS.AccessTokenExpired,
]);
// The Client's methods, from the builder table (src/api/builders.rs via generated/tables.js):
// sends go through the send window; the token and media builders are the Client's own business.
const OWN = new Set(['token', 'stableToken', 'mediaUpload', 'mediaGet']);
const SENDS = BUILDER_NAMES.filter((name) => name.startsWith('send'));
const CALLS = BUILDER_NAMES.filter((name) => !name.startsWith('send') && !OWN.has(name));

const defaultSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const elapsed = typeof performance !== 'undefined' && typeof performance.now === 'function'
  ? () => performance.now()
  : () => Date.now();
/** The platform refusing a force_refresh as too frequent (45011: 30 s apart; 45009: 20 a day). */
const FORCE_REFUSED = new Set([45011, 45009]);
/** Errors the call's retry loop passes on (a token that was not had within tokenBudgetMs). */
const NOT_RETRIED = new WeakSet();
/** A send window's own refusals (from a state it read). */
const WINDOW_REFUSED = new Set([CATALOG_KINDS.SendWindowExpired, CATALOG_KINDS.SendQuotaExceeded]);
/** JSON answers: the platform's largest (kf lists, business lists) are a few KiB. */
const MAX_RESPONSE_BYTES = 1024 * 1024;
/** getMedia's file: the platform's temporary media are at most 10 MB (image, video). */
const MAX_MEDIA_BYTES = 10 * 1024 * 1024;

/** The documented options (client.d.ts ClientOptions): a near miss of one is refused. */
const CLIENT_OPTIONS = [
  'appId', 'appSecret', 'accessToken', 'stableToken', 'store', 'storeTimeoutMs', 'tokenBudgetMs', 'tokenLockMs',
  'forceRefreshIntervalMs', 'onError', 'baseUrl', 'cloudHosting', 'chatbotBaseUrl', 'fetch', 'sleep', 'retries',
  'backoffMs', 'refreshMarginMs', 'now', 'sendWindow', 'chatbot', 'timeoutMs', 'maxResponseBytes', 'maxMediaBytes',
];

/** -42004 Transport: the request failed below the platform (network, HTTP status, not JSON). */
function transportError(message, retryable) {
  return wxkfError(ERR.Transport, message, { retryable });
}

/** The Client's chatbot option as a Bot: an option error names `chatbot.<field>`. */
function chatbotOption(options) {
  if (typeof options !== 'object') throw invalidOption('chatbot', 'Client option chatbot must be { token, encodingAESKey, appId } or a chatbot.Bot');
  try {
    return new chatbot.Bot(options);
  } catch (e) {
    if (e instanceof WxkfError && e.code === ERR.InvalidOption) {
      throw invalidOption(`chatbot.${e.field}`, `Client option chatbot: ${e.message}`);
    }
    throw e;
  }
}

/** Drops a body nobody will read (frees the connection); never throws. */
function discard(res) {
  try {
    res.body?.cancel?.().catch(() => {});
  } catch {}
}

/**
 * The body of `res`, at most `cap` bytes, as a Uint8Array; past it a -42004 error (`limit`:
 * the cap) naming `what` and `option`. A declared Content-Length over the cap is refused before
 * reading; the stream is then counted as it arrives and cancelled at the cap.
 */
async function readCapped(res, cap, what, option) {
  const tooLarge = (size) => wxkfError(ERR.Transport,
    `${what} answered ${size} bytes, over the Client's limit of ${cap} (option ${option}); nothing of it was used`,
    { retryable: false, limit: cap });
  const declared = res.headers.get('content-length');
  if (declared !== null && /^\s*\d+\s*$/.test(declared) && Number(declared) > cap) {
    discard(res);
    throw tooLarge(`${Number(declared)} (Content-Length)`);
  }
  const reader = res.body?.getReader?.();
  if (!reader) {
    // A fetch whose Response has no stream (a test double): read whole, still refused above the cap.
    const whole = new Uint8Array(await res.arrayBuffer());
    if (whole.byteLength > cap) throw tooLarge(`at least ${whole.byteLength}`);
    return whole;
  }
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      reader.cancel().catch(() => {});
      throw tooLarge(`more than ${cap}`);
    }
    chunks.push(value);
  }
  return joinChunks(chunks, size);
}

/** `text` with every secret (as given, and URL-encoded) replaced by `***`. */
function redact(text, secrets) {
  let out = String(text);
  for (const s of secrets) {
    if (typeof s !== 'string' || s.length < 4) continue;
    for (const form of new Set([s, encodeURIComponent(s), new URLSearchParams({ s }).toString().slice(2)])) {
      out = out.split(form).join('***');
    }
  }
  return out;
}

/** Messages that say only that a fetch failed, not why (undici, Deno). */
const GENERIC = new Set(['fetch failed', 'failed to fetch', 'terminated', 'network error', 'load failed']);
const MAX_CAUSE = 300;

/**
 * Why a fetch (or the read of its answer) failed, in a few words, for a -42004 message: Node's
 * undici says only `fetch failed` and keeps the reason in `cause` (`connect ECONNREFUSED
 * 127.0.0.1:8087`, `getaddrinfo ENOTFOUND host`, a TLS error such as DEPTH_ZERO_SELF_SIGNED_CERT,
 * `other side closed`), sometimes an AggregateError of one per address tried; Deno's `cause`
 * names the URL (its query is cut here: it holds the token or the secret); Bun says it in the
 * message; AbortSignal.timeout's TimeoutError is the Client's own deadline. Returns the text and
 * the most specific code found (an errno name, a TLS code, 'TimeoutError').
 */
function failureCause(error, timeoutMs) {
  const found = [];
  let code;
  const seen = new Set();
  const visit = (e, depth) => {
    if (e === null || e === undefined || depth > 5) return;
    if (typeof e !== 'object') {
      found.push(String(e));
      return;
    }
    if (seen.has(e)) return;
    seen.add(e);
    let name;
    let message;
    let own;
    try {
      name = e.name;
      message = typeof e.message === 'string' ? e.message : '';
      own = typeof e.code === 'string' ? e.code : undefined;
    } catch {
      return;
    }
    if (name === 'TimeoutError') {
      found.push(`no answer within ${timeoutMs} ms (Client option timeoutMs)`);
      code = 'TimeoutError';
      return;
    }
    if (own) code = own;
    // OpenSSL's text ("80EC...:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:...")
    const ssl = /SSL routines:[^:]*:([^:\n]+)/.exec(message);
    let text = (ssl ? `TLS: ${ssl[1]}` : message.split('\n')[0]).trim();
    if (text && own && !text.includes(own)) text += ` (${own})`;
    if (!text && own) text = own;
    if (text && !GENERIC.has(text.toLowerCase())) found.push(text);
    try {
      if (Array.isArray(e.errors)) for (const inner of e.errors.slice(0, 4)) visit(inner, depth + 1);
      visit(e.cause, depth + 1);
    } catch {}
  };
  visit(error, 0);
  const unique = [...new Set(found)];
  // The deepest reason is the most specific: it comes last; a generic wrapper says nothing more.
  let text = unique.length ? unique.reverse().join('; ') : (error && error.message) || String(error);
  // A URL in a message (Deno's "error sending request for url (...)") without its query.
  text = text.replace(/\b(https?:\/\/[^\s?#)'"]*)[?#][^\s)'"]*/g, '$1');
  if (text.length > MAX_CAUSE) text = `${text.slice(0, MAX_CAUSE)}...`;
  return { text, code };
}

export class Client {
  #appId; #appSecret; #tokenFn; #stable; #base; #chatbotBase; #fetch; #sleep; #retries;
  #backoffMs; #window; #bot; #timeoutMs; #tokens; #onError; #cloud; #maxResponseBytes; #maxMediaBytes;
  #tokenBudgetMs;
  #tokenRequests = 0;

  /**
   * @param {object} options  see outbound/client.d.ts (ClientOptions)
   */
  constructor(options = {}) {
    if (options === null || typeof options !== 'object') {
      throw invalidOption('options', 'Client options must be an object { appId, appSecret, ... } (see ClientOptions)');
    }
    checkOptionNames('Client', options, CLIENT_OPTIONS);
    const {
      appId, appSecret, accessToken, stableToken = true, baseUrl,
      chatbotBaseUrl = CHATBOT_BASE, fetch: fetchFn, sleep = defaultSleep, retries = 2,
      backoffMs = 300, refreshMarginMs = 300_000, now = Date.now, sendWindow = null,
      chatbot: bot = null, timeoutMs = 15_000, store, storeTimeoutMs = 1000, tokenBudgetMs = 20_000,
      tokenLockMs, forceRefreshIntervalMs = 30_000, onError,
      maxResponseBytes = MAX_RESPONSE_BYTES, maxMediaBytes = MAX_MEDIA_BYTES,
    } = options;
    // Cloud Hosting: the platform provides the token (see cloud-token.js); never an appSecret.
    this.#cloud = options.cloudHosting !== undefined ? cloudTokens(options.cloudHosting, options, now) : null;
    if (!this.#cloud && typeof accessToken !== 'function' && !(appId && appSecret)) {
      throw invalidOption(appId ? 'appSecret' : 'appId',
        `Client option ${appId ? 'appSecret' : 'appId'} is missing: pass appId and appSecret, or an accessToken function`);
    }
    for (const [name, value] of Object.entries({ fetch: fetchFn, sleep, now, onError })) {
      if (value !== undefined && typeof value !== 'function') {
        throw invalidOption(name, `Client option ${name} must be a function`);
      }
    }
    const n = (name, value, range) => numberOption('Client', name, value, range);
    n('retries', retries, { min: 0, max: 10, whole: true, unit: 'retries' });
    n('backoffMs', backoffMs, { min: 0, max: 60_000 });
    n('refreshMarginMs', refreshMarginMs, { min: 0, max: 3_600_000, why: 'a token lives 2 h; the margin is at most half of it' });
    n('timeoutMs', timeoutMs, { min: 1, max: 300_000, why: 'per request' });
    n('storeTimeoutMs', storeTimeoutMs, { min: 1, max: 10_000 });
    n('tokenBudgetMs', tokenBudgetMs, { min: 1, max: 600_000, why: 'bounds getting a token, waiting and retries included' });
    n('forceRefreshIntervalMs', forceRefreshIntervalMs, { min: 1, max: 86_400_000 });
    // The refresh lock outlives its holder's fetch (which ends 2 x storeTimeoutMs before the
    // lock can lapse) and a waiter can still take over from a holder that died, within the budget.
    const lockMs = tokenLockMs ?? Math.floor(tokenBudgetMs / 2);
    if (tokenLockMs === undefined) {
      if (!(lockMs > 3 * storeTimeoutMs)) {
        throw invalidOption('tokenBudgetMs', `Client option tokenBudgetMs must be more than 6 x storeTimeoutMs (${6 * storeTimeoutMs} ms): `
          + 'half of it is the refresh lock, within which a token is fetched and stored');
      }
    } else {
      n('tokenLockMs', tokenLockMs, { min: 3 * storeTimeoutMs + 1, max: Math.floor(tokenBudgetMs / 2),
        why: 'more than 3 x storeTimeoutMs, to fetch and store a token while holding it; at most half of tokenBudgetMs, so that a waiter takes over from a holder that died within the budget' });
    }
    if (onError !== undefined && typeof onError !== 'function') {
      throw invalidOption('onError', 'Client option onError must be a function (error, { phase }) => void');
    }
    if (sendWindow != null && missingMethods(sendWindow, ['consume', 'refund']).length) {
      throw invalidOption('sendWindow', 'Client option sendWindow must be a SendWindow (consume and refund)');
    }
    for (const [name, value] of Object.entries({ maxResponseBytes, maxMediaBytes })) {
      if (!Number.isSafeInteger(value) || value < 1) {
        throw invalidOption(name, `Client option ${name} must be a whole number of bytes, at least 1`);
      }
    }
    if (store != null) {
      const [m] = missingMethods(store);
      if (m) throw invalidOption('store', `Client option store must implement the Store contract (${m} is missing)`);
    }
    this.#appId = appId;
    this.#appSecret = appSecret;
    this.#tokenFn = typeof accessToken === 'function' ? accessToken : null;
    this.#stable = !!stableToken;
    this.#base = String(baseUrl ?? (this.#cloud?.kind === 'open-api' ? OPEN_API_BASE : API_BASE)).replace(/\/+$/, '');
    this.#chatbotBase = String(chatbotBaseUrl).replace(/\/+$/, '');
    this.#fetch = fetchFn ?? ((...a) => globalThis.fetch(...a));
    this.#sleep = sleep;
    this.#retries = retries;
    this.#backoffMs = backoffMs;
    this.#window = sendWindow;
    this.#bot = bot == null ? null : bot instanceof chatbot.Bot ? bot : chatbotOption(bot);
    this.#timeoutMs = timeoutMs;
    this.#maxResponseBytes = maxResponseBytes;
    this.#maxMediaBytes = maxMediaBytes;
    // Without onError: one line to console.error (code, kind, phase), never silent.
    this.#onError = reporter(onError);
    this.#tokenBudgetMs = tokenBudgetMs;
    this.#tokens = new TokenCache({
      store: store ?? new MemoryStore({ now, onError: (e) => this.#onError(e, { phase: 'store' }) }),
      appId: appId ?? 'accessToken-function',
      fetch: (force, deadline) => this.#fetchToken(force, deadline),
      now,
      marginMs: refreshMarginMs,
      storeTimeoutMs,
      budgetMs: tokenBudgetMs,
      lockMs,
      forceIntervalMs: forceRefreshIntervalMs,
      onError: this.#onError,
    });
    // callOptions: { cloudbaseAccessToken } (Cloud Hosting 'request' tokens; see withRequestToken)
    for (const name of SENDS) this[name] = async (input, callOptions) => this.#send(name, input, callOptions);
    for (const name of CALLS) this[name] = async (input, callOptions) => this.call(buildRequest(name, input), callOptions);
  }

  /** How many token requests this client made (for tests and monitoring). */
  get tokenRequests() {
    return this.#tokenRequests;
  }

  /**
   * The access token: from the store (shared by every instance), refreshed before expiry by
   * one instance at a time. forceRefresh asks the platform for a new one (force_refresh).
   */
  async getAccessToken(options) {
    const { forceRefresh = false } = options ?? {};
    if (this.#cloud) {
      const token = await this.#cloud.token();
      if (token === null) {
        throw new WxkfError("cloudHosting tokenSource 'open-api' has no token: the open API service adds the credential on the "
          + "platform's link (use tokenSource 'file' or 'request' where a token is needed)", ERR.InvalidOption, 'InvalidOption', { field: 'cloudHosting.tokenSource' });
      }
      return token;
    }
    return this.#tokens.get({ force: forceRefresh, ungated: !!this.#tokenFn });
  }

  /** Drops the cached token (when it is `token` and still cached, or always when none is given). */
  async invalidateToken(token) {
    await this.#tokens.drop(token);
  }

  /** One token, by `deadline` (elapsed() ms; TokenCache drops an answer that comes later). */
  async #fetchToken(forceRefresh, deadline) {
    this.#tokenRequests += 1;
    if (this.#tokenFn) {
      const got = await this.#tokenFn({ forceRefresh });
      let value;
      let expiresIn;
      if (typeof got === 'string') {
        value = got;
      } else {
        value = got?.accessToken ?? got?.access_token;
        expiresIn = got?.expiresIn ?? got?.expires_in;
      }
      if (typeof value !== 'string' || !value) {
        throw wxkfError(ERR.MissingField, 'the accessToken function returned no token', { field: 'accessToken' });
      }
      return { value, expiresIn };
    }
    const creds = { appId: this.#appId, appSecret: this.#appSecret };
    const req = this.#stable
      ? buildRequest('stableToken', { ...creds, forceRefresh })
      : buildRequest('token', creds);
    // Each attempt within what is left of the budget; no retry that could not finish in it.
    const attempt = (r) => this.#exchange(this.#base, r, null, undefined, [], 'access_token',
      Math.min(this.#timeoutMs, Math.max(1, Math.floor(deadline - elapsed()))));
    let data;
    try {
      data = await this.#withRetries(() => attempt(req), deadline);
    } catch (e) {
      // Refused as too frequent: another instance (or this one) forced a new stable token
      // recently, so the plain request gets it. How the gate holds across instances when the
      // store that keeps it is down.
      if (!(forceRefresh && this.#stable && e instanceof WxkfError && FORCE_REFUSED.has(e.code))) throw e;
      data = await this.#withRetries(() => attempt(buildRequest('stableToken', { ...creds, forceRefresh: false })), deadline);
    }
    if (typeof data.access_token !== 'string' || !data.access_token) throw transportError('the token answer has no access_token', false);
    return { value: data.access_token, expiresIn: data.expires_in ?? 7200 };
  }

  /**
   * Sends a request descriptor ({ method, path, query, body }) with the access token; returns
   * the answer's data or throws the catalogued WxkfError. After 40001/40014/42001 the failed
   * token is dropped and the call retried; when a freshly fetched token fails too, once more
   * with a forced refresh (an accessToken function: called with forceRefresh, one retry).
   */
  async call(request, options) {
    if (request === null || typeof request !== 'object' || typeof request.method !== 'string' || typeof request.path !== 'string') {
      throw wxkfError(ERR.InvalidInput, 'request must be a request descriptor { method, path, query?, body? } (from requests.*)', { field: 'request' });
    }
    const { body, cloudbaseAccessToken } = options ?? {};
    if (this.#cloud) return this.#cloudCall(request, body, cloudbaseAccessToken);
    const maxRounds = this.#tokenFn ? 1 : 2;
    // Every token this call needs (its retries and token rounds included) within one budget.
    const tokenDeadline = elapsed() + this.#tokenBudgetMs;
    return this.#withRetries(async () => {
      let rounds = 0;
      for (;;) {
        const force = rounds > 0 && (this.#tokenFn ? true : rounds === 2);
        let token;
        try {
          token = await this.#tokens.get({ force, ungated: !!this.#tokenFn, deadline: tokenDeadline });
        } catch (e) {
          // Retried within the budget already: not again (that would be another budget).
          if (e && typeof e === 'object') NOT_RETRIED.add(e);
          throw e;
        }
        try {
          return await this.#exchange(this.#base, request, token, body);
        } catch (e) {
          if (rounds < maxRounds && e instanceof WxkfError && TOKEN_ERRORS.has(e.code)) {
            rounds += 1;
            await this.#tokens.drop(token);
            continue;
          }
          throw e;
        }
      }
    });
  }

  /**
   * Cloud Hosting tokenSource 'request': this client's API bound to the token of the request
   * being handled (`push.cloud.accessToken`, the X-WX-CLOUDBASE-ACCESS-TOKEN header).
   */
  withRequestToken(token) {
    if (this.#cloud?.kind !== 'request') {
      throw new WxkfError("withRequestToken needs cloudHosting: { tokenSource: 'request' }", ERR.InvalidOption, 'InvalidOption', { field: 'cloudHosting.tokenSource' });
    }
    if (typeof token !== 'string' || !token) {
      throw new WxkfError('the request carries no X-WX-CLOUDBASE-ACCESS-TOKEN header (push.cloud.accessToken is empty)', ERR.MissingField, 'MissingField', { field: 'cloudbaseAccessToken' });
    }
    const o = { cloudbaseAccessToken: token };
    const view = {
      call: (request, callOptions) => this.call(request, { ...callOptions, ...o }),
      uploadMedia: (file, options) => this.uploadMedia(file, { ...options, ...o }),
      getMedia: (mediaId) => this.getMedia(mediaId, o),
    };
    for (const name of [...SENDS, ...CALLS]) view[name] = (input) => this[name](input, o);
    return view;
  }

  async #cloudCall(request, body, callToken) {
    const cloud = this.#cloud;
    return this.#withRetries(async () => {
      const token = await cloud.token(callToken);
      try {
        return await this.#exchange(this.#base, request, token, body, [], cloud.param);
      } catch (e) {
        if (!(e instanceof WxkfError)) throw e;
        if (token && TOKEN_ERRORS.has(e.code) && await cloud.failed(token)) {
          return this.#exchange(this.#base, request, await cloud.token(callToken), body, [], cloud.param);
        }
        if (!token && e.code === 41001) {
          e.message += ' (Cloud Hosting open API service: is 开放接口服务 enabled, with this API in its list, and is the '
            + 'call made from the container to http://api.weixin.qq.com?)';
        }
        throw e;
      }
    });
  }

  async #send(name, input, callOptions) {
    const request = buildRequest(name, input); // validates before anything else
    let slot = null;
    if (this.#window) {
      try {
        slot = await this.#window.consume(input.touser);
      } catch (e) {
        // Only the window's own refusals stop a send; anything else fails open, reported.
        if (e instanceof WxkfError && WINDOW_REFUSED.has(e.code)) throw e;
        this.#onError(e instanceof WxkfError ? e : wxkfError(ERR.StoreUnavailable,
          `the send window failed: ${e && e.message ? e.message : e}`, { cause: e }), { phase: 'sendWindow' });
      }
    }
    try {
      return await this.call(request, callOptions);
    } catch (e) {
      // Failed below the platform (it never counted the send): give the slot back.
      if (slot?.state && e instanceof WxkfError && (e.code === CATALOG_KINDS.SystemBusy || e.code === ERR.Transport)) {
        try {
          await this.#window.refund(input.touser, slot.state);
        } catch (err) {
          this.#onError(err, { phase: 'sendWindow' });
        }
      }
      throw e;
    }
  }

  /**
   * Uploads an image for `media_id`: bytes (Uint8Array/ArrayBuffer), a Blob or a File. Checked
   * before anything is sent (JPEG/PNG/GIF by its first bytes, at most 2 MB; see media.js).
   */
  async uploadMedia(file, options) {
    const { filename, contentType, type = 'image', cloudbaseAccessToken } = options ?? {};
    const request = buildRequest('mediaUpload', { type });
    const upload = await imageUpload(file, { filename, contentType });
    return this.call(request, {
      cloudbaseAccessToken,
      body: () => {
        const form = new FormData();
        form.append('media', upload.blob, upload.filename);
        return form;
      },
    });
  }

  /** Fetches a media file: { contentType, data: Uint8Array }. */
  async getMedia(mediaId, options) {
    const { cloudbaseAccessToken } = options ?? {};
    return this.call(buildRequest('mediaGet', { mediaId }), { body: 'binary', cloudbaseAccessToken });
  }

  /** Sends a payload to the dialogue platform with the `chatbot` option's bot. */
  async chatbotSend(payload, options) {
    const { random } = options ?? {};
    if (!this.#bot) {
      throw invalidOption('chatbot', 'chatbotSend needs the Client option chatbot ({ token, encodingAESKey, appId })');
    }
    const request = this.#bot.sendmsg(payload, { random });
    // The bot's TOKEN is the last segment of the sendmsg path: keep it out of error messages.
    return this.#exchange(this.#chatbotBase, request, null, undefined, [request.path.split('/').pop()]);
  }

  /** fn, retried; with a `deadline` (elapsed() ms), no retry whose backoff would reach it. */
  async #withRetries(fn, deadline = Infinity) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        const retryable = e instanceof WxkfError && !NOT_RETRIED.has(e)
          && (e.code === CATALOG_KINDS.SystemBusy || (e.code === ERR.Transport && e.retryable));
        if (!retryable || attempt >= this.#retries) throw e;
        const pause = this.#backoffMs * 2 ** attempt;
        if (elapsed() + pause >= deadline) throw e;
        await this.#sleep(pause);
      }
    }
  }

  /**
   * One HTTP exchange. `body`: a function making a FormData, or 'binary' for media/get.
   * `secrets`: more values (besides the access token and appSecret) no error may name.
   */
  async #exchange(base, request, token, body, secrets = [], tokenParam = 'access_token', timeoutMs = this.#timeoutMs) {
    const hidden = [token, this.#appSecret, request.query?.secret, ...secrets];
    // Method, host and path: never the query (it holds the token or the secret).
    let host = base;
    try {
      host = new URL(base).host;
    } catch {}
    const what = redact(`${request.method} ${host}${request.path}`, hidden);
    const params = new URLSearchParams();
    if (token) params.set(tokenParam, token);
    for (const [k, v] of Object.entries(request.query ?? {})) params.set(k, v);
    const qs = params.toString();
    const url = `${base}${request.path}${qs ? `?${qs}` : ''}`;
    // A redirect is never followed: it would re-send the secret or the token elsewhere.
    const init = { method: request.method, headers: {}, redirect: 'manual' };
    if (typeof body === 'function') {
      init.body = body();
    } else if (request.body != null) {
      init.body = request.body;
      init.headers['content-type'] = 'application/json';
    }
    if (typeof AbortSignal !== 'undefined' && AbortSignal.timeout) {
      init.signal = AbortSignal.timeout(timeoutMs);
    }
    let res;
    try {
      res = await this.#fetch(url, init);
    } catch (e) {
      throw this.#failed(`${what} failed`, e, hidden, timeoutMs);
    }
    // 'manual': a 3xx as it is (Node, Deno, Bun, workerd) or an opaque redirect (browsers: status
    // 0); a fetch given as an option that followed one anyway says so with `redirected`.
    if (res.type === 'opaqueredirect' || res.status === 0 || (res.status >= 300 && res.status < 400) || res.redirected) {
      discard(res);
      let to = '';
      try {
        const location = res.headers.get('location');
        if (location) to = redact(` to ${new URL(location, url).host}`, hidden);
      } catch {}
      const how = res.status >= 300 && res.status < 400 ? `HTTP ${res.status}${to}`
        : res.redirected ? 'followed by the fetch option' : 'an opaque redirect';
      throw transportError(`${what} answered a redirect (${how}), which the Client never follows (it would carry the `
        + 'token or the appSecret elsewhere): point baseUrl (or chatbotBaseUrl) at the API\'s own address', false);
    }
    if (!res.ok) {
      discard(res);
      throw transportError(`${what} answered HTTP ${res.status}`, res.status >= 500 || res.status === 429);
    }
    const type = res.headers.get('content-type') ?? '';
    if (body === 'binary' && !/json|text\/plain/i.test(type)) {
      return { contentType: type, data: await this.#read(res, this.#maxMediaBytes, what, 'maxMediaBytes', hidden, timeoutMs) };
    }
    const text = new TextDecoder().decode(await this.#read(res, this.#maxResponseBytes, what, 'maxResponseBytes', hidden, timeoutMs));
    if (!/^\s*\{/.test(text)) {
      throw transportError(`${what} answered something other than JSON`, false);
    }
    return parseResponse(text);
  }

  /** readCapped, with a failure of the stream itself (reset, timeout) as a retryable -42004. */
  async #read(res, cap, what, option, hidden, timeoutMs) {
    try {
      return await readCapped(res, cap, what, option);
    } catch (e) {
      if (e instanceof WxkfError) throw e;
      throw this.#failed(`${what} failed while reading the answer`, e, hidden, timeoutMs);
    }
  }

  /**
   * A retryable -42004 for a fetch that failed: `head` (method, host and path), then its cause
   * (failureCause) with every secret redacted; `causeCode` the cause's code ('ECONNREFUSED',
   * 'ENOTFOUND', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'TimeoutError'...) when it has one.
   */
  #failed(head, error, hidden, timeoutMs) {
    const { text, code } = failureCause(error, timeoutMs);
    const details = { retryable: true };
    if (code !== undefined) details.causeCode = redact(code, hidden);
    return wxkfError(ERR.Transport, `${head}: ${redact(text, hidden)}`, details);
  }
}
