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
  /**
   * -42004 Transport: the code of what made the request fail, when it has one: an errno name
   * ('ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET'), a TLS code ('DEPTH_ZERO_SELF_SIGNED_CERT',
   * 'CERT_HAS_EXPIRED'), undici's ('UND_ERR_SOCKET'), or 'TimeoutError' (timeoutMs passed).
   * The message says it in words, with the method, host and path (never the query).
   */
  readonly causeCode?: string;
  /** The option (-41006 InvalidOption), query parameter (-41004) or input field (-42001 / -42002) at fault. */
  readonly field?: string;
  /** -43001 StoreOverBound: the number of live keys, and the bound it passed. */
  readonly size?: number;
  readonly maxKeys?: number;
  /** -43004 StoreMisconfigured: what was found ('maxmemory-policy', 'persistence'). */
  readonly problems?: string[];
  /** -43002 StoreUnavailable: the store's own error. */
  readonly cause?: unknown;
  constructor(message: string, code: number, kind: string, details?: Record<string, unknown>);
}

/**
 * The package's own error kinds, generated from the Rust table (src/error.rs): WXBizMsgCrypt
 * -40001 .. -40012, inbound -41001 .. -41007, outbound -42001 .. -42004, stores -43001 .. -43005, queues -44001 .. -44003.
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

/**
 * Loads the WebAssembly modules. Required once in browsers before any other call: it loads the
 * inbound module (`input`) and the outbound one (`outboundInput`: WXBizMsgCrypt, signatures,
 * fields, an encrypted push's `transferReply()`, requests, Client, chatbot, SendWindow), each
 * fetched from beside the package when not given. A no-op in Node, Deno, Bun and Workers, where the inbound module is ready at import
 * and the outbound one is compiled synchronously on first use. Idempotent.
 */
export declare function init(
  input?: string | URL | Request | Response | BufferSource | WebAssembly.Module,
  outboundInput?: string | URL | Request | Response | BufferSource | WebAssembly.Module,
): Promise<void>;

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

// The declarations of each part live next to it; this file is the package's types entry.
export * from './crypto.js';
export * from './inbound/messages.js';
export * from './inbound/receiver.js';
export * from './inbound/handlers.js';
export * from './inbound/cloud-receiver.js';
export * from './stores/store.js';
export * from './outbound/requests.js';
export * from './outbound/response.js';
export * from './outbound/send-window.js';
export * from './outbound/chatbot.js';
export * from './outbound/client.js';
export * from './queues/queue.js';
export * from './queues/consumer.js';
