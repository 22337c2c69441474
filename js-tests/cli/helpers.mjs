// Helpers of the command-line tests: the packed tarball installed into a scratch project (what
// users get), the `wechat-kf` bin run as a real process with a bounded time, and cleanup.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The tarball under test: $WECHAT_KF_TARBALL or the newest dist/wechat-kf-*.tgz. */
export function tarball() {
  if (process.env.WECHAT_KF_TARBALL) return process.env.WECHAT_KF_TARBALL;
  const dist = join(ROOT, 'dist');
  const tgz = existsSync(dist) ? readdirSync(dist).filter((f) => /^wechat-kf-.*\.tgz$/.test(f)) : [];
  if (!tgz.length) throw new Error('no dist/wechat-kf-*.tgz: run `bash scripts/build.sh` first');
  return join(dist, tgz.sort((a, b) => statSync(join(dist, b)).mtimeMs - statSync(join(dist, a)).mtimeMs)[0]);
}

/**
 * A scratch project in the temp dir with the tarball installed; `links` are workspace
 * packages (e.g. koa) linked into its node_modules. Returns { dir, bin, lib, remove() }.
 */
export async function installScratch(links = []) {
  const dir = mkdtempSync(join(tmpdir(), 'wechat-kf-cli-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'wechat-kf-cli-scratch', private: true, type: 'module' }) + '\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball()], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });
  for (const name of links) symlinkSync(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name), 'dir');
  const bin = join(dir, 'node_modules', '.bin', 'wechat-kf');
  if (!existsSync(bin)) throw new Error('the installed package has no wechat-kf bin');
  const lib = await import(join(dir, 'node_modules', 'wechat-kf', 'loaders', 'node.js'));
  return { dir, bin, lib, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const running = new Set();

/** Starts a process in its own group; returns { child, exited, output(), kill() }. */
export function start(cmd, args, { cwd, env = {} } = {}) {
  let stdout = '';
  let stderr = '';
  const child = spawn(cmd, args, { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => {
    child.once('error', (error) => resolve({ code: null, error }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  const proc = {
    child,
    exited,
    output: () => ({ stdout, stderr }),
    async kill(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      try { process.kill(-child.pid, signal); } catch {}
      const t = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch {} }, 3000);
      const r = await exited;
      clearTimeout(t);
      return r;
    },
  };
  running.add(proc);
  exited.then(() => running.delete(proc));
  return proc;
}

/** Kills every process started here that still runs. */
export async function killAll() {
  await Promise.all([...running].map((p) => p.kill()));
}

/** Runs to completion within ms: { code, stdout, stderr }. */
export async function run(cmd, args, { timeoutMs = 30_000, ...opts } = {}) {
  const p = start(cmd, args, opts);
  let timer;
  const r = await Promise.race([p.exited, new Promise((resolve) => { timer = setTimeout(() => resolve({ timeout: true }), timeoutMs); })]);
  clearTimeout(timer);
  if (r.timeout) {
    await p.kill('SIGKILL');
    throw new Error(`${args.join(' ')}: still running after ${timeoutMs} ms\n${JSON.stringify(p.output())}`);
  }
  if (r.error) throw r.error;
  return { code: r.code, ...p.output() };
}

/** Waits until fn() resolves truthy (polling), or throws after ms. */
export async function until(fn, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch {}
    if (Date.now() > end) throw new Error(`${what}: not ready after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
