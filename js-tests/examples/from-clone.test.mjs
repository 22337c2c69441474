// Issue 25: the examples run from a fresh clone, as examples/README.md writes their commands.
// `git clone` of this repository (its HEAD), then the README's setup in a faithful equivalent
// that does not reinstall the world (866 MB of devDependencies, a wasm build of minutes):
//   - `bash scripts/setup.sh` (npm install): the clone's node_modules links each package of this
//     checkout's node_modules (the same package-lock.json, checked), except `wechat-kf`, which is
//     what npm install makes of the root package.json's "wechat-kf": "file:pkg": a link to the
//     clone's own pkg/ (this checkout's link is checked to be exactly that);
//   - `bash scripts/build.sh`: pkg/ is this checkout's build (scripts/test.sh builds it just
//     before this step), then the build's last command as it is, `npm rebuild wechat-kf`, which
//     links the `wechat-kf` bin.
// Then each example's command, taken from examples/README.md's table, runs from the clone
// (the variables of the README's walkthrough; free ports and the emulator's URL in place of
// 8080 and 8081, so that tests can run side by side; the clone's node_modules/.bin on PATH, as
// npx and npm scripts have it, for deno, bun and wrangler): `npx wechat-kf emulator`, the
// example, `npx wechat-kf simulate --encrypt --emulator URL`, and the reply through the Client
// recorded by the emulator.
//   node --test js-tests/examples/from-clone.test.mjs   (needs pkg/: bash scripts/build.sh;
//   WECHAT_KF_PKG_DIR=dir takes another build of this tree)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { ROOT, freePort } from '../runners/harness.mjs';
import { startRedisServer, stopAllRedis } from '../faults/redis-server.mjs';

const TOKEN = 'tok'; // the walkthrough's values
const KEY = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const APP_ID = 'wx0000000000emulator';
const APP_SECRET = 'emulator-app-secret';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let top;
let clone;
const procs = new Set();

before(() => {
  top = mkdtempSync(join(tmpdir(), 'wechat-kf-clone-'));
  clone = join(top, 'wechat-kf');
  execFileSync('git', ['clone', '--quiet', ROOT, clone], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });
  // The setup's npm install, linked: the same lockfile, this checkout's packages.
  assert.equal(readFileSync(join(clone, 'package-lock.json'), 'utf8'), readFileSync(join(ROOT, 'package-lock.json'), 'utf8'),
    'this checkout\'s package-lock.json is not the committed one: its node_modules would not be the clone\'s');
  const pkgJson = JSON.parse(readFileSync(join(clone, 'package.json'), 'utf8'));
  assert.equal(pkgJson.devDependencies?.['wechat-kf'], 'file:pkg', 'the root package.json depends on the built package');
  const ownLink = join(ROOT, 'node_modules', 'wechat-kf');
  assert.ok(lstatSync(ownLink).isSymbolicLink() && readlinkSync(ownLink) === '../pkg', 'npm install links node_modules/wechat-kf to ../pkg');
  const modules = join(clone, 'node_modules');
  mkdirSync(join(modules, '.bin'), { recursive: true });
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (name === 'wechat-kf' || name === '.bin' || name.startsWith('.package-lock')) continue;
    symlinkSync(join(ROOT, 'node_modules', name), join(modules, name));
  }
  for (const name of readdirSync(join(ROOT, 'node_modules', '.bin'))) {
    if (name === 'wechat-kf') continue;
    symlinkSync(realpathSync(join(ROOT, 'node_modules', '.bin', name)), join(modules, '.bin', name));
  }
  symlinkSync('../pkg', join(modules, 'wechat-kf'));
  // The build: pkg/ as scripts/build.sh leaves it, then its last command.
  const built = process.env.WECHAT_KF_PKG_DIR ?? join(ROOT, 'pkg'); // another build of this tree
  assert.ok(existsSync(join(built, 'package.json')), `no ${built}/package.json: run bash scripts/build.sh first`);
  cpSync(built, join(clone, 'pkg'), { recursive: true });
  const build = readFileSync(join(clone, 'scripts', 'build.sh'), 'utf8');
  const link = /^\s*(npm rebuild wechat-kf[^\n]*?)\s*>&2\s*$/m.exec(build);
  assert.ok(link, 'scripts/build.sh links the bin with npm rebuild wechat-kf');
  execFileSync('sh', ['-c', link[1]], { cwd: clone, stdio: ['ignore', 'ignore', 'inherit'], timeout: 60_000 });
  assert.ok(existsSync(join(modules, '.bin', 'wechat-kf')), 'the build linked the wechat-kf bin');
});

