// Receiver: the inbound side of one account. A thin wrapper over the wasm PushReceiver: it
// reads the clock, normalises the query and the body, and makes one wasm call per push.
import { PushReceiver } from './wechat_kf.js';
import { WxkfError } from './errors.js';

const XML_TYPE = 'text/xml; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

/** A query parameter from URLSearchParams, a plain object (first of an array) or a Map. */
function param(query, ...names) {
  if (!query) return undefined;
  for (const name of names) {
    let v = typeof query.get === 'function' ? query.get(name) : query[name];
    if (Array.isArray(v)) v = v[0];
    if (v !== undefined && v !== null) return String(v);
  }
  return undefined;
}

export class Receiver {
  #inner;
  #now;

  /**
   * @param {{ token: string, encodingAESKey: string, appId: string, maxSkewSeconds?: number,
   *   maxBodyBytes?: number, maxJsonDepth?: number, now?: () => number }} options
   */
  constructor(options = {}) {
    const { now = Date.now, ...rest } = options ?? {};
    if (typeof now !== 'function') {
      throw new WxkfError('now must be a function returning milliseconds, like Date.now', -41006, 'InvalidOption');
    }
    this.#inner = new PushReceiver(rest);
    this.#now = now;
  }

  /** Largest body accepted (bytes). */
  get maxBodyBytes() {
    return this.#inner.maxBodyBytes;
  }

  #seconds() {
    return Math.floor(Number(this.#now()) / 1000);
  }

  /** Answers the URL verification GET: returns the string to respond with (the echostr). */
  verifyUrl(query) {
    return this.#inner.verifyUrl(
      param(query, 'signature'),
      param(query, 'timestamp'),
      param(query, 'nonce'),
      param(query, 'echostr'),
      param(query, 'msg_signature', 'msgSignature'),
      this.#seconds(),
    );
  }

  /**
   * Verifies, decrypts and parses one push.
   * @param {{ query: URLSearchParams | Record<string, unknown>, body: string | Uint8Array | ArrayBuffer, contentType?: string }} request
   */
  receive({ query, body, contentType } = {}) {
    const args = [
      param(query, 'signature'),
      param(query, 'timestamp'),
      param(query, 'nonce'),
      param(query, 'encrypt_type', 'encryptType'),
      param(query, 'msg_signature', 'msgSignature'),
    ];
    const now = this.#seconds();
    // The size limit comes before the body is copied into wasm memory (which never shrinks).
    // A string of n UTF-16 units is at least n bytes of UTF-8.
    const max = this.#inner.maxBodyBytes;
    const tooLarge = (size) => {
      if (size > max) throw new WxkfError(`the body is ${size} bytes or more, more than the limit of ${max}`, -41002, 'BodyTooLarge');
    };
    let json;
    if (typeof body === 'string') {
      tooLarge(body.length);
      json = this.#inner.receiveText(...args, body, contentType ?? undefined, now);
    } else {
      const bytes = body instanceof Uint8Array ? body
        : body instanceof ArrayBuffer ? new Uint8Array(body)
        : ArrayBuffer.isView(body) ? new Uint8Array(body.buffer, body.byteOffset, body.byteLength)
        : new Uint8Array(0);
      tooLarge(bytes.byteLength);
      json = this.#inner.receiveBytes(...args, bytes, contentType ?? undefined, now);
    }
    const push = JSON.parse(json);
    const inner = this.#inner;
    const seconds = () => this.#seconds();
    const { message, format, mode } = push;
    /** The passive `transfer_customer_service` reply, in the push's format (encrypted if it was). */
    push.transferReply = () => ({
      body: inner.transferReply(
        message.fromUserName,
        message.toUserName,
        format,
        mode !== 'plaintext',
        message.msgType === 'event',
        String(seconds()),
      ),
      contentType: format === 'json' ? JSON_TYPE : XML_TYPE,
    });
    return push;
  }

  /** Releases the wasm memory now rather than at garbage collection. */
  free() {
    this.#inner.free();
  }
}
