// WXBizMsgCrypt, signature, checkSignature, readFields and writeFields (types: crypto.d.ts).
// They live in the outbound module, compiled on first use (loaders/outbound.js): a handler
// receives through Receiver, which does not need them, so an inbound handler's start compiles
// only the inbound module. Each wrapper hands its arguments over unchanged.
import { outbound } from './loaders/outbound.js';
import { invalidOption } from './errors.js';
import { checkOptionNames } from './options.js';

/** The documented options (crypto.d.ts CryptOptions; chatbot.Bot's too): a near miss is refused. */
export const CRYPT_OPTIONS = Object.freeze(['token', 'encodingAESKey', 'appId']);

/** The replay window of verifyUrl when a clock is given (the Receiver's default too). */
const DEFAULT_SKEW_SECONDS = 300;

export class WXBizMsgCrypt {
  #inner;

  constructor(options) {
    checkOptionNames('WXBizMsgCrypt', options, CRYPT_OPTIONS);
    this.#inner = new (outbound().WXBizMsgCrypt)(options);
  }

  get appId() {
    return this.#inner.appId;
  }

  encrypt(plaintext, random) {
    return this.#inner.encrypt(plaintext, random);
  }

  decrypt(encrypt) {
    return this.#inner.decrypt(encrypt);
  }

  msgSignature(timestamp, nonce, encrypt) {
    return this.#inner.msgSignature(timestamp, nonce, encrypt);
  }

  decryptMessage(params) {
    return this.#inner.decryptMessage(params);
  }

  encryptMessage(plaintext, options) {
    return this.#inner.encryptMessage(plaintext, options);
  }

  /**
   * The answer to a URL verification query: echostr (plain form) or its decryption (WeCom's
   * encrypted form); either must look like an echostr, so a captured push is never decrypted.
   * With `options.now`, the timestamp must lie within `maxSkewSeconds` (default 300) of it.
   */
  verifyUrl(query, options) {
    if (options === undefined) return this.#inner.verifyUrl(query, undefined, 0);
    if (options === null || typeof options !== 'object') {
      throw invalidOption('options', 'verifyUrl options must be an object { now?, maxSkewSeconds? }');
    }
    const { now, maxSkewSeconds = DEFAULT_SKEW_SECONDS } = options;
    if (now !== undefined && typeof now !== 'function') {
      throw invalidOption('now', 'now must be a function returning milliseconds, like Date.now');
    }
    if (!Number.isSafeInteger(maxSkewSeconds) || maxSkewSeconds < 0) {
      throw invalidOption('maxSkewSeconds', 'maxSkewSeconds must be a whole number of seconds, 0 or more (0: no window)');
    }
    const seconds = now === undefined ? undefined : Math.floor(Number(now()) / 1000);
    return this.#inner.verifyUrl(query, seconds, maxSkewSeconds);
  }

  /** Releases the instance's memory now instead of at garbage collection. */
  free() {
    this.#inner.free();
  }
}
if (Symbol.dispose) WXBizMsgCrypt.prototype[Symbol.dispose] = WXBizMsgCrypt.prototype.free;

export function signature(token, timestamp, nonce, encrypt) {
  return outbound().signature(token, timestamp, nonce, encrypt);
}

export function checkSignature(token, timestamp, nonce, signature, encrypt) {
  return outbound().checkSignature(token, timestamp, nonce, signature, encrypt);
}

export function readFields(body) {
  return outbound().readFields(body);
}

export function writeFields(fields, format) {
  return outbound().writeFields(fields, format);
}
