// redisStore under faults, on a real redis-server started here (127.0.0.1, free ports, stopped at
// the end), with the clients users run: ioredis with its default options, ioredis with the
// README's options (enableOfflineQueue: false), node-redis with the README's options
// (disableOfflineQueue: true) and with its defaults.
//   - a lost reply (js-tests/faults/resp-proxy.mjs: the server ran the command, the proxy cuts
//     the connection before the reply): ioredis re-sends the command after reconnecting, and a
//     setIfAbsent must then answer true (its own write), never false; node-redis does not
//     re-send, and the call rejects. A compareAndSet whose reply was lost counts once.
//   - CLIENT PAUSE WRITE and DEBUG SLEEP: the call waits, then answers right (it neither hangs
//     past the pause nor corrupts state; the callers' deadlines bound the wait).
//   - kill -9 and restart, without persistence (claims forgotten) and with --appendonly yes
//     (claims kept).
// No assertion depends on time: every wait is a bounded loop on a condition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startProxy } from '../faults/resp-proxy.mjs';
import { startRedisServer } from '../faults/redis-server.mjs';
import { IORedis, closeAfterTests, nodeRedis, pkg, sleep } from './redis-env.mjs';

const { redisStore } = await import(new URL('stores/redis.js', pkg).href);
const { createClient } = nodeRedis;
const opened = closeAfterTests();

/** The clients under test, each connected to 127.0.0.1:port. */
const CLIENTS = {
  'ioredis (default options)': async (port) => {
    const c = new IORedis({ host: '127.0.0.1', port });
    c.on('error', () => {});
    opened.push(() => c.disconnect());
    await new Promise((resolve) => c.once('ready', resolve));
    return c;
  },
  'ioredis (README: enableOfflineQueue false)': async (port) => {
    const c = new IORedis({ host: '127.0.0.1', port, enableOfflineQueue: false });
    c.on('error', () => {});
    opened.push(() => c.disconnect());
    await new Promise((resolve) => c.once('ready', resolve));
    return c;
  },
  'node-redis (README: disableOfflineQueue true)': async (port) => {
    const c = createClient({ url: `redis://127.0.0.1:${port}`, disableOfflineQueue: true });
    c.on('error', () => {});
    await c.connect();
    opened.push(() => c.destroy());
    return c;
  },
  'node-redis (default options)': async (port) => {
    const c = createClient({ url: `redis://127.0.0.1:${port}` });
    c.on('error', () => {});
    await c.connect();
    opened.push(() => c.destroy());
    return c;
  },
};
const resends = (name) => name.startsWith('ioredis');

/** A fresh prefix per test, so the tests share one server without cleanup. */
let serial = 0;
const freshPrefix = () => `faults${serial++}-${Math.random().toString(36).slice(2, 8)}:`;

/** Polls fn() (bounded) until it resolves without throwing; returns its value. */
async function eventually(fn, what, tries = 400) {
  let last;
  for (let i = 0; i < tries; i++) {
    try { return await fn(); } catch (e) { last = e; }
    await sleep(25);
  }
  throw new Error(`${what}: ${last?.message ?? last}`);
}

/** { value } or { error } of a promise. */
const settle = (p) => p.then((value) => ({ value }), (error) => ({ error }));

const server = await startRedisServer();
const proxy = await startProxy({ targetPort: server.port });
opened.push(() => proxy.close());

// A command carries the key `full` in its arguments.
const touches = (full, names) => (args) => names.includes(args[0].toUpperCase()) && args.includes(full);

