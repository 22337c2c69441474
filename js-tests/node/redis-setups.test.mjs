// redisStore on Redis as users run it, on real redis-servers started here (127.0.0.1, free
// ports, stopped at the end):
//   - a 3-node cluster (redis-cli --cluster create): the conformance suite through ioredis
//     Cluster and node-redis createCluster, with keys on every node;
//   - the check at the first operation (CONFIG GET): maxmemory-policy allkeys-lru and no
//     persistence are reported once as -43004 StoreMisconfigured (through onError, or one
//     console.warn line), noeviction with appendonly yes is not; a server refusing CONFIG
//     (renamed away) says nothing; the check never fails or delays a store call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeChecker } from '../check.js';
import { storeConformance } from '../stores/conformance.js';
import { startRedisServer, startRedisCluster } from '../faults/redis-server.mjs';
import { IORedis, closeAfterTests, nodeRedis as nodeRedisModule, pkg, sleep } from './redis-env.mjs';

const { redisStore } = await import(new URL('stores/redis.js', pkg).href);
const { createClient, createCluster } = nodeRedisModule;
const opened = closeAfterTests();

async function ioredis(port, options = {}) {
  const c = new IORedis({ host: '127.0.0.1', port, ...options });
  c.on('error', () => {});
  opened.push(() => c.disconnect());
  await new Promise((resolve) => c.once('ready', resolve));
  return c;
}
async function nodeRedis(port) {
  const c = createClient({ url: `redis://127.0.0.1:${port}` });
  c.on('error', () => {});
  await c.connect();
  opened.push(() => c.destroy());
  return c;
}

/** Waits (bounded) until `list` holds n items. */
async function until(list, n) {
  for (let i = 0; i < 400 && list.length < n; i++) await sleep(10);
  return list;
}

test('a 3-node cluster: conformance through ioredis Cluster and node-redis createCluster, keys on every node', async () => {
  const cluster = await startRedisCluster(3);
  const nodes = cluster.ports.map((port) => ({ host: '127.0.0.1', port }));
  const io = new IORedis.Cluster(nodes);
  io.on('error', () => {});
  opened.push(() => io.disconnect());
  const nr = createCluster({ rootNodes: cluster.ports.map((port) => ({ url: `redis://127.0.0.1:${port}` })) });
  nr.on('error', () => {});
  await nr.connect();
  opened.push(() => nr.destroy());
  const direct = await Promise.all(cluster.ports.map((port) => nodeRedis(port)));
  for (const [name, client] of [['ioredis Cluster', io], ['node-redis createCluster', nr]]) {
    const warnings = [];
    const c = makeChecker();
    const r = await storeConformance((prefix) => redisStore(client, { prefix, onError: (w) => warnings.push(w) }), c, { name });
    assert.equal(r.failed, 0, `${name}: ${r.failures.join('\n')}`);
    assert.ok(r.passed > 10);
    // Keys spread over the slots of all three nodes, each operation in its key's slot.
    const prefix = `spread-${name.replace(/\W/g, '')}:`;
    const store = redisStore(client, { prefix, onError: () => {} });
    for (let i = 0; i < 60; i++) {
      assert.equal(await store.setIfAbsent(`k${i}`, `v${i}`, 60_000), true);
      assert.equal(await store.compareAndSet(`k${i}`, `v${i}`, `w${i}`, 60_000), true);
      assert.equal(await store.delete(`k${i}`, `w${i}`), true);
      await store.set(`k${i}`, `x${i}`, 60_000);
    }
    const perNode = await Promise.all(direct.map(async (d) => (await d.keys(`${prefix}*`)).length));
    assert.equal(perNode.reduce((a, b) => a + b, 0), 60);
    assert.ok(perNode.every((n) => n > 0), `keys on every node: ${perNode.join(', ')}`);
    // The cluster runs without persistence here: the start check says so, once per store.
    await until(warnings, 1);
    assert.ok(warnings.length >= 1 && warnings.every((w) => w.code === -43004 && w.problems.includes('persistence')), `${name}: ${warnings.map((w) => w.message).join('\n')}`);
  }
  await cluster.stop();
});

