// Receiver: the inbound side of one account. A thin wrapper over the wasm PushReceiver: it
// reads the clock, normalises the query and the body, and makes one wasm call per push.
import { PushReceiver, __transferPlaintext } from '../wasm/wechat_kf.js';
import { outbound } from '../loaders/outbound.js';
import { ERR, wxkfError, invalidOption } from '../errors.js';
import { bodyBytes, optionalStringArg, replyArgs, textArg } from '../args.js';
import { checkOptionNames } from '../options.js';
import { pushFromJson, UTF16_PREFERRED } from './push-json.js';

const XML_TYPE = 'text/xml; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The longest value of each query parameter, checked before anything is copied into wasm
 * memory (which never shrinks): signatures are 40 hex characters, timestamps at most 10 digits,
 * the platform's nonces about 10 digits, echostr a short token.
 */
export const QUERY_LIMITS = Object.freeze({
  signature: 40, msg_signature: 40, timestamp: 10, nonce: 64, encrypt_type: 8, echostr: 512,
});
const MAX_CONTENT_TYPE = 256;
const NO_REQUEST = Object.freeze({});

/** The documented options (receiver.d.ts ReceiverOptions): a near miss of one is refused. */
export const RECEIVER_OPTIONS = Object.freeze([
  'token', 'encodingAESKey', 'appId', 'maxSkewSeconds', 'maxBodyBytes', 'maxJsonDepth', 'allowPlaintext', 'now',
]);

const badQuery = (message, name) => wxkfError(ERR.InvalidQuery, message, { field: name });

/**
 * A query parameter from URLSearchParams, a plain object (first of an array) or a Map, capped;
 * a string, or a number's digits (a value of another type is refused: -41004 naming it).
 */
function param(query, ...names) {
  if (!query) return undefined;
  for (const name of names) {
    let v = typeof query.get === 'function' ? query.get(name) : query[name];
    if (Array.isArray(v)) v = v[0];
    if (v !== undefined && v !== null) {
      const text = textArg(v, ERR.InvalidQuery, names[0]);
      const max = QUERY_LIMITS[names[0]];
      if (max !== undefined && text.length > max) {
        throw badQuery(`the query parameter ${names[0]} is ${text.length} characters long, more than the ${max} allowed`, names[0]);
      }
      return text;
    }
  }
  return undefined;
}

export class Receiver {
  #inner;
  #now;
  #maxBodyBytes;
  #keys; // for the encrypted replies, made by the outbound module (#replyCrypt)
  #replyCrypt;

  /**
   * @param {{ token: string, encodingAESKey?: string, appId?: string, maxSkewSeconds?: number,
   *   maxBodyBytes?: number, maxJsonDepth?: number, allowPlaintext?: boolean,
   *   now?: () => number }} options  Without encodingAESKey (a plaintext-mode account) only
   *   plaintext pushes are accepted; with it, only encrypted ones unless allowPlaintext.
   */
  constructor(options = {}) {
    checkOptionNames('Receiver', options, RECEIVER_OPTIONS);
    const { now = Date.now, ...rest } = options ?? {};
    if (typeof now !== 'function') {
      throw invalidOption('now', 'now must be a function returning milliseconds, like Date.now');
    }
    this.#inner = new PushReceiver(rest);
    this.#inner.crossUtf16 = UTF16_PREFERRED;
    this.#maxBodyBytes = this.#inner.maxBodyBytes; // fixed at construction: not asked of wasm per push
    this.#now = now;
    this.#keys = { token: rest.token, encodingAESKey: rest.encodingAESKey, appId: rest.appId };
  }

  /** The replay window (seconds; 0 when disabled). */
  get maxSkewSeconds() {
    return this.#inner.maxSkewSeconds;
  }

  /** Whether an EncodingAESKey is configured (encrypted pushes accepted). */
  get hasKey() {
    return this.#inner.hasKey;
  }

  /** Largest body accepted (bytes). */
  get maxBodyBytes() {
    return this.#maxBodyBytes;
  }