for (const [name, connect] of Object.entries(CLIENTS)) {
  if (resends(name)) test(`${name}: a lost reply is lost (the fault is real): a raw SET NX sent again finds its own key`, async () => {
    const client = await connect(proxy.port);
    const key = `${freshPrefix()}raw`;
    proxy.dropRepliesMatching(touches(key, ['SET']));
    const reply = await client.call('SET', key, 'mine', 'NX', 'PX', '60000');
    proxy.clearRules();
    assert.equal(reply, null, 'SET NX re-sent after the lost reply answers nil: a bare SET NX would say false');
    assert.equal(await server.cli('GET', key), 'mine');
    assert.ok(proxy.commands.filter((c) => touches(key, ['SET'])(c.args)).length >= 2, 'the client sent the command again');
  });

  test(`${name}: setIfAbsent whose reply was lost answers true (its own write) or rejects, never false`, async () => {
    const client = await connect(proxy.port);
    const prefix = freshPrefix();
    const store = redisStore(client, { prefix, onError: () => {} });
    assert.equal(await store.setIfAbsent('warm', 'w', 60_000), true); // the script is loaded: EVALSHA runs it
    const dropsBefore = proxy.dropped;
    const writes = touches(`${prefix}claim`, ['SET', 'EVALSHA', 'EVAL']); // however the store writes it
    proxy.dropRepliesMatching(writes);
    const outcome = await settle(store.setIfAbsent('claim', 'attempt-1', 60_000));
    proxy.clearRules();
    assert.equal(proxy.dropped, dropsBefore + 1, 'one reply was lost');
    assert.equal(await server.cli('GET', `${prefix}claim`), 'attempt-1', 'the server ran the claim');
    if (resends(name)) {
      assert.deepEqual(outcome, { value: true }, 're-sent: true, its own write');
      const copies = proxy.commands.filter((c) => writes(c.args)).length;
      assert.ok(copies >= 2, `the client sent it again (${copies} copies)`);
    } else {
      assert.ok(outcome.error, `rejected (not re-sent), got ${JSON.stringify(outcome)}`);
      assert.notEqual(outcome.value, false);
    }
    // The claim stands for everyone else, and the store works on.
    const other = redisStore(await connect(server.port), { prefix, onError: () => {} });
    assert.equal(await other.setIfAbsent('claim', 'attempt-2', 60_000), false);
    assert.equal(await eventually(() => store.setIfAbsent('claim', 'attempt-1', 60_000), 'the store answers again'), true);
  });

  test(`${name}: compareAndSet whose reply was lost counts once`, async () => {
    const client = await connect(proxy.port);
    const prefix = freshPrefix();
    const store = redisStore(client, { prefix, onError: () => {} });
    await store.set('counter', '0:init');
    assert.equal(await store.compareAndSet('warm', null, 'w'), true); // script loaded
    // A caller's increment loop (as SendWindow.consume): read, compute a value carrying its id, CAS.
    const increment = async (id) => {
      for (let attempt = 0; attempt < 20; attempt++) {
        const cur = await store.get('counter');
        if (await store.compareAndSet('counter', cur, `${Number(cur.split(':')[0]) + 1}:${id}`, 60_000)) return true;
      }
      return false;
    };
    proxy.dropRepliesMatching(touches(`${prefix}counter`, ['SET', 'EVALSHA', 'EVAL']));
    const outcome = await settle(increment('inc-a'));
    proxy.clearRules();
    assert.equal(await server.cli('GET', `${prefix}counter`), '1:inc-a', 'counted once');
    if (resends(name)) assert.deepEqual(outcome, { value: true });
    else assert.ok(outcome.error, 'rejected (not re-sent)');
    await eventually(() => store.get('counter'), 'the store answers again');
    assert.equal(await increment('inc-b'), true);
    assert.equal(await server.cli('GET', `${prefix}counter`), '2:inc-b');
  });
}

test('CLIENT PAUSE WRITE: a claim waits for the pause, then answers true; reads go on; state intact', async () => {
  for (const [name, connect] of Object.entries(CLIENTS)) {
    const client = await connect(proxy.port);
    const prefix = freshPrefix();
    const store = redisStore(client, { prefix, onError: () => {} });
    await store.set('before', 'b');
    assert.equal(await store.setIfAbsent('warm', 'w', 60_000), true);
    const seen = proxy.commands.length;
    await server.cli('CLIENT', 'PAUSE', '60000', 'WRITE');
    try {
      const pending = settle(store.setIfAbsent('claim', 'attempt-1', 60_000));
      // The command reached the server, which holds it: nothing written yet, reads answer.
      for (let i = 0; i < 400 && !proxy.commands.slice(seen).some((c) => c.args.includes(`${prefix}claim`)); i++) await sleep(10);
      assert.ok(proxy.commands.slice(seen).some((c) => c.args.includes(`${prefix}claim`)), `${name}: the claim reached the server`);
      assert.equal(await server.cli('GET', `${prefix}claim`), '', `${name}: not written while paused`);
      assert.equal(await server.cli('GET', `${prefix}before`), 'b');
      await server.cli('CLIENT', 'UNPAUSE');
      assert.deepEqual(await pending, { value: true }, name);
    } finally {
      await server.cli('CLIENT', 'UNPAUSE');
    }
    assert.equal(await server.cli('GET', `${prefix}claim`), 'attempt-1');
    assert.equal(await store.setIfAbsent('claim', 'attempt-2', 60_000), false);
  }
});