test('the start check: allkeys-lru without persistence is reported once (-43004), the store works the same', async () => {
  const r = await startRedisServer({ args: ['--maxmemory', '64mb', '--maxmemory-policy', 'allkeys-lru'] });
  for (const client of [await ioredis(r.port), await nodeRedis(r.port)]) {
    const warnings = [];
    const store = redisStore(client, { prefix: 'check:', onError: (w) => warnings.push(w) });
    assert.equal(await store.setIfAbsent('a', '1', 60_000), true);
    for (let i = 0; i < 20; i++) await store.get('a');
    await until(warnings, 1);
    await sleep(50); // nothing more comes (the check is made once)
    assert.equal(warnings.length, 1);
    const [w] = warnings;
    assert.equal(w.code, -43004);
    assert.equal(w.kind, 'StoreMisconfigured');
    assert.deepEqual(w.problems, ['maxmemory-policy', 'persistence']);
    assert.equal(w.maxmemoryPolicy, 'allkeys-lru');
    assert.match(w.message, /allkeys-lru/);
    assert.match(w.message, /noeviction/);
    assert.match(w.message, /appendonly/);
  }
  await r.stop();
});

test('the start check: volatile-lru is reported too (every claim has a TTL); RDB only is reported as such', async () => {
  const r = await startRedisServer({ args: ['--maxmemory-policy', 'volatile-lru', '--save', '3600 1'] });
  const warnings = [];
  const store = redisStore(await ioredis(r.port), { prefix: 'check:', onError: (w) => warnings.push(w) });
  await store.get('a');
  await until(warnings, 1);
  assert.deepEqual(warnings[0].problems, ['maxmemory-policy', 'persistence']);
  assert.match(warnings[0].message, /volatile/);
  assert.match(warnings[0].message, /since the last snapshot/);
  await r.stop();
});

test('the start check: noeviction with appendonly yes says nothing', async () => {
  const r = await startRedisServer({ args: ['--maxmemory-policy', 'noeviction', '--appendonly', 'yes'] });
  const client = await ioredis(r.port);
  const warnings = [];
  const store = redisStore(client, { prefix: 'check:', onError: (w) => warnings.push(w) });
  assert.equal(await store.setIfAbsent('a', '1', 60_000), true);
  // The check has run: its CONFIG GET commands were answered before this later command.
  for (let i = 0; i < 5; i++) await store.get('a');
  const info = await client.call('INFO', 'commandstats');
  assert.match(info, /cmdstat_config(\|get)?:calls=4\b/, 'four CONFIG GET, once');
  assert.deepEqual(warnings, []);
  await r.stop();
});

test('the start check without onError: one console.warn line per client; CONFIG refused: silence', async () => {
  const r = await startRedisServer(); // no persistence
  const refusing = await startRedisServer({ args: ['--rename-command', 'CONFIG', ''] });
  const lines = [];
  const warn = console.warn;
  console.warn = (...args) => lines.push(args.join(' '));
  try {
    const client = await nodeRedis(r.port);
    for (let i = 0; i < 3; i++) await redisStore(client, { prefix: `w${i}:` }).get('a');
    await until(lines, 1);
    const quiet = await ioredis(refusing.port);
    const warnings = [];
    const store = redisStore(quiet, { onError: (w) => warnings.push(w) });
    assert.equal(await store.setIfAbsent('a', '1', 60_000), true);
    for (let i = 0; i < 5; i++) await store.get('a');
    await sleep(50);
    assert.deepEqual(warnings, []);
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0], /-43004 StoreMisconfigured/);
    assert.match(lines[0], /appendonly/);
  } finally {
    console.warn = warn;
  }
  await r.stop();
  await refusing.stop();
});

test('redisStore refuses a bad onError (-41006)', async () => {
  const r = await startRedisServer();
  const client = await nodeRedis(r.port);
  assert.throws(() => redisStore(client, { onError: 'log' }), (e) => e.code === -41006 && e.field === 'onError');
  await r.stop();
});
