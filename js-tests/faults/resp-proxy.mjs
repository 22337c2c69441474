// A fault-injecting TCP proxy for Redis (RESP2 and RESP3), for tests in Node: it forwards every
// byte of a client's commands to the server at once and passes the server's replies back one
// whole reply at a time, matched to the commands in order. A rule can make a command's reply
// never arrive: the server received and ran the command (its reply came back to the proxy), and
// the proxy then cuts the client's connection instead of passing the reply on — the "lost
// reply" of a network fault. The client sees its connection close; ioredis re-sends the command
// after it reconnects (its default), node-redis rejects it.
//
//   import { startProxy } from '../faults/resp-proxy.mjs';
//   const proxy = await startProxy({ targetPort: redisPort });
//   const client = new Redis(proxy.port);
//   proxy.dropRepliesMatching((args) => args[0].toUpperCase() === 'EVALSHA');   // once
//   ...
//   await proxy.close();
//
// startProxy({ targetPort, targetHost = '127.0.0.1', host = '127.0.0.1', port = 0 })
//   -> Promise<{
//     port, host,                     where clients connect
//     dropNextReplies(n = 1)          the replies of the next n commands (any command, counted
//                                     from the call) are lost: each cuts its connection
//     dropRepliesMatching(fn, times = 1)
//                                     the replies of the next `times` commands for which
//                                     fn(args: string[]) is true are lost (args[0] is the command
//                                     name as the client sent it); returns the rule, whose
//                                     `remaining` counts down
//     holdRepliesMatching(fn, times = 1)
//                                     the server runs the command, but its reply (and every later
//                                     reply on that connection) is held: the client waits, with
//                                     its connection open, until release() or close()
//     release()                       passes on every held reply, in order
//     cutAll()                        closes every open connection now (a network blip)
//     clearRules()                    forgets rules not used up yet
//     commands                        every command seen, in order ({ conn, args })
//     dropped                         how many replies were lost so far (cuts made by rules)
//     connections                     how many client connections are open
//     close()                         closes the listener and every connection (Promise)
//   }>
// Inline commands (not RESP arrays) are forwarded and matched with their words as args.
import net from 'node:net';

const CRLF = 0x0d;

/** The index just past the line starting at i (past its \r\n), or -1 when incomplete. */
function lineEnd(buf, i) {
  for (let j = i; j + 1 < buf.length; j++) if (buf[j] === CRLF && buf[j + 1] === 0x0a) return j + 2;
  return -1;
}

/**
 * The end of one RESP value starting at buf[i] (the index just past it), or -1 when the buffer
 * does not hold all of it yet.
 */
export function respEnd(buf, i = 0) {
  if (i >= buf.length) return -1;
  const type = String.fromCharCode(buf[i]);
  const end = lineEnd(buf, i);
  if (end < 0) return -1;
  switch (type) {
    case '+': case '-': case ':': case '_': case ',': case '#': case '(':
      return end;
    case '$': case '!': case '=': {
      const len = Number(buf.toString('latin1', i + 1, end - 2));
      if (len < 0) return end;
      return end + len + 2 <= buf.length ? end + len + 2 : -1;
    }
    case '*': case '~': case '>': case '%': case '|': {
      const count = Number(buf.toString('latin1', i + 1, end - 2));
      if (count < 0) return end;
      let at = end;
      const items = type === '%' || type === '|' ? count * 2 : count;
      for (let k = 0; k < items; k++) {
        at = respEnd(buf, at);
        if (at < 0) return -1;
      }
      return type === '|' ? respEnd(buf, at) : at; // an attribute precedes the reply it describes
    }
    default:
      return end; // an inline command (client side)
  }
}

