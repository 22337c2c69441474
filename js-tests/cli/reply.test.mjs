// The CLI's reply reader goes through the core: a `]]>` split across CDATA sections and
// escaped text read exactly, plain and encrypted (issue 11, item 1).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { installScratch } from './helpers.mjs';

let scratch;
let reply;
before(async () => {
  scratch = await installScratch();
  reply = await import(join(scratch.dir, 'node_modules', 'wechat-kf', 'cli', 'reply.js'));
});
after(() => scratch?.remove());

const KEYS = { token: 'tok', encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', appId: 'wx1234567890abcdef' };

test('flatFields reads x]]>y split across CDATA sections and &amp; exactly', () => {
  const { lib } = scratch;
  const body = '<xml><Content><![CDATA[x]]]]><![CDATA[>y]]></Content><Note>a &amp; b</Note><MsgId>9223372036854775807</MsgId></xml>';
  assert.deepEqual(reply.flatFields(lib, body), { format: 'xml', fields: { Content: 'x]]>y', Note: 'a & b', MsgId: '9223372036854775807' } });
  assert.equal(reply.envelopeField(lib, body, 'Content'), 'x]]>y');
  assert.equal(reply.flatFields(lib, 'not a body'), undefined);
});

test('judgeAnswer reads the To/From of a reply whose names hold ]]> and &amp;', () => {
  const { lib } = scratch;
  const push = { encrypted: false, format: 'xml', fields: { MsgType: 'text', FromUserName: 'o]]>u&1', ToUserName: 'gh_&_a' } };
  const body = lib.writeFields({ ToUserName: 'o]]>u&1', FromUserName: 'gh_&_a', CreateTime: 1, MsgType: 'transfer_customer_service' });
  assert.match(body, /\]\]\]\]><!\[CDATA\[>/);
  assert.match(reply.judgeAnswer(lib, body, push, {}), /transfer_customer_service \(plaintext reply\)/);
  const escaped = '<xml><ToUserName>o]]&gt;u&amp;1</ToUserName><FromUserName>gh_&amp;_a</FromUserName><MsgType>transfer_customer_service</MsgType></xml>';
  assert.match(reply.judgeAnswer(lib, escaped, push, {}), /transfer_customer_service/);
});

test('judgeAnswer checks an encrypted reply through the core: good, wrong signature, wrong appId', () => {
  const { lib } = scratch;
  const push = { encrypted: true, format: 'xml', fields: { MsgType: 'text', FromUserName: 'o]]>u', ToUserName: 'gh_a' } };
  const plaintext = lib.writeFields({ ToUserName: 'o]]>u', FromUserName: 'gh_a', CreateTime: 1, MsgType: 'transfer_customer_service' });
  const crypt = new lib.WXBizMsgCrypt(KEYS);
  const body = crypt.encryptMessage(plaintext, { timestamp: '1700000000', nonce: '42' });
  crypt.free();
  assert.match(reply.judgeAnswer(lib, body, push, KEYS), /encrypted reply, signature and appId checked/);
  assert.throws(() => reply.judgeAnswer(lib, body, push, { ...KEYS, token: 'other' }), /MsgSignature is wrong/);
  assert.throws(() => reply.judgeAnswer(lib, body, push, { ...KEYS, appId: 'wxother' }), /does not decrypt for appId wxother/);
});
