// createConsumer: runs the user's onMessage for the pushes a handler in queue mode wrote to a
// queue (queue.d.ts), on any engine (memoryQueue, redisQueue, denoKvQueue, the Workers queue).
//
// Delivery: at least once. A delivery whose onMessage resolves is acknowledged; one whose
// onMessage throws, rejects or does not settle within visibilityMs (-44003 HandlerTimeout) is
// reported (phase 'onMessage') and delivered again after retryDelayMs(attempt); a consumer that
// dies mid-handle leaves its delivery to the engine, which hands it out again once visibilityMs
// has passed. The attempt that reaches maxAttempts and fails (or a delivery past it: consumers
// died on it) is kept as a dead letter (queue.deadLetter) and reported once: a -44002
// DeadLettered error carrying the job (phase 'queue', the push's dedupKey). onMessage gets the
// push's dedupKey: an onMessage idempotent by it makes handling exactly once per push.
//
// Typing keepalive (typing: true, with a client): client.typing({ touser, command: 'Typing' })
// at the start and every ~10 s while the platform allows it (the user's push less than 30 s
// old; docs/protocol.md), then 'CancelTyping' when onMessage ends if the state may still show
// (about 15 s after the last Typing). Typing failures are reported (phase 'typing'), never
// failing the delivery; 45081 (the state shows already) is what it wants, not a failure.
import { ERR, WxkfError, wxkfError, invalidOption } from '../errors.js';
import { checkOptionNames, numberOption } from '../options.js';
import { reporter } from '../stores/guarded.js';
import { pause } from './memory.js';

/** The platform keeps a typing state about 15 s, and allows one within 30 s of the user's interaction. */
const TYPING_LASTS_MS = 15_000;
const TYPING_WINDOW_MS = 30_000;
const TYPING_EVERY_MS = 10_000;
/** Typing errcodes after which the platform will refuse every Typing of this push (45080: no interaction in 30 s). */
const TYPING_OVER = new Set([45072, 45080]);
/** 45081: the typing state is shown already (what the keepalive wants): not a failure. */
const ALREADY_TYPING = 45081;

/** The default retry delay: 1 s, 4 s, 16 s, then 60 s. */
export const defaultRetryDelayMs = (attempt) => Math.min(60_000, 1000 * 4 ** Math.max(0, attempt - 1));

/** Runs fn() (a user callback or an engine call) within ms; rejects with `late()` past it. */
function within(fn, ms, late) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(late()), ms);
  });
  return Promise.race([Promise.resolve().then(fn), deadline]).finally(() => clearTimeout(timer));
}

/**
 * A queue engine's call `fn()` within ms: resolves with its answer; rejects with -44001
 * QueueUnavailable when it fails (the cause kept; a WxkfError of the queue's own as it is) or
 * does not answer in time.
 */
export function queueCall(fn, ms, what) {
  return within(fn, ms, () => wxkfError(ERR.QueueUnavailable, `the queue did not answer ${what} within ${Math.round(ms)} ms`, { timeout: true }))
    .catch((e) => { throw e instanceof WxkfError ? e : queueError(e, what); });
}

/** A failure of a queue engine's call as -44001 QueueUnavailable (the cause kept). */
export function queueError(error, what) {
  if (error instanceof WxkfError && error.code === ERR.QueueUnavailable) return error;
  const why = error instanceof Error ? error.message : String(error);
  return wxkfError(ERR.QueueUnavailable, `the queue failed ${what}: ${why}`, { cause: error });
}

/** A short description of a failure for a dead letter (no stack, bounded). */
function describe(error) {
  let text;
  try {
    text = error instanceof Error
      ? `${error.name}${error.code !== undefined ? ` ${error.code}` : ''}: ${error.message}`
      : String(error);
  } catch {
    text = 'an unprintable error';
  }
  return text.length > 1000 ? `${text.slice(0, 1000)}…` : text;
}

/**
 * createConsumer({ queue, onMessage, client?, onError?, concurrency?, maxAttempts?, typing?,
 *   visibilityMs?, retryDelayMs?, queueTimeoutMs?, sendWindow?, now? }) -> { start(), stop() }
 */
