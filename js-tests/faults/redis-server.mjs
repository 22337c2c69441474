// redis-server processes for fault tests (Node): one server on a free 127.0.0.1 port, in its
// own temporary directory (so `--appendonly yes` files stay apart), that a test can kill -9
// and start again on the same port and directory; and a 3-node cluster.
//
//   import { startRedisServer, startRedisCluster, stopAllRedis } from '../faults/redis-server.mjs';
//   const r = await startRedisServer({ args: ['--appendonly', 'yes'] });
//   r.port; await r.cli('CONFIG', 'GET', 'appendonly');
//   await r.kill9(); await r.start();      // same port, same dir, same args (or start(args))
//   await r.stop();                         // SIGTERM, then removes its directory
//   const c = await startRedisCluster(3);   // { ports, nodes, stop() }
//   await stopAllRedis();                   // every server started here (also on process exit)
//
// Servers are not daemonized: the test owns their pids. Defaults: --save '' --appendonly no.
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';

const running = new Set(); // child processes alive
const all = new Set(); // handles of startRedisServer
process.on('exit', () => { for (const child of running) { try { child.kill('SIGKILL'); } catch {} } });

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs redis-cli against 127.0.0.1:port; resolves with its stdout (trimmed). */
export function redisCli(port, ...args) {
  return new Promise((resolve, reject) => {
    execFile('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`redis-cli ${args.join(' ')}: ${error.message}\n${stderr}`));
      else resolve(stdout.trim());
    });
  });
}

function spawnServer(port, dir, args) {
  const child = spawn('redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no',
    '--protected-mode', 'no', ...args,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  child.exited = new Promise((resolve) => child.on('exit', (code, signal) => { running.delete(child); resolve({ code, signal }); }));
  child.output = () => out;
  return child;
}

async function waitReady(child, port) {
  for (let i = 0; i < 300; i++) {
    if (/Ready to accept connections/.test(child.output())) return;
    if (!running.has(child)) throw new Error(`redis-server on ${port} exited:\n${child.output()}`);
    await sleep(50);
  }
  throw new Error(`redis-server on ${port} did not become ready:\n${child.output()}`);
}

/**
 * Starts redis-server on a free port (or `port`) with `args` after the defaults; returns a
 * handle: { port, dir, output(), cli(...args), kill9(), start(args?), stop() }.
 */
export async function startRedisServer({ port, args = [] } = {}) {
  const p = port ?? await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'wechat-kf-redis-'));
  let child;
  let current = args;
  const handle = {
    port: p,
    dir,
    output: () => child?.output() ?? '',
    cli: (...a) => redisCli(p, ...a),
    async start(newArgs = current) {
      current = newArgs;
      child = spawnServer(p, dir, current);
      await waitReady(child, p);
      return handle;
    },
    /** SIGKILL, as a crash: nothing is flushed. */
    async kill9() {
      if (!child || !running.has(child)) return;
      child.kill('SIGKILL');
      await child.exited;
    },
    async stop() {
      if (child && running.has(child)) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await child.exited;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  all.add(handle);
  return handle.start();
}

/** Stops every server started by this module. */
export async function stopAllRedis() {
  await Promise.all([...all].map((h) => h.stop()));
  all.clear();
}

/**
 * Starts `n` (default 3) cluster-enabled servers on free ports and joins them into one cluster
 * with no replicas (`redis-cli --cluster create`); waits until every node reports cluster_state:ok.
 * Returns { ports, nodes, stop() }.
 */
export async function startRedisCluster(n = 3) {
  const nodes = [];
  for (let i = 0; i < n; i++) {
    nodes.push(await startRedisServer({ args: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000'] }));
  }
  const ports = nodes.map((s) => s.port);
  await redisCli(ports[0], '--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes');
  for (let i = 0; i < 200; i++) {
    const states = await Promise.all(ports.map((p) => redisCli(p, 'CLUSTER', 'INFO')));
    if (states.every((s) => /cluster_state:ok/.test(s))) return { ports, nodes, stop: () => Promise.all(nodes.map((s) => s.stop())) };
    await sleep(100);
  }
  throw new Error(`the cluster on ${ports.join(', ')} did not reach cluster_state:ok`);
}