after(async () => {
  for (const p of procs) p.stop();
  await Promise.all([...procs].map((p) => p.exited));
  await stopAllRedis();
  if (top) rmSync(top, { recursive: true, force: true });
});

/** The environment of a shell in the clone: its node_modules/.bin first on PATH (as npx has it). */
function shellEnv(extra) {
  const env = { ...process.env, NO_COLOR: '1', WRANGLER_SEND_METRICS: 'false', DO_NOT_TRACK: '1', DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1', ...extra };
  env.PATH = `${join(clone, 'node_modules', '.bin')}${delimiter}${process.env.PATH}`;
  for (const name of ['WECHAT_KF_PKG', 'WECHAT_KF_TARBALL', 'NODE_OPTIONS']) delete env[name];
  return env;
}

/** A command line in the clone (sh -c, its own process group); { output(), exited, stop() }. */
function sh(command, { cwd = clone, env = {} } = {}) {
  let out = '';
  const child = spawn('sh', ['-c', command], { cwd, env: shellEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const exited = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  const p = {
    command,
    output: () => out,
    exited,
    stop() {
      try { process.kill(-child.pid, 'SIGTERM'); } catch {}
      setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch {} }, 3000).unref();
    },
  };
  procs.add(p);
  exited.then(() => procs.delete(p));
  return p;
}

async function waitFor(p, pattern, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    const m = pattern.exec(p.output());
    if (m) return m;
    const done = await Promise.race([p.exited, sleep(100).then(() => null)]);
    if (done) throw new Error(`${what} exited (${JSON.stringify(done)}):\n${p.output().slice(-3000)}`);
    if (Date.now() > end) throw new Error(`${what}: not ready after ${ms} ms:\n${p.output().slice(-3000)}`);
  }
}

/** A command run to its end: { code, output }. */
async function runSh(command, opts) {
  const p = sh(command, opts);
  const timer = setTimeout(() => p.stop(), 60_000);
  const r = await p.exited;
  clearTimeout(timer);
  return { code: r.code, output: p.output() };
}

