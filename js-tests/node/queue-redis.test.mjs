// The queue mode on Redis (redisQueue from wechat-kf/redis, createConsumer), on a real
// redis-server started here (127.0.0.1, free ports, stopped at the end), with node-redis and
// ioredis:
//   - enqueue is one job per id, also when ioredis re-sends it after a lost reply;
//   - onMessage throws twice, then succeeds: handled once, two retries reported; throws every
//     time: dead-lettered after maxAttempts, reported once with the push, kept in deadLetters();
//   - a consumer process SIGKILLed while its onMessage runs: another consumer process handles
//     the push once visibilityMs has passed, its effect done exactly once by the dedup key (the
//     push came through createHandler in queue mode);
//   - Redis restarted without persistence (the group gone): the consumer goes on with new jobs;
//   - a 3-node Redis Cluster with ioredis Cluster and node-redis createCluster.
// No assertion depends on time: every wait is a bounded loop on a condition. Figures (the
// redelivery time after the kill) are printed, not asserted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startProxy } from '../faults/resp-proxy.mjs';
import { startRedisServer, startRedisCluster } from '../faults/redis-server.mjs';
import { IORedis, closeAfterTests, nodeRedis, pkg, sleep } from './redis-env.mjs';

const lib = await import(new URL('loaders/node.js', pkg).href);
const { redisQueue, redisStore } = await import(new URL('stores/redis.js', pkg).href);
const { createClient, createCluster } = nodeRedis;
const CONSUMER = fileURLToPath(new URL('../queue/consumer.mjs', import.meta.url));

const children = new Set();
const opened = closeAfterTests(() => {
  for (const child of children) child.kill('SIGKILL');
});

/** Waits (bounded: tries × 20 ms) until pred() holds; throws naming `what` otherwise. */
async function until(pred, what, tries = 1500) {
  for (let i = 0; i < tries; i++) {
    if (await pred()) return;
    await sleep(20);
  }
  throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
}

const CLIENTS = {
  'node-redis': async (port) => {
    const c = createClient({ url: `redis://127.0.0.1:${port}` });
    c.on('error', () => {});
    await c.connect();
    opened.push(() => c.destroy());
    return c;
  },
  ioredis: async (port) => {
    const c = new IORedis({ host: '127.0.0.1', port });
    c.on('error', () => {});
    opened.push(() => c.disconnect());
    await new Promise((resolve) => c.once('ready', resolve));
    return c;
  },
};
const raw = (client) => (typeof client.call === 'function'
  ? (...args) => client.call(...args)
  : (...args) => client.sendCommand(args.map(String)));

let serial = 0;
const freshPrefix = () => `q${serial++}-${Math.random().toString(36).slice(2, 8)}:`;
const job = (id, content = 'hi') => ({
  id, message: { toUserName: 'gh_1', fromUserName: 'o_user', createTime: 1, msgType: 'text', content, msgId: id }, format: 'xml', mode: 'safe', receivedAt: 1,
});

const server = await startRedisServer();

for (const [name, connect] of Object.entries(CLIENTS)) {
  test(`redisQueue (${name}): throws twice then succeeds -> handled once, two retries reported; throws always -> dead-lettered once with the push`, async () => {
    const client = await connect(server.port);
    const queue = redisQueue(client, { prefix: freshPrefix() });
    const errors = [];
    const handled = new Map();
    const attempts = { twice: [], always: [] };
    const consumer = lib.createConsumer({
      queue, concurrency: 2, maxAttempts: 4, retryDelayMs: 10, visibilityMs: 2000,
      onError: (e, info) => errors.push({ e, info }),
      onMessage: (m, { dedupKey, attempt }) => {
        attempts[m.content]?.push(attempt);
        if (m.content === 'twice' && attempt <= 2) throw new Error(`fail ${attempt}`);
        if (m.content === 'always') throw new Error('always');
        handled.set(dedupKey, (handled.get(dedupKey) ?? 0) + 1);
      },
    });
    consumer.start();
    await queue.enqueue(job('k-twice', 'twice'));
    await queue.enqueue(job('k-always', 'always'));
    await queue.enqueue(job('k-ok', 'ok'));
    await until(async () => (await queue.stats()).queued === 0, 'every job settled');
    await consumer.stop();
    assert.deepEqual(Object.fromEntries(handled), { 'k-twice': 1, 'k-ok': 1 });
    assert.deepEqual(attempts, { twice: [1, 2, 3], always: [1, 2, 3, 4] });
    const retries = errors.filter((x) => x.info.phase === 'onMessage').map((x) => `${x.info.dedupKey}:${x.info.attempt}`).sort();
    assert.deepEqual(retries, ['k-always:1', 'k-always:2', 'k-always:3', 'k-twice:1', 'k-twice:2']);
    const dead = errors.filter((x) => x.info.phase === 'queue');
    assert.equal(dead.length, 1, 'one dead letter reported');
    assert.equal(errors.length, 6, 'nothing else reported');
    assert.equal(dead[0].e.code, -44002);
    assert.equal(dead[0].info.dedupKey, 'k-always');
    assert.equal(dead[0].e.job.message.content, 'always');
    const letters = await queue.deadLetters();
    assert.equal(letters.length, 1);
    assert.equal(letters[0].job.id, 'k-always');
    assert.equal(letters[0].attempts, 4);
    assert.match(letters[0].error, /always/);
    assert.deepEqual(await queue.stats(), { queued: 0, dead: 1 });
    // A second dead letter of the same job (delivered again after a consumer died) is not kept.
    assert.equal(await queue.deadLetter(job('k-always'), { attempts: 5, error: 'x' }), false);
    // The consumer left the group (no names pile up).
    const consumers = await raw(client)('XINFO', 'CONSUMERS', queue.keys.jobs, 'wechat-kf');
    assert.equal(consumers.length, 0);
  });
}

