// @ts-self-types="./redis.d.ts"
// wechat-kf/redis: the Store contract (store.d.ts) over the user's own Redis client: node-redis
// (npm `redis`, v4 to v6: `createClient()`, whose commands go through `sendCommand([...])`, or
// `createCluster()`, through `sendCommand(firstKey, isReadonly, [...])`) or ioredis (`new Redis()`
// or `new Redis.Cluster()`: `call(name, ...args)`). Depends on no client library.
//
// Atomicity: setIfAbsent, compare-and-delete and compareAndSet are Lua scripts (EVALSHA, EVAL
// when the server answers NOSCRIPT), no read-then-write in JS. Every command names one key and
// a script gets it in KEYS, so each operation runs on the one node of a cluster owning the slot.
//
// Sent again: ioredis re-sends a command whose reply was lost when the connection dropped
// (after the server ran it). So setIfAbsent and compareAndSet answer true when the key already
// holds exactly the value they write: the second copy recognises the first one's write.
//
// At the first operation, the server's settings are checked once (CONFIG GET): an eviction
// policy that may evict keys with a TTL (every claim and lock has one) and no persistence (a
// restart forgets every claim) are reported as a -43004 StoreMisconfigured warning through
// options.onError (or console.warn once per client). CONFIG refused (managed Redis): no report.
import internal, { ERR } from '../wechat-kf.js';

const { invalidOption, checkKey, checkValue, checkTtl, wxkfError, commandSender, sha1Hex, text, checkOptionNames, reporter } = internal;
// The queue mode's queue on the same clients (Redis Streams): wechat-kf/redis exports both.
export { redisQueue } from '../queues/redis.js';

// KEYS[1]; ARGV: value, ttl (ms). 1 when set, or when the key already holds value.
const SET_IF_ABSENT = `local cur = redis.call('GET', KEYS[1])
if not cur then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if cur == ARGV[1] then return 1 end
return 0`;
// KEYS[1]; ARGV[1] = the value it must hold.
const DELETE_IF = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
// KEYS[1]; ARGV: absent ('1' when expected is null), expected, value, ttl ('' for none).
// 1 when set, or when the key already holds value (nothing written then).
const COMPARE_AND_SET = `local cur = redis.call('GET', KEYS[1])
local match
if ARGV[1] == '1' then match = not cur else match = cur == ARGV[2] end
if not match then
  if cur == ARGV[3] then return 1 end
  return 0
end
if ARGV[4] == '' then redis.call('SET', KEYS[1], ARGV[3]) else redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4]) end
return 1`;

/** The value of a CONFIG GET reply: a [name, value] array (RESP2), or a map (RESP3). */
function configValue(reply, name) {
  if (Array.isArray(reply)) {
    for (let i = 0; i + 1 < reply.length; i += 2) if (text(reply[i]) === name) return text(reply[i + 1]);
    return null;
  }
  if (reply instanceof Map) return reply.has(name) ? text(reply.get(name)) : null;
  if (reply && typeof reply === 'object' && name in reply) return text(reply[name]);
  return null;
}

/** The server answered the command with an error (CONFIG disabled or not permitted). */
const refusedByServer = (e) => /^(ERR|NOPERM|NOAUTH|WRONGPASS)\b|unknown command|no permissions/i.test(String(e?.message ?? e));

/** What may lose keys on this server: { problems, message } or null. Throws when not checked. */
async function inspect(send) {
  // One parameter per CONFIG GET (Redis 6 takes one), all sent at once.
  const [policy, maxmemory, appendonly, save] = await Promise.all(['maxmemory-policy', 'maxmemory', 'appendonly', 'save']
    .map(async (name) => configValue(await send(['CONFIG', 'GET', name]), name)));
  const problems = [];
  const lines = [];
  if (policy !== null && policy !== 'noeviction') {
    problems.push('maxmemory-policy');
    lines.push(`maxmemory-policy is ${policy} (maxmemory ${maxmemory ?? '?'}${maxmemory === '0' ? ': no limit set now' : ''}): ` +
      'when memory is full Redis evicts keys, and every dedup claim and lock has a TTL ' +
      `(${policy.startsWith('volatile-') ? 'the keys volatile-* policies evict' : 'any key can be evicted'}): ` +
      'an evicted claim lets a push be handled twice; set maxmemory-policy noeviction (a write is then refused and reported)');
  }
  if (appendonly === 'no') {
    problems.push('persistence');
    lines.push(save === '' || save === null
      ? "appendonly is no and save is '': a restart of Redis forgets every claim and lock; set appendonly yes"
      : `appendonly is no (RDB snapshots only, save '${save}'): a restart of Redis forgets the claims and locks ` +
        'made since the last snapshot; set appendonly yes');
  }
  if (problems.length === 0) return null;
  return { problems, message: `wechat-kf redisStore: ${lines.join('; ')}`, details: { maxmemoryPolicy: policy, maxmemory, appendonly, save } };
}