  #seconds() {
    return Math.floor(Number(this.#now()) / 1000);
  }

  #checkSize(size) {
    const max = this.#maxBodyBytes;
    if (size > max) throw wxkfError(ERR.BodyTooLarge, `the body is ${size} bytes or more, more than the limit of ${max}`);
  }

  /**
   * Answers the URL verification GET: returns the string to respond with (the echostr). An
   * echostr that does not look like the platform's (1 to 512 printable ASCII characters
   * without < > & " ') is refused with -41004, so that a captured signature cannot make the
   * server answer arbitrary text; so is a `msg_signature` query (WeCom's encrypted form, which
   * the platforms this package serves never send), so that no captured push is decrypted.
   */
  verifyUrl(query) {
    const args = [
      param(query, 'signature'),
      param(query, 'timestamp'),
      param(query, 'nonce'),
      param(query, 'echostr'),
      param(query, 'msg_signature', 'msgSignature'),
    ];
    return this.#inner.verifyUrl(...args, this.#seconds());
  }

  /**
   * Verifies, decrypts and parses one push.
   * @param {{ query: URLSearchParams | Record<string, unknown>, body: string | Uint8Array | ArrayBuffer, contentType?: string }} request
   */
  receive(request) {
    let { query, body, contentType } = request ?? NO_REQUEST;
    // Each parameter is capped (QUERY_LIMITS) before anything is copied into wasm memory, and
    // type-checked: it crosses as a string (see args.js).
    const signature = param(query, 'signature');
    const timestamp = param(query, 'timestamp');
    const nonce = param(query, 'nonce');
    const encryptType = param(query, 'encrypt_type', 'encryptType');
    const msgSignature = param(query, 'msg_signature', 'msgSignature');
    contentType = optionalStringArg(contentType, ERR.InvalidQuery, 'contentType');
    if (contentType !== undefined && contentType.length > MAX_CONTENT_TYPE) {
      contentType = contentType.slice(0, MAX_CONTENT_TYPE); // only a hint for the error's kind
    }
    const now = this.#seconds();
    // The size limit comes before the body is copied into wasm memory (which never shrinks).
    // A string of n UTF-16 units is at least n bytes of UTF-8.
    let json; // a large push without message.raw (taken right after)
    if (typeof body === 'string') {
      this.#checkSize(body.length);
      json = this.#inner.receiveText(signature, timestamp, nonce, encryptType, msgSignature, body, contentType, now);
    } else {
      const bytes = bodyBytes(body);
      this.#checkSize(bytes.byteLength);
      json = this.#inner.receiveBytes(signature, timestamp, nonce, encryptType, msgSignature, bytes, contentType, now);
    }
    const inner = this.#inner;
    const push = pushFromJson(json, inner);
    const seconds = () => this.#seconds();
    const { message, format, mode } = push;
    /** The passive `transfer_customer_service` reply, in the push's format (encrypted if it was). */
    push.transferReply = () => ({
      body: this.#transferReply(message, format, mode !== 'plaintext', String(seconds())),
      contentType: format === 'json' ? JSON_TYPE : XML_TYPE,
    });
    return push;
  }

  /**
   * The `transfer_customer_service` body: a plaintext push's here, an encrypted push's by the
   * outbound module (encrypting is outbound work; its WXBizMsgCrypt is made on the first one).
   */
  #transferReply(message, format, encrypted, timestamp) {
    const args = replyArgs(message, format, timestamp);
    if (!encrypted) return __transferPlaintext(...args);
    // After free() the keys are gone too: no new reply crypt is made (and left unfreed).
    if (this.#keys === undefined) throw new Error('this Receiver was freed (free()); make a new one to reply');
    this.#replyCrypt ??= new (outbound().WXBizMsgCrypt)(this.#keys);
    return this.#replyCrypt.__transferReply(...args);
  }

  /** Releases the wasm memory now rather than at garbage collection. */
  free() {
    this.#inner.free();
    this.#replyCrypt?.free();
    this.#replyCrypt = undefined;
    this.#keys = undefined;
  }
}