test('redisQueue: enqueue is one job per id, also when ioredis re-sends it after a lost reply', async () => {
  const proxy = await startProxy({ targetPort: server.port });
  opened.push(() => proxy.close());
  const viaProxy = new IORedis({ host: '127.0.0.1', port: proxy.port });
  viaProxy.on('error', () => {});
  opened.push(() => viaProxy.disconnect());
  const direct = await CLIENTS['node-redis'](server.port);
  const prefix = freshPrefix();
  const queue = redisQueue(viaProxy, { prefix });
  proxy.dropRepliesMatching((args) => /^EVAL/i.test(args[0]) && args.includes(queue.keys.jobs));
  await queue.enqueue(job('lost-reply'));
  assert.equal(proxy.dropped, 1, 'the reply was lost');
  assert.ok(proxy.commands.filter((c) => c.args.includes(queue.keys.jobs)).length >= 2, 'ioredis sent it again');
  await queue.enqueue(job('lost-reply')); // the platform's retry, queued again by a handler
  const same = redisQueue(direct, { prefix });
  await same.enqueue(job('lost-reply'));
  assert.equal(Number(await direct.sendCommand(['XLEN', queue.keys.jobs])), 1);
  await same.enqueue(job('other'));
  assert.equal(Number(await direct.sendCommand(['XLEN', queue.keys.jobs])), 2);
});

