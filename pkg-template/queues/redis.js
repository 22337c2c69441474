// redisQueue(client, options): the queue contract (queue.d.ts) on Redis Streams, with the user's
// own node-redis or ioredis client (wechat-kf/redis; the package depends on no client library).
//
// Keys (one hash tag, so that every key is in one cluster slot): `<prefix>{queue}:jobs` (the
// stream), `<prefix>{queue}:id:<id>` (an enqueued id, for dedupMs), `<prefix>{queue}:dead` (the
// dead letters' stream, capped at maxDeadLetters) and `<prefix>{queue}:dead-id:<id>`.
//
//   enqueue    one Lua script: SET id marker NX PX dedupMs, and only then XADD the job. The
//              same id again within dedupMs (a handler's retry after a lost reply, a command
//              ioredis re-sent) adds nothing: one job per id.
//   consume    a consumer group (`wechat-kf`), this consume() one consumer of it. New jobs come
//              with XREADGROUP (BLOCK, on the reader connection), jobs whose delivery lapsed
//              (a consumer died: idle for visibilityMs) with XAUTOCLAIM; a delivery's attempt is
//              the entry's delivery count in the pending entries list (XPENDING).
//              Settled: XACK + XDEL (one script). Failed: the entry stays pending and its idle
//              time is set (XCLAIM … IDLE visibilityMs - retryDelayMs, JUSTID: the count is not
//              raised) so that XAUTOCLAIM hands it out again after retryDelayMs (at most
//              visibilityMs), only while this consumer still owns that delivery.
//   deadLetter one script: SET dead-id marker NX, then XADD to the dead letters (MAXLEN ~).
//
// Every command has a deadline (timeoutMs; a blocking read blockMs more). A blocking read holds
// its connection: consume reads on `reader` (default client.duplicate(), opened by consume and
// closed when it ends), never on the client the handler writes with.
import internal, { ERR } from '../wechat-kf.js';

const {
  wxkfError, invalidOption, numberOption, checkOptionNames, commandSender, text, scriptRunner,
  jobText, consumeOptions, delayOf, deadLetterLimit, pause, queueError,
} = internal;

const GROUP = 'wechat-kf';

// KEYS: stream, id marker. ARGV: id, job, dedupMs. 1 when added, 0 when the id was there.
const ENQUEUE = `if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[3]) then
  redis.call('XADD', KEYS[1], '*', 'id', ARGV[1], 'job', ARGV[2])
  return 1
end
return 0`;

// KEYS: stream. ARGV: group, consumer, min idle, cursor, count. { cursor, entries, counts }:
// the entries XAUTOCLAIM handed to this consumer and each one's delivery count.
const RECLAIM = `local r = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], 'COUNT', ARGV[5])
local entries = {}
local counts = {}
for _, e in ipairs(r[2]) do
  if type(e) == 'table' and e[1] then
    local p = redis.call('XPENDING', KEYS[1], ARGV[1], e[1], e[1], 1)
    entries[#entries + 1] = e
    counts[#counts + 1] = (p[1] and p[1][4]) or 1
  end
end
return {r[1], entries, counts}`;

// KEYS: stream. ARGV: group, id. Acknowledged and deleted.
const ACK = `redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
return redis.call('XDEL', KEYS[1], ARGV[2])`;

// KEYS: stream. ARGV: group, consumer, id, delivery count, idle ms, retry count ('' keeps it).
// Only while this consumer holds this delivery (owner and count unchanged): sets its idle time,
// so that XAUTOCLAIM (min idle visibilityMs) hands it out again when the idle time reaches it.
const REQUEUE = `local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)
if not p[1] or p[1][2] ~= ARGV[2] or tonumber(p[1][4]) ~= tonumber(ARGV[4]) then return 0 end
if ARGV[6] == '' then
  redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3], 'IDLE', ARGV[5], 'JUSTID')
else
  redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3], 'IDLE', ARGV[5], 'RETRYCOUNT', ARGV[6], 'JUSTID')
end
return 1`;

// KEYS: stream. ARGV: group, consumer, idle ms. Removes this consumer from the group when it
// holds no delivery; and consumers that hold none and were idle longer than ARGV[3] (the
// names of consumers that stopped or died).
const FORGET = `local function field(info, name)
  for i = 1, #info, 2 do if info[i] == name then return info[i + 1] end end
end
local gone = 0
for _, c in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
  local name = field(c, 'name')
  local pending = tonumber(field(c, 'pending'))
  local idle = tonumber(field(c, 'idle'))
  if pending == 0 and (name == ARGV[2] or idle > tonumber(ARGV[3])) then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], name)
    gone = gone + 1
  end
end
return gone`;

