// The queue contract of the queue mode (createHandler({ queue }), createConsumer): what an
// engine adapter implements. Shipped adapters: memoryQueue ('wechat-kf'; one process, not
// durable), redisQueue ('wechat-kf/redis'), denoKvQueue ('wechat-kf/deno-kv') and the Workers
// queue ('wechat-kf/cloudflare').
import type { KfMessage } from '../inbound/messages.js';
import type { PushFormat, PushMode } from '../inbound/receiver.js';

/** One push, as the handler queues it. */
export interface QueueJob {
  /** The push's dedupKey: the job's identity (an engine may keep one job per id). */
  id: string;
  /** The push's typed message (JSON-safe: ids are strings). */
  message: KfMessage;
  format: PushFormat;
  mode: PushMode;
  /** When the handler received it (ms since the epoch, on the handler's `now` clock). */
  receivedAt: number;
}

/** One delivery of a job to a consumer. */
export interface QueueDelivery {
  job: QueueJob;
  /** 1 for the first delivery, then 2, 3, … (a delivery after a crash counts too). */
  attempt: number;
}

export interface QueueConsumeOptions {
  /** Deliveries in hand at once (at least 1). */
  concurrency: number;
  /** A delivery not settled this long after it was handed out (its consumer died) is handed out again. */
  visibilityMs: number;
  /** The wait before a job whose handling failed is delivered again (attempt: the failed one). */
  retryDelayMs(attempt: number): number;
  /** Ends consuming: no new deliveries; consume() resolves once those in hand have settled. */
  signal: AbortSignal;
  /**
   * The engine's own failures (a read that failed, a lost connection), reported and retried.
   * Called with `{ phase: 'queue' }`; one that throws or rejects, or none, writes one
   * console.error line instead.
   */
  onError(error: unknown, info: { phase: 'queue' }): void;
}

/** What an engine adapter implements. Every method may be called from several processes at once. */
export interface Queue {
  /** Stores a job durably; resolves once it is stored (the handler acknowledges the push then). */
  enqueue(job: QueueJob): Promise<void>;
  /**
   * Delivers jobs to `handle`, at least once each: a delivery whose `handle` resolves is
   * acknowledged (removed for good); one whose `handle` rejects is delivered again after
   * `retryDelayMs(attempt)`; one whose consumer died is delivered again after `visibilityMs`.
   * Resolves after `signal` aborted and every delivery in hand has settled.
   */
  consume(handle: (delivery: QueueDelivery) => Promise<void>, options: QueueConsumeOptions): Promise<void>;
  /**
   * Keeps a job that failed every attempt, for inspection (a dead letter); resolves once stored:
   * `true` (or nothing) when kept now, `false` when a dead letter of this job id was kept
   * already (the job was delivered again after a consumer died between keeping it and
   * acknowledging it): createConsumer reports a dead letter only when it was kept now.
   */
  deadLetter(job: QueueJob, info: { attempts: number; error: string }): Promise<boolean | void>;
  /** The dead letters kept (newest last), at most `limit` (default 100). */
  deadLetters(limit?: number): Promise<Array<{ job: QueueJob; attempts: number; error: string; at: number }>>;
}

export interface MemoryQueueOptions {
  /** The dead letters kept (the oldest dropped past it; default 1000). */
  maxDeadLetters?: number;
}

/**
 * The queue in this process's memory: NOT durable (a restart, a crash or a deploy loses every
 * job it holds) and not shared between processes. For one process and for tests; use
 * redisQueue, denoKvQueue or the Workers queue when a push must survive its process.
 * Enqueueing an id that is waiting or in hand does nothing (one job per id).
 */
export declare function memoryQueue(options?: MemoryQueueOptions): Queue & {
  readonly kind: 'memory';
  readonly durable: false;
  /** Jobs waiting or in hand (not the dead letters). */
  readonly size: number;
  /** Jobs waiting or in hand, and dead letters kept. */
  stats(): Promise<{ queued: number; dead: number }>;
};
