// The emulator checks the package independently: its send-window model and its opening of
// dialogue-platform payloads are its own small code (devtools/emulator/window.js and
// dialogue.js, on node:crypto only), cross-checked here against the package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { EmulatorWindow } from '../../pkg/devtools/emulator/window.js';
import { openCiphertext, openSendmsg, readFlatXml } from '../../pkg/devtools/emulator/dialogue.js';

const entry = process.env.WECHAT_KF_PKG ?? new URL('../../pkg/loaders/node.js', import.meta.url).href;
const lib = await import(entry);

const source = (name) => readFileSync(new URL(`../../pkg-template/devtools/emulator/${name}`, import.meta.url), 'utf8');

test('the emulator uses neither the package\'s SendWindow nor its chatbot code', () => {
  for (const name of ['window.js', 'dialogue.js']) {
    const imports = [...source(name).matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    assert.ok(imports.every((s) => s.startsWith('node:')), `${name} imports only node: builtins (${imports})`);
  }
  const server = source('server.js');
  assert.ok(!/lib\.SendWindow|lib\.chatbot/.test(server), 'server.js keeps no SendWindow / chatbot of the package');
});

test('window model: 2 sends within 1 min after enter, 5 within 48 h after a message, resets, exclusive deadline', () => {
  let now = 1_000_000;
  const w = new EmulatorWindow({ now: () => now });
  assert.equal(w.consume('u'), 45015, 'never opened');
  assert.deepEqual(w.observe('u', 'enter'), { action: 'enter', remaining: 2, deadline: now + 60_000 });
  assert.deepEqual([w.consume('u'), w.consume('u'), w.consume('u')], [0, 0, 45047]);
  w.observe('u', 'enter'); // resets to 2, never adds up
  now += 59_999;
  assert.deepEqual([w.consume('u'), w.consume('u'), w.consume('u')], [0, 0, 45047]);
  w.observe('u', 'enter');
  now += 60_000;
  assert.equal(w.consume('u'), 45015, 'at the deadline the window is over');
  w.observe('v', 'message');
  now += 48 * 3600_000 - 1;
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => w.consume('v')), [0, 0, 0, 0, 0, 45047]);
  w.observe('v', 'message');
  now += 48 * 3600_000;
  assert.equal(w.consume('v'), 45015);
  const custom = new EmulatorWindow({ rules: { enter: { limit: 1 } }, now: () => now });
  custom.observe('x', 'enter');
  assert.deepEqual([custom.consume('x'), custom.consume('x')], [0, 45047]);
  assert.throws(() => w.observe('u', 'follow'));
});

test('dialogue platform: the package\'s payloads open to the same fields; bad ones get 1004 / 1005 / 1008', () => {
  const bot = { token: 'botToken01', encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', appId: 'wxbot000000000001' };
  const b = new lib.chatbot.Bot(bot);
  const payload = { appId: 'wx123', openid: 'o1', msg: 'a <b> & ]]> c 中文 😀', channel: 0, event: 'waiterEnter', kefuname: '小红', kefuavatar: 'https://a/b.png', ansNodeName: 'faq' };
  const body = JSON.stringify({ encrypt: b.encryptPayload(payload) });
  assert.deepEqual(openSendmsg(bot, body, lib.readFields), payload);
  assert.deepEqual(openSendmsg(bot, body, lib.readFields), b.openSendmsg(body), 'the same as the package reads it');
  const code = (text, who = bot) => { try { openSendmsg(who, text, lib.readFields); return 0; } catch (e) { return e.errcode; } };
  assert.equal(code('not json'), 1004);
  assert.equal(code('{"encrypt":""}'), 1004);
  assert.equal(code('{"encrypt":5}'), 1004);
  assert.equal(code(body, { ...bot, appId: 'wxbot000000000002' }), 1005, 'another bot\'s appId');
  assert.equal(code(body, { ...bot, appId: 'wxbot00000000000' }), 1005, 'a prefix of the appId');
  assert.equal(code(body, { ...bot, encodingAESKey: 'A'.repeat(43) }), 1005, 'another key');
  assert.equal(code(JSON.stringify({ encrypt: '@@@@' })), 1005);
  const crypt = new lib.WXBizMsgCrypt(bot);
  assert.equal(code(JSON.stringify({ encrypt: crypt.encrypt('plain text, not XML') })), 1005);
  assert.equal(code(JSON.stringify({ encrypt: crypt.encrypt('<xml><openid><![CDATA[o]]></openid><channel>7</channel></xml>') })), 1008);
  assert.equal(code(JSON.stringify({ encrypt: crypt.encrypt('<xml><openid>o</openid><msg>m</msg><channel>1</channel></xml>') })), 1008);
  assert.equal(code(JSON.stringify({ encrypt: crypt.encrypt('<xml><openid>o</openid><msg>m</msg><channel>0</channel></xml>') })), 1008, 'channel 0 needs appid');
  assert.equal(code(JSON.stringify({ encrypt: crypt.encrypt('<xml><openid>o</openid><msg>m</msg><channel>7</channel></xml>') })), 0);
  assert.equal(code(JSON.stringify({ encrypt: crypt.encrypt('<xml><openid>o</openid><msg>m</msg><channel>x</channel></xml>') })), 1008);
});

test('dialogue platform: its own unpadding and framing agree with the package on good and bad pads', () => {
  const k = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
  const key = Buffer.from(`${k}=`, 'base64');
  /** random(16) | len(4) | msg | appId, then `tail` as the pad bytes (the total a multiple of 16). */
  const frame = (msg, appId, tail) => {
    const m = Buffer.from(msg);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(m.length);
    const data = Buffer.concat([Buffer.alloc(16, 7), len, m, Buffer.from(appId), Buffer.from(tail)]);
    assert.equal(data.length % 16, 0);
    const c = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
    return Buffer.concat([c.update(data), c.final()]).toString('base64');
  };
  const crypt = new lib.WXBizMsgCrypt({ token: 't', encodingAESKey: k, appId: 'wxapp' });
  // 16 + 4 + 5 + 5 = 30 bytes: a good pad is 2 bytes of 2 (to 32).
  const good = frame('hello', 'wxapp', [2, 2]);
  assert.equal(openCiphertext(k, 'wxapp', good), 'hello');
  assert.equal(crypt.decrypt(good).plaintext, 'hello');
  for (const [what, tail] of [
    ['pad byte 0', [0, 0]],
    ['pad bytes that disagree', [3, 2]],
    ['a pad of 33 (more than one 32-byte block)', [...Array(18).fill(33)]],
  ]) {
    const bad = frame('hello', 'wxapp', tail);
    assert.equal(openCiphertext(k, 'wxapp', bad), null, what);
    assert.throws(() => crypt.decrypt(bad), (e) => e.code === -40007, what);
  }
  assert.deepEqual(readFlatXml(lib.readFields, '<xml><a><![CDATA[x]]]]><![CDATA[>y]]></a><b>&lt;&amp;</b></xml>'), { a: 'x]]>y', b: '<&' });
  assert.equal(readFlatXml(lib.readFields, '<xml><a><b>1</b></a></xml>'), null, 'nested: not flat text fields');
  assert.equal(readFlatXml(lib.readFields, '{"a":"1"}'), null, 'JSON is not the XML payload');
  assert.equal(readFlatXml(lib.readFields, '<xml><a>1</xml>'), null, 'malformed');
});
