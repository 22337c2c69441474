// The push handlers: createHandler (Web Request/Response) and the Node adapters.
import type { CloudHostingOptions } from './cloud-receiver.js';
import type { KfMessage } from './messages.js';
import type { Push, PushReply, Receiver, ReceiverOptions } from './receiver.js';
import type { DedupStore, Store } from '../stores/store.js';
import type { Queue } from '../queues/queue.js';

/**
 * What onMessage may return: nothing or 'success' (acknowledge), 'transfer' (hand the message
 * to the customer-service tools), or a body to send as is.
 */
export type MessageReply = void | undefined | null | '' | 'success' | 'transfer' | 'transfer_customer_service' | PushReply;

/** The options every handler takes, in either mode (inline: onMessage; queue mode: queue). */
export interface HandlerBaseOptions extends Partial<ReceiverOptions> {
  /** An existing Receiver (otherwise token, encodingAESKey, appId... build one). */
  receiver?: Receiver;
  /**
   * WeChat Cloud Hosting mode: unsigned pushes over the platform's link (see CloudHostingOptions).
   * Cannot be combined with token, encodingAESKey, allowPlaintext or receiver (-41006).
   */
  cloudHosting?: CloudHostingOptions;
  /**
   * Where dedup claims are recorded under `dedup:<dedupKey>`: a processing lease
   * (`lease:<id>`, leaseMs) taken before onMessage runs, turned into `done:<id>` for
   * dedupTtlSeconds once the push was handled or acknowledged, deleted (its own only) when
   * onMessage failed. A copy that finds another's lease waits for it within its reply budget
   * and is answered 503 if it is still held (the platform tries again): never 'success' before
   * the push was handled. Default: a MemoryStore (one process) on the `now` clock. Share one
   * (redisStore, durableObjectStore, denoKvStore) across instances. Store failures fail open:
   * reported through onError (phase 'dedup'), the push handled.
   */
  store?: Store;
  /**
   * The processing lease of a claim (default replyTimeoutMs + storeTimeoutMs + 1000: 5000 ms).
   * From replyTimeoutMs + storeTimeoutMs to 10000, else -41006: a crashed instance's lease
   * lapses before the platform's last attempt (three, 5 s apart), and another instance handles it.
   */
  leaseMs?: number;
  /** false turns de-duplication off; a legacy DedupStore is still accepted (prefer `store`). */
  dedup?: DedupStore | false;
  /**
   * How long a key is kept: default 2 × maxSkewSeconds + 60 (660 s), so that it outlives every
   * moment the same push is still accepted; less than 2 × maxSkewSeconds or more than 7 days
   * (unless the replay window needs more) throws -41006.
   */
  dedupTtlSeconds?: number;
  /**
   * How long a store call may take before the handler fails open (default 1000 ms, or
   * replyTimeoutMs when shorter). 1..replyTimeoutMs, else -41006.
   */
  storeTimeoutMs?: number;
  /**
   * How long to wait for onMessage before answering 'success' and letting it finish in the
   * background (default 3000 ms). 1..4500 (the platform waits 5 s), else -41006.
   */
  replyTimeoutMs?: number;
  /**
   * Failures, for logging: the error and where it happened. Never given secrets.
   * 'late-reply': onMessage returned a reply after the push was acknowledged (-41007
   * LateReply): it did not reach the user. 'respond': the answer could not be written
   * (answered 500 when possible). Without onError, one line per failure goes to console.error
   * (code, kind and phase; never a message or a secret). onError may throw, reject or never
   * settle: nothing waits for it, and its own failure goes to console.error too. 'dedup'
   * includes -43005 LeaseLost: the lease had lapsed when the push was marked handled (another
   * instance may handle it too). With createExpressMiddleware, a failed onMessage also goes to
   * `next(error)`; with createKoaMiddleware, to `app.emit('error', error, ctx)`.
   */
  onError?(error: unknown, info: { phase: 'verifyUrl' | 'receive' | 'dedup' | 'onMessage' | 'reply' | 'late-reply' | 'respond' | 'queue'; dedupKey?: string }): void;
}

/** Inline mode: onMessage runs in the handler, within replyTimeoutMs (then in the background). */
export interface InlineHandlerOptions extends HandlerBaseOptions {
  /** Called once per push (retries are de-duplicated). */
  onMessage(message: KfMessage, push: Push): MessageReply | Promise<MessageReply>;
  queue?: undefined;
  passiveReply?: undefined;
}

/**
 * Queue mode: the handler verifies and claims the push, writes it to `queue` within
 * replyTimeoutMs and only then answers 'success'; createConsumer({ queue, onMessage }) runs
 * onMessage elsewhere (at least once, retried, dead-lettered after a bound). A queue that fails
 * or does not answer in time: reported (phase 'queue'), the claim released, answered 500 (the
 * platform tries again). No onMessage here (-41006).
 */
export interface QueueHandlerOptions extends HandlerBaseOptions {
  /** memoryQueue() (one process, not durable), redisQueue(client), denoKvQueue(kv), the Workers queue. */
  queue: Queue;
  onMessage?: undefined;
  /**
   * A quick decision before the push is queued, within half of what is left of the reply
   * budget: 'transfer' (or 'transfer_customer_service', or a { body, contentType }) answers the
   * push with that passive reply and does not queue it; nothing (or 'success', or no decision in
   * time, or a throw: reported, phase 'reply') queues it. For mini programs the only passive
   * reply the platform takes is transfer_customer_service.
   */
  passiveReply?(message: KfMessage, push: Push): MessageReply | Promise<MessageReply>;
}

/** The options of createHandler, createNodeListener and the Express/Koa middleware. */
export type HandlerOptions = InlineHandlerOptions | QueueHandlerOptions;

/** Web-standard handler: Deno.serve, Workers (pass ctx for waitUntil), Bun.serve, Node (>= 20.19). */
export declare function createHandler(
  options: HandlerOptions,
): (request: Request, ctx?: { waitUntil(promise: Promise<unknown>): void }) => Promise<Response>;

/** node:http listener: `http.createServer(createNodeListener(options))`. */
export declare function createNodeListener(options: HandlerOptions): (req: any, res: any) => void;

/** Express middleware; mount before express.json() (or use express.raw for its route). */
export declare function createExpressMiddleware(options: HandlerOptions): (req: any, res: any, next: (err?: unknown) => void) => void;

/** Koa middleware (reads ctx.request.rawBody when koa-bodyparser ran first). */
export declare function createKoaMiddleware(options: HandlerOptions): (ctx: any, next?: () => Promise<unknown>) => Promise<void>;
