// The queue mode's queue on Cloudflare Workers (`wechat-kf/cloudflare`): a Durable Object with
// alarms as the queue. The object keeps the jobs in its storage and runs the consumer itself,
// inside its alarm() invocations; the worker's handler writes to it through the namespace.
//
//   // worker.js
//   import { createConsumer, createHandler, Client } from 'wechat-kf';
//   import { DurableObjectQueue, durableObjectQueue } from 'wechat-kf/cloudflare';
//   export class WechatKfQueue extends DurableObjectQueue {
//     consumer(queue, env) { return createConsumer({ queue, onMessage, client: new Client({ … }) }); }
//   }
//   … createHandler({ …, queue: durableObjectQueue(env.WECHAT_KF_QUEUE, { appId }) })
//
// Why not Cloudflare Queues: plain workerd has no queue broker (a `queue` binding there is an
// HTTP request to a service you write), and `wrangler dev` (miniflare) simulates Queues with
// the messages in memory: a restart loses what was queued or in flight, so nothing here can
// test the guarantee the queue mode states. Durable Object storage and alarms persist on local
// disk in workerd, and an alarm that a restart interrupted runs again after it.
//
// Storage of the object (one object per account: durableObjectQueue's appId or name):
//   j:<id>                    { state: 'ready' | 'leased' | 'done', attempt, due, lease?, body | parts, until? }
//   d:<15-digit due>:<id>     the index of what waits or is in hand (due: when it may be handed
//                             out; for one in hand, the end of its lease)
//   l:<id>                    the jobs in hand (leased)
//   p:<id>:<i>                parts of a job's JSON over 60,000 bytes (packJob)
//   t:<15-digit until>:<id>   settled jobs remembered for dedupMs (one job per id), swept by alarms
//   x:<15-digit at>:<id>, xp:<id>:<i>, xi:<id>, xn   the dead letters, their parts, once per id, how many
//
// Delivery: alarm() takes the due jobs (up to the consumer's concurrency), leases each one
// (attempt + 1, due = now + visibilityMs) and awaits the consumer's handling, taking more as
// slots free and jobs come (an enqueue while it runs wakes it), for at most MAX_RUN_MS; then it
// sets the alarm to the next due time. One instance of an object runs at a time: a new
// instance (after a restart, an eviction, a deploy) finds the leases of the one before it and
// hands those jobs out again at once (the interrupted alarm runs again on restart; the alarm
// set at the lease's end is the backstop). A resolved delivery becomes a 'done' marker for
// dedupMs; a rejected one waits retryDelayMs(attempt) (the alarm wakes it).
//
// Protocol between durableObjectQueue and the object: POST with a JSON body
// { op: 'enqueue' | 'deadLetter' | 'deadLetters' | 'stats', job?, info?, limit? } answered by
// { result } (200) or { error, code, kind } (400 bad request, 500 failure).
import internal, { ERR, WxkfError } from '../wechat-kf.js';

const {
  wxkfError, invalidOption, numberOption, checkOptionNames, jobText, packJob: pack, consumeOptions, delayOf, deadLetterLimit, queueError,
} = internal;

/** An alarm() run takes new deliveries for at most this long, then ends (and sets the next alarm). */
const MAX_RUN_MS = 5 * 60_000;
const SWEEP_BATCH = 100;
const OPS = new Set(['enqueue', 'deadLetter', 'deadLetters', 'stats']);

