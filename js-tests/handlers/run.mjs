#!/usr/bin/env node
// The handlers over real HTTP on 127.0.0.1, one server per example: koa and Express (Node),
// Deno, Bun and workerd, all from the packed tarball, against the project's API emulator.
//
//   node js-tests/handlers/run.mjs [--only koa,deno] [--tarball dist/x.tgz]
//
// The workerd example keeps its state in the package's Durable Object (in-memory storage
// here); the Deno example in a Deno KV file. Each server gets: URL verification GET; encrypted XML and JSON pushes (answered, then the
// asynchronous send seen by the emulator); a push retried three times and handled once; a
// transfer_customer_service reply (decrypted and checked); a slow callback (the send API made
// slow by a delaying proxy) still answered in time and finished in the background; and
// hostile requests mapped to 401/400/413 without secrets. Prints `N passed, M failed`.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { bundleWorker, prepareScratch } from '../runners/scratch.mjs';
import { ROOT, freePort, resolveBin, startProcess, withTimeout } from '../runners/harness.mjs';

const TARGETS = ['koa', 'express', 'deno', 'bun', 'workerd'];
const TOKEN = 'handler-token-secret';
const KEY = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const APP_ID = 'wx0000000000emulator'; // the emulator's default appId
const APP_SECRET = 'emulator-app-secret';
const REPLY_TIMEOUT_MS = 300;

const args = parseArgs(process.argv.slice(2));
const selected = args.only ? args.only.split(',') : TARGETS;
const scratch = join(ROOT, 'js-tests', '.scratch-handlers');
let pending = [];
const ctx = { scratch, defer: (fn) => pending.push(fn) };
const cleanup = async () => { for (const fn of pending.reverse()) { try { await fn(); } catch {} } pending = []; };
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, async () => { await cleanup(); process.exit(130); });

prepareScratchWithExamples();
const lib = await import(join(scratch, 'node_modules', 'wechat-kf', 'loaders', 'node.js'));
const { start: startEmulator } = await import(join(scratch, 'node_modules', 'wechat-kf', 'devtools', 'emulator', 'server.js'));
const emulator = await startEmulator({ port: 0, lib });
const proxy = await startDelayProxy(emulator.port);
const crypt = new lib.WXBizMsgCrypt({ token: TOKEN, encodingAESKey: KEY, appId: APP_ID });

let passed = 0;
let failed = 0;
for (const target of selected) {
  const r = { passed: 0, failed: 0, failures: [] };
  try {
    const server = await withTimeout(startTarget(target), 60_000, `${target} start`);
    try {
      await withTimeout(runChecks(target, server.base, r), 90_000, `${target} checks`);
    } finally {
      await server.stop();
    }
  } catch (e) {
    r.failed++, r.failures.push(`did not run: ${e?.stack ?? e}`);
  } finally {
    await cleanup();
  }
  if (r.passed + r.failed === 0) r.failed++, r.failures.push('ran no check');
  console.log(`${target}: ${r.passed} passed, ${r.failed} failed`);
  for (const f of r.failures) console.log(`  FAIL ${f.replace(/\n/g, '\n       ')}`);
  passed += r.passed;
  failed += r.failed;
}
await new Promise((r) => proxy.close(r));
await emulator.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);

// ---- the checks -------------------------------------------------------------------------------

