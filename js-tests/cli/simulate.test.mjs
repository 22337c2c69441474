// `wechat-kf simulate` and `wechat-kf emulator` as real processes over 127.0.0.1, from the
// packed tarball: against each example server Node can run (koa, Express; Deno and Bun when
// their binaries are in node_modules), with `wechat-kf emulator` as their WeChat API; and
// against servers that answer wrongly, too slowly, or only on the platform's retry.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { freePort, resolveBin } from '../runners/harness.mjs';
import { ROOT, installScratch, killAll, run, start, until } from './helpers.mjs';

const TOKEN = 'simulate-token-secret';
const KEY = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const APP_ID = 'wx0000000000emulator'; // the emulator's default appId
const SECRETS = { WECHAT_KF_TOKEN: TOKEN, WECHAT_KF_AES_KEY: KEY, WECHAT_KF_APP_ID: APP_ID };

let scratch;
let emulator;
let emulatorUrl;
const servers = [];

before(async () => {
  scratch = await installScratch(['koa', 'express']);
  cpSync(join(ROOT, 'examples'), join(scratch.dir, 'examples'), { recursive: true });
  emulator = start(scratch.bin, ['emulator', '--port', '0'], { cwd: scratch.dir });
  emulatorUrl = await until(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(emulator.output().stdout)?.[1], 15_000, 'wechat-kf emulator');
});

after(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => { s.closeAllConnections(); s.close(r); })));
  await killAll();
  scratch?.remove();
});

/** Runs `wechat-kf simulate`; checks the secrets never appear in its output. */
async function simulate(url, args = []) {
  const r = await run(scratch.bin, ['simulate', '--url', url, ...args], { cwd: scratch.dir, env: SECRETS, timeoutMs: 60_000 });
  const all = r.stdout + r.stderr;
  assert.ok(!all.includes(TOKEN) && !all.includes(KEY), 'a secret in the output');
  return r;
}

test('wechat-kf emulator answers the API (token endpoint) and stops on SIGTERM', async () => {
  const res = await fetch(`${emulatorUrl}/cgi-bin/token?grant_type=client_credential&appid=${APP_ID}&secret=emulator-app-secret`, { signal: AbortSignal.timeout(5000) });
  const json = await res.json();
  assert.equal(typeof json.access_token, 'string', JSON.stringify(json));
  const second = start(scratch.bin, ['emulator', '--port', '0'], { cwd: scratch.dir });
  await until(() => second.output().stdout.includes('listening on'), 15_000, 'second emulator');
  const exit = await second.kill();
  assert.equal(exit.code, 0, second.output().stderr);
});

// ---- the example servers of the inbound issue ---------------------------------------------------

const EXAMPLES = {
  koa: () => [process.execPath, ['examples/koa/server.mjs']],
  express: () => [process.execPath, ['examples/express/server.mjs']],
  // The Deno example keeps its state in Deno KV (a file under the scratch project).
  deno: () => [resolveBin('deno'), ['run', '--unstable-kv', '--allow-net', '--allow-env', '--allow-read', '--allow-write', '--node-modules-dir=manual', '--no-lock', 'examples/deno/server.ts']],
  bun: () => [resolveBin('bun'), ['run', '--no-install', 'examples/bun/server.mjs']],
};

for (const [name, command] of Object.entries(EXAMPLES)) {
  let cmd;
  try { cmd = command(); } catch (e) { cmd = e; }
  // A missing runtime is a failure, never a skip: the README claims every one of them.
  if (cmd instanceof Error) {
    test(`example ${name}: its runtime is installed`, () => { throw cmd; });
    continue;
  }
  describe(`example ${name}`, () => {
    let url;
    before(async () => {
      const port = await freePort();
      const env = {
        WECHAT_KF_TOKEN: TOKEN, WECHAT_KF_AES_KEY: KEY, WECHAT_KF_APP_ID: APP_ID, WECHAT_KF_APP_SECRET: 'emulator-app-secret',
        WECHAT_KF_API_BASE: emulatorUrl, PORT: String(port),
        DENO_DIR: join(scratch.dir, '.deno'), DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1', DO_NOT_TRACK: '1',
        WECHAT_KF_KV_PATH: join(scratch.dir, `kv-${port}.sqlite3`),
      };
      const proc = start(cmd[0], cmd[1], { cwd: scratch.dir, env });
      url = `http://127.0.0.1:${port}/wechat`;
      await until(async () => {
        if (proc.child.exitCode !== null) throw new Error(`${name} exited: ${JSON.stringify(proc.output())}`);
        return (await fetch(url, { signal: AbortSignal.timeout(2000) })).status === 400;
      }, 60_000, `${name} server`);
    });

    test('plaintext XML text push: verification answered, the push refused (a key is configured)', async () => {
      const from = await userActs(`o_${name}_plain`);
      const r = await simulate(url, ['--from', from, '--attempts', '1']);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /verification GET: echostr answered/);
      assert.match(r.stdout + r.stderr, /HTTP 401 'error: PlaintextRefused'/);
    });

    test('encrypted JSON text push: success', async () => {
      const from = await userActs(`o_${name}_json`);
      const r = await simulate(url, ['--from', from, '--encrypt', '--format', 'json']);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /OK: the server answered/);
    });

    test('encrypted XML 转人工: a transfer_customer_service reply, signed and decrypting', async () => {
      const r = await simulate(url, ['--from', `o_${name}_transfer`, '--encrypt', '--content', '转人工']);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /transfer_customer_service \(encrypted reply, signature and appId checked\)/);
    });

    test('a wrong token: the verification GET fails clearly', async () => {
      const r = await run(scratch.bin, ['simulate', '--url', url, '--token', 'not-the-token'], { cwd: scratch.dir, env: SECRETS });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /URL verification GET failed: HTTP 401/);
    });
  });
}

