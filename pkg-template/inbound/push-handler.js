// The runtime-independent part of the handlers: given one request (method, query, body),
// verify and parse the push, de-duplicate, run the user's callback within the reply budget,
// and decide the answer. The Web handler and the Node adapters only do the I/O around it.
import { Receiver, RECEIVER_OPTIONS } from './receiver.js';
import { cloudReceiverFor } from './cloud-receiver.js';
import { dedupClaims } from './dedup.js';
import { ERR, WxkfError, wxkfError, invalidOption } from '../errors.js';
import { checkOptionNames, numberOption } from '../options.js';
import { reporter } from '../stores/guarded.js';
import { joinChunks } from '../bytes.js';
import { queueCall } from '../queues/consumer.js';

const TEXT = 'text/plain; charset=utf-8';
/** Sent with every answer: no browser may sniff an answer into HTML. */
export const NOSNIFF = ['x-content-type-options', 'nosniff'];
/** The answer when the callback failed or the answer could not be written. */
export const INTERNAL_ERROR = Object.freeze({ status: 500, body: 'internal error', contentType: TEXT });
/** Extra seconds of dedup memory beyond the acceptance window. */
const DEDUP_MARGIN_SECONDS = 60;
/** The window assumed for dedup when the replay window is disabled (maxSkewSeconds: 0). */
const DEFAULT_WINDOW_SECONDS = 300;
/** The longest dedup memory accepted (unless the replay window asks for more). */
const MAX_DEDUP_TTL_SECONDS = 7 * 86_400;
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

/** The documented options (handlers.d.ts HandlerOptions, with the Receiver's): a near miss of one is refused. */
const HANDLER_OPTIONS = [
  ...RECEIVER_OPTIONS, 'receiver', 'cloudHosting', 'store', 'leaseMs', 'dedup', 'dedupTtlSeconds', 'storeTimeoutMs',
  'replyTimeoutMs', 'onError', 'onMessage', 'queue', 'passiveReply',
];