// One check per client (a program may build many stores on one client): the promise of its
// outcome (the findings, null when nothing to say or CONFIG was refused, LATER when the client
// could not send it yet), how many times it was tried, and whether console.warn was used.
const checks = new WeakMap();
const LATER = Symbol('not checked yet');
const MAX_CHECKS = 3;

function clientCheck(client, send) {
  let entry = checks.get(client);
  if (entry && entry.outcome !== LATER) return entry;
  const attempts = (entry?.attempts ?? 0) + 1;
  entry = { attempts, warned: false, outcome: null };
  entry.outcome = inspect(send).catch((e) => (refusedByServer(e) || attempts >= MAX_CHECKS ? null : LATER));
  entry.outcome.then((found) => { if (found === LATER) entry.outcome = LATER; });
  checks.set(client, entry);
  return entry;
}

/**
 * A Store over Redis. options.prefix (default 'wechat-kf:') is put before every key;
 * options.onError receives the -43004 StoreMisconfigured warning of the start check.
 */
export function redisStore(client, options = {}) {
  const send = commandSender(client);
  checkOptionNames('redisStore', options, ['prefix', 'onError']);
  const { prefix = 'wechat-kf:', onError } = options ?? {};
  if (onError !== undefined && typeof onError !== 'function') {
    throw invalidOption('onError', 'redisStore option onError must be a function (error) => void');
  }
  const report = reporter(onError);
  const p = String(prefix);
  const shas = new Map();
  let checking = false; // this store's check is under way or done

  // The start check: run at the first operation (the client is connected by then), never
  // awaited by it, never failing it. A client that could not send it is checked again at a
  // later operation (up to MAX_CHECKS times).
  function checkOnce() {
    if (checking) return;
    checking = true;
    const entry = clientCheck(client, (args) => send(args));
    Promise.resolve(entry.outcome).then((found) => {
      if (found === LATER) {
        checking = false;
        return;
      }
      if (!found) return;
      const warning = wxkfError(ERR.StoreMisconfigured, found.message, { problems: found.problems, ...found.details });
      if (onError) {
        report(warning, { phase: 'store' }); // never throws; a rejecting onError goes to console.error
      } else if (!entry.warned) {
        entry.warned = true;
        console.warn(`${warning.message} (${warning.code} ${warning.kind}; redisStore(client, { onError }) receives it instead)`);
      }
    });
  }

  const run = (args, key) => {
    checkOnce();
    return send(args, key);
  };

  async function script(source, key, args) {
    let sha = shas.get(source);
    if (!sha) {
      sha = await sha1Hex(source);
      shas.set(source, sha);
    }
    try {
      return await run(['EVALSHA', sha, '1', key, ...args], key);
    } catch (e) {
      if (!/NOSCRIPT/i.test(String(e && e.message))) throw e;
      return run(['EVAL', source, '1', key, ...args], key); // loads it, too
    }
  }

  return {
    async get(key) {
      checkKey(key);
      return text(await run(['GET', p + key], p + key));
    },
    async set(key, value, ttlMs) {
      checkKey(key);
      checkValue(value);
      const ttl = checkTtl(ttlMs, false);
      await run(ttl === undefined ? ['SET', p + key, value] : ['SET', p + key, value, 'PX', String(ttl)], p + key);
    },
    async setIfAbsent(key, value, ttlMs) {
      checkKey(key);
      checkValue(value);
      const ttl = checkTtl(ttlMs, true);
      return Number(await script(SET_IF_ABSENT, p + key, [value, String(ttl)])) === 1;
    },
    async delete(key, ifValue) {
      checkKey(key);
      if (ifValue === undefined) return Number(await run(['DEL', p + key], p + key)) > 0;
      checkValue(ifValue);
      return Number(await script(DELETE_IF, p + key, [ifValue])) > 0;
    },
    async compareAndSet(key, expected, value, ttlMs) {
      checkKey(key);
      if (expected !== null) checkValue(expected);
      checkValue(value);
      const ttl = checkTtl(ttlMs, false);
      const args = [expected === null ? '1' : '0', expected ?? '', value, ttl === undefined ? '' : String(ttl)];
      return Number(await script(COMPARE_AND_SET, p + key, args)) === 1;
    },
  };
}