const decoder = new TextDecoder();
const pad = (ms) => String(Math.max(0, Math.ceil(ms))).padStart(15, '0');
const token = () => (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function'
  ? crypto.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`);

/**
 * The Durable Object of the queue: export a subclass of it that defines consumer(queue, env)
 * (returning createConsumer({ queue, onMessage, … })) and bind it (wrangler.toml:
 * `[[durable_objects.bindings]] name = "WECHAT_KF_QUEUE" class_name = "WechatKfQueue"`).
 */
export class DurableObjectQueue {
  #storage;
  #env;
  #options;
  #serialQueue = Promise.resolve();
  #consumer; // undefined: not made yet; null: none (reported)
  #registrations = new Set(); // consume() calls of this instance: { handle, options, inHand: Map<id, lease> }
  #running = false; // an alarm() run is taking deliveries
  #wakeRun = null;
  #woken = false; // a wake came while the run was not waiting
  #took = 0; // deliveries started by the last #takeDue
  #reclaimed = false; // this instance has handed out again the leases of the one before it
  #view; // the object's own queue

  /**
   * options (a subclass passes them to super): dedupMs (how long a settled job's id is
   * remembered, default 900000), maxDeadLetters (default 10000).
   */
  constructor(state, env, options = {}) {
    if (!state || !state.storage) throw invalidOption('state', 'DurableObjectQueue is a Durable Object: workerd constructs it with (state, env)');
    this.#storage = state.storage;
    this.#env = env;
    checkOptionNames('DurableObjectQueue', options ?? {}, ['dedupMs', 'maxDeadLetters']);
    this.#options = {
      dedupMs: numberOption('DurableObjectQueue', 'dedupMs', options?.dedupMs ?? 900_000, { min: 1000, max: 7 * 86_400_000, whole: true }),
      maxDeadLetters: numberOption('DurableObjectQueue', 'maxDeadLetters', options?.maxDeadLetters ?? 10_000,
        { min: 1, max: 10_000_000, whole: true, unit: 'dead letters' }),
    };
  }

  /**
   * The consumer of this object's jobs: override it and return createConsumer({ queue, onMessage,
   * … }) (not started: the object starts it). `queue` is the object's own queue; `env` the
   * worker's bindings. Called once per instance of the object.
   */
  consumer(_queue, _env) {
    return null;
  }

  async fetch(request) {
    if (request.method !== 'POST') return Response.json({ error: 'POST a JSON operation' }, { status: 405 });
    let body;
    try {
      body = await request.json();
    } catch {
      return Response.json({ error: 'the body is not JSON', code: ERR.InvalidInput, kind: 'InvalidInput' }, { status: 400 });
    }
    try {
      const { op, job, info, limit } = body ?? {};
      if (!OPS.has(op)) throw wxkfError(ERR.InvalidInput, 'op must be enqueue, deadLetter, deadLetters or stats');
      const queue = this.#queue();
      const result = op === 'enqueue' ? await queue.enqueue(job)
        : op === 'deadLetter' ? await queue.deadLetter(job, info)
          : op === 'deadLetters' ? await queue.deadLetters(limit ?? undefined)
            : await queue.stats();
      return Response.json({ result: result ?? null });
    } catch (e) {
      const known = e instanceof WxkfError && e.code !== ERR.QueueUnavailable;
      return Response.json({ error: known ? e.message : `queue failure: ${e?.message ?? e}`, code: e?.code, kind: e?.kind },
        { status: known ? 400 : 500 });
    }
  }

  /** Delivers the due jobs to the consumer, then sets the alarm for the next due time. */
  async alarm() {
    this.#startConsumer();
    // No consumer (reported) or it stopped: the jobs wait; an enqueue or a consume() sets the alarm again.
    if (this.#registrations.size === 0) return;
    this.#running = true;
    const started = Date.now();
    try {
      await this.#sweepSettled();
      for (;;) {
        const taking = Date.now() - started < MAX_RUN_MS;
        let nextDue = Infinity;
        this.#woken = false;
        if (taking) nextDue = await this.#serial(() => this.#takeDue());
        const inHand = this.#inHandCount();
        if (inHand === 0 && (!taking || nextDue > Date.now())) break;
        if (this.#woken) continue; // a settlement or an enqueue while taking: look again
        // Wait for a settlement, an enqueue, or the next due time (while a slot is free).
        const free = taking && [...this.#registrations].some((r) => r.inHand.size < r.options.concurrency);
        await new Promise((resolve) => {
          // (Nothing taken although something is due: not at once again, so as not to spin.)
          const wait = free ? Math.min(Math.max(this.#took ? 0 : 50, nextDue - Date.now()), 60_000) : 60_000;
          const timer = setTimeout(resolve, wait);
          this.#wakeRun = () => { clearTimeout(timer); resolve(); };
        });
        this.#wakeRun = null;
      }
    } finally {
      await this.#serial(async () => {
        this.#running = false;
        await this.#setAlarm(await this.#nextAlarm(), true);
      });
    }
  }

  /** The object's own queue (what consumer(queue, env) gets). */
  #queue() {
    if (this.#view) return this.#view;
    const self = this;
    const storage = this.#storage;
    const { dedupMs, maxDeadLetters } = this.#options;
    this.#view = {
      kind: 'durable-object',
      durable: true,
      async enqueue(job) {
        const text = jobText(job);
        const id = job.id;
        return self.#serial(async () => {
          const now = Date.now();
          const current = await storage.get(`j:${id}`);
          if (current && (current.state !== 'done' || current.until > now)) return; // one job per id
          const { fields, parts } = pack(text, (i) => `p:${id}:${i}`);
          const writes = { [`j:${id}`]: { state: 'ready', attempt: 0, due: now, ...fields }, [`d:${pad(now)}:${id}`]: id, ...Object.fromEntries(parts) };
          const del = current?.state === 'done' ? [`t:${pad(current.until)}:${id}`] : [];
          await Promise.all([storage.put(writes), del.length ? storage.delete(del) : null]);
          if (self.#running) self.#wake();
          else await self.#setAlarm(now, false);
        });
      },
      consume(handle, consumeOpts) {
        const options = consumeOptions(handle, consumeOpts);
        const registration = { handle, options, inHand: new Map() };
        self.#registrations.add(registration);
        return new Promise((resolve) => {
          const end = async () => {
            self.#registrations.delete(registration);
            while (registration.inHand.size) await Promise.all([...registration.inHand.values()].map((l) => l.done));
            resolve();
          };
          if (options.signal?.aborted) end();
          else options.signal?.addEventListener?.('abort', end, { once: true });
          // Jobs may be waiting: the alarm takes them.
          self.#serial(() => self.#setAlarm(Date.now(), false)).catch((e) => options.onError(e));
        });
      },
      async deadLetter(job, info) {
        const text = jobText(job);
        const id = job.id;
        return self.#serial(async () => {
          if ((await storage.get(`xi:${id}`)) !== undefined) return false;
          const at = Date.now();
          const { fields, parts } = pack(text, (i) => `xp:${id}:${i}`);
          const count = ((await storage.get('xn')) ?? 0) + 1;
          await storage.put({
            [`x:${pad(at)}:${id}`]: { attempts: Number(info?.attempts) || 0, error: String(info?.error ?? ''), at, ...fields },
            [`xi:${id}`]: at, xn: count, ...Object.fromEntries(parts),
          });
          if (count > maxDeadLetters) {
            const oldest = await storage.list({ prefix: 'x:', limit: Math.min(count - maxDeadLetters, SWEEP_BATCH) });
            const gone = [];
            for (const [key, value] of oldest) {
              const oldId = key.slice(18);
              gone.push(key, `xi:${oldId}`, ...partKeys(value, (i) => `xp:${oldId}:${i}`));
            }
            await Promise.all([deleteKeys(storage, gone), storage.put('xn', count - oldest.size)]);
          }
          return true;
        });
      },
      async deadLetters(limit) {
        const n = deadLetterLimit(limit);
        const entries = await storage.list({ prefix: 'x:', reverse: true, limit: n });
        const out = [];
        for (const [key, value] of [...entries].reverse()) {
          const id = key.slice(18);
          let job;
          try { job = await unpack(storage, value, (i) => `xp:${id}:${i}`); } catch { job = { id }; }
          out.push({ job, attempts: value.attempts, error: value.error, at: value.at });
        }
        return out;
      },
      async stats() {
        const due = await storage.list({ prefix: 'd:' });
        return { queued: due.size, dead: (await storage.get('xn')) ?? 0 };
      },
    };
    return this.#view;

    function partKeys(value, key) {
      return Array.from({ length: Number(value?.parts) || 0 }, (_, i) => key(i));
    }
  }

  /** Makes this instance's consumer once (consumer(queue, env)) and starts it. */
  #startConsumer() {
    if (this.#consumer !== undefined) return;
    let consumer = null;
    try {
      consumer = this.consumer(this.#queue(), this.#env);
    } catch (e) {
      console.error(`wechat-kf DurableObjectQueue: consumer(queue, env) threw: ${e?.message ?? e}`);
    }
    if (!consumer || typeof consumer.start !== 'function') {
      if (consumer !== null || this.constructor === DurableObjectQueue) {
        console.error('wechat-kf DurableObjectQueue: no consumer; export a subclass whose consumer(queue, env) returns createConsumer({ queue, onMessage, … })');
      }
      this.#consumer = null;
      return;
    }
    this.#consumer = consumer;
    consumer.start();
  }

  /** Takes due jobs for the registrations with free slots; answers the next due time (Infinity: none). */
  async #takeDue() {
    const storage = this.#storage;
    const now = Date.now();
    this.#took = 0;
    if (!this.#reclaimed) {
      // Leases of the instance before this one (it ended: restart, eviction, deploy): due now.
      this.#reclaimed = true;
      const leased = await storage.list({ prefix: 'l:' });
      for (const [key] of leased) {
        const id = key.slice(2);
        const value = await storage.get(`j:${id}`);
        if (value?.state === 'leased' && !this.#inHand(id)) {
          await Promise.all([
            storage.put({ [`j:${id}`]: { ...value, state: 'ready', due: now, lease: undefined }, [`d:${pad(now)}:${id}`]: id }),
            storage.delete([key, `d:${pad(value.due)}:${id}`]),
          ]);
        } else if (!value || value.state !== 'leased') {
          await storage.delete(key);
        }
      }
    }
    for (const registration of this.#registrations) {
      const { concurrency, visibilityMs } = registration.options;
      if (registration.inHand.size >= concurrency) continue;
      const due = await storage.list({ start: 'd:', end: `d:${pad(now + 1)}`, limit: (concurrency - registration.inHand.size) * 2 + this.#inHandCount() });
      for (const [indexKey, id] of due) {
        if (registration.inHand.size >= concurrency) break;
        // In hand here: this instance is alive, and createConsumer gives up an onMessage at visibilityMs.
        if (this.#inHand(id)) continue;
        const value = await storage.get(`j:${id}`);
        if (!value || value.state === 'done' || indexKey !== `d:${pad(value.due)}:${id}`) {
          await storage.delete(indexKey); // a stale index entry
          continue;
        }
        if (!(value.due <= now)) continue;
        const attempt = (Number(value.attempt) || 0) + 1;
        const leaseDue = now + Math.ceil(visibilityMs);
        const lease = token();
        const leased = { ...value, state: 'leased', attempt, due: leaseDue, lease };
        await Promise.all([
          storage.put({ [`j:${id}`]: leased, [`d:${pad(leaseDue)}:${id}`]: id, [`l:${id}`]: lease }),
          storage.delete(indexKey),
        ]);
        // The backstop should this instance end mid-delivery (the interrupted alarm runs again too).
        await this.#setAlarm(leaseDue, false);
        this.#deliver(registration, id, leased, attempt);
        this.#took++;
      }
    }
    const next = await storage.list({ prefix: 'd:', limit: 1 + this.#inHandCount() });
    for (const [key, id] of next) {
      if (!this.#inHand(id)) return Number(key.slice(2, 17));
    }
    return Infinity;
  }

  #wake() {
    this.#woken = true;
    this.#wakeRun?.();
  }

  #inHandCount() {
    let n = 0;
    for (const r of this.#registrations) n += r.inHand.size;
    return n;
  }

  #inHand(id) {
    for (const r of this.#registrations) if (r.inHand.has(id)) return true;
    return false;
  }

  #deliver(registration, id, leased, attempt) {
    const { handle, options } = registration;
    const entry = { lease: leased.lease, done: null };
    entry.done = (async () => {
      let ok = true;
      try {
        const job = await unpack(this.#storage, leased, (i) => `p:${id}:${i}`);
        await handle({ job, attempt });
      } catch {
        ok = false;
      }
      try {
        await this.#serial(() => this.#settle(id, leased, ok, options));
      } catch (e) {
        options.onError(queueError(e, 'settling a delivery'));
      }
    })().finally(() => {
      if (registration.inHand.get(id) === entry) registration.inHand.delete(id);
      this.#wake();
    });
    registration.inHand.set(id, entry);
  }

  /** Settles a delivery while its lease is still the job's (a lapsed lease changes nothing). */
  async #settle(id, leased, ok, options) {
    const storage = this.#storage;
    const value = await storage.get(`j:${id}`);
    if (!value || value.state !== 'leased' || value.lease !== leased.lease) return;
    const now = Date.now();
    const gone = [`d:${pad(value.due)}:${id}`, `l:${id}`];
    if (ok) {
      const until = now + this.#options.dedupMs;
      for (let i = 0; i < (Number(value.parts) || 0); i++) gone.push(`p:${id}:${i}`);
      await Promise.all([
        storage.put({ [`j:${id}`]: { state: 'done', attempt: value.attempt, due: 0, until }, [`t:${pad(until)}:${id}`]: id }),
        storage.delete(gone),
      ]);
    } else {
      const due = now + delayOf(options.retryDelayMs, value.attempt);
      await Promise.all([
        storage.put({ [`j:${id}`]: { ...value, state: 'ready', due, lease: undefined }, [`d:${pad(due)}:${id}`]: id }),
        storage.delete(gone),
      ]);
    }
  }

  /** Forgets the settled jobs whose dedupMs has passed. */
  async #sweepSettled() {
    await this.#serial(async () => {
      const now = Date.now();
      const expired = await this.#storage.list({ start: 't:', end: `t:${pad(now + 1)}`, limit: SWEEP_BATCH });
      const gone = [];
      for (const [key, id] of expired) {
        const value = await this.#storage.get(`j:${id}`);
        if (value?.state === 'done' && value.until <= now) gone.push(`j:${id}`);
        gone.push(key);
      }
      await deleteKeys(this.#storage, gone);
    });
  }

  /** The time the alarm should fire next: the earliest due job or settled job to forget. */
  async #nextAlarm() {
    let next = Infinity;
    for (const prefix of ['d:', 't:']) {
      const first = await this.#storage.list({ prefix, limit: 1 });
      for (const key of first.keys()) next = Math.min(next, Number(key.slice(2, 17)));
    }
    return next;
  }

  /** Sets the alarm to `at` when none is set earlier (`exact`: to `at`, or none for Infinity). */
  async #setAlarm(at, exact) {
    const storage = this.#storage;
    if (exact) {
      if (at === Infinity) await storage.deleteAlarm();
      else await storage.setAlarm(Math.max(at, Date.now()));
      return;
    }
    const current = await storage.getAlarm();
    if (current === null || current === undefined || current > at) await storage.setAlarm(Math.max(at, Date.now()));
  }

  #serial(fn) {
    const run = this.#serialQueue.then(fn, fn);
    this.#serialQueue = run.then(() => {}, () => {});
    return run;
  }
}

/** Deletes keys, at most 128 a call (the storage API's limit). */
async function deleteKeys(storage, keys) {
  for (let i = 0; i < keys.length; i += 128) await storage.delete(keys.slice(i, i + 128));
}

async function unpack(storage, value, partKey) {
  if (value.body instanceof Uint8Array) return JSON.parse(decoder.decode(value.body));
  const n = Number(value.parts);
  if (!Number.isInteger(n) || n < 1) throw new Error('a job without its body');
  const keys = Array.from({ length: n }, (_, i) => partKey(i));
  const chunks = [];
  for (let i = 0; i < keys.length; i += 128) {
    const got = await storage.get(keys.slice(i, i + 128));
    for (const k of keys.slice(i, i + 128)) {
      const c = got.get(k);
      if (!(c instanceof Uint8Array)) throw new Error(`part ${k} of a job is missing`);
      chunks.push(c);
    }
  }
  const all = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let at = 0;
  for (const c of chunks) all.set(c, at), at += c.length;
  return JSON.parse(decoder.decode(all));
}

/**
 * durableObjectQueue(namespace, { appId | name }): the queue mode's queue for
 * createHandler({ queue }) in a worker, backed by the DurableObjectQueue subclass bound as
 * `namespace` (one object per account). Its consume() is not for the worker: the object runs
 * the consumer (consumer(queue, env)).
 */
export function durableObjectQueue(namespace, options = {}) {
  if (!namespace || typeof namespace.idFromName !== 'function' || typeof namespace.get !== 'function') {
    throw invalidOption('namespace', 'durableObjectQueue needs a Durable Object namespace binding (env.WECHAT_KF_QUEUE)');
  }
  if (options === null || typeof options !== 'object') throw invalidOption('options', 'durableObjectQueue(namespace, options): options must be an object');
  checkOptionNames('durableObjectQueue', options, ['appId', 'name']);
  const { appId, name = appId } = options;
  if (appId !== undefined && (typeof appId !== 'string' || appId === '')) {
    throw invalidOption('appId', 'durableObjectQueue option appId must be a non-empty string (the account whose object this is)');
  }
  if (name === undefined) {
    throw invalidOption('appId', 'durableObjectQueue needs { appId } (one object per account) or { name } (the object\'s name)');
  }
  if (typeof name !== 'string' || name === '') throw invalidOption('name', 'durableObjectQueue option name must be a non-empty string');

  async function call(op, fields) {
    let res;
    let text;
    try {
      const stub = namespace.get(namespace.idFromName(name));
      res = await stub.fetch('https://wechat-kf.queue/', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ op, ...fields }),
      });
      text = await res.text();
    } catch (e) {
      throw queueError(e, `(${op})`);
    }
    let body;
    try { body = JSON.parse(text); } catch { body = {}; }
    if (res.status === 400 && body.kind) throw new WxkfError(body.error, body.code, body.kind);
    if (!res.ok || !('result' in body)) {
      throw wxkfError(ERR.QueueUnavailable, `the Durable Object queue failed (${op}): HTTP ${res.status}${body.error ? `: ${body.error}` : ''}`);
    }
    return body.result;
  }

  return {
    kind: 'durable-object',
    durable: true,
    /** The object's name (one object per account). */
    name,
    async enqueue(job) {
      jobText(job);
      await call('enqueue', { job });
    },
    async consume() {
      throw invalidOption('queue', 'on Workers the Durable Object runs the consumer: export a subclass of DurableObjectQueue whose '
        + 'consumer(queue, env) returns createConsumer({ queue, onMessage, … }); durableObjectQueue(…) is for createHandler({ queue })');
    },
    async deadLetter(job, info) {
      jobText(job);
      return call('deadLetter', { job, info: { attempts: Number(info?.attempts) || 0, error: String(info?.error ?? '') } });
    },
    async deadLetters(limit) {
      return call('deadLetters', { limit: limit === undefined ? null : deadLetterLimit(limit) });
    },
    async stats() {
      return call('stats', {});
    },
  };
}
