// Shared helpers of the runtime runners (host side, Node only).
//
// Protocol: every in-runtime entry (runners/*.entry.*) runs the suite inside the scratch
// project and reports `{ passed, failed, failures, logs, entry }`. Processes print it as the
// last stdout line prefixed with RESULT_MARKER; servers (workerd, chromium) return it as JSON.
import { spawn } from 'node:child_process';
import { existsSync, statSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RUNNERS_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(RUNNERS_DIR, '..', '..');
export const RESULT_MARKER = '@@WECHAT_KF_RESULT@@';

// Binaries ship in npm platform packages; a postinstall (when it ran) may move them into the
// main package, leaving a small placeholder behind. Same list as scripts/setup-runtimes.sh.
const BIN_CANDIDATES = {
  deno: ['node_modules/@deno/linux-x64-glibc/deno', 'node_modules/deno/deno'],
  bun: [
    'node_modules/@oven/bun-linux-x64/bin/bun',
    'node_modules/@oven/bun-linux-x64-baseline/bin/bun',
    'node_modules/bun/bin/bun.exe',
  ],
  workerd: ['node_modules/@cloudflare/workerd-linux-64/bin/workerd', 'node_modules/workerd/bin/workerd'],
  chromium: ['/usr/bin/chromium'],
};

/** Absolute path of a runtime binary, or throws (a missing runtime is a failure, not a skip). */
export function resolveBin(name) {
  for (const rel of BIN_CANDIDATES[name]) {
    const p = rel.startsWith('/') ? rel : join(ROOT, rel);
    // npm placeholders are tiny; /usr/bin/chromium is a shell wrapper (any size will do).
    if (existsSync(p) && (rel.startsWith('/') || statSync(p).size > 1_000_000)) {
      if (!(statSync(p).mode & 0o111)) chmodSync(p, 0o755);
      return p;
    }
  }
  throw new Error(`${name} binary not found (tried ${BIN_CANDIDATES[name].join(', ')}); run: bash scripts/setup-runtimes.sh`);
}

/** A TCP port free on 127.0.0.1 right now. */
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

/**
 * Starts a process in its own process group, registers its killing with ctx.defer, and
 * returns { child, exited (promise of {code, signal}), output() }.
 */
export function startProcess(ctx, cmd, args, { cwd = ctx.scratch, env = {} } = {}) {
  let stdout = '';
  let stderr = '';
  const child = spawn(cmd, args, {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => {
    child.once('error', (e) => resolve({ code: null, signal: null, error: e }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  let done = false;
  exited.then(() => (done = true));
  const kill = async () => {
    if (done || child.pid === undefined) return;
    try { process.kill(-child.pid, 'SIGTERM'); } catch {}
    const t = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch {} }, 3000);
    await exited;
    clearTimeout(t);
  };
  ctx.defer(kill);
  return { child, exited, kill, output: () => ({ stdout, stderr }) };
}

/** Rejects after ms unless the promise settles first. */
export function withTimeout(promise, ms, what) {
  let t;
  return Promise.race([
    promise,
    new Promise((_, reject) => { t = setTimeout(() => reject(new Error(`${what}: timed out after ${ms / 1000} s`)), ms); }),
  ]).finally(() => clearTimeout(t));
}

/** Runs an entry to completion and parses the result line it prints. */
export async function runEntryProcess(ctx, cmd, args, opts) {
  const p = startProcess(ctx, cmd, args, opts);
  let status;
  try {
    status = await withTimeout(p.exited, ctx.timeoutMs, `${cmd} ${args.join(' ')}`);
  } catch (e) {
    await p.kill();
    throw withOutput(e, p.output());
  }
  const { stdout, stderr } = p.output();
  if (status.error) throw new Error(`cannot start ${cmd}: ${status.error.message}`);
  const line = stdout.split('\n').reverse().find((l) => l.startsWith(RESULT_MARKER));
  if (!line) {
    throw withOutput(new Error(`no result (exit code ${status.code}, signal ${status.signal})`), { stdout, stderr });
  }
  const result = JSON.parse(line.slice(RESULT_MARKER.length));
  if (status.code !== 0) result.failures.push(`process exited with code ${status.code}`), (result.failed += 1);
  result.stderr = stderr;
  return result;
}

function withOutput(err, { stdout, stderr }) {
  const tail = (s) => s.trim().split('\n').slice(-30).join('\n');
  if (stdout.trim()) err.message += `\n--- stdout (tail) ---\n${tail(stdout)}`;
  if (stderr.trim()) err.message += `\n--- stderr (tail) ---\n${tail(stderr)}`;
  return err;
}
