// What redisStore and redisQueue (wechat-kf/redis) share: sending one raw command with the user's
// own client, node-redis (npm `redis`, v4 to v6: `createClient()`, `sendCommand([...])`, or
// `createCluster()`, `sendCommand(firstKey, isReadonly, [...])`) or ioredis (`new Redis()` or
// `new Redis.Cluster()`: `call(name, ...args)`), reading a reply as text, and a Lua script run
// by EVALSHA (EVAL when the server answers NOSCRIPT). Bundled into wechat-kf.js; the entries
// get it from its internals (internal.js), so that wechat-kf/redis stays one file to load.
import { invalidOption } from '../errors.js';

export async function sha1Hex(text) {
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * How to send one raw command with this client: (args: string[], key?: string) => Promise<reply>,
 * `key` being the key the command touches (none for CONFIG): a node-redis cluster routes by it.
 */
export function commandSender(client, owner = 'redisStore') {
  if (client && typeof client.call === 'function') {
    return (args) => client.call(...args); // ioredis (Redis and Cluster: it finds the key itself)
  }
  if (client && typeof client.sendCommand === 'function') {
    // node-redis createCluster(): sendCommand(firstKey, isReadonly, args). Writes and reads go
    // to the slot's master (isReadonly false: no stale read from a replica).
    if (typeof client.getSlotMaster === 'function' || typeof client.getMasters === 'function') {
      return (args, key) => client.sendCommand(key, false, args);
    }
    return (args) => client.sendCommand(args); // node-redis createClient()
  }
  throw invalidOption('client', `${owner} needs a node-redis (createClient or createCluster) or ioredis (Redis or Cluster) client`);
}

/** A reply (string, Buffer/Uint8Array, null) as a string or null. */
export const text = (reply) => (reply === null || reply === undefined ? null
  : typeof reply === 'string' ? reply : new TextDecoder().decode(reply));

/**
 * runScript(send) -> (source, keys, args) => reply: EVALSHA, and EVAL (which loads it) when the
 * server does not have the script (NOSCRIPT: a restart, SCRIPT FLUSH). Routed by keys[0].
 */
export function scriptRunner(send) {
  const shas = new Map();
  return async (source, keys, args) => {
    let sha = shas.get(source);
    if (!sha) {
      sha = await sha1Hex(source);
      shas.set(source, sha);
    }
    const rest = [String(keys.length), ...keys, ...args.map(String)];
    try {
      return await send(['EVALSHA', sha, ...rest], keys[0]);
    } catch (e) {
      if (!/NOSCRIPT/i.test(String(e && e.message))) throw e;
      return send(['EVAL', source, ...rest], keys[0]);
    }
  };
}
