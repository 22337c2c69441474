// Issue 25, dev tools for every push, from the packed tarball: `wechat-kf simulate --type` has a
// type for every arm of KfMessage (the typed messages and events read from the package's own
// messages.d.ts, and an untyped one), each sent in XML and in JSON, plaintext and encrypted, and
// received by the package's handler as that arm; `/__emulator/push` takes nested bodies (the
// subscribe events' lists, in both formats) and a `type`, and says 400 for what it cannot write;
// killing `npx wechat-kf debugger` (or `emulator`) with SIGTERM or SIGKILL leaves no process.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { installScratch, killAll, run, start, until } from './helpers.mjs';

const TOKEN = 'every-push-token-secret';
const KEY = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const APP_ID = 'wx0000000000emulator';
const SECRETS = { WECHAT_KF_TOKEN: TOKEN, WECHAT_KF_AES_KEY: KEY, WECHAT_KF_APP_ID: APP_ID };

let scratch;
let server;
let url;
const received = [];

before(async () => {
  scratch = await installScratch();
  // The package's own handler records each message it is given (plaintext and encrypted accepted).
  const listener = scratch.lib.createNodeListener({
    token: TOKEN, encodingAESKey: KEY, appId: APP_ID, allowPlaintext: true, dedup: false,
    onMessage: (message) => { received.push(message); },
  });
  server = createServer(listener);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${server.address().port}/wechat`;
});

after(async () => {
  await new Promise((r) => { server?.closeAllConnections(); server?.close(r); });
  await killAll();
  scratch?.remove();
});

/** The message and event literals of KfMessage's typed arms, from the installed messages.d.ts. */
function typedArms() {
  const dts = readFileSync(join(scratch.dir, 'node_modules', 'wechat-kf', 'inbound', 'messages.d.ts'), 'utf8');
  const arms = [];
  for (const m of dts.matchAll(/export interface (\w+) extends \w+ \{([^}]*)\}/g)) {
    const msgType = /msgType: '([^']+)'/.exec(m[2])?.[1];
    const event = /event: '([^']+)'/.exec(m[2])?.[1];
    if (event) arms.push({ name: m[1], type: event, msgType: 'event', event });
    else if (msgType) arms.push({ name: m[1], type: msgType, msgType });
  }
  return arms;
}

/** What each simulated push must arrive as: its typed fields (a list's length for subscribe events). */
const EXPECT = {
  text: (m) => typeof m.content === 'string' && m.content.length > 0,
  image: (m) => m.mediaId === 'simulated_media_id' && m.picUrl.startsWith('https://'),
  miniprogrampage: (m) => m.pagePath === 'pages/index/index' && m.thumbMediaId.length > 0,
  user_enter_tempsession: (m) => m.sessionFrom === 'wechat-kf-simulate',
  kf_create_session: (m) => m.kfAccount === 'test1@simulate',
  kf_close_session: (m) => m.kfAccount === 'test1@simulate' && m.closeType === 'KF',
  kf_switch_session: (m) => m.fromKfAccount === 'test1@simulate' && m.toKfAccount === 'test2@simulate',
  subscribe_msg_popup_event: (m) => m.list.length === 2 && m.list[0].subscribeStatusString === 'accept' && m.list[1].popupScene === '0',
  subscribe_msg_change_event: (m) => m.list.length === 1 && m.list[0].subscribeStatusString === 'reject',
  subscribe_msg_sent_event: (m) => m.list.length === 1 && /^\d{19}$/.test(m.list[0].msgId) && m.list[0].errorStatus === 'success',
};
const UNTYPED = {
  voice: (m) => m.known === false && m.msgType === 'voice' && m.mediaId === 'simulated_voice_media_id' && /^\d+$/.test(m.msgId),
  location_select: (m) => m.known === false && m.event === 'location_select' && m.sendLocationInfo.label.includes('simulated'),
};

test('simulate --type has every arm of KfMessage, and each arrives as that arm (XML and JSON, plaintext and encrypted)', { timeout: 240_000 }, async () => {
  const arms = typedArms();
  assert.ok(arms.length >= 10, `the arms read from messages.d.ts: ${arms.map((a) => a.name)}`);
  const help = await run(scratch.bin, ['simulate', '--help'], { cwd: scratch.dir });
  for (const arm of arms) {
    assert.ok(help.stdout.includes(arm.type), `simulate --help has no --type for ${arm.name} (${arm.type})`);
    assert.ok(EXPECT[arm.type], `this test has no expectation for ${arm.type}: add one`);
  }
  const cases = [...arms.map((a) => [a.type, (m) => m.known === true && m.msgType === a.msgType && m.event === a.event
    && (a.msgType === 'event' || /^\d+$/.test(m.msgId)) && EXPECT[a.type](m)]), ...Object.entries(UNTYPED)];
  for (const [type, check] of cases) {
    for (const format of ['xml', 'json']) {
      for (const encrypt of [false, true]) {
        received.length = 0;
        const args = ['simulate', '--url', url, '--type', type, '--format', format, '--skip-verify', ...(encrypt ? ['--encrypt'] : [])];
        const r = await run(scratch.bin, args, { cwd: scratch.dir, env: SECRETS, timeoutMs: 30_000 });
        const what = `${type} ${format}${encrypt ? ' encrypted' : ''}`;
        assert.equal(r.code, 0, `${what}: ${r.stdout}${r.stderr}`);
        assert.equal(received.length, 1, `${what}: the handler got ${received.length} messages`);
        assert.ok(check(received[0]), `${what}: arrived as ${JSON.stringify(received[0])}`);
      }
    }
  }
});

test('simulate --cloud-hosting sends the nested pushes too (the core writes the Cloud Hosting body)', { timeout: 60_000 }, async () => {
  const got = [];
  const cloud = createServer(scratch.lib.createNodeListener({ cloudHosting: { publicAccess: true }, dedup: false, onMessage: (m) => { got.push(m); } }));
  await new Promise((r) => cloud.listen(0, '127.0.0.1', r));
  try {
    for (const format of ['xml', 'json']) {
      got.length = 0;
      const r = await run(scratch.bin, ['simulate', '--cloud-hosting', '--url', `http://127.0.0.1:${cloud.address().port}/wechat`,
        '--type', 'subscribe_msg_popup_event', '--format', format], { cwd: scratch.dir, timeoutMs: 30_000 });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(got.length, 1);
      assert.equal(got[0].list.length, 2, `${format}: ${JSON.stringify(got[0])}`);
    }
  } finally {
    await new Promise((r) => { cloud.closeAllConnections(); cloud.close(r); });
  }
});