async function runChecks(target, base, r) {
  const check = async (name, fn) => {
    try { await fn(); r.passed++; } catch (e) { r.failed++; r.failures.push(`${name}: ${e?.message ?? e}`); }
  };
  const url = (q) => `${base}/wechat?${new URLSearchParams(q)}`;
  let seq = 0;
  const openid = (what) => `o_${target}_${what}_${Date.now()}_${seq++}`;

  await check('GET verification answers echostr', async () => {
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await fetch(url({ signature: lib.signature(TOKEN, ts, '7'), timestamp: ts, nonce: '7', echostr: '5927782489442352469' }), { signal: AbortSignal.timeout(10_000) });
    eq(res.status, 200);
    eq(await res.text(), '5927782489442352469');
  });

  for (const format of ['xml', 'json']) {
    await check(`encrypted ${format} text push: success, then the send`, async () => {
      const user = openid(format);
      await userActs(user);
      const res = await post(url, push({ user, format, content: '你好' }));
      eq(res.status, 200);
      eq(await res.text(), 'success');
      await waitForSends(user, 1, '我知道了');
    });
  }

  await check('a push retried three times is handled once', async () => {
    const user = openid('retry');
    await userActs(user);
    const p = push({ user, format: 'xml', content: 'again' });
    for (let i = 0; i < 3; i++) {
      const res = await post(url, p);
      eq(res.status, 200);
      eq(await res.text(), 'success');
    }
    await waitForSends(user, 1, '我知道了');
    await sleep(300);
    eq((await sendsTo(user)).length, 1);
  });

  for (const format of ['xml', 'json']) {
    await check(`transfer_customer_service reply (${format}, encrypted)`, async () => {
      const user = openid('transfer');
      const res = await post(url, push({ user, format, content: '转人工' }));
      eq(res.status, 200);
      const body = await res.text();
      const env = format === 'json' ? JSON.parse(body) : Object.fromEntries([...body.matchAll(/<(\w+)>(?:<!\[CDATA\[(.*?)\]\]>|(\d+))<\/\1>/g)].map((m) => [m[1], m[2] ?? m[3]]));
      const plain = crypt.decryptMessage({ msgSignature: env.MsgSignature, timestamp: env.TimeStamp, nonce: env.Nonce, body });
      const fields = format === 'json' ? JSON.parse(plain) : Object.fromEntries([...plain.matchAll(/<(\w+)>(?:<!\[CDATA\[(.*?)\]\]>|(\d+))<\/\1>/g)].map((m) => [m[1], m[2] ?? m[3]]));
      eq(fields.MsgType, 'transfer_customer_service');
      eq(fields.ToUserName, user);
      eq(fields.FromUserName, 'gh_handlers');
    });
  }

  await check('slow callback: answered in time, finished in the background', async () => {
    const user = openid('slow');
    await userActs(user);
    // The proxy holds the callback's send until the test has its answer: the answer arriving
    // at all shows the handler did not wait for the callback, whatever the machine's load.
    let release;
    proxy.hold = new Promise((r) => { release = r; });
    try {
      const t0 = Date.now();
      const res = await post(url, push({ user, format: 'xml', content: 'slow' }));
      const text = await res.text();
      const took = Date.now() - t0;
      eq(res.status, 200);
      eq(text, 'success');
      // The platform gives up after 5 s; the budget here is REPLY_TIMEOUT_MS.
      if (took >= 5000) throw new Error(`answered after ${took} ms`);
      eq((await sendsTo(user)).length, 0);
      release();
      await waitForSends(user, 1, '我知道了', 15_000);
    } finally {
      release();
      proxy.hold = null;
    }
  });

  await check('event push: success and a greeting', async () => {
    const user = openid('enter');
    await userActs(user, 'enter');
    const res = await post(url, push({ user, format: 'json', event: 'user_enter_tempsession' }));
    eq(res.status, 200);
    eq(await res.text(), 'success');
    await waitForSends(user, 1, '您有什么问题吗?');
  });

  await check('hostile requests: 401 / 400 / 413, no secrets', async () => {
    const good = push({ user: openid('bad'), format: 'xml', content: 'x' });
    const cases = [
      [{ ...good.query, msg_signature: '0'.repeat(40) }, good.body, 401],
      [{ ...good.query, timestamp: String(Number(good.query.timestamp) - 3600) }, good.body, 401],
      [good.query, '<xml><ToUserName>x</ToUserName></xml>', 400],
      [good.query, '<!DOCTYPE x [<!ENTITY a "b">]><xml>&a;</xml>', 400],
      [good.query, 'x'.repeat((1 << 20) + 1), 413],
    ];
    for (const [q, body, status] of cases) {
      const res = await post(url, { query: q, body });
      const text = await res.text();
      eq(res.status, status);
      if (text.includes(TOKEN) || text.includes(KEY)) throw new Error('a secret in the response');
      eq(res.headers.get('x-content-type-options'), 'nosniff');
    }
  });

  await check('a stale push, correctly signed, is refused by the replay window (401, kind named)', async () => {
    const stale = push({ user: openid('stale'), format: 'xml', content: 'old', ts: String(Math.floor(Date.now() / 1000) - 3600) });
    const res = await post(url, stale);
    eq(res.status, 401);
    eq(await res.text(), 'error: TimestampOutOfWindow');
  });

  await check('a plaintext push is refused when a key is configured (401 PlaintextRefused)', async () => {
    const ts = String(Math.floor(Date.now() / 1000));
    const body = `<xml><ToUserName><![CDATA[gh_handlers]]></ToUserName><FromUserName><![CDATA[${openid('plain')}]]></FromUserName><CreateTime>${ts}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[forged]]></Content><MsgId>1</MsgId></xml>`;
    const res = await post(url, { query: { signature: lib.signature(TOKEN, ts, '9'), timestamp: ts, nonce: '9' }, body });
    eq(res.status, 401);
    eq(await res.text(), 'error: PlaintextRefused');
  });

  await check('URL verification refuses an echostr with markup (400)', async () => {
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await fetch(url({ signature: lib.signature(TOKEN, ts, '7'), timestamp: ts, nonce: '7', echostr: '<script>alert(1)</script>' }), { signal: AbortSignal.timeout(10_000) });
    eq(res.status, 400);
    eq(res.headers.get('x-content-type-options'), 'nosniff');
    eq(res.headers.get('content-type'), 'text/plain; charset=utf-8');
  });
}