// KEYS: dead stream, dead-id marker. ARGV: id, job, attempts, error, at, marker ttl, maxlen.
const DEAD_LETTER = `if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[6]) then
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[7], '*', 'id', ARGV[1], 'job', ARGV[2], 'attempts', ARGV[3], 'error', ARGV[4], 'at', ARGV[5])
  return 1
end
return 0`;

const DEAD_ID_TTL_MS = 7 * 86_400_000;
/** Consumers that hold nothing and were idle this long are removed from the group. */
const FORGET_IDLE_MS = 3600_000;

const isName = (v) => typeof v === 'string' || v instanceof Uint8Array;

/**
 * The entry lists of an XREADGROUP reply: [[stream, entries], …] (RESP2), a map (RESP3), or
 * [stream, entries] (ioredis 6 gives a one-stream reply so); none for null (nothing came).
 */
function streamLists(reply) {
  if (reply === null || reply === undefined) return [];
  if (reply instanceof Map) return [...reply.values()];
  if (Array.isArray(reply)) {
    if (reply.length === 2 && isName(reply[0]) && Array.isArray(reply[1])) return [reply[1]];
    return reply.map((s) => (Array.isArray(s) ? s[1] : s?.messages));
  }
  if (typeof reply === 'object') return Object.values(reply);
  return [];
}

/** Stream entries ([id, [field, value, …]] or { id, message }) as { id, fields: Map }. */
function entriesOf(list) {
  const out = [];
  for (const e of list ?? []) {
    if (!e) continue;
    let id;
    let raw;
    if (Array.isArray(e)) [id, raw] = e;
    else ({ id, message: raw } = e);
    const fields = new Map();
    if (Array.isArray(raw)) {
      for (let i = 0; i + 1 < raw.length; i += 2) fields.set(text(raw[i]), text(raw[i + 1]));
    } else if (raw && typeof raw === 'object') {
      for (const [k, v] of raw instanceof Map ? raw : Object.entries(raw)) fields.set(text(k), text(v));
    }
    out.push({ id: text(id), fields });
  }
  return out;
}

