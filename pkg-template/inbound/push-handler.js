// The runtime-independent part of the handlers: given one request (method, query, body),
// verify and parse the push, de-duplicate, run the user's callback within the reply budget,
// and decide the answer. The Web handler and the Node adapters only do the I/O around it.
import { Receiver } from './receiver.js';
import { cloudReceiverFor } from './cloud-receiver.js';
import { dedupClaims } from './dedup.js';
import { ERR, WxkfError, wxkfError, invalidOption } from '../errors.js';

const TEXT = 'text/plain; charset=utf-8';
/** Sent with every answer: no browser may sniff an answer into HTML. */
export const NOSNIFF = ['x-content-type-options', 'nosniff'];
/** The answer when the callback failed or the answer could not be written. */
export const INTERNAL_ERROR = Object.freeze({ status: 500, body: 'internal error', contentType: TEXT });
/** Extra seconds of dedup memory beyond the acceptance window. */
const DEDUP_MARGIN_SECONDS = 60;
/** The window assumed for dedup when the replay window is disabled (maxSkewSeconds: 0). */
const DEFAULT_WINDOW_SECONDS = 300;
const UNAUTHORIZED = new Set([
  'ValidateSignature', 'TimestampOutOfWindow', 'ValidateAppId', 'DecryptAes', 'IllegalBuffer',
  'DecodeBase64', 'PlaintextRefused', 'UntrustedSource',
]);

/** HTTP status for a failure: 413 too large, 401 not authentic (or not for us), else 400. */
export function statusFor(error) {
  if (!(error instanceof WxkfError) && !(error && typeof error.kind === 'string')) return 500;
  if (error.kind === 'BodyTooLarge') return 413;
  return UNAUTHORIZED.has(error.kind) ? 401 : 400;
}

const answer = (status, body, contentType = TEXT) => ({ status, body, contentType });
const failure = (error) => {
  const status = statusFor(error);
  // The kind is a public, stable name; the message may describe internals, so it stays out.
  return answer(status, status === 500 ? 'internal error' : `error: ${error.kind}`);
};

const isAcknowledgement = (value) => value === undefined || value === null || value === '' || value === 'success';

/**
 * Builds the request processor shared by every handler.
 * options: { receiver? | token, encodingAESKey?, appId?, maxSkewSeconds?, maxBodyBytes?,
 *   allowPlaintext?, now? }, onMessage(message, push) -> reply, store? (Store),
 *   dedup? (false | legacy DedupStore), dedupTtlSeconds?, storeTimeoutMs? (1000),
 *   replyTimeoutMs? (3000), onError?(error, { phase, dedupKey? })
 * `now` drives every clock: the receiver's and the default dedup store's.
 */