/** A command's arguments as strings (an array of bulk strings, or an inline command's words). */
function commandArgs(buf) {
  if (buf[0] !== 0x2a /* '*' */) return buf.toString('utf8').trim().split(/\s+/);
  const args = [];
  let at = lineEnd(buf, 0);
  while (at < buf.length) {
    const end = lineEnd(buf, at);
    const len = Number(buf.toString('latin1', at + 1, end - 2));
    args.push(buf.toString('utf8', end, end + len));
    at = end + len + 2;
  }
  return args;
}

export async function startProxy({ targetPort, targetHost = '127.0.0.1', host = '127.0.0.1', port = 0 } = {}) {
  if (!Number.isInteger(targetPort)) throw new TypeError('startProxy: targetPort must be a port number');
  const rules = []; // { match(args), remaining, action: 'drop' | 'hold' }
  const conns = new Set();
  const commands = [];
  let dropped = 0;
  let serial = 0;

  const server = net.createServer((client) => {
    const conn = { id: ++serial, client, upstream: null, pending: [], holding: false, held: [], closed: false };
    conns.add(conn);
    const upstream = net.connect({ port: targetPort, host: targetHost });
    conn.upstream = upstream;
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    let fromClient = Buffer.alloc(0);
    let fromServer = Buffer.alloc(0);

    const cut = () => {
      if (conn.closed) return;
      conn.closed = true;
      conns.delete(conn);
      client.destroy();
      upstream.destroy();
    };
    conn.cut = cut;
    client.on('error', cut);
    upstream.on('error', cut);
    client.on('close', cut);
    upstream.on('close', cut);

    client.on('data', (chunk) => {
      if (conn.closed) return;
      fromClient = Buffer.concat([fromClient, chunk]);
      for (;;) {
        const end = respEnd(fromClient, 0);
        if (end < 0) break;
        const raw = fromClient.subarray(0, end);
        fromClient = fromClient.subarray(end);
        const args = commandArgs(raw);
        commands.push({ conn: conn.id, args });
        const rule = rules.find((r) => r.remaining > 0 && r.match(args));
        if (rule) rule.remaining--;
        conn.pending.push(rule ? rule.action : 'pass');
        upstream.write(raw);
      }
    });

    upstream.on('data', (chunk) => {
      if (conn.closed) return;
      fromServer = Buffer.concat([fromServer, chunk]);
      const out = [];
      for (;;) {
        const end = respEnd(fromServer, 0);
        if (end < 0) break;
        const raw = fromServer.subarray(0, end);
        fromServer = fromServer.subarray(end);
        // A RESP3 push ('>') answers no command.
        const action = raw[0] === 0x3e ? 'pass' : (conn.pending.shift() ?? 'pass');
        if (action === 'drop') {
          if (out.length) client.write(Buffer.concat(out));
          dropped++;
          cut();
          return;
        }
        if (action === 'hold') conn.holding = true;
        if (conn.holding) conn.held.push(raw);
        else out.push(raw);
      }
      if (out.length) client.write(Buffer.concat(out));
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });

  const addRule = (match, times, action) => {
    if (typeof match !== 'function') throw new TypeError('the rule needs a function (args) => boolean');
    const rule = { match, remaining: times, action };
    rules.push(rule);
    return rule;
  };

  return {
    port: server.address().port,
    host,
    dropNextReplies(n = 1) {
      return addRule(() => true, n, 'drop');
    },
    dropRepliesMatching(fn, times = 1) {
      return addRule(fn, times, 'drop');
    },
    holdRepliesMatching(fn, times = 1) {
      return addRule(fn, times, 'hold');
    },
    release() {
      for (const conn of conns) {
        conn.holding = false;
        if (conn.held.length && !conn.closed) conn.client.write(Buffer.concat(conn.held));
        conn.held = [];
      }
    },
    cutAll() {
      for (const conn of [...conns]) conn.cut();
    },
    clearRules() {
      rules.length = 0;
    },
    commands,
    get dropped() {
      return dropped;
    },
    get connections() {
      return conns.size;
    },
    close() {
      for (const conn of [...conns]) conn.cut();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
