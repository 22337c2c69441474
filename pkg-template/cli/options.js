// Command-line plumbing shared by the `wechat-kf` commands: flag parsing (node:util), secrets
// from flags or environment variables, and the two kinds of failure with their exit codes.
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';

/** A wrong invocation (unknown flag, missing value): exit code 2. */
export class UsageError extends Error {}
/** The command ran and the check failed (bad signature, bad answer...): exit code 1. */
export class CheckFailed extends Error {}

/**
 * Secrets and ids: flag name, the flag naming a file that holds it (secrets only), its one
 * environment variable (the WECHAT_KF_* scheme shared by the CLI, the emulator and the
 * examples), the name earlier examples used (never read: only named when it is set and the
 * new one is not), what it is. A flag's value shows in process lists and shell
 * history: the help recommends the environment or the file.
 */
export const SECRETS = {
  token: { flag: 'token', file: 'token-file', env: 'WECHAT_KF_TOKEN', old: 'WECHAT_TOKEN', what: 'the Token of the message push settings' },
  key: { flag: 'key', file: 'key-file', env: 'WECHAT_KF_AES_KEY', old: 'WECHAT_ENCODING_AES_KEY', what: 'the 43-character EncodingAESKey' },
  appId: { flag: 'app-id', env: 'WECHAT_KF_APP_ID', old: 'WECHAT_APPID', what: 'the appId messages are encrypted for' },
};

/** Flag definitions of the secrets, for parseArgs. */
export const SECRET_FLAGS = {
  token: { type: 'string' },
  'token-file': { type: 'string' },
  key: { type: 'string' },
  'key-file': { type: 'string' },
  'app-id': { type: 'string' },
};

/** A secret read from a file (surrounding whitespace and the final newline dropped). */
export function secretFile(path, flag) {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (e) {
    throw new UsageError(`cannot read --${flag} ${path}: ${e.code ?? e.message}`);
  }
}

/**
 * Parses argv for one command. `spec` maps flag names to { type, short?, default? }.
 * Returns the values; `--help` is always accepted.
 */
export function parse(argv, spec) {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...spec, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    return values;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    // parseArgs' messages name the flag and say what is wrong; drop its advice about '--'.
    throw new UsageError(String(e.message).split('. To specify')[0].split('\n')[0]);
  }
}

/** A secret from its flag, its file flag or environment variables; throws a UsageError naming them. */
export function secret(values, name, env = process.env) {
  const s = SECRETS[name];
  const fromFile = s.file && values[s.file] !== undefined ? secretFile(values[s.file], s.file) : undefined;
  const v = values[s.flag] ?? fromFile ?? env[s.env];
  if (v === undefined || v === '') {
    const renamed = env[s.old] ? ` (${s.old} is set: the variables are named WECHAT_KF_* now; rename it to ${s.env})` : '';
    throw new UsageError(s.file
      ? `missing ${s.what}: set ${s.env} or pass --${s.file} PATH (or --${s.flag})${renamed}`
      : `missing ${s.what}: set ${s.env} or pass --${s.flag}${renamed}`);
  }
  return v;
}

/** A required plain flag. */
export function required(values, flag, what) {
  const v = values[flag];
  if (v === undefined || v === '') throw new UsageError(`missing --${flag} (${what})`);
  return v;
}

/** A non-negative integer flag. */
export function integer(values, flag, fallback) {
  const v = values[flag];
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v)) throw new UsageError(`--${flag} must be a whole number, got '${v}'`);
  return Number(v);
}

/** One of a fixed set of values. */
export function choice(values, flag, allowed, fallback) {
  const v = values[flag] ?? fallback;
  if (!allowed.includes(v)) throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}; got '${v}'`);
  return v;
}

/** A loopback host name or address: 127.0.0.0/8, localhost, ::1 (brackets allowed). */
export function isLoopbackName(hostname) {
  const h = String(hostname).toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * The --host of a dev server (default 127.0.0.1): a non-loopback one only with
 * --allow-non-loopback (`values` from parse, with both flags declared), else a UsageError.
 */
export function loopbackHost(values, server) {
  const host = values.host ?? '127.0.0.1';
  if (!isLoopbackName(host) && !values['allow-non-loopback']) {
    throw new UsageError(`--host ${host} is not a loopback address; the ${server} serves 127.0.0.1 (give --allow-non-loopback to serve ${host} anyway)`);
  }
  return host;
}

/** Text from a flag value, or from a file with `@path`, or stdin with `-`. */
export function textArg(value) {
  if (value === '-') return readFileSync(0, 'utf8');
  if (typeof value === 'string' && value.startsWith('@')) {
    try {
      return readFileSync(value.slice(1), 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${value.slice(1)}: ${e.code ?? e.message}`);
    }
  }
  return value;
}

/** The query of a push given as `a=1&b=2`, `?a=1...` or a whole URL. */
export function queryArg(value) {
  const q = value.includes('?') ? value.slice(value.indexOf('?') + 1) : value;
  return new URLSearchParams(q);
}

export const SECRETS_HELP = `Secrets (never printed): use the environment variables or a file, not --token / --key,
whose values show in process lists and shell history:
  WECHAT_KF_TOKEN    or --token-file PATH   (--token T also works)
  WECHAT_KF_AES_KEY  or --key-file PATH     (--key K also works)
  WECHAT_KF_APP_ID   or --app-id ID         (not a secret)
The same WECHAT_KF_* names configure the emulator (WECHAT_KF_APP_ID, WECHAT_KF_APP_SECRET) and the
examples (also WECHAT_KF_API_BASE); the older WECHAT_TOKEN, WECHAT_APPID, ... are not read.`;

/** The parent pid of `pid` from /proc (Linux), or undefined where there is none. */
function parentOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses; the last ')' ends it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) };
  } catch {
    return undefined;
  }
}

const SHELLS = new Set(['sh', 'dash', 'bash', 'zsh', 'ash']);

/**
 * Resolves when a long-running command (the emulator, the debugger) should stop: on SIGINT,
 * SIGTERM or SIGHUP, or when the process that started it is gone. `npx wechat-kf debugger`
 * runs the command under npm, through `sh -c`: a SIGTERM to npm does not reach the command,
 * and a SIGKILL leaves the shell waiting on it, so without this check it would keep serving as
 * an orphan. So every `pollMs` the parent is checked (its pid changes when it dies) and, when
 * the parent is a shell (npm's `sh -c`), the shell's parent too (Linux, from /proc).
 */
export function untilStopped({ pollMs = 500 } = {}) {
  return new Promise((resolve) => {
    const parent = process.ppid;
    const shell = parentOf(parent);
    const grandparent = shell && SHELLS.has(shell.comm) && shell.ppid > 1 ? shell.ppid : undefined;
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    const stop = (why) => {
      clearInterval(timer);
      for (const s of signals) process.off(s, onSignal);
      resolve(why);
    };
    const onSignal = (signal) => stop(signal);
    for (const s of signals) process.once(s, onSignal);
    const timer = setInterval(() => {
      if (process.ppid !== parent) return stop('parent exited');
      if (grandparent !== undefined && parentOf(parent)?.ppid !== grandparent) stop('parent exited');
    }, pollMs);
    timer.unref?.();
  });
}