test('/__emulator/push takes nested bodies and a type, and refuses what it cannot write with 400', { timeout: 60_000 }, async () => {
  const emulator = start(scratch.bin, ['emulator', '--port', '0'], { cwd: scratch.dir });
  const base = await until(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(emulator.output().stdout)?.[1], 15_000, 'wechat-kf emulator');
  const push = async (body) => {
    const res = await fetch(`${base}/__emulator/push`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url, token: TOKEN, encodingAESKey: KEY, appId: APP_ID, ...body }),
      signal: AbortSignal.timeout(10_000),
    });
    return { status: res.status, json: await res.json() };
  };
  const entries = [{ TemplateId: 't1', SubscribeStatusString: 'accept', PopupScene: '0' }, { TemplateId: 't2', SubscribeStatusString: 'reject', PopupScene: '0' }];
  const popup = { MsgType: 'event', Event: 'subscribe_msg_popup_event' };
  // The XML shape (a wrapper of repeated List elements) and the JSON one (a top-level List array).
  for (const [format, message] of [['xml', { ...popup, SubscribeMsgPopupEvent: { List: entries } }], ['json', { ...popup, List: entries }]]) {
    received.length = 0;
    const r = await push({ format, message });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.body, 'success');
    assert.equal(received.length, 1);
    assert.deepEqual(received[0].list.map((e) => [e.templateId, e.subscribeStatusString]), [['t1', 'accept'], ['t2', 'reject']], format);
  }
  // A type of simulate's, with fields over it.
  for (const format of ['xml', 'json']) {
    received.length = 0;
    const r = await push({ format, type: 'subscribe_msg_sent_event', message: { FromUserName: 'o_typed' } });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(received[0].event, 'subscribe_msg_sent_event');
    assert.equal(received[0].fromUserName, 'o_typed');
    assert.equal(received[0].list[0].errorCode, '0');
  }
  for (const [body, pattern] of [
    [{ type: 'no_such_type' }, /type must be one of text, image/],
    [{ message: [1] }, /message must be an object/],
    [{ message: { A: true } }, /field A must be a string, a number, a bigint, an object of fields or an array/],
    [{ message: { A: [[1]] } }, /list of lists/],
    [{ message: { 'a b': '1' } }, /not usable/],
  ]) {
    received.length = 0;
    const r = await push(body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.match(r.json.error, pattern);
    assert.ok(!r.json.error.includes(TOKEN) && !r.json.error.includes(KEY));
    assert.equal(received.length, 0);
  }
  await emulator.kill();
});

/** The pids of `pid`'s descendants (Linux /proc). */
function descendants(pid) {
  const children = new Map();
  for (const line of listProcs()) {
    if (!children.has(line.ppid)) children.set(line.ppid, []);
    children.get(line.ppid).push(line.pid);
  }
  const out = [];
  const walk = (p) => { for (const c of children.get(p) ?? []) { out.push(c); walk(c); } };
  walk(pid);
  return out;
}

function listProcs() {
  const procs = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      procs.push({ pid: Number(name), ppid: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) });
    } catch {}
  }
  return procs;
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    // A zombie (exited, not yet reaped) counts as gone.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

for (const command of ['debugger', 'emulator']) {
  for (const signal of ['SIGTERM', 'SIGKILL']) {
    test(`npx wechat-kf ${command} killed with ${signal}: no process is left`, { timeout: 60_000 }, async () => {
      const npx = start('npx', ['--no-install', 'wechat-kf', command, '--port', '0'], { cwd: scratch.dir });
      await until(() => /(open|listening on) http:\/\/127\.0\.0\.1:\d+/.test(npx.output().stdout), 30_000, `npx wechat-kf ${command}`);
      const below = descendants(npx.child.pid);
      assert.ok(below.length >= 1, 'npx runs the command as its child');
      process.kill(npx.child.pid, signal); // npx alone, as a user's kill would (not its process group)
      await until(() => below.every((pid) => !alive(pid)) || undefined, 10_000,
        `the processes under npx (${below.join(', ')}) to end after ${signal}`);
      await npx.kill('SIGKILL');
    });
  }
}