function push({ user, format, content, event, ts = String(Math.floor(Date.now() / 1000)) }) {
  const nonce = String(100000 + Math.floor(Math.random() * 1e6));
  const msgId = `${BigInt(Date.now()) * 1000000n + BigInt(seqId())}`;
  const fields = [['ToUserName', 'gh_handlers'], ['FromUserName', user], ['CreateTime', ts, true]];
  if (event) fields.push(['MsgType', 'event'], ['Event', event], ['SessionFrom', 'weapp']);
  else fields.push(['MsgType', 'text'], ['Content', content], ['MsgId', msgId, true]);
  const plain = format === 'json'
    ? '{' + fields.map(([k, v, n]) => `"${k}":${n ? v : JSON.stringify(v)}`).join(',') + '}'
    : '<xml>' + fields.map(([k, v, n]) => `<${k}>${n ? v : `<![CDATA[${v}]]>`}</${k}>`).join('') + '</xml>';
  const encrypt = crypt.encrypt(plain);
  const body = format === 'json'
    ? JSON.stringify({ ToUserName: 'gh_handlers', Encrypt: encrypt })
    : `<xml><ToUserName><![CDATA[gh_handlers]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
  return {
    query: { signature: lib.signature(TOKEN, ts, nonce), timestamp: ts, nonce, openid: user, encrypt_type: 'aes', msg_signature: crypt.msgSignature(ts, nonce, encrypt) },
    body,
    contentType: format === 'json' ? 'application/json' : 'text/xml',
  };
}
function seqId() { return seqId.n = (seqId.n ?? 0) + 1; }

function post(url, p) {
  return fetch(url(p.query), { method: 'POST', body: p.body, headers: { 'content-type': p.contentType ?? 'text/xml' }, signal: AbortSignal.timeout(10_000) });
}

async function userActs(openid, action = 'message') {
  const res = await fetch(`${emulator.url}/__emulator/user`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid, action }) });
  if (!res.ok) throw new Error(`emulator user action: ${res.status}`);
}

async function sendsTo(openid) {
  const res = await fetch(`${emulator.url}/__emulator/requests?path=${encodeURIComponent('/cgi-bin/message/custom/send')}`);
  const { requests } = await res.json();
  return requests.filter((r) => r.json && r.json.touser === openid);
}

async function waitForSends(openid, n, content, ms = 15_000) {
  const until = Date.now() + ms;
  for (;;) {
    const sends = await sendsTo(openid);
    if (sends.length >= n) {
      eq(sends[0].json.text?.content, content);
      return sends;
    }
    if (Date.now() > until) throw new Error(`expected ${n} send(s) to ${openid}, saw ${sends.length}`);
    await sleep(50);
  }
}

function eq(actual, expected) {
  if (actual !== expected) throw new Error(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)?.slice(0, 300)}`);
}
function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }

// ---- servers ------------------------------------------------------------------------------------

