// WXBizMsgCrypt, signature, checkSignature, readFields and writeFields (types: crypto.d.ts).
// They live in the outbound module, compiled on first use (loaders/outbound.js): a handler
// receives through Receiver, which does not need them, so an inbound handler's start compiles
// only the inbound module. Each wrapper hands its arguments over unchanged.
import { outbound } from './loaders/outbound.js';

export class WXBizMsgCrypt {
  #inner;

  constructor(options) {
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

  verifyUrl(query) {
    return this.#inner.verifyUrl(query);
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
