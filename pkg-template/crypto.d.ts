// WXBizMsgCrypt, signatures and the body fields of a push: the crypto API (crypto.js, over the
// outbound module, compiled on first use).

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

/** The replay window of `WXBizMsgCrypt.verifyUrl`, used when a clock is given. */
export interface VerifyUrlOptions {
  /** The clock, in milliseconds (like Date.now). Without it there is no time window. */
  now?: () => number;
  /** Largest distance of the query's timestamp from now, in seconds (default 300; 0: none). */
  maxSkewSeconds?: number;
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
  /**
   * Returns the string to answer the verification GET with: echostr (plain form, `signature`)
   * or its decryption (WeCom's encrypted form, `msgSignature`). Either must look like an
   * echostr (1 to 512 printable ASCII characters without < > & " '; -41004 otherwise), so a
   * captured push sent as echostr is never decrypted. With `options.now` the timestamp must lie
   * within `maxSkewSeconds` (default 300; 0 turns the window off) of it (-41001).
   */
  verifyUrl(query: VerifyUrlQuery, options?: VerifyUrlOptions): string;
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

/**
 * A value writeFields (and cloudPushBody) writes: text (a string, a number, a bigint), or nested
 * as the platform nests fields: an object is an element with children (a JSON object), an
 * array the element repeated (a JSON array), e.g. `{ SubscribeMsgPopupEvent: { List: [...] } }`.
 */
export type FieldValue = string | number | bigint | { [name: string]: FieldValue | undefined } | FieldValue[];

/** Writes fields in order as the platform does: `<xml>` with CDATA (default) or a JSON object; top-level CreateTime, MsgId and BusinessId bare; nested values as FieldValue says. Undefined values are left out. */
export declare function writeFields(fields: Record<string, FieldValue | undefined>, format?: 'xml' | 'json'): string;