test('DEBUG SLEEP: every call waits for the server, then answers right', async () => {
  const slow = await startRedisServer({ args: ['--enable-debug-command', 'yes'] });
  for (const [name, connect] of Object.entries(CLIENTS)) {
    const store = redisStore(await connect(slow.port), { prefix: freshPrefix(), onError: () => {} });
    await store.set('n', '1:a');
    const sleeping = slow.cli('DEBUG', 'SLEEP', '0.5');
    const results = await Promise.all([
      store.setIfAbsent('claim', 'attempt-1', 60_000),
      store.compareAndSet('n', '1:a', '2:b'),
      store.get('n'),
    ]);
    await sleeping;
    assert.equal(results[0], true, name);
    assert.equal(results[1], true, name);
    assert.ok(['1:a', '2:b'].includes(results[2]), name);
    assert.equal(await store.get('n'), '2:b', name);
    assert.equal(await store.setIfAbsent('claim', 'attempt-2', 60_000), false, name);
  }
  await slow.stop();
});

/** kill -9, then a call while the server is down, then restart: what each client does. */
async function crashAndRestart(args) {
  const r = await startRedisServer({ args });
  const report = {};
  const entries = [];
  for (const [name, connect] of Object.entries(CLIENTS)) {
    const prefix = freshPrefix();
    const store = redisStore(await connect(r.port), { prefix, onError: () => {} });
    assert.equal(await store.setIfAbsent('claim', 'before-crash', 60_000), true, name);
    entries.push({ name, prefix, store });
  }
  await r.kill9();
  // A call while the server is down: the README's options reject at once; the defaults queue it.
  const during = entries.map((e) => settle(e.store.setIfAbsent('during', 'attempt-d', 60_000)));
  await sleep(50);
  await r.start();
  for (const [i, e] of entries.entries()) {
    const d = await during[i];
    const claim = await eventually(() => e.store.get('claim'), `${e.name}: reconnected`);
    const again = await e.store.setIfAbsent('claim', 'after-restart', 60_000);
    const duringValue = await r.cli('GET', `${e.prefix}during`);
    report[e.name] = { during: d.error ? 'rejected' : d.value, claim, again, duringValue };
    if (!d.error) {
      assert.equal(d.value, true, `${e.name}: a queued call answers true`);
      assert.equal(duringValue, 'attempt-d');
    }
  }
  await r.stop();
  return report;
}

test('kill -9 and restart without persistence: claims are forgotten (a second claim wins)', async () => {
  const report = await crashAndRestart([]);
  for (const [name, r] of Object.entries(report)) {
    assert.equal(r.claim, null, `${name}: forgotten`);
    assert.equal(r.again, true, `${name}: claimed again after the restart`);
  }
  assert.equal(report['ioredis (default options)'].during, true, 'ioredis default: the call waits in its offline queue');
  assert.equal(report['ioredis (README: enableOfflineQueue false)'].during, 'rejected');
  assert.equal(report['node-redis (README: disableOfflineQueue true)'].during, 'rejected');
});

test('kill -9 and restart with --appendonly yes: claims survive', async () => {
  const report = await crashAndRestart(['--appendonly', 'yes']);
  for (const [name, r] of Object.entries(report)) {
    assert.equal(r.claim, 'before-crash', `${name}: kept`);
    assert.equal(r.again, false, `${name}: a second claim loses`);
  }
});

test('the proxy: a held reply waits until release(); cutAll() drops every connection and the clients reconnect', async () => {
  for (const [name, connect] of Object.entries(CLIENTS)) {
    const client = await connect(proxy.port);
    const prefix = freshPrefix();
    const store = redisStore(client, { prefix, onError: () => {} });
    await store.set('k', 'v');
    const seen = proxy.commands.length;
    proxy.holdRepliesMatching(touches(`${prefix}k`, ['GET']));
    let settled = false;
    const pending = store.get('k').finally(() => { settled = true; });
    for (let i = 0; i < 400 && !proxy.commands.slice(seen).some((c) => c.args.includes(`${prefix}k`)); i++) await sleep(10);
    assert.equal(await server.cli('GET', `${prefix}k`), 'v'); // the server is not the one waiting
    assert.equal(settled, false, `${name}: held`);
    proxy.release();
    assert.equal(await pending, 'v', name);
    const before = proxy.connections;
    assert.ok(before >= 1);
    proxy.cutAll();
    assert.equal(proxy.connections, 0);
    assert.equal(await eventually(() => store.get('k'), `${name}: reconnects`), 'v');
  }
});
