// Process helpers of the multi-instance runs and bench/multi.mjs (Node only): redis-server on a
// free 127.0.0.1 port without persistence, Node instances (js-tests/multi/instance.mjs), and
// stopping everything started.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, freePort } from '../runners/harness.mjs';

export { ROOT, freePort };
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const children = new Set();

export function spawnChild(cmd, args, env = {}) {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  child.exited = new Promise((resolve) => child.on('exit', (code, signal) => { children.delete(child); resolve({ code, signal }); }));
  child.output = () => out;
  return child;
}

export async function stopChild(child) {
  if (!children.has(child)) return;
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 3000);
  await child.exited;
  clearTimeout(t);
}

export const stopAll = () => Promise.all([...children].map(stopChild));

export async function waitFor(pred, what, ms = 15_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await pred()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
}

export async function startRedis(port) {
  const child = spawnChild('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  await waitFor(() => child.output().includes('Ready to accept connections'), () => `redis-server on ${port}\n${child.output()}`);
  return child;
}

/** Starts `count` instances with `env` (plus extra(i)); returns { procs, urls }. */
export async function startInstances(count, env, extra = () => ({})) {
  const procs = Array.from({ length: count }, (_, i) => spawnChild(process.execPath,
    [join(ROOT, 'js-tests', 'multi', 'instance.mjs')], { ...env, ...extra(i) }));
  const urls = [];
  for (const p of procs) {
    await waitFor(() => /READY (\d+)/.test(p.output()), () => `an instance to listen\n${p.output()}`);
    urls.push(`http://127.0.0.1:${p.output().match(/READY (\d+)/)[1]}`);
  }
  return { procs, urls };
}
