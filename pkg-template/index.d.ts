/** Every failure of the package. */
export declare class WxkfError extends Error {
  readonly name: 'WxkfError';
  /** Official WXBizMsgCrypt code (-40001 .. -40012) or the platform's errcode. */
  readonly code: number;
  /** Stable string naming the failure, e.g. 'ValidateSignature', 'IllegalAesKey'. */
  readonly kind: WxkfErrorKind | (string & {});
  constructor(message: string, code: number, kind: string, details?: Record<string, unknown>);
}

export type WxkfErrorKind =
  | 'ValidateSignature' // -40001
  | 'ParseXml' // -40002
  | 'ComputeSignature' // -40003
  | 'IllegalAesKey' // -40004
  | 'ValidateAppId' // -40005
  | 'EncryptAes' // -40006
  | 'DecryptAes' // -40007
  | 'IllegalBuffer' // -40008
  | 'EncodeBase64' // -40009
  | 'DecodeBase64' // -40010
  | 'GenReturnXml' // -40011
  | 'ParseJson'; // -40012

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

/**
 * Loads the WebAssembly module. Required once in browsers before any other call; a no-op in
 * Node, Deno, Bun and Workers, where the import is ready synchronously. Idempotent.
 */
export declare function init(
  input?: string | URL | Request | Response | BufferSource | WebAssembly.Module,
): Promise<void>;