/** A consumer process (js-tests/queue/consumer.mjs); resolves once it printed READY. */
async function startConsumer(env) {
  const child = spawn(process.execPath, [CONSUMER], {
    env: { ...process.env, WECHAT_KF_PKG: fileURLToPath(pkg), ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  child.exited = new Promise((resolve) => child.on('exit', (code, signal) => { children.delete(child); resolve({ code, signal }); }));
  child.output = () => out;
  await until(() => out.includes('READY') || !children.has(child), () => `the consumer to start:\n${out}`);
  assert.ok(children.has(child), `the consumer started:\n${out}`);
  return child;
}

test('SIGKILL of a consumer process mid-onMessage: another consumer process handles the push after visibilityMs, once by its dedup key', async () => {
  const prefix = freshPrefix();
  const client = await CLIENTS['node-redis'](server.port);
  const cmd = raw(client);
  const TOKEN = 'queueKillToken';
  const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
  const APP = 'wx0123456789abcdef';
  const handler = lib.createHandler({
    token: TOKEN, encodingAESKey: KEY, appId: APP, store: redisStore(client, { prefix, onError: () => {} }),
    queue: redisQueue(client, { prefix }),
  });
  const VISIBILITY = 1500;
  const env = { REDIS_URL: `redis://127.0.0.1:${server.port}`, QUEUE_PREFIX: prefix, VISIBILITY_MS: String(VISIBILITY), HANG_ON: 'slow model call' };
  const a = await startConsumer({ ...env, NAME: 'A' });

  // The push, through the handler: queued, then acknowledged.
  const crypt = new lib.WXBizMsgCrypt({ token: TOKEN, encodingAESKey: KEY, appId: APP });
  const ts = String(Math.floor(Date.now() / 1000));
  const plain = `<xml><ToUserName><![CDATA[gh_kill]]></ToUserName><FromUserName><![CDATA[o_kill]]></FromUserName><CreateTime>${ts}</CreateTime>`
    + '<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[slow model call]]></Content><MsgId>424242</MsgId></xml>';
  const encrypt = crypt.encrypt(plain);
  const query = new URLSearchParams({ timestamp: ts, nonce: '77', encrypt_type: 'aes', msg_signature: crypt.msgSignature(ts, '77', encrypt), signature: lib.signature(TOKEN, ts, '77') });
  const res = await handler(new Request(`http://127.0.0.1/wx?${query}`, { method: 'POST', body: `<xml><ToUserName><![CDATA[gh_kill]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>` }));
  assert.equal(`${res.status}:${await res.text()}`, '200:success');
  const dedupKey = 'msg:gh_kill:424242';

  await until(() => a.output().includes(`START A ${dedupKey} 1`), () => `A to start the push:\n${a.output()}`);
  const b = await startConsumer({ ...env, NAME: 'B' });
  const killedAt = Date.now();
  a.kill('SIGKILL');
  await a.exited;
  await until(() => b.output().includes(`DONE B ${dedupKey}`), () => `B to handle the push:\n${b.output()}`);
  const started = Number(b.output().match(new RegExp(`START B ${dedupKey} (\\d+) (\\d+)`))[2]);
  const attempt = Number(b.output().match(new RegExp(`START B ${dedupKey} (\\d+)`))[1]);
  const startedByA = Number(a.output().match(new RegExp(`START A ${dedupKey} 1 (\\d+)`))[1]);
  console.log(`# redelivery: consumer A killed mid-onMessage ${killedAt - startedByA} ms after it took the push; consumer B started it `
    + `${started - killedAt} ms after the kill, ${started - startedByA} ms after A took it (visibilityMs ${VISIBILITY}), attempt ${attempt}`);
  assert.equal(attempt, 2, 'the second delivery');
  assert.match(b.output(), new RegExp(`DONE B ${dedupKey} 2 effect`));
  assert.equal(await cmd('HGET', `${prefix}effects`, dedupKey), 'B', 'the effect done once, by B');
  assert.equal(await cmd('HGET', `${prefix}runs`, dedupKey), '2', 'run twice (A was killed mid-run)');
  assert.equal(Number(await cmd('XLEN', `${prefix}{queue}:jobs`)), 0, 'acknowledged');
  assert.doesNotMatch(b.output(), /ERROR/);
  b.kill('SIGTERM');
  assert.deepEqual(await b.exited, { code: 0, signal: null });
});

test('redisQueue: Redis restarted without persistence (the group gone): the consumer goes on with new jobs, reported', async () => {
  const r = await startRedisServer();
  const client = await CLIENTS.ioredis(r.port);
  const queue = redisQueue(client, { prefix: freshPrefix(), timeoutMs: 500 });
  const handled = [];
  const errors = [];
  const consumer = lib.createConsumer({ queue, visibilityMs: 1000, retryDelayMs: 10, onError: (e, info) => errors.push(`${info.phase}:${e.code}`), onMessage: (m, { dedupKey }) => { handled.push(dedupKey); } });
  consumer.start();
  await queue.enqueue(job('before'));
  await until(() => handled.includes('before'), 'the first job');
  await r.kill9();
  await r.start();
  await until(async () => { try { await queue.enqueue(job('after')); return true; } catch { return false; } }, 'Redis to answer again');
  await until(() => handled.includes('after'), () => `the job after the restart (errors ${errors.join()})`);
  await consumer.stop();
  assert.deepEqual(handled, ['before', 'after']);
  assert.ok(errors.length >= 1 && errors.every((e) => e === 'queue:-44001'), `the outage reported as -44001: ${errors.join()}`);
});

test('redisQueue on a 3-node Redis Cluster: ioredis Cluster and node-redis createCluster (one hash slot)', async () => {
  const cluster = await startRedisCluster(3);
  opened.push(() => cluster.stop());
  const io = new IORedis.Cluster(cluster.ports.map((port) => ({ host: '127.0.0.1', port })));
  io.on('error', () => {});
  opened.push(() => io.disconnect());
  const nr = createCluster({ rootNodes: cluster.ports.map((port) => ({ url: `redis://127.0.0.1:${port}` })) });
  nr.on('error', () => {});
  await nr.connect();
  opened.push(() => nr.destroy?.() ?? nr.disconnect());
  for (const [name, client] of [['ioredis Cluster', io], ['node-redis createCluster', nr]]) {
    const queue = redisQueue(client, { prefix: freshPrefix() });
    const seen = [];
    const errors = [];
    const consumer = lib.createConsumer({
      queue, maxAttempts: 2, retryDelayMs: 10, visibilityMs: 2000, concurrency: 4,
      onError: (e, info) => errors.push(`${info.phase}:${e.code}`),
      onMessage: (m, { dedupKey, attempt }) => {
        if (m.content === 'bad') throw new Error('bad');
        seen.push(`${dedupKey}:${attempt}`);
      },
    });
    consumer.start();
    for (let i = 0; i < 20; i++) await queue.enqueue(job(`c${i}`));
    await queue.enqueue(job('c0')); // one job per id
    await queue.enqueue(job('poison', 'bad'));
    await until(async () => (await queue.stats()).queued === 0, () => `${name}: every job settled (${seen.length}, ${errors.join()})`);
    await consumer.stop();
    assert.equal(seen.length, 20, `${name}: 20 handled once`);
    assert.equal(new Set(seen).size, 20);
    assert.deepEqual(errors, ['onMessage:undefined', 'queue:-44002'], `${name}: ${errors.join()}`);
    assert.equal((await queue.deadLetters()).length, 1);
  }
});
