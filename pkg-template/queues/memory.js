// memoryQueue(): the queue contract (queue.d.ts) in one process's memory. NOT durable: a
// restart, a crash or a deploy loses every job it holds, and two processes do not share it. It
// is for one process, for tests, and as the model the engine adapters follow (redisQueue,
// denoKvQueue, the Workers queue): jobs kept per id, a delivery is a lease (visibilityMs), a
// handle that rejects puts its job back after retryDelayMs(attempt), a lease that lapsed (the
// handle hung) hands the job out again and ignores the late settlement of the first delivery.
import { ERR, wxkfError, invalidOption } from '../errors.js';
import { checkOptionNames, numberOption } from '../options.js';
import { reporter } from '../stores/guarded.js';

/** The largest part of a job's JSON one stored value holds (Deno KV and Durable Object storage
 *  refuse values over 64 KiB, with some room left for the value's other fields). */
export const BODY_CHUNK = 60_000;
const packEncoder = new TextEncoder();

/**
 * A job's JSON text as stored value fields: `{ body }` (its UTF-8 bytes) when it fits in one
 * value, else `{ parts: n }` plus the n parts as `[partKey(i), bytes]` entries to store beside it.
 */
export function packJob(text, partKey) {
  const bytes = packEncoder.encode(text);
  if (bytes.length <= BODY_CHUNK) return { fields: { body: bytes }, parts: [] };
  const parts = [];
  for (let i = 0, at = 0; at < bytes.length; i++, at += BODY_CHUNK) parts.push([partKey(i), bytes.slice(at, at + BODY_CHUNK)]);
  return { fields: { parts: parts.length }, parts };
}

/** Checks a job as the handler builds it and returns its stored form (JSON: what an engine keeps). */
export function jobText(job) {
  if (job === null || typeof job !== 'object') {
    throw wxkfError(ERR.InvalidInput, 'a queue job must be an object { id, message, format, mode, receivedAt }');
  }
  if (typeof job.id !== 'string' || job.id === '') {
    throw wxkfError(ERR.InvalidField, 'a queue job needs its id (the push\'s dedupKey, a non-empty string)', { field: 'id' });
  }
  if (job.message === null || typeof job.message !== 'object') {
    throw wxkfError(ERR.InvalidField, 'a queue job needs its message (an object)', { field: 'message' });
  }
  return JSON.stringify(job);
}

/** Checks consume's arguments (shared by the shipped queues): the options with defaults. */
export function consumeOptions(handle, options) {
  if (typeof handle !== 'function') throw invalidOption('handle', 'consume(handle, options): handle must be a function');
  const o = options ?? {};
  const concurrency = numberOption('consume', 'concurrency', o.concurrency ?? 1, { min: 1, max: 1000, whole: true, unit: 'deliveries' });
  const visibilityMs = numberOption('consume', 'visibilityMs', o.visibilityMs ?? 60_000, { min: 1, max: 12 * 3600_000 });
  const retryDelayMs = typeof o.retryDelayMs === 'function' ? o.retryDelayMs : () => 1000;
  // Never throws: a throwing or rejecting onError, or none (one console.error line), is handled
  // by reporter(), so the engines call it bare.
  const report = reporter(o.onError);
  const onError = (error) => report(error, { phase: 'queue' });
  const signal = o.signal ?? null;
  if (signal !== null && (typeof signal !== 'object' || typeof signal.aborted !== 'boolean')) {
    throw invalidOption('signal', 'consume option signal must be an AbortSignal');
  }
  return { concurrency, visibilityMs, retryDelayMs, onError, signal };
}

/** A retry delay as a whole number of ms in 0..1 h (a bad answer of the function counts as 1 s). */
export function delayOf(retryDelayMs, attempt) {
  let ms;
  try { ms = Number(retryDelayMs(attempt)); } catch { ms = 1000; }
  return Number.isFinite(ms) ? Math.min(3600_000, Math.max(0, Math.round(ms))) : 1000;
}

/** The dead letters kept, newest last, capped at `limit` (default 100, at most 10,000). */
export function deadLetterLimit(limit) {
  if (limit === undefined) return 100;
  return (numberOption('deadLetters', 'limit', limit, { min: 1, max: 10_000, whole: true, unit: 'dead letters' }));
}

/** Resolves after ms, or at once when signal aborts. */
export function pause(ms, signal) {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener?.('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener?.('abort', done, { once: true });
  });
}