/** Opens the user's send window in the emulator (the examples answer by the send API). */
async function userActs(openid) {
  const res = await fetch(`${emulatorUrl}/__emulator/user`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid, action: 'message' }), signal: AbortSignal.timeout(5000) });
  assert.equal(res.status, 200);
  return openid;
}

// ---- servers that answer wrongly ----------------------------------------------------------------

/** A server on 127.0.0.1: GET answers the echostr (unless told otherwise), POST calls onPost. */
async function fakeServer(onPost, onGet = (q) => q.get('echostr')) {
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const q = new URL(req.url, 'http://x').searchParams;
      try {
        const body = req.method === 'GET' ? onGet(q) : await onPost(q, Buffer.concat(chunks).toString(), req);
        if (body && typeof body === 'object') res.statusCode = body.status;
        if (body !== undefined && !res.destroyed) res.end(typeof body === 'object' ? body.body : body);
      } catch {
        res.destroy();
      }
    });
  });
  servers.push(server);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${server.address().port}/wechat`;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('garbage answer: a clear failure, exit 1', async () => {
  const url = await fakeServer(() => 'hello, I am not what the platform expects');
  const r = await simulate(url);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /FAILED: the answer is not 'success', empty, or a reply in XML\/JSON: got 'hello/);
  assert.match(r.stderr, /该小程序客服暂时无法提供服务/);
});

test('wrong echostr: the verification fails, exit 1', async () => {
  const url = await fakeServer(() => 'success', () => 'not the echostr');
  const r = await simulate(url);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /URL verification GET failed: expected the echostr/);
});

test('too slow: three attempts time out, exit 1', async () => {
  const url = await fakeServer(async () => { await sleep(3000); return 'success'; });
  const t0 = Date.now();
  const r = await simulate(url, ['--timeout-ms', '300']);
  assert.equal(r.code, 1);
  assert.equal(r.stdout.match(/no answer within 300 ms/g)?.length, 3, r.stdout);
  assert.match(r.stderr, /no valid answer to the text push \(XML, plaintext\) after 3 attempt\(s\)/);
  assert.ok(Date.now() - t0 < 15_000);
});

test('slow once, answered on the retry (the same push): success on attempt 2', async () => {
  const seen = [];
  // The first attempt is held until the retry arrives (a gate, not a sleep), so it times out
  // whatever the load; the retry then has a generous 2 s.
  let releaseFirst;
  const firstHeld = new Promise((r) => { releaseFirst = r; });
  const url = await fakeServer(async (q, body) => {
    seen.push(body);
    if (seen.length === 1) await firstHeld;
    else releaseFirst();
    return 'success';
  });
  const r = await simulate(url, ['--timeout-ms', '2000', '--encrypt']);
  releaseFirst();
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /attempt 1\/3: no answer within 2000 ms/);
  assert.match(r.stdout, /attempt 2\/3: answered in \d+ ms: 'success'/);
  assert.equal(seen[0], seen[1], 'a retry resends the same push');
});

test('HTTP 500 every time, then a refused connection: clear failures', async () => {
  let posts = 0;
  let url = await fakeServer(() => { posts++; return { status: 500, body: 'internal error' }; });
  let r = await simulate(url, ['--skip-verify', '--timeout-ms', '1000']);
  assert.equal(r.code, 1);
  assert.equal(posts, 3);
  assert.match(r.stderr, /after 3 attempt\(s\): HTTP 500 'internal error'/);
  url = `http://127.0.0.1:${await freePort()}/wechat`;
  r = await simulate(url, ['--timeout-ms', '1000']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /URL verification GET failed: cannot reach the server \(ECONNREFUSED\)/);
});

test('a reply signed with another token, or not encrypted: rejected', async () => {
  const { lib } = scratch;
  const fromOther = (body) => {
    const crypt = new lib.WXBizMsgCrypt({ token: TOKEN, encodingAESKey: KEY, appId: APP_ID });
    const plain = crypt.decrypt(/<Encrypt><!\[CDATA\[(.*?)\]\]>/.exec(body)[1]).plaintext;
    const f = Object.fromEntries([...plain.matchAll(/<(\w+)><!\[CDATA\[(.*?)\]\]>/g)].map((m) => [m[1], m[2]]));
    const reply = `<xml><ToUserName><![CDATA[${f.FromUserName}]]></ToUserName><FromUserName><![CDATA[${f.ToUserName}]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[transfer_customer_service]]></MsgType></xml>`;
    crypt.free();
    return { reply };
  };
  let url = await fakeServer((q, body) => {
    const { reply } = fromOther(body);
    const wrong = new lib.WXBizMsgCrypt({ token: 'another-token', encodingAESKey: KEY, appId: APP_ID });
    return wrong.encryptMessage(reply);
  });
  let r = await simulate(url, ['--encrypt', '--skip-verify']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /MsgSignature is wrong \(-40001\)/);
  url = await fakeServer((q, body) => fromOther(body).reply);
  r = await simulate(url, ['--encrypt', '--skip-verify']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /the push was encrypted but the reply is not/);
});
