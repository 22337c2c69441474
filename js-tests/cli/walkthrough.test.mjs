// The walkthrough as written (docs/reference.md, "Command line"; the README's local loop with the
// koa example in place of the quick start): `wechat-kf emulator`, an example server using it as its
// WeChat API, `wechat-kf simulate --encrypt --emulator URL`, the server's reply through the
// Client recorded by the emulator (issue 11, item 5). Without --emulator the emulator never
// learns that the user wrote, and the same reply is refused with 45015.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../runners/harness.mjs';
import { ROOT, installScratch, killAll, run, start, until } from './helpers.mjs';

const TOKEN = 'walkthrough-token';
const KEY = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const APP_ID = 'wx0000000000emulator'; // the emulator's defaults
const APP_SECRET = 'emulator-app-secret';

let scratch;
let emulatorUrl;
let serverUrl;

before(async () => {
  scratch = await installScratch(['koa']);
  cpSync(join(ROOT, 'examples'), join(scratch.dir, 'examples'), { recursive: true });
  const emulator = start(scratch.bin, ['emulator', '--port', '0'], { cwd: scratch.dir });
  emulatorUrl = await until(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(emulator.output().stdout)?.[1], 15_000, 'wechat-kf emulator');
  const port = await freePort();
  // The example's variables, as in the walkthrough.
  const env = {
    WECHAT_KF_TOKEN: TOKEN, WECHAT_KF_AES_KEY: KEY, WECHAT_KF_APP_ID: APP_ID, WECHAT_KF_APP_SECRET: APP_SECRET, WECHAT_KF_API_BASE: emulatorUrl,
    PORT: String(port),
  };
  const server = start(process.execPath, ['examples/koa/server.mjs'], { cwd: scratch.dir, env });
  serverUrl = `http://127.0.0.1:${port}/wechat`;
  await until(async () => {
    if (server.child.exitCode !== null) throw new Error(`the example exited: ${JSON.stringify(server.output())}`);
    return (await fetch(serverUrl, { signal: AbortSignal.timeout(2000) })).status === 400;
  }, 60_000, 'example server');
});

after(async () => {
  await killAll();
  scratch?.remove();
});

const simulate = (args) => run(scratch.bin, ['simulate', '--url', serverUrl, '--encrypt', ...args], {
  cwd: scratch.dir, env: { WECHAT_KF_TOKEN: TOKEN, WECHAT_KF_AES_KEY: KEY, WECHAT_KF_APP_ID: APP_ID }, timeoutMs: 60_000,
});

/** The emulator's custom/send records for one user, once there is one (the server sends in the background). */
async function sendsTo(openid) {
  return until(async () => {
    const res = await fetch(`${emulatorUrl}/__emulator/requests?path=/cgi-bin/message/custom/send`, { signal: AbortSignal.timeout(5000) });
    const { requests } = await res.json();
    const mine = requests.filter((r) => r.json?.touser === openid);
    return mine.length ? mine : undefined;
  }, 30_000, `a custom/send to ${openid}`);
}

test('emulator -> example server -> simulate --emulator -> the reply through Client is recorded', async () => {
  const r = await simulate(['--from', 'o_walkthrough', '--content', '你好', '--emulator', emulatorUrl]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /emulator: o_walkthrough sent a message \(48 h window\)/);
  assert.match(r.stdout, /OK: the server answered/);
  const [send] = await sendsTo('o_walkthrough');
  assert.equal(send.errcode, 0, JSON.stringify(send));
  assert.equal(send.json.msgtype, 'text');
  assert.equal(send.json.text.content, '我知道了');
});

test('without --emulator the emulator never learns the user wrote: the reply gets 45015', async () => {
  // The example's onMessage throws on the refused send, so the push is answered 500.
  const r = await simulate(['--from', 'o_walkthrough_alone', '--content', '你好', '--attempts', '1']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout + r.stderr, /HTTP 500/);
  assert.doesNotMatch(r.stdout, /emulator:/);
  const [send] = await sendsTo('o_walkthrough_alone');
  assert.equal(send.errcode, 45015, JSON.stringify(send));
});

test('--emulator refuses a non-URL and reports an unreachable emulator', async () => {
  const bad = await simulate(['--emulator', 'not a url']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--emulator is not a URL/);
  const port = await freePort();
  const gone = await simulate(['--skip-verify', '--emulator', `http://127.0.0.1:${port}`]);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /cannot reach the emulator at http:\/\/127\.0\.0\.1:\d+/);
});