export function createConsumer(options) {
  if (options === null || typeof options !== 'object') {
    throw invalidOption('options', 'createConsumer(options): options must be an object { queue, onMessage, ... }');
  }
  checkOptionNames('createConsumer', options, ['queue', 'onMessage', 'client', 'onError', 'concurrency', 'maxAttempts',
    'typing', 'visibilityMs', 'retryDelayMs', 'queueTimeoutMs', 'sendWindow', 'now']);
  const { queue, onMessage, client, onError, sendWindow } = options;
  if (queue === null || typeof queue !== 'object' || typeof queue.consume !== 'function' || typeof queue.deadLetter !== 'function') {
    throw invalidOption('queue', 'createConsumer option queue must be a queue (memoryQueue(), redisQueue(client), denoKvQueue(kv), …) with consume and deadLetter');
  }
  if (typeof onMessage !== 'function') {
    throw invalidOption('onMessage', 'createConsumer option onMessage must be a function (message, { dedupKey, attempt, client }) => void');
  }
  if (onError !== undefined && typeof onError !== 'function') {
    throw invalidOption('onError', 'createConsumer option onError must be a function (error, { phase, dedupKey }) => void');
  }
  const concurrency = numberOption('createConsumer', 'concurrency', options.concurrency ?? 1,
    { min: 1, max: 1000, whole: true, unit: 'deliveries' });
  const maxAttempts = numberOption('createConsumer', 'maxAttempts', options.maxAttempts ?? 5,
    { min: 1, max: 100, whole: true, unit: 'attempts' });
  const visibilityMs = numberOption('createConsumer', 'visibilityMs', options.visibilityMs ?? 60_000,
    { min: 100, max: 12 * 3600_000, why: 'the longest onMessage may take; a delivery not settled by then is handed out again' });
  const queueTimeoutMs = numberOption('createConsumer', 'queueTimeoutMs', options.queueTimeoutMs ?? 5000, { min: 1, max: 60_000 });
  let retryDelayMs;
  if (options.retryDelayMs === undefined) {
    retryDelayMs = defaultRetryDelayMs;
  } else if (typeof options.retryDelayMs === 'function') {
    retryDelayMs = options.retryDelayMs;
  } else {
    // A number: the first delay, doubled at each attempt (capped at visibilityMs).
    const base = numberOption('createConsumer', 'retryDelayMs', options.retryDelayMs, { min: 0, max: 3600_000 });
    retryDelayMs = (attempt) => Math.min(Math.max(base, visibilityMs), base * 2 ** Math.max(0, attempt - 1));
  }
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw invalidOption('now', 'createConsumer option now must be a function returning milliseconds');
  let typingEvery = TYPING_EVERY_MS;
  const typing = options.typing ?? false;
  if (typing !== false) {
    if (typing !== true && (typing === null || typeof typing !== 'object')) {
      throw invalidOption('typing', 'createConsumer option typing must be true, false or { intervalMs }');
    }
    if (typing !== true && typing.intervalMs !== undefined) {
      typingEvery = numberOption('createConsumer', 'typing.intervalMs', typing.intervalMs,
        { min: 1, max: TYPING_LASTS_MS, why: 'a typing state lasts about 15 s' });
    }
    if (client == null || typeof client.typing !== 'function') {
      throw invalidOption('typing', 'createConsumer option typing needs a client (a Client, whose typing() sends the state)');
    }
  }
  if (sendWindow !== undefined && (sendWindow === null || typeof sendWindow.observeMessage !== 'function')) {
    throw invalidOption('sendWindow', 'createConsumer option sendWindow must be a SendWindow (the one the Client was given)');
  }
  const report = reporter(onError);

  /** The typing keepalive of one delivery: stop() ends it (CancelTyping when the state may still show). */
  function keepTyping(job, dedupKey) {
    const message = job.message;
    const touser = message?.fromUserName;
    if (typing === false || typeof touser !== 'string' || touser === '') return null;
    const created = Number(message.createTime);
    const interaction = Number.isFinite(created) && created > 0 ? created * 1000 : Number(job.receivedAt);
    const businessId = message.businessId;
    const input = (command) => (businessId === undefined || businessId === null || businessId === ''
      ? { touser, command } : { touser, command, businessId });
    let stopped = false;
    let over = false; // the platform refuses further Typing for this push
    let lastShown = null;
    let timer;
    let sending = Promise.resolve();
    const send = (command) => within(() => client.typing(input(command)), queueTimeoutMs,
      () => wxkfError(ERR.Transport, `client.typing did not answer within ${queueTimeoutMs} ms`, { retryable: true }));
    const tick = () => {
      timer = undefined;
      if (stopped || over) return;
      const at = now();
      if (!(at - interaction < TYPING_WINDOW_MS)) return; // the platform would refuse it (45080)
      sending = send('Typing').then(() => { lastShown = at; }, (e) => {
        if (e?.code === ALREADY_TYPING) {
          lastShown = at; // it shows
          return;
        }
        if (e && TYPING_OVER.has(e.code)) over = true;
        report(e, { phase: 'typing', dedupKey });
      }).then(() => {
        if (!stopped && !over) timer = setTimeout(tick, typingEvery);
      });
    };
    tick();
    return {
      async stop() {
        stopped = true;
        if (timer !== undefined) clearTimeout(timer);
        await sending;
        if (lastShown === null || !(now() - lastShown < TYPING_LASTS_MS)) return; // nothing shows any more
        try {
          await send('CancelTyping');
        } catch (e) {
          // 45080: the platform has no interaction within 30 s (a send of onMessage may have
          // ended the state already); 45081: nothing to cancel. Neither is worth a report.
          if (e?.code !== 45080 && e?.code !== ALREADY_TYPING) report(e, { phase: 'typing', dedupKey });
        }
      },
    };
  }

  /** Keeps the job as a dead letter and reports it once; throws (the job stays queued) when it could not be kept. */
  async function bury(job, dedupKey, attempt, cause) {
    const error = cause === undefined
      ? `delivered ${attempt} times (maxAttempts ${maxAttempts}) without being settled: its consumers died or could not keep it as a dead letter`
      : describe(cause);
    let kept;
    try {
      kept = await within(() => queue.deadLetter(job, { attempts: attempt, error }), queueTimeoutMs,
        () => wxkfError(ERR.QueueUnavailable, `the queue did not keep the dead letter within ${queueTimeoutMs} ms`));
    } catch (e) {
      const failure = queueError(e, 'keeping a dead letter');
      report(failure, { phase: 'queue', dedupKey, attempt });
      throw failure; // not acknowledged: delivered again, and kept then
    }
    if (kept === false) return; // kept (and reported) before: a delivery again after a crash
    report(wxkfError(ERR.DeadLettered,
      `the push ${dedupKey} failed ${attempt} attempt(s) (maxAttempts ${maxAttempts}) and was kept as a dead letter (queue.deadLetters()): ${error}`,
      { job, attempts: attempt, cause }), { phase: 'queue', dedupKey, attempt });
  }

  /** One delivery: resolves to acknowledge it, rejects to have it delivered again after retryDelayMs(attempt). */
  async function handle(delivery) {
    const job = delivery?.job;
    const attempt = Number(delivery?.attempt) || 1;
    const dedupKey = job?.id;
    if (attempt > maxAttempts) return bury(job, dedupKey, attempt, undefined);
    if (sendWindow !== undefined && attempt === 1) {
      // The user's interaction, at the push's own time (SendWindow fails open and reports).
      const created = Number(job.message?.createTime);
      try {
        await sendWindow.observeMessage(job.message, Number.isFinite(created) && created > 0 ? created * 1000 : job.receivedAt);
      } catch (e) {
        report(e, { phase: 'sendWindow', dedupKey });
      }
    }
    const keepalive = keepTyping(job, dedupKey);
    let failure;
    let failed = false;
    try {
      await within(() => onMessage(job.message, { dedupKey, attempt, client, job }), visibilityMs,
        () => wxkfError(ERR.HandlerTimeout,
          `onMessage did not settle within visibilityMs (${visibilityMs} ms): the attempt counts as failed and the push is delivered again`,
          { attempt }));
    } catch (e) {
      failed = true;
      failure = e;
    }
    if (keepalive) await keepalive.stop();
    if (!failed) return;
    if (attempt >= maxAttempts) return bury(job, dedupKey, attempt, failure);
    report(failure, { phase: 'onMessage', dedupKey, attempt });
    throw failure;
  }

  let run = null; // { controller, done } while started

  async function loop(signal) {
    let failures = 0;
    while (!signal.aborted) {
      try {
        await queue.consume(handle, {
          concurrency,
          visibilityMs,
          retryDelayMs: (attempt) => retryDelayMs(attempt),
          signal,
          onError: (e) => report(queueError(e, 'consuming'), { phase: 'queue' }),
        });
        failures = 0;
      } catch (e) {
        report(queueError(e, 'consuming'), { phase: 'queue' });
        failures++;
      }
      if (!signal.aborted) await pause(Math.min(30_000, 500 * 2 ** Math.min(failures, 6)), signal);
    }
  }

  return {
    /** Starts consuming (does nothing when started already). */
    start() {
      if (run) return;
      const controller = new AbortController();
      run = { controller, done: loop(controller.signal) };
    },
    /** Stops taking deliveries; resolves once those in hand have settled. */
    async stop() {
      if (!run) return;
      const { controller, done } = run;
      controller.abort();
      try {
        await done;
      } finally {
        if (run?.controller === controller) run = null;
      }
    },
    /** Whether start() was called and stop() was not. */
    get running() {
      return run !== null && !run.controller.signal.aborted;
    },
  };
}