/** Forwards to the emulator, holding custom/send requests while `hold` (a promise) is set (a slow API). */
function startDelayProxy(targetPort) {
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      if (server.hold && req.url.startsWith('/cgi-bin/message/custom/send')) await server.hold;
      const out = httpRequest({ host: '127.0.0.1', port: targetPort, path: req.url, method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode, up.headers);
        up.pipe(res);
      });
      out.on('error', () => { res.statusCode = 502; res.end(); });
      out.end(Buffer.concat(chunks));
    });
  });
  server.hold = null;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => { server.port = server.address().port; resolve(server); }));
}

async function startTarget(target) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    WECHAT_KF_TOKEN: TOKEN, WECHAT_KF_AES_KEY: KEY, WECHAT_KF_APP_ID: APP_ID, WECHAT_KF_APP_SECRET: APP_SECRET,
    WECHAT_KF_API_BASE: `http://127.0.0.1:${proxy.port}`, REPLY_TIMEOUT_MS: String(REPLY_TIMEOUT_MS), PORT: String(port),
  };
  let proc;
  if (target === 'koa' || target === 'express') {
    proc = startProcess(ctx, process.execPath, [`examples/${target}/server.mjs`], { env });
  } else if (target === 'deno') {
    const kvDir = join(scratch, 'deno-kv');
    mkdirSync(kvDir, { recursive: true });
    proc = startProcess(ctx, resolveBin('deno'), ['run', '--unstable-kv', '--allow-net', '--allow-env', '--allow-read', `--allow-write=${kvDir}`, '--node-modules-dir=manual', '--no-lock', 'examples/deno/server.ts'], {
      env: { ...env, WECHAT_KF_KV_PATH: join(kvDir, 'kv.sqlite3'), DENO_DIR: join(scratch, '.deno'), DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' },
    });
  } else if (target === 'bun') {
    proc = startProcess(ctx, resolveBin('bun'), ['run', '--no-install', 'examples/bun/server.mjs'], { env: { ...env, DO_NOT_TRACK: '1' } });
  } else if (target === 'workerd') {
    const dir = await workerdExample(env, port);
    proc = startProcess(ctx, resolveBin('workerd'), ['serve', 'config.capnp'], { cwd: dir });
  } else {
    throw new Error(`unknown target ${target}`);
  }
  let exited = false;
  proc.exited.then(() => (exited = true));
  for (;;) {
    if (exited) {
      const { stdout, stderr } = proc.output();
      throw new Error(`${target} exited before serving\n${(stdout + stderr).slice(-3000)}`);
    }
    try {
      const res = await fetch(`${base}/wechat`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 400) break; // GET without echostr: the handler is up
    } catch {}
    await sleep(100);
  }
  return { base, stop: () => proc.kill() };
}

async function workerdExample(env, port) {
  const dir = join(scratch, 'workerd');
  mkdirSync(dir, { recursive: true });
  const modules = await bundleWorker(scratch, 'examples/workers/worker.mjs', dir);
  const bindings = Object.entries(env).map(([k, v]) => `(name = "${k}", text = ${JSON.stringify(v)})`)
    .concat('(name = "WECHAT_KF_STORE", durableObjectNamespace = "DurableObjectStore")');
  writeFileSync(join(dir, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .exampleWorker),
    (name = "net", network = (allow = ["public", "private", "local", "network"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const exampleWorker :Workerd.Worker = (
  modules = [${modules.join(', ')}],
  bindings = [${bindings.join(', ')}],
  globalOutbound = "net",
  compatibilityDate = "2025-06-01",
  durableObjectNamespaces = [(className = "DurableObjectStore", uniqueKey = "wechat-kf-example", enableSql = true)],
  durableObjectStorage = (inMemory = void),
);
`);
  return dir;
}

function prepareScratchWithExamples() {
  prepareScratch(scratch, args.tarball);
  cpSync(join(ROOT, 'examples'), join(scratch, 'examples'), { recursive: true });
  // koa and express resolve from the workspace's node_modules (a parent directory).
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(only|tarball)(?:=(.*))?$/.exec(argv[i]);
    if (!m) { console.error(`unknown argument ${argv[i]}`); console.log('0 passed, 1 failed'); process.exit(1); }
    out[m[1]] = m[2] ?? argv[++i];
  }
  return out;
}
