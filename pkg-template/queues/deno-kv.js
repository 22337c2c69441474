// denoKvQueue(kv, options): the queue contract (queue.d.ts) on Deno KV (`wechat-kf/deno-kv`),
// with its queue (kv.enqueue, kv.listenQueue) as the wake-up and its entries as the truth.
//
// A job is one entry, [prefix, 'job', id] -> { state, attempt, due, body | parts }, and one
// index entry [prefix, 'due', due, id] while it waits or is in hand (due: when it may be
// handed out: now for a new job, after retryDelayMs for a failed one, the end of the lease for
// one in hand). Every change is one atomic operation checked against the entry's versionstamp,
// so two consumers never both take a job, and a late settlement (the lease lapsed and another
// consumer took the job) changes nothing.
//
//   enqueue     atomic: the job entry (only if absent: one job per id; a settled one is
//               remembered for dedupMs), its index entry, and kv.enqueue({ id }) to wake a
//               consumer at once.
//   deliver     a KV queue message (listenQueue, one listener per Kv handle in this process)
//               or the sweep (every pollMs, the index read in due order) finds a job whose due
//               time has come; atomic: attempt + 1, state 'leased', due = now + visibilityMs,
//               and kv.enqueue({ id }, { delay: visibilityMs }) (the watchdog: it wakes a
//               consumer when the lease lapses, e.g. on Deno Deploy where nothing else runs).
//   settle      resolved: the job entry becomes 'done' (kept dedupMs, expireIn), its index
//               entry goes. Rejected: 'ready' at now + retryDelayMs(attempt), and
//               kv.enqueue({ id }, { delay }) — KV's delay is the retry's backoff.
//   consumer    died: its lease lapses; the watchdog message or another consumer's sweep hands
//               the job out again (attempt + 1: a delivery after a crash counts too).
//   dead letter [prefix, 'dead', at, id] (and [prefix, 'dead-id', id]: once per job id), at
//               most maxDeadLetters (the oldest dropped).
//
// Why a sweep besides the KV queue: on a local KV file, Deno delivers a message enqueued by
// another process only when the listening process next looks (every 60 s), and a message
// enqueued in the same process at once; and Deno KV hands every message of a database to any
// listener on it, so a listener of the user's own may take a wake-up. The messages only wake;
// the entries say what is due, and the sweep finds whatever no message woke. KV's own retry
// (backoffSchedule) and keysIfUndelivered are therefore not the queue's retries or dead
// letters: retries follow the consumer's retryDelayMs and maxAttempts, which a message's fixed
// schedule (at most 5 delays) cannot, and a wake-up that KV gives up on loses nothing.
//
// Values: Deno KV refuses a value over 64 KiB; a job's JSON (UTF-8) longer than 60,000 bytes (packJob)
// bytes is kept in parts [prefix, 'part', id, i] written before the job entry (a 1 MiB push).
import internal, { ERR } from '../wechat-kf.js';
import { unlocked } from '../stores/deno-kv-locked.js';

const {
  wxkfError, invalidOption, numberOption, checkOptionNames, jobText, packJob: pack, consumeOptions, delayOf, deadLetterLimit, pause, queueError,
} = internal;

/** The field that marks this queue's KV messages (its value: the queue's prefix). */
const MARK = 'wechatKfQueue';
/** A reported engine failure is reported again at most this often while it lasts. */
const REPORT_EVERY_MS = 30_000;

const decoder = new TextDecoder();

/** One listenQueue per Kv handle in this process: prefix -> the consumers taking its messages. */
const listeners = new WeakMap();

function listen(kv) {
  let routes = listeners.get(kv);
  if (routes) return routes;
  routes = new Map();
  listeners.set(kv, routes);
  const done = kv.listenQueue((value) => {
    const prefix = value && typeof value === 'object' ? value[MARK] : undefined;
    if (typeof prefix !== 'string') {
      // Not this queue's: thrown back, so that KV delivers it again (to its own listener, maybe).
      throw new Error('wechat-kf denoKvQueue: a KV queue message that is not its own (give the queue a database of its own)');
    }
    const consumers = [...(routes.get(prefix) ?? [])];
    // A consumer with a free slot takes it; with none (all busy, or stopped) the message is
    // dropped: the job stays due in the index, and a sweep takes it.
    const free = consumers.find((c) => c.free());
    if (free && typeof value.id === 'string') return free.offer(value.id);
  });
  Promise.resolve(done).then(() => listeners.delete(kv), () => listeners.delete(kv));
  return routes;
}

/**
 * denoKvQueue(kv, { prefix?, pollMs?, timeoutMs?, dedupMs?, maxDeadLetters? }): the Queue
 * contract on a Deno.Kv (`await Deno.openKv(path)`; --unstable-kv on Deno 2.9 with a local file).
 */