/**
 * memoryQueue({ maxDeadLetters? }): the Queue contract in this process's memory (not durable).
 * Enqueueing an id that is already waiting or in hand does nothing (one job per id).
 */
export function memoryQueue(options = {}) {
  if (options === null || typeof options !== 'object') throw invalidOption('options', 'memoryQueue(options): options must be an object');
  checkOptionNames('memoryQueue', options, ['maxDeadLetters']);
  const maxDeadLetters = (numberOption('memoryQueue', 'maxDeadLetters', options.maxDeadLetters ?? 1000, { min: 1, max: 1_000_000, whole: true, unit: 'dead letters' }));
  /** id -> { text, attempts, availableAt, lease (a token while handed out), leaseUntil } */
  const jobs = new Map();
  const dead = [];
  const wakers = new Set();
  const wake = () => { for (const w of [...wakers]) w(); };

  /** The next job that may be handed out now, or the time when one may be (Infinity: none). */
  function next(now) {
    let soonest = Infinity;
    for (const [id, entry] of jobs) {
      const at = entry.lease ? entry.leaseUntil : entry.availableAt;
      if (at <= now) return { id, entry };
      if (at < soonest) soonest = at;
    }
    return { soonest };
  }

  return {
    kind: 'memory',
    durable: false,

    async enqueue(job) {
      const text = jobText(job);
      if (!jobs.has(job.id)) {
        jobs.set(job.id, { text, attempts: 0, availableAt: 0, lease: null, leaseUntil: 0 });
        wake();
      }
    },

    async consume(handle, consumeOpts) {
      const { concurrency, visibilityMs, retryDelayMs, onError, signal } = consumeOptions(handle, consumeOpts);
      const inHand = new Set();
      while (!signal?.aborted) {
        if (inHand.size < concurrency) {
          const now = Date.now();
          const found = next(now);
          if (found.id !== undefined) {
            const { id, entry } = found;
            const lease = {};
            entry.lease = lease;
            entry.leaseUntil = now + visibilityMs;
            entry.attempts += 1;
            let job;
            try { job = JSON.parse(entry.text); } catch (e) { onError(e); jobs.delete(id); continue; }
            const delivery = { job, attempt: entry.attempts };
            const settle = (ok) => {
              // A lease that lapsed (the job was handed out again) is no longer this delivery's.
              if (jobs.get(id) !== entry || entry.lease !== lease) return;
              if (ok) {
                jobs.delete(id);
              } else {
                entry.lease = null;
                entry.availableAt = Date.now() + delayOf(retryDelayMs, entry.attempts);
              }
              wake();
            };
            const p = Promise.resolve().then(() => handle(delivery)).then(() => settle(true), () => settle(false))
              .finally(() => { inHand.delete(p); wake(); });
            inHand.add(p);
            continue;
          }
          await waitFor(Math.min(found.soonest - now, 60_000));
        } else {
          await waitFor(60_000); // woken when one in hand settles
        }
      }
      await Promise.all(inHand);

      function waitFor(ms) {
        return new Promise((resolve) => {
          let timer;
          const done = () => {
            clearTimeout(timer);
            wakers.delete(done);
            signal?.removeEventListener?.('abort', done);
            resolve();
          };
          timer = setTimeout(done, Math.max(0, ms));
          wakers.add(done);
          signal?.addEventListener?.('abort', done, { once: true });
        });
      }
    },

    /** true when kept, false when this job id was kept already (delivered again after a crash). */
    async deadLetter(job, info) {
      const text = jobText(job);
      if (dead.some((d) => d.job.id === job.id)) return false;
      dead.push({ job: JSON.parse(text), attempts: Number(info?.attempts) || 0, error: String(info?.error ?? ''), at: Date.now() });
      if (dead.length > maxDeadLetters) dead.splice(0, dead.length - maxDeadLetters);
      return true;
    },

    async deadLetters(limit) {
      const n = deadLetterLimit(limit);
      return dead.slice(-n).map((d) => ({ ...d, job: JSON.parse(JSON.stringify(d.job)) }));
    },

    /** Jobs waiting or in hand (not the dead letters). */
    get size() {
      return jobs.size;
    },

    /** Jobs waiting or in hand, and dead letters kept. */
    async stats() {
      return { queued: jobs.size, dead: dead.length };
    },
  };
}
