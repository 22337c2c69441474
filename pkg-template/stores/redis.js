// wechat-kf/redis: the Store contract (store.d.ts) over the user's own Redis client, node-redis
// v4/v5 (npm `redis`: `sendCommand([...])`) or ioredis (`call(name, ...args)`). Depends on no
// client library. Atomicity: SET NX PX for setIfAbsent; Lua scripts (EVALSHA, EVAL when the
// server answers NOSCRIPT) for compare-and-delete and compareAndSet; no read-then-write in JS.
import internal from '../wechat-kf.js';

const { invalidOption, checkKey, checkValue, checkTtl } = internal;

// KEYS[1]; ARGV[1] = the value it must hold.
const DELETE_IF = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
// KEYS[1]; ARGV: absent ('1' when expected is null), expected, value, ttl ('' for none).
const COMPARE_AND_SET = `local cur = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if cur then return 0 end
elseif cur ~= ARGV[2] then
  return 0
end
if ARGV[4] == '' then redis.call('SET', KEYS[1], ARGV[3]) else redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4]) end
return 1`;

async function sha1Hex(text) {
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** How to send one raw command with this client: (args: string[]) => Promise<reply>. */
function commandSender(client) {
  if (client && typeof client.call === 'function') {
    return (args) => client.call(...args); // ioredis (Redis and Cluster)
  }
  if (client && typeof client.sendCommand === 'function') {
    return (args) => client.sendCommand(args); // node-redis v4 / v5 (createClient)
  }
  throw invalidOption('client', 'redisStore needs a node-redis (createClient) or ioredis client');
}

const text = (reply) => (reply === null || reply === undefined ? null
  : typeof reply === 'string' ? reply : new TextDecoder().decode(reply));

/** A Store over Redis. options.prefix (default 'wechat-kf:') is put before every key. */
export function redisStore(client, { prefix = 'wechat-kf:' } = {}) {
  const send = commandSender(client);
  const p = String(prefix);
  const shas = new Map();

  async function script(source, keys, args) {
    let sha = shas.get(source);
    if (!sha) {
      sha = await sha1Hex(source);
      shas.set(source, sha);
    }
    try {
      return await send(['EVALSHA', sha, String(keys.length), ...keys, ...args]);
    } catch (e) {
      if (!/NOSCRIPT/i.test(String(e && e.message))) throw e;
      return send(['EVAL', source, String(keys.length), ...keys, ...args]); // loads it, too
    }
  }

  return {
    async get(key) {
      checkKey(key);
      return text(await send(['GET', p + key]));
    },
    async set(key, value, ttlMs) {
      checkKey(key);
      checkValue(value);
      const ttl = checkTtl(ttlMs, false);
      await send(ttl === undefined ? ['SET', p + key, value] : ['SET', p + key, value, 'PX', String(ttl)]);
    },
    async setIfAbsent(key, value, ttlMs) {
      checkKey(key);
      checkValue(value);
      const ttl = checkTtl(ttlMs, true);
      return text(await send(['SET', p + key, value, 'NX', 'PX', String(ttl)])) === 'OK';
    },
    async delete(key, ifValue) {
      checkKey(key);
      if (ifValue === undefined) return Number(await send(['DEL', p + key])) > 0;
      checkValue(ifValue);
      return Number(await script(DELETE_IF, [p + key], [ifValue])) > 0;
    },
    async compareAndSet(key, expected, value, ttlMs) {
      checkKey(key);
      if (expected !== null) checkValue(expected);
      checkValue(value);
      const ttl = checkTtl(ttlMs, false);
      const args = [expected === null ? '1' : '0', expected ?? '', value, ttl === undefined ? '' : String(ttl)];
      return Number(await script(COMPARE_AND_SET, [p + key], args)) === 1;
    },
  };
}