const randomId = () => (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function'
  ? crypto.randomUUID()
  : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`);

/**
 * Opens the connection for blocking reads within ms: the reader option as it is, or
 * client.duplicate() (connected here, closed by close(); closed at once when it fails to connect).
 * No reader (reader: false, or a client without duplicate): { send: null }, reads poll.
 */
async function openReader(client, reader, ms) {
  if (reader === false) return { send: null, close: async () => {} };
  if (reader !== undefined) return { send: commandSender(reader, 'redisQueue'), close: async () => {} };
  if (typeof client.duplicate !== 'function') return { send: null, close: async () => {} };
  const dup = client.duplicate();
  if (typeof dup.on === 'function') dup.on('error', () => {}); // reported through the reads that fail
  const close = async () => {
    try {
      if (typeof dup.call === 'function') dup.disconnect(); // ioredis
      else if (typeof dup.destroy === 'function') dup.destroy(); // node-redis 5+
      else await dup.disconnect?.(); // node-redis 4
    } catch {}
  };
  let timer;
  try {
    await Promise.race([
      (async () => {
        if (typeof dup.call === 'function') {
          // ioredis connects by itself (unless lazyConnect); ready once it answers.
          if (dup.status === 'wait' && typeof dup.connect === 'function') await dup.connect();
          await dup.call('PING');
        } else if (typeof dup.connect === 'function' && !dup.isOpen) {
          await dup.connect(); // node-redis
        }
      })(),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`the reader connection did not open within ${ms} ms`)), ms); }),
    ]);
  } catch (e) {
    await close();
    throw e;
  } finally {
    clearTimeout(timer);
  }
  return { send: commandSender(dup, 'redisQueue'), close };
}

/**
 * redisQueue(client, { prefix?, reader?, timeoutMs?, blockMs?, dedupMs?, maxDeadLetters? }):
 * the Queue contract on Redis Streams.
 */
export function redisQueue(client, options = {}) {
  const send = commandSender(client, 'redisQueue');
  if (options === null || typeof options !== 'object') throw invalidOption('options', 'redisQueue(client, options): options must be an object');
  checkOptionNames('redisQueue', options, ['prefix', 'reader', 'timeoutMs', 'blockMs', 'dedupMs', 'maxDeadLetters']);
  const { prefix = 'wechat-kf:', reader } = options;
  if (reader !== undefined && reader !== false) commandSender(reader, 'redisQueue option reader');
  const timeoutMs = numberOption('redisQueue', 'timeoutMs', options.timeoutMs ?? 5000, { min: 1, max: 60_000 });
  const blockMs = numberOption('redisQueue', 'blockMs', options.blockMs ?? 1000, { min: 1, max: 30_000, whole: true });
  const dedupMs = numberOption('redisQueue', 'dedupMs', options.dedupMs ?? 900_000, { min: 1000, max: 7 * 86_400_000, whole: true });
  const maxDeadLetters = numberOption('redisQueue', 'maxDeadLetters', options.maxDeadLetters ?? 10_000,
    { min: 1, max: 10_000_000, whole: true, unit: 'dead letters' });
  const base = `${String(prefix)}{queue}:`;
  const STREAM = `${base}jobs`;
  const DEAD = `${base}dead`;
  const run = scriptRunner(send);

  /** One engine call within ms (default timeoutMs): rejects with -44001 QueueUnavailable past it or when it fails. */
  async function call(what, fn, ms = timeoutMs) {
    let timer;
    try {
      return await Promise.race([
        Promise.resolve().then(fn),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(wxkfError(ERR.QueueUnavailable, `Redis did not answer ${what} within ${ms} ms`, { timeout: true })), ms);
        }),
      ]);
    } catch (e) {
      throw queueError(e, what);
    } finally {
      clearTimeout(timer);
    }
  }

  async function ensureGroup() {
    try {
      await call('XGROUP CREATE', () => send(['XGROUP', 'CREATE', STREAM, GROUP, '0', 'MKSTREAM'], STREAM));
    } catch (e) {
      if (!/BUSYGROUP/.test(String(e?.cause?.message ?? e?.message))) throw e;
    }
  }

  /** The deliveries of stream entries: { entryId, job, attempt } (an entry that is not a job: reported, acknowledged). */
  function deliveries(entries, counts, onError) {
    const out = [];
    entries.forEach((e, i) => {
      let job;
      try {
        job = JSON.parse(e.fields.get('job'));
        if (!job || typeof job.id !== 'string') throw new Error('no job id');
      } catch (error) {
        onError(wxkfError(ERR.QueueUnavailable, `the stream entry ${e.id} of ${STREAM} is not a job (${error.message}): dropped`, { cause: error }));
        call('XACK', () => run(ACK, [STREAM], [GROUP, e.id])).catch(onError);
        return;
      }
      out.push({ entryId: e.id, job, attempt: Math.max(1, Number(counts?.[i] ?? 1) || 1) });
    });
    return out;
  }

  return {
    kind: 'redis',
    durable: true,
    /** The keys this queue uses (all in one hash slot). */
    keys: Object.freeze({ jobs: STREAM, dead: DEAD }),

    async enqueue(job) {
      const textJob = jobText(job);
      await call('enqueue', () => run(ENQUEUE, [STREAM, `${base}id:${job.id}`], [job.id, textJob, dedupMs]));
    },

    async consume(handle, consumeOpts) {
      const { concurrency, visibilityMs, retryDelayMs, onError, signal } = consumeOptions(handle, consumeOpts);
      const consumer = `c-${randomId()}`;
      const reclaimEveryMs = Math.min(1000, Math.max(20, Math.floor(visibilityMs / 10)));
      const inHand = new Map(); // entryId -> promise
      let wake = null;
      const settled = () => { const w = wake; wake = null; w?.(); };
      const waitSettle = () => new Promise((resolve) => { wake = resolve; });
      signal?.addEventListener?.('abort', settled, { once: true });
      // Failures in a row (the first of a run is reported, then one a minute).
      let failing = 0;
      let lastReport = 0;
      const failed = async (e) => {
        failing++;
        const at = Date.now();
        if (failing === 1 || at - lastReport >= 60_000) {
          lastReport = at;
          onError(e);
        }
        await pause(Math.min(10_000, 100 * 2 ** Math.min(failing, 7)), signal);
      };

      let opened = null;
      while (!signal?.aborted && opened === null) {
        try {
          await ensureGroup();
          opened = await call('opening the reader connection', () => openReader(client, reader, timeoutMs), timeoutMs + 1000);
        } catch (e) {
          await failed(queueError(e, 'starting to consume'));
        }
      }
      if (opened === null) return;
      failing = 0;
      const readSend = opened.send;

      const settle = async (delivery, ok) => {
        const { entryId, attempt } = delivery;
        const [what, source, args] = ok
          ? ['acknowledging a delivery', ACK, [GROUP, entryId]]
          : ['putting a failed delivery back', REQUEUE, [GROUP, consumer, entryId, attempt,
            Math.max(0, visibilityMs - Math.min(visibilityMs, delayOf(retryDelayMs, attempt))), '']];
        // A few tries; past them the entry stays pending and is handed out again after visibilityMs.
        for (let i = 0; i < 3; i++) {
          try {
            await call(what, () => run(source, [STREAM], args));
            return;
          } catch (e) {
            if (i === 2) onError(e);
            else await pause(200 * 4 ** i);
          }
        }
      };
      const dispatch = (delivery) => {
        const p = Promise.resolve()
          .then(() => handle({ job: delivery.job, attempt: delivery.attempt }))
          .then(() => settle(delivery, true), () => settle(delivery, false))
          .catch((e) => onError(e))
          .finally(() => { inHand.delete(delivery.entryId); settled(); });
        inHand.set(delivery.entryId, p);
      };
      /** Hands deliveries taken after stop back at once, their count as it was. */
      const giveBack = async (list) => {
        await Promise.all(list.map((d) => call('giving a delivery back', () => run(REQUEUE, [STREAM],
          [GROUP, consumer, d.entryId, d.attempt, visibilityMs + 1000, d.attempt - 1])).catch(onError)));
      };

      let cursor = '0-0';
      let nextReclaim = 0;
      try {
        while (!signal?.aborted) {
          const free = concurrency - inHand.size;
          if (free <= 0) {
            await waitSettle();
            continue;
          }
          let got = [];
          try {
            if (Date.now() >= nextReclaim) {
              const r = await call('XAUTOCLAIM', () => run(RECLAIM, [STREAM], [GROUP, consumer, visibilityMs, cursor, free]));
              cursor = text(r?.[0]) ?? '0-0';
              got = deliveries(entriesOf(r?.[1]), r?.[2], onError);
              // The whole pending list was scanned: next time after a pause.
              if (cursor === '0-0') nextReclaim = Date.now() + reclaimEveryMs;
            }
            if (got.length === 0) {
              const wait = Math.max(1, Math.min(blockMs, nextReclaim - Date.now()));
              const args = ['XREADGROUP', 'GROUP', GROUP, consumer, 'COUNT', String(free)];
              let reply;
              if (readSend) {
                reply = await call('XREADGROUP', () => readSend([...args, 'BLOCK', String(wait), 'STREAMS', STREAM, '>'], STREAM), timeoutMs + wait);
              } else {
                // No connection of its own: poll without blocking the client's connection.
                reply = await call('XREADGROUP', () => send([...args, 'STREAMS', STREAM, '>'], STREAM));
                if (streamLists(reply).length === 0) await pause(Math.min(wait, 100), signal);
              }
              for (const list of streamLists(reply)) got.push(...deliveries(entriesOf(list), null, onError));
            }
            failing = 0;
          } catch (e) {
            if (/NOGROUP/.test(String(e?.cause?.message ?? e?.message))) {
              // The stream or the group was deleted (FLUSHALL, a restart without persistence).
              await ensureGroup().catch(() => {});
              cursor = '0-0';
            }
            await failed(e);
            continue;
          }
          if (signal?.aborted) {
            await giveBack(got);
            break;
          }
          // One it holds already (its onMessage past visibilityMs, reclaimed by itself): not twice.
          for (const d of got) if (!inHand.has(d.entryId)) dispatch(d);
        }
        await Promise.all(inHand.values());
      } finally {
        await call('leaving the group', () => run(FORGET, [STREAM], [GROUP, consumer, FORGET_IDLE_MS])).catch(() => {});
        await opened.close();
      }
    },

    async deadLetter(job, info) {
      const textJob = jobText(job);
      const added = await call('keeping a dead letter', () => run(DEAD_LETTER, [DEAD, `${base}dead-id:${job.id}`], [
        job.id, textJob, Number(info?.attempts) || 0, String(info?.error ?? '').slice(0, 2000), Date.now(), DEAD_ID_TTL_MS, maxDeadLetters,
      ]));
      return Number(added) === 1;
    },

    async deadLetters(limit) {
      const n = deadLetterLimit(limit);
      const reply = await call('XREVRANGE', () => send(['XREVRANGE', DEAD, '+', '-', 'COUNT', String(n)], DEAD));
      return entriesOf(reply).reverse().map(({ fields }) => ({
        job: JSON.parse(fields.get('job')),
        attempts: Number(fields.get('attempts')),
        error: fields.get('error') ?? '',
        at: Number(fields.get('at')),
      }));
    },

    /** Jobs in the stream (waiting or in hand) and dead letters kept. */
    async stats() {
      const [queued, dead] = await Promise.all([
        call('XLEN', () => send(['XLEN', STREAM], STREAM)),
        call('XLEN', () => send(['XLEN', DEAD], DEAD)),
      ]);
      return { queued: Number(queued), dead: Number(dead) };
    },
  };
}