export function denoKvQueue(kv, options = {}) {
  if (!kv || typeof kv.get !== 'function' || typeof kv.atomic !== 'function' || typeof kv.list !== 'function'
    || typeof kv.enqueue !== 'function' || typeof kv.listenQueue !== 'function') {
    throw invalidOption('kv', 'denoKvQueue needs a Deno.Kv (await Deno.openKv()) with its queue (enqueue, listenQueue)');
  }
  if (options === null || typeof options !== 'object') throw invalidOption('options', 'denoKvQueue(kv, options): options must be an object');
  checkOptionNames('denoKvQueue', options, ['prefix', 'pollMs', 'timeoutMs', 'dedupMs', 'maxDeadLetters']);
  const prefix = options.prefix ?? 'wechat-kf:queue';
  if (typeof prefix !== 'string' || prefix === '' || prefix.length > 200) {
    throw invalidOption('prefix', 'denoKvQueue option prefix must be a non-empty string of at most 200 characters');
  }
  const pollMs = numberOption('denoKvQueue', 'pollMs', options.pollMs ?? 1000, { min: 50, max: 60_000, whole: true });
  const timeoutMs = numberOption('denoKvQueue', 'timeoutMs', options.timeoutMs ?? 5000, { min: 1, max: 60_000 });
  const dedupMs = numberOption('denoKvQueue', 'dedupMs', options.dedupMs ?? 900_000, { min: 1000, max: 7 * 86_400_000, whole: true });
  const maxDeadLetters = numberOption('denoKvQueue', 'maxDeadLetters', options.maxDeadLetters ?? 10_000,
    { min: 1, max: 10_000_000, whole: true, unit: 'dead letters' });

  const JOB = (id) => [prefix, 'job', id];
  const DUE = (due, id) => [prefix, 'due', due, id];
  const PART = (id, i) => [prefix, 'part', id, i];
  const DEAD = (at, id) => [prefix, 'dead', at, id];
  const DEAD_PART = (id, i) => [prefix, 'dead-part', id, i];
  const DEAD_ID = (id) => [prefix, 'dead-id', id];
  const DEAD_COUNT = [prefix, 'dead-count'];
  const wake = (id) => ({ [MARK]: prefix, id });

  /** One engine call within timeoutMs (a locked local file tried again meanwhile): -44001 past it or when it fails. */
  async function call(what, fn) {
    let timer;
    try {
      return await Promise.race([
        unlocked(fn, timeoutMs),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(wxkfError(ERR.QueueUnavailable, `Deno KV did not answer ${what} within ${timeoutMs} ms`, { timeout: true })), timeoutMs);
        }),
      ]);
    } catch (e) {
      throw queueError(e, what);
    } finally {
      clearTimeout(timer);
    }
  }

  async function unpack(value, partKey, what) {
    if (value.body instanceof Uint8Array) return JSON.parse(decoder.decode(value.body));
    const n = Number(value.parts);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${what}: no body`);
    const chunks = [];
    for (let i = 0; i < n; i += 10) {
      const keys = [];
      for (let j = i; j < Math.min(n, i + 10); j++) keys.push(partKey(j));
      const entries = await call(`reading ${what}`, () => kv.getMany(keys));
      for (const e of entries) {
        if (!(e.value instanceof Uint8Array)) throw new Error(`${what}: part ${chunks.length} of ${n} is missing`);
        chunks.push(e.value);
      }
    }
    const all = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
    let at = 0;
    for (const c of chunks) all.set(c, at), at += c.length;
    return JSON.parse(decoder.decode(all));
  }

  const isLive = (value, now) => value && typeof value === 'object'
    && (value.state !== 'done' || (typeof value.until === 'number' && value.until > now));

  const queue = {
    kind: 'deno-kv',
    durable: true,
    /** The first element of every key the queue writes. */
    prefix,

    async enqueue(job) {
      const text = jobText(job);
      const id = job.id;
      for (let round = 0; round < 10; round++) {
        const now = Date.now();
        const entry = await call('reading a job', () => kv.get(JOB(id)));
        // One job per id: waiting, in hand, or settled within dedupMs (a handler's retry after a lost reply).
        if (isLive(entry.value, now)) return;
        const { fields, parts } = pack(text, (i) => PART(id, i));
        for (const [key, value] of parts) await call('writing a part of a job', () => kv.set(key, value));
        const res = await call('enqueueing a job', () => kv.atomic()
          .check({ key: JOB(id), versionstamp: entry.versionstamp })
          .set(JOB(id), { state: 'ready', attempt: 0, due: now, ...fields })
          .set(DUE(now, id), true)
          .enqueue(wake(id))
          .commit());
        if (res.ok) return;
      }
      throw wxkfError(ERR.QueueUnavailable, `denoKvQueue: the job ${id} kept changing while it was enqueued`);
    },

    async consume(handle, consumeOpts) {
      const { concurrency, visibilityMs, retryDelayMs, onError, signal } = consumeOptions(handle, consumeOpts);
      const inHand = new Set();
      let stopped = false;
      let poked = false; // a slot came free: sweep again at once
      let kick = null;
      const poke = () => { poked = true; kick?.(); };
      let lastReport = { text: '', at: 0 };
      const report = (e) => {
        const error = queueError(e, 'consuming');
        const now = Date.now();
        if (error.message === lastReport.text && now - lastReport.at < REPORT_EVERY_MS) return;
        lastReport = { text: error.message, at: now };
        onError(error);
      };

      let reserved = 0; // slots held by takes in progress (counted with those in hand)
      const busy = () => inHand.size + reserved;

      /** Takes the job `id` if its time has come and a slot is free, then hands it to handle. */
      async function take(id, indexDue) {
        if (stopped || busy() >= concurrency) return false;
        reserved++;
        try {
          return await takeInSlot(id, indexDue);
        } finally {
          reserved--;
        }
      }

      async function takeInSlot(id, indexDue) {
        const now = Date.now();
        const entry = await call('reading a job', () => kv.get(JOB(id)));
        const value = entry.value;
        const live = value && typeof value === 'object' && value.state !== 'done';
        if (indexDue !== undefined && (!live || value.due !== indexDue)) {
          // An index entry that is not the job's (none is left behind by the queue's own writes).
          await call('dropping a stale index entry', () => kv.atomic().check(entry).delete(DUE(indexDue, id)).commit());
          return false;
        }
        if (!live || !(value.due <= now)) return false;
        const attempt = (Number(value.attempt) || 0) + 1;
        const due = now + Math.ceil(visibilityMs);
        const leased = { ...value, state: 'leased', attempt, due };
        const res = await call('taking a job', () => kv.atomic()
          .check(entry)
          .set(JOB(id), leased)
          .delete(DUE(value.due, id))
          .set(DUE(due, id), true)
          .enqueue(wake(id), { delay: Math.ceil(visibilityMs) })
          .commit());
        if (!res.ok) return false; // another consumer took it (or it changed): theirs
        let job;
        try {
          job = await unpack(value, (i) => PART(id, i), `the job ${id}`);
        } catch (e) {
          // A job whose body cannot be read cannot be handled: a dead letter (its id), reported.
          report(wxkfError(ERR.QueueUnavailable, `denoKvQueue: the job ${id} cannot be read (${e?.message ?? e}): kept as a dead letter`, { cause: e }));
          await queue.deadLetter({ id, message: {}, unreadable: true }, { attempts: attempt, error: `the job could not be read: ${e?.message ?? e}` });
          await settle(id, res.versionstamp, leased, true);
          return true;
        }
        run(id, { job, attempt }, res.versionstamp, leased);
        return true;
      }

      function run(id, delivery, versionstamp, leased) {
        const p = Promise.resolve()
          .then(() => handle(delivery))
          .then(() => settle(id, versionstamp, leased, true), () => settle(id, versionstamp, leased, false))
          .catch(report)
          .finally(() => { inHand.delete(p); poke(); });
        inHand.add(p);
      }

      /** Settles a delivery, only while its lease is still the job's (the entry unchanged since). */
      async function settle(id, versionstamp, leased, ok) {
        const op = kv.atomic().check({ key: JOB(id), versionstamp }).delete(DUE(leased.due, id));
        if (ok) {
          op.set(JOB(id), { state: 'done', attempt: leased.attempt, due: 0, until: Date.now() + dedupMs }, { expireIn: dedupMs });
          for (let i = 0; i < (Number(leased.parts) || 0); i++) op.delete(PART(id, i));
        } else {
          const due = Date.now() + delayOf(retryDelayMs, leased.attempt);
          op.set(JOB(id), { ...leased, state: 'ready', due }).set(DUE(due, id), true).enqueue(wake(id), { delay: Math.max(0, due - Date.now()) });
        }
        await call('settling a delivery', () => op.commit()); // not ok: the lease lapsed and the job is another's now
      }

      /**
       * Takes due jobs from the index, oldest first, while slots are free; answers how long to
       * wait before looking again: pollMs, or less when an entry falls due sooner (a lease that
       * lapses, a retry: handed out on time even when the process that set it died).
       */
      async function sweep() {
        const free = concurrency - busy();
        if (free <= 0) return pollMs;
        const now = Date.now();
        const seen = [];
        let nextAt = now + pollMs;
        const iter = kv.list({ start: [prefix, 'due'], end: [prefix, 'due', now + pollMs] }, { limit: free * 4 });
        await call('reading the due jobs', async () => {
          for await (const e of iter) {
            if (e.key[2] > now) {
              nextAt = Math.min(nextAt, e.key[2]);
              break;
            }
            seen.push([e.key[3], e.key[2]]);
          }
        });
        for (const [id, due] of seen) {
          if (stopped || busy() >= concurrency) break;
          if (typeof id === 'string') await take(id, due);
        }
        // The read stopped at its limit and a slot is still free (others took those): look again at once.
        if (seen.length === free * 4 && busy() < concurrency) return 0;
        return Math.max(0, nextAt - Date.now());
      }

      const consumer = {
        free: () => !stopped && busy() < concurrency,
        offer: (id) => take(id).catch(report),
      };
      let routes;
      try {
        routes = listen(kv);
      } catch (e) {
        throw queueError(e, 'listening to the KV queue');
      }
      if (!routes.has(prefix)) routes.set(prefix, new Set());
      routes.get(prefix).add(consumer);
      try {
        while (!signal?.aborted) {
          let wait = pollMs;
          try {
            wait = await sweep();
          } catch (e) {
            report(e);
          }
          if (!poked) {
            await new Promise((resolve) => {
              kick = resolve;
              pause(wait, signal).then(resolve);
            });
          }
          kick = null;
          poked = false;
        }
      } finally {
        stopped = true;
        routes.get(prefix)?.delete(consumer);
        while (inHand.size) await Promise.all(inHand);
      }
    },

    /** true when kept, false when this job id was kept already. */
    async deadLetter(job, info) {
      const text = jobText(job);
      const id = job.id;
      const attempts = Number(info?.attempts) || 0;
      const error = String(info?.error ?? '');
      for (let round = 0; round < 100; round++) {
        const [known, count] = await call('reading the dead letters', () => kv.getMany([DEAD_ID(id), DEAD_COUNT]));
        if (known.value !== null) return false;
        const at = Date.now();
        const { fields, parts } = pack(text, (i) => DEAD_PART(id, i));
        for (const [key, value] of parts) await call('writing a part of a dead letter', () => kv.set(key, value));
        const n = (Number(count.value) || 0) + 1;
        const res = await call('keeping a dead letter', () => kv.atomic()
          .check(known).check(count)
          .set(DEAD(at, id), { attempts, error, at, ...fields })
          .set(DEAD_ID(id), at)
          .set(DEAD_COUNT, n)
          .commit());
        if (!res.ok) continue;
        if (n > maxDeadLetters) await trim().catch(() => {}); // tried again by the next dead letter
        return true;
      }
      throw wxkfError(ERR.QueueUnavailable, `denoKvQueue: the dead letters kept changing while ${id} was kept`);
    },

    async deadLetters(limit) {
      const n = deadLetterLimit(limit);
      const entries = [];
      await call('reading the dead letters', async () => {
        for await (const e of kv.list({ prefix: [prefix, 'dead'] }, { reverse: true, limit: n })) entries.push(e);
      });
      const out = [];
      for (const e of entries.reverse()) {
        const [, , at, id] = e.key;
        const v = e.value;
        let job;
        try {
          job = await unpack(v, (i) => DEAD_PART(id, i), `the dead letter ${id}`);
        } catch {
          job = { id };
        }
        out.push({ job, attempts: v.attempts, error: v.error, at });
      }
      return out;
    },

    /** Jobs waiting or in hand, and dead letters kept (counted by reading the index). */
    async stats() {
      let queued = 0;
      await call('counting the jobs', async () => {
        for await (const _ of kv.list({ prefix: [prefix, 'due'] })) queued++;
      });
      const count = await call('reading the dead letters', () => kv.get(DEAD_COUNT));
      return { queued, dead: Number(count.value) || 0 };
    },
  };
  return queue;

  /** Drops the oldest dead letters past maxDeadLetters. */
  async function trim() {
    for (let round = 0; round < 100; round++) {
      const count = await call('reading the dead letters', () => kv.get(DEAD_COUNT));
      const over = (Number(count.value) || 0) - maxDeadLetters;
      if (over <= 0) return;
      const oldest = [];
      await call('reading the dead letters', async () => {
        for await (const e of kv.list({ prefix: [prefix, 'dead'] }, { limit: Math.min(over, 20) })) oldest.push(e);
      });
      if (oldest.length === 0) return;
      const op = kv.atomic().check(count).set(DEAD_COUNT, (Number(count.value) || 0) - oldest.length);
      for (const e of oldest) {
        const id = e.key[3];
        op.delete(e.key).delete(DEAD_ID(id));
        for (let i = 0; i < (Number(e.value?.parts) || 0); i++) op.delete(DEAD_PART(id, i));
      }
      await call('dropping old dead letters', () => op.commit());
    }
  }
}
