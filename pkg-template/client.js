// Client: sends the core's request descriptors with fetch (any runtime). Access token cached and
// refreshed before expiry with one request in flight; errcode -1 and transport failures retried
// with backoff; 40001/40014/42001 refresh the token once and retry; optional SendWindow check.
import { buildRequest } from './requests.js';
import { parseResponse } from './response.js';
import { WxkfError } from './errors.js';
import { chatbot } from './chatbot.js';

const API_BASE = 'https://api.weixin.qq.com';
const CHATBOT_BASE = 'https://chatbot.weixin.qq.com';
const TOKEN_ERRORS = new Set([40001, 40014, 42001]);
const SENDS = ['sendText', 'sendImage', 'sendLink', 'sendMiniProgramPage'];
const CALLS = [
  'typing', 'getKfList', 'getOnlineKfList', 'addKfAccount', 'deleteKfAccount', 'setKfAdmin',
  'cancelKfAdmin', 'registerBusiness', 'updateBusiness', 'getBusiness', 'listBusiness',
];

const defaultSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** -42004 Transport: the request failed below the platform (network, HTTP status, not JSON). */
function transportError(message, retryable) {
  return new WxkfError(message, -42004, 'Transport', { retryable });
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

export class Client {
  #appId; #appSecret; #tokenFn; #stable; #base; #chatbotBase; #fetch; #sleep; #retries;
  #backoffMs; #marginMs; #now; #window; #bot; #timeoutMs;
  #token = null; // { value, expiresAt }
  #inflight = null;
  #tokenRequests = 0;

  /**
   * @param {object} options
   * @param {string} [options.appId] @param {string} [options.appSecret]
   * @param {(o: { forceRefresh: boolean }) => string | { accessToken: string, expiresIn?: number } | Promise<...>} [options.accessToken]
   * @param {boolean} [options.stableToken] use POST /cgi-bin/stable_token
   * @param {string} [options.baseUrl] @param {string} [options.chatbotBaseUrl]
   * @param {typeof fetch} [options.fetch] @param {(ms: number) => Promise<void>} [options.sleep]
   * @param {number} [options.retries] @param {number} [options.backoffMs]
   * @param {number} [options.refreshMarginMs] @param {() => number} [options.now]
   * @param {import('./send-window.js').SendWindow} [options.sendWindow]
   * @param {{ token: string, encodingAESKey: string, appId: string }} [options.chatbot]
   * @param {number} [options.timeoutMs]
   */
  constructor(options = {}) {
    const {
      appId, appSecret, accessToken, stableToken = false, baseUrl = API_BASE,
      chatbotBaseUrl = CHATBOT_BASE, fetch: fetchFn, sleep = defaultSleep, retries = 2,
      backoffMs = 300, refreshMarginMs = 300_000, now = Date.now, sendWindow = null,
      chatbot: bot = null, timeoutMs = 15_000,
    } = options;
    if (typeof accessToken !== 'function' && !(appId && appSecret)) {
      throw new WxkfError('Client needs appId and appSecret, or an accessToken function', -42001,
        'MissingField', { field: appId ? 'appSecret' : 'appId' });
    }
    this.#appId = appId;
    this.#appSecret = appSecret;
    this.#tokenFn = typeof accessToken === 'function' ? accessToken : null;
    this.#stable = !!stableToken;
    this.#base = String(baseUrl).replace(/\/+$/, '');
    this.#chatbotBase = String(chatbotBaseUrl).replace(/\/+$/, '');
    this.#fetch = fetchFn ?? ((...a) => globalThis.fetch(...a));
    this.#sleep = sleep;
    this.#retries = retries;
    this.#backoffMs = backoffMs;
    this.#marginMs = refreshMarginMs;
    this.#now = now;
    this.#window = sendWindow;
    this.#bot = bot == null ? null : bot instanceof chatbot.Bot ? bot : new chatbot.Bot(bot);
    this.#timeoutMs = timeoutMs;
    for (const name of SENDS) this[name] = async (input) => this.#send(name, input);
    for (const name of CALLS) this[name] = async (input) => this.call(buildRequest(name, input));
  }

  /** How many token requests this client made (for tests and monitoring). */
  get tokenRequests() {
    return this.#tokenRequests;
  }

  /** The access token: cached, refreshed `refreshMarginMs` before expiry, one fetch at a time. */
  async getAccessToken({ forceRefresh = false } = {}) {
    if (!forceRefresh && this.#token && this.#now() < this.#token.expiresAt) return this.#token.value;
    if (!this.#inflight) {
      this.#inflight = this.#fetchToken(forceRefresh).finally(() => {
        this.#inflight = null;
      });
    }
    return this.#inflight;
  }

  /** Drops the cached token (when it is `token`, or always when none is given). */
  invalidateToken(token) {
    if (token === undefined || this.#token?.value === token) this.#token = null;
  }

  async #fetchToken(forceRefresh) {
    this.#tokenRequests += 1;
    let value;
    let expiresIn;
    if (this.#tokenFn) {
      const got = await this.#tokenFn({ forceRefresh });
      if (typeof got === 'string') {
        value = got;
      } else {
        value = got?.accessToken ?? got?.access_token;
        expiresIn = got?.expiresIn ?? got?.expires_in;
      }
      if (typeof value !== 'string' || !value) {
        throw new WxkfError('the accessToken function returned no token', -42001, 'MissingField', { field: 'accessToken' });
      }
      if (expiresIn === undefined) return value; // not cached: the function is the cache
    } else {
      const creds = { appId: this.#appId, appSecret: this.#appSecret };
      const req = this.#stable
        ? buildRequest('stableToken', { ...creds, forceRefresh })
        : buildRequest('token', creds);
      const data = await this.#withRetries(() => this.#exchange(this.#base, req, null));
      value = data.access_token;
      expiresIn = data.expires_in;
      if (typeof value !== 'string' || !value) throw transportError('the token answer has no access_token', false);
    }
    const lifetimeMs = (Number(expiresIn) || 7200) * 1000;
    this.#token = { value, expiresAt: this.#now() + Math.max(0, lifetimeMs - this.#marginMs) };
    return value;
  }

  /**
   * Sends a request descriptor ({ method, path, query, body }) with the access token; returns
   * the answer's data or throws the catalogued WxkfError.
   */
  async call(request, { body } = {}) {
    let refreshed = false;
    return this.#withRetries(async () => {
      for (;;) {
        const token = await this.getAccessToken();
        try {
          return await this.#exchange(this.#base, request, token, body);
        } catch (e) {
          if (!refreshed && e instanceof WxkfError && TOKEN_ERRORS.has(e.code)) {
            refreshed = true;
            if (this.#token?.value === token || this.#tokenFn) {
              this.invalidateToken(token);
              await this.getAccessToken({ forceRefresh: true });
            }
            continue;
          }
          throw e;
        }
      }
    });
  }

  async #send(name, input) {
    const request = buildRequest(name, input); // validates before anything else
    if (this.#window) await this.#window.consume(input.touser);
    return this.call(request);
  }

  /** Uploads an image for `media_id`: Blob, Uint8Array or ArrayBuffer. */
  async uploadMedia(file, { filename = 'image.jpg', contentType = 'image/jpeg', type = 'image' } = {}) {
    const request = buildRequest('mediaUpload', { type });
    const blob = file instanceof Blob ? file : new Blob([file], { type: contentType });
    return this.call(request, {
      body: () => {
        const form = new FormData();
        form.append('media', blob, filename);
        return form;
      },
    });
  }

  /** Fetches a media file: { contentType, data: Uint8Array }. */
  async getMedia(mediaId) {
    return this.call(buildRequest('mediaGet', { mediaId }), { body: 'binary' });
  }

  /** Sends a payload to the dialogue platform with the `chatbot` option's bot. */
  async chatbotSend(payload, { random } = {}) {
    if (!this.#bot) {
      throw new WxkfError('Client needs the chatbot option ({ token, encodingAESKey, appId })', -42001, 'MissingField', { field: 'chatbot' });
    }
    const request = this.#bot.sendmsg(payload, { random });
    // The bot's TOKEN is the last segment of the sendmsg path: keep it out of error messages.
    return this.#exchange(this.#chatbotBase, request, null, undefined, [request.path.split('/').pop()]);
  }

  async #withRetries(fn) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        const retryable = e instanceof WxkfError && (e.code === -1 || (e.code === -42004 && e.retryable));
        if (!retryable || attempt >= this.#retries) throw e;
        await this.#sleep(this.#backoffMs * 2 ** attempt);
      }
    }
  }

  /**
   * One HTTP exchange. `body`: a function making a FormData, or 'binary' for media/get.
   * `secrets`: more values (besides the access token and appSecret) no error may name.
   */
  async #exchange(base, request, token, body, secrets = []) {
    const hidden = [token, this.#appSecret, request.query?.secret, ...secrets];
    const what = redact(`${request.method} ${request.path}`, hidden);
    const params = new URLSearchParams();
    if (token) params.set('access_token', token);
    for (const [k, v] of Object.entries(request.query ?? {})) params.set(k, v);
    const qs = params.toString();
    const url = `${base}${request.path}${qs ? `?${qs}` : ''}`;
    const init = { method: request.method, headers: {} };
    if (typeof body === 'function') {
      init.body = body();
    } else if (request.body != null) {
      init.body = request.body;
      init.headers['content-type'] = 'application/json';
    }
    if (this.#timeoutMs && typeof AbortSignal !== 'undefined' && AbortSignal.timeout) {
      init.signal = AbortSignal.timeout(this.#timeoutMs);
    }
    let res;
    try {
      res = await this.#fetch(url, init);
    } catch (e) {
      throw transportError(`${what} failed: ${redact(e && e.message, hidden)}`, true);
    }
    const type = res.headers.get('content-type') ?? '';
    if (body === 'binary' && res.ok && !/json|text\/plain/i.test(type)) {
      return { contentType: type, data: new Uint8Array(await res.arrayBuffer()) };
    }
    const text = await res.text();
    if (!res.ok) {
      throw transportError(`${what} answered HTTP ${res.status}`, res.status >= 500 || res.status === 429);
    }
    if (!/^\s*\{/.test(text)) {
      throw transportError(`${what} answered something other than JSON`, false);
    }
    return parseResponse(text);
  }
}