export function createProcessor(options = {}) {
  const {
    onMessage,
    replyTimeoutMs = 3000,
    onError = () => {},
  } = options;
  if (typeof onMessage !== 'function') {
    throw invalidOption('onMessage', 'onMessage must be a function (message, push) => reply');
  }
  const receiver = cloudReceiverFor(options) ?? options.receiver ?? new Receiver({
    token: options.token,
    encodingAESKey: options.encodingAESKey,
    appId: options.appId,
    maxSkewSeconds: options.maxSkewSeconds,
    maxBodyBytes: options.maxBodyBytes,
    maxJsonDepth: options.maxJsonDepth,
    allowPlaintext: options.allowPlaintext,
    now: options.now,
  });
  // The same push is accepted while now is within ±window of its (signed) time: a span of
  // 2 × window from its first sight at the earliest. The dedup memory outlives all of it.
  const windowSeconds = receiver.maxSkewSeconds || DEFAULT_WINDOW_SECONDS;
  const minTtl = 2 * windowSeconds;
  const dedupTtlSeconds = options.dedupTtlSeconds ?? minTtl + DEDUP_MARGIN_SECONDS;
  if (typeof dedupTtlSeconds !== 'number' || !(dedupTtlSeconds >= minTtl)) {
    throw invalidOption('dedupTtlSeconds', `dedupTtlSeconds must be at least ${minTtl} (twice the replay window): a push stays acceptable for that long`);
  }
  const report = (error, info) => {
    try { onError(error, info); } catch {}
  };
  const dedup = dedupClaims(options, report);

  /** The answer the callback's return value asks for. */
  function replyFor(value, push) {
    push.checkReply?.(value); // Cloud Hosting: no passive replies unless cloudHosting.passiveReplies
    if (isAcknowledgement(value)) return answer(200, 'success');
    if (value === 'transfer' || value === 'transfer_customer_service') {
      const r = push.transferReply();
      return answer(200, r.body, r.contentType);
    }
    if (typeof value === 'object' && typeof value.body === 'string') {
      return answer(200, value.body, value.contentType ?? TEXT);
    }
    throw new TypeError("onMessage may return nothing, 'success', 'transfer', or { body, contentType }");
  }

  /**
   * req: { method, query, body?: () => Promise<Uint8Array|string>, contentType?, contentLength?,
   *        headers? (Headers or a Node headers object; Cloud Hosting reads x-wx-*), waitUntil?(promise) }
   * Returns { status, body, contentType }.
   */
  async function process(req) {
    const method = (req.method ?? 'GET').toUpperCase();
    if (method === 'GET' || method === 'HEAD') {
      if (!req.query || !(typeof req.query.get === 'function' ? req.query.get('echostr') !== null : 'echostr' in req.query)) {
        return answer(400, 'error: missing echostr');
      }
      try {
        return answer(200, receiver.verifyUrl(req.query));
      } catch (e) {
        report(e, { phase: 'verifyUrl' });
        return failure(e);
      }
    }
    if (method !== 'POST') return answer(405, 'method not allowed');

    let push;
    try {
      const max = receiver.maxBodyBytes;
      if (req.contentLength !== undefined && Number(req.contentLength) > max) {
        throw wxkfError(ERR.BodyTooLarge, `the body is larger than ${max} bytes`);
      }
      const body = await req.body(max);
      push = receiver.receive({ query: req.query, body, contentType: req.contentType, headers: req.headers });
    } catch (e) {
      report(e, { phase: 'receive' });
      return failure(e);
    }
    if (push.probe) return answer(200, 'success'); // Cloud Hosting's CheckContainerPath probe

    const key = push.dedupKey;
    // Fails open: a store error is reported (phase 'dedup') and the push is handled.
    const claim = dedup ? await dedup.claim(key, dedupTtlSeconds) : null;
    if (claim === false) return answer(200, 'success');
    const release = async () => {
      if (claim) await claim.release();
    };
    const work = Promise.resolve().then(() => onMessage(push.message, push));
    let timer;
    const late = Symbol('late');
    const budget = new Promise((resolve) => { timer = setTimeout(() => resolve(late), replyTimeoutMs); });
    let value;
    try {
      value = await Promise.race([work, budget]);
    } catch (e) {
      clearTimeout(timer);
      report(e, { phase: 'onMessage', dedupKey: key });
      await release();
      return answer(500, 'internal error');
    }
    clearTimeout(timer);
    if (value === late) {
      // Acknowledge now; the callback finishes in the background. If it fails, the key is
      // released so that the platform's retry runs it again. A reply it returns now cannot
      // reach the user: say so.
      const rest = work.then((late) => {
        if (isAcknowledgement(late)) return;
        report(wxkfError(ERR.LateReply,
          `onMessage returned a reply after replyTimeoutMs (${replyTimeoutMs} ms), when the push had already been `
          + "acknowledged with 'success': the reply was dropped. Send it through the Client instead "
          + '(a transfer_customer_service can only be a passive reply)',
        ), { phase: 'late-reply', dedupKey: key });
      }, async (e) => {
        report(e, { phase: 'onMessage', dedupKey: key });
        await release();
      });
      if (typeof req.waitUntil === 'function') req.waitUntil(rest);
      return answer(200, 'success');
    }
    try {
      return replyFor(value, push);
    } catch (e) {
      report(e, { phase: 'reply', dedupKey: key });
      return answer(200, 'success');
    }
  }

  return { process, receiver, report };
}

/** Reads a stream of Uint8Array chunks (Web ReadableStream or Node Readable) up to max bytes. */
export async function readLimited(chunks, max) {
  const parts = [];
  let size = 0;
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    size += bytes.byteLength;
    if (size > max) {
      throw wxkfError(ERR.BodyTooLarge, `the body is larger than ${max} bytes`);
    }
    parts.push(bytes);
  }
  if (parts.length === 1) return new Uint8Array(parts[0].buffer, parts[0].byteOffset, parts[0].byteLength);
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