/** The examples' commands, from the table of examples/README.md: name -> the backticked commands of its row. */
function readmeCommands() {
  const table = readFileSync(join(clone, 'examples', 'README.md'), 'utf8');
  const rows = new Map();
  for (const line of table.split('\n')) {
    const m = /^\| ([^|`]+?) \| (.*) \|$/.exec(line);
    if (!m || m[1] === 'example' || m[1] === 'name' || /^-+$/.test(m[1])) continue;
    const commands = [...m[2].matchAll(/`([^`]+)`/g)].map((c) => c[1]).filter((c) => /^(node|deno|bun|npx|cp|[A-Z_]+=)/.test(c));
    if (commands.length) rows.set(m[1].trim(), { commands, cell: m[2] });
  }
  return rows;
}

/** The emulator's custom/send records to `openid` once there is one (errcode 0 expected). */
async function sendsTo(emulatorUrl, openid, what) {
  const end = Date.now() + 40_000;
  for (;;) {
    const res = await fetch(`${emulatorUrl}/__emulator/requests?path=/cgi-bin/message/custom/send`, { signal: AbortSignal.timeout(5000) });
    const mine = (await res.json()).requests.filter((r) => r.json?.touser === openid);
    if (mine.length) return mine;
    if (Date.now() > end) throw new Error(`${what}: no custom/send to ${openid} reached the emulator`);
    await sleep(200);
  }
}

const WALKTHROUGH = { WECHAT_KF_TOKEN: TOKEN, WECHAT_KF_AES_KEY: KEY, WECHAT_KF_APP_ID: APP_ID, WECHAT_KF_APP_SECRET: APP_SECRET };

test('every example of examples/README.md runs from a fresh clone after the setup, as written', { timeout: 600_000 }, async (t) => {
  const rows = readmeCommands();
  // `npx wechat-kf emulator` resolves to the clone's built CLI (no registry: --no-install would fail).
  const version = await runSh('npx --no-install wechat-kf --version');
  assert.equal(version.code, 0, version.output);
  assert.equal(version.output.trim(), JSON.parse(readFileSync(join(clone, 'pkg', 'package.json'), 'utf8')).version);
  const emulator = sh(`npx wechat-kf emulator --port ${await freePort()}`);
  const emulatorUrl = (await waitFor(emulator, /listening on (http:\/\/127\.0\.0\.1:\d+)/, 30_000, 'npx wechat-kf emulator'))[1];
  const cloudEmulator = sh(`npx wechat-kf emulator --port ${await freePort()} --cloud-hosting`);
  const cloudEmulatorUrl = (await waitFor(cloudEmulator, /listening on (http:\/\/127\.0\.0\.1:\d+)/, 30_000, 'npx wechat-kf emulator --cloud-hosting'))[1];
  const redis = await startRedisServer();
  const redisUrl = `redis://127.0.0.1:${redis.port}`;

  // How each row runs and is reached: [its command(s) from the table, env, ready pattern, how to push].
  const plan = {
    koa: {}, express: {}, Bun: {},
    Deno: { env: { WECHAT_KF_KV_PATH: join(top, 'deno-kv.sqlite3'), DENO_DIR: join(top, '.deno') } },
    'Node cluster on Redis': { env: { REDIS_URL: redisUrl, WORKERS: '2' }, ready: /worker \d+ on (http:\/\/127\.0\.0\.1:\d+\/wechat)/ },
    'Queue mode on Redis': { env: { REDIS_URL: redisUrl, MODEL_DELAY_MS: '200' }, ready: /queue server on (http:\/\/127\.0\.0\.1:\d+\/wechat)/, workers: 1 },
    Workers: { cwd: join(clone, 'examples', 'workers'), wrangler: true, ready: /Ready on (http:\/\/127\.0\.0\.1:\d+)/ },
    'WeChat Cloud Hosting': { env: { HOST: '127.0.0.1' }, cloud: true },
  };
  assert.deepEqual([...rows.keys()].sort(), Object.keys(plan).sort(), 'a row of examples/README.md this test does not run (or one it expects is gone)');

  for (const [name, how] of Object.entries(plan)) {
    const { commands } = rows.get(name);
    const port = await freePort();
    const api = how.cloud ? cloudEmulatorUrl : emulatorUrl;
    const env = { ...(how.cloud ? {} : WALKTHROUGH), WECHAT_KF_API_BASE: api, PORT: String(port), ...how.env };
    let command = commands[0];
    // The variables a command sets itself keep their documented names; their values here (a
    // Redis on a free port) come from the environment, which a command's own VAR=... would override.
    command = command.replace(/\bREDIS_URL=\S+\s*/, '').replace(/\bWORKERS=\S+\s*/, '');
    if (how.wrangler) {
      // .dev.vars from the example's .dev.vars.example (cp, as written), the emulator's URL in place of 8081.
      const [copy, dev] = command.split(/\s*&&\s*/);
      assert.equal(copy, 'cp .dev.vars.example .dev.vars', name);
      const r = await runSh(copy, { cwd: how.cwd });
      assert.equal(r.code, 0, r.output);
      const vars = join(how.cwd, '.dev.vars');
      writeFileSync(vars, readFileSync(vars, 'utf8').replace('http://127.0.0.1:8081', api));
      command = `${dev} --ip 127.0.0.1 --port ${port} --inspector-port ${await freePort()}`;
    }
    const server = sh(command, { cwd: how.cwd ?? clone, env });
    const url = (await waitFor(server, how.ready ?? /listening on (http:\/\/127\.0\.0\.1:\d+\/wechat)/, 120_000, `${name}: ${command}`))[1];
    const pushUrl = url.endsWith('/wechat') ? url : `${url}/wechat`;
    const workers = [];
    for (let i = 0; i < (how.workers ?? 0); i++) {
      const worker = sh(commands[1], { env });
      await waitFor(worker, /consuming/, 30_000, `${name}: ${commands[1]}`);
      workers.push(worker);
    }
    const openid = `o_clone_${name.replace(/\W/g, '_')}`;
    const simulate = how.cloud
      ? `npx wechat-kf simulate --cloud-hosting --url ${pushUrl} --from ${openid} --content 你好 --emulator ${api}`
      : `npx wechat-kf simulate --url ${pushUrl} --encrypt --from ${openid} --content 你好 --emulator ${api}`;
    const r = await runSh(simulate, { env: WALKTHROUGH });
    assert.equal(r.code, 0, `${name}: ${simulate}\n${r.output}\n--- the example:\n${server.output().slice(-3000)}`);
    const sends = await sendsTo(api, openid, `${name}\n${server.output().slice(-3000)}`);
    assert.equal(sends[0].errcode, 0, `${name}: ${JSON.stringify(sends[0])}`);
    t.diagnostic(`${name}: \`${command}\` answered the simulated push, the reply reached the emulator`);
    for (const p of [server, ...workers]) p.stop();
    await Promise.all([server, ...workers].map((p) => p.exited));
  }
  emulator.stop();
  cloudEmulator.stop();
});