/** What the reply budget resolves with when onMessage is still running. */
const LATE = Symbol('late');
/** A copy of a push whose lease another instance holds past the reply budget: try again. */
const BUSY = Object.freeze({ status: 503, body: 'error: busy', contentType: TEXT });

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
  if (options === null || typeof options !== 'object') {
    throw invalidOption('options', 'handler options must be an object { token, onMessage, ... } (see HandlerOptions)');
  }
  checkOptionNames('handler', options, HANDLER_OPTIONS);
  const { onMessage, onError, queue, passiveReply } = options;
  if (queue !== undefined) {
    // Queue mode: the handler verifies, claims and queues the push, then acknowledges it;
    // createConsumer runs onMessage (issue: acknowledged means handled).
    if (queue === null || typeof queue !== 'object' || typeof queue.enqueue !== 'function') {
      throw invalidOption('queue', 'queue must be a queue (memoryQueue(), redisQueue(client), denoKvQueue(kv), …) with enqueue(job)');
    }
    if (onMessage !== undefined) {
      throw invalidOption('onMessage', 'with queue, onMessage runs in createConsumer({ queue, onMessage }), not in the handler: '
        + 'remove it here (passiveReply(message, push) may still answer a push before it is queued)');
    }
    if (passiveReply !== undefined && typeof passiveReply !== 'function') {
      throw invalidOption('passiveReply', "passiveReply must be a function (message, push) => 'transfer' | undefined");
    }
  } else if (typeof onMessage !== 'function') {
    throw invalidOption('onMessage', 'onMessage must be a function (message, push) => reply (or pass a queue)');
  } else if (passiveReply !== undefined) {
    throw invalidOption('passiveReply', 'passiveReply is for the queue mode (with queue); return the reply from onMessage instead');
  }
  if (onError !== undefined && typeof onError !== 'function') {
    throw invalidOption('onError', 'onError must be a function (error, { phase }) => void');
  }
  // The platform waits 5 s for an answer: the callback's budget leaves time to write it.
  const replyTimeoutMs = numberOption('handler', 'replyTimeoutMs', options.replyTimeoutMs === undefined ? 3000 : options.replyTimeoutMs,
    { min: 1, max: 4500, why: 'the platform waits 5 s for the answer' });
  // Default 1000 ms, or replyTimeoutMs when that is shorter.
  const storeTimeoutMs = numberOption('handler', 'storeTimeoutMs',
    options.storeTimeoutMs === undefined ? Math.min(1000, replyTimeoutMs) : options.storeTimeoutMs,
    { min: 1, max: replyTimeoutMs, why: 'at most replyTimeoutMs: a push must be answered within 5 s' });
  if (options.receiver != null && (typeof options.receiver.receive !== 'function' || typeof options.receiver.verifyUrl !== 'function')) {
    throw invalidOption('receiver', 'receiver must be a Receiver (or an object with receive and verifyUrl)');
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
  numberOption('handler', 'dedupTtlSeconds', dedupTtlSeconds,
    { min: minTtl, max: Math.max(MAX_DEDUP_TTL_SECONDS, minTtl + DEDUP_MARGIN_SECONDS), unit: 'seconds', why: 'twice the replay window at least, 7 days at most' });
  // Without onError: one line to console.error (code, kind, phase), never silent.
  const report = reporter(onError);
  // The processing lease of a claim: the reply budget and a store call to mark it handled, plus
  // a second; short enough that a crashed instance's lease lapses before the platform's last
  // attempt (three in all, 5 s apart: about 10 s after the first).
  const leaseMs = numberOption('handler', 'leaseMs', options.leaseMs ?? replyTimeoutMs + storeTimeoutMs + 1000,
    { min: replyTimeoutMs + storeTimeoutMs, max: 10_000, why: 'the reply budget and a store call at least; at most 10 s, so that a crashed instance\'s lease lapses before the platform\'s last attempt' });
  const dedup = dedupClaims({ ...options, storeTimeoutMs }, report, leaseMs);

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
  /**
   * Queue mode, once the push is claimed: an optional quick passiveReply ('transfer' hands the
   * message to the human agents' tools instead of the queue), else the push is written to the
   * queue within the reply budget, marked handled, and only then acknowledged. A queue that
   * fails or does not answer in time: reported (phase 'queue'), the claim released, 500, so
   * that the platform tries again — never 'success' for a push that was not stored.
   */
  async function enqueue(push, key, deadline, done, release) {
    const remaining = () => Math.max(1, deadline - Date.now());
    if (passiveReply !== undefined) {
      let value;
      let timer;
      try {
        // Past the budget it decided nothing: the push is queued.
        value = await Promise.race([
          Promise.resolve().then(() => passiveReply(push.message, push)),
          new Promise((resolve) => { timer = setTimeout(resolve, remaining() / 2); }),
        ]);
      } catch (e) {
        report(e, { phase: 'reply', dedupKey: key }); // decided nothing: the push is queued
      } finally {
        clearTimeout(timer);
      }
      if (value !== undefined && !isAcknowledgement(value)) {
        let reply;
        try {
          reply = replyFor(value, push);
        } catch (e) {
          report(e, { phase: 'reply', dedupKey: key });
        }
        if (reply !== undefined && reply.body !== 'success') {
          await done();
          return reply;
        }
      }
    }
    const job = { id: key, message: push.message, format: push.format, mode: push.mode, receivedAt: Number((options.now ?? Date.now)()) };
    try {
      // Within the reply budget; a failure or no answer in time: -44001 QueueUnavailable.
      await queueCall(() => queue.enqueue(job), remaining(), 'writing the push');
    } catch (e) {
      report(e, { phase: 'queue', dedupKey: key });
      await release();
      return answer(500, 'internal error');
    }
    await done();
    return answer(200, 'success');
  }

  async function process(req) {
    const method = (req.method ?? 'GET').toUpperCase();
    if (method === 'GET' || method === 'HEAD') {
      if (!req.query || !(typeof req.query.get === 'function' ? (req.query.get('echostr') ?? null) !== null : 'echostr' in req.query)) {
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

    const started = Date.now();
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
    // The whole answer is due replyTimeoutMs after the request began: a copy that finds another
    // instance's lease waits for it within that time, the callback gets what is left.
    const deadline = started + replyTimeoutMs;
    // Store failures fail open: reported (phase 'dedup') and the push handled.
    const claim = dedup ? await dedup.claim(key, dedupTtlSeconds, deadline) : null;
    if (claim === false) return answer(200, 'success'); // handled already
    if (claim === 'busy') return BUSY; // another instance is on it: the platform tries again
    const done = async () => { if (claim) await claim.done(); };
    const release = async () => { if (claim) await claim.release(); };
    if (queue !== undefined) return enqueue(push, key, deadline, done, release);
    // onMessage's answer; a timer for the reply budget only when it is still pending.
    let work;
    let value;
    let timer;
    const late = LATE;
    try {
      work = onMessage(push.message, push);
      if (work !== null && (typeof work === 'object' || typeof work === 'function') && typeof work.then === 'function') {
        const budget = new Promise((resolve) => {
          timer = setTimeout(resolve, Math.max(0, deadline - Date.now()), late);
        });
        work = Promise.resolve(work);
        value = await Promise.race([work, budget]);
      } else {
        value = work;
        work = Promise.resolve(work);
      }
    } catch (e) {
      clearTimeout(timer);
      report(e, { phase: 'onMessage', dedupKey: key });
      await release(); // the platform's retry runs it again
      return { ...INTERNAL_ERROR, error: e }; // the Express and Koa adapters hand it on
    }
    clearTimeout(timer);
    if (value === late) {
      // Acknowledge now, marked handled first (the platform sends no copy after a 200); the
      // callback finishes in the background, its failure or a reply it returns now reported.
      const rest = work.then((lateValue) => {
        if (isAcknowledgement(lateValue)) return;
        report(wxkfError(ERR.LateReply,
          `onMessage returned a reply after replyTimeoutMs (${replyTimeoutMs} ms), when the push had already been `
          + "acknowledged with 'success': the reply was dropped. Send it through the Client instead "
          + '(a transfer_customer_service can only be a passive reply)',
        ), { phase: 'late-reply', dedupKey: key });
      }, (e) => {
        report(e, { phase: 'onMessage', dedupKey: key });
      });
      if (typeof req.waitUntil === 'function') req.waitUntil(rest);
      await done();
      return answer(200, 'success');
    }
    let reply;
    try {
      reply = replyFor(value, push);
    } catch (e) {
      report(e, { phase: 'reply', dedupKey: key });
      reply = answer(200, 'success');
    }
    await done();
    return reply;
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
  return joinChunks(parts, size);
}
