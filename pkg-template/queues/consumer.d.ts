// createConsumer: runs onMessage for the pushes a handler in queue mode (createHandler({ queue }))
// wrote to a queue, with at-least-once delivery, retries, a bound and a dead letter.
import type { KfMessage } from '../inbound/messages.js';
import type { Client } from '../outbound/client.js';
import type { SendWindow } from '../outbound/send-window.js';
import type { Queue, QueueJob } from './queue.js';

/** What onMessage gets beside the message. */
export interface ConsumerContext<C = Client | undefined> {
  /**
   * The push's dedup key (the job's id): the same for every delivery of the push. Make the
   * handling idempotent by it (a send or a write recorded under it) and a push is handled once
   * even when a consumer died mid-handle and another ran it again.
   */
  dedupKey: string;
  /** 1 for the first delivery, then 2, 3, … (a delivery after a consumer died counts too). */
  attempt: number;
  /** The consumer's `client` option. */
  client: C;
  /** The job as queued (id, message, format, mode, receivedAt). */
  job: QueueJob;
}

export interface ConsumerOptions<C extends Client | undefined = Client | undefined> {
  /** Where the handlers queue the pushes: memoryQueue(), redisQueue(client), denoKvQueue(kv), the Workers queue. */
  queue: Queue;
  /**
   * Handles one push. Resolving acknowledges it; throwing, rejecting or not settling within
   * visibilityMs fails the attempt (reported, phase 'onMessage'), and the push is delivered
   * again after retryDelayMs(attempt), up to maxAttempts; then it is kept as a dead letter.
   * Its return value is not used (no passive reply: send with the Client).
   */
  onMessage(message: KfMessage, context: ConsumerContext<C>): unknown;
  /** A Client, handed to onMessage; needed for typing. Give it the SendWindow (`sendWindow`) and every send is checked against it. */
  client?: C;
  /**
   * Failures: 'onMessage' an attempt failed (it will be retried; `attempt`); 'queue' the
   * engine failed (-44001 QueueUnavailable) or a push was dead-lettered (-44002 DeadLettered,
   * once per push, the error carrying `job`, `attempts` and `cause`); 'typing' a typing call
   * failed (the delivery goes on); 'sendWindow' observing the push failed. Without onError, one
   * line per failure goes to console.error (code, kind and phase; never a message or a body).
   */
  onError?(error: unknown, info: { phase: 'onMessage' | 'queue' | 'typing' | 'sendWindow'; dedupKey?: string; attempt?: number }): void;
  /** Deliveries in hand at once in this consumer (default 1; 1..1000). */
  concurrency?: number;
  /** Attempts before a push is dead-lettered (default 5; 1..100). */
  maxAttempts?: number;
  /**
   * Keeps the user's chat showing "typing…" while onMessage runs (needs `client`): Typing at the
   * start and every ~10 s while the platform allows it (within 30 s of the user's push), and
   * CancelTyping when onMessage ends (if the state may still show: about 15 s after the last
   * Typing). Failures are reported (phase 'typing'), never failing the delivery.
   * `{ intervalMs }` sets the interval (default 10000; 1..15000).
   */
  typing?: boolean | { intervalMs?: number };
  /**
   * How long onMessage may take (default 60000 ms; 100 ms..12 h). Past it the attempt fails
   * (-44003 HandlerTimeout); a delivery whose consumer died is handed out again once this long
   * has passed since it was handed out.
   */
  visibilityMs?: number;
  /**
   * The wait before attempt n + 1 after attempt n failed: a function of n, or a number (the first
   * wait, doubled each attempt). Default 1 s, 4 s, 16 s, then 60 s. redisQueue waits at most visibilityMs.
   */
  retryDelayMs?: number | ((attempt: number) => number);
  /** The deadline of the consumer's own queue calls (deadLetter) and of each typing call (default 5000 ms). */
  queueTimeoutMs?: number;
  /**
   * The SendWindow the Client checks before each send: the consumer records the push in it (at
   * the push's CreateTime) before the first attempt's onMessage, so that the Client's sends
   * are counted against the user's window.
   */
  sendWindow?: SendWindow;
  /** The clock for the typing rules (ms; default Date.now). */
  now?: () => number;
}

export interface Consumer {
  /** Starts consuming (does nothing when started already). */
  start(): void;
  /** Takes no new delivery; resolves once those in hand have settled (at most visibilityMs and a dead letter's write). */
  stop(): Promise<void>;
  readonly running: boolean;
}

export declare function createConsumer<C extends Client | undefined = Client | undefined>(options: ConsumerOptions<C>): Consumer;
