// Receiver.free() releases the wasm instance and the reply crypt the outbound module made for
// encrypted replies, and forgets the keys: a push received before free() cannot make a new
// reply crypt afterwards (which nothing would free). Uses the built package (pkg/loaders/node.js;
// WECHAT_KF_PKG overrides).
import { test } from 'node:test';
import assert from 'node:assert/strict';

const entry = process.env.WECHAT_KF_PKG ?? new URL('../../pkg/loaders/node.js', import.meta.url).href;
const { Receiver, WXBizMsgCrypt } = await import(entry);

const options = { token: 't0ken', encodingAESKey: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR', appId: 'wx49f0ab532d5d035a' };
const timestamp = '1700000000';
const xml = '<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o_user]]></FromUserName>'
  + '<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]></Content>'
  + '<MsgId>1</MsgId></xml>';

function encryptedPush() {
  const crypt = new WXBizMsgCrypt(options);
  const body = crypt.encryptMessage(xml, { timestamp, nonce: '42' });
  const encrypt = /<Encrypt><!\[CDATA\[(.*?)\]\]><\/Encrypt>/.exec(body)[1];
  const query = { timestamp, nonce: '42', encrypt_type: 'aes', msg_signature: crypt.msgSignature(timestamp, '42', encrypt) };
  crypt.free();
  return { query, body };
}

const newReceiver = () => new Receiver({ ...options, now: () => Number(timestamp) * 1000 });
const replyText = (body) => new WXBizMsgCrypt(options).decryptMessage({
  timestamp: /<TimeStamp>(\d+)<\/TimeStamp>/.exec(body)[1],
  nonce: /<Nonce><!\[CDATA\[(.*?)\]\]><\/Nonce>/.exec(body)[1],
  msgSignature: /<MsgSignature><!\[CDATA\[(.*?)\]\]><\/MsgSignature>/.exec(body)[1],
  body,
});

test('an encrypted transfer reply works before free() and is refused after it', () => {
  const receiver = newReceiver();
  const push = receiver.receive(encryptedPush());
  assert.match(replyText(push.transferReply().body), /transfer_customer_service/);
  receiver.free();
  assert.throws(() => push.transferReply(), /freed/);
});

test('a push received and freed before its first reply makes no reply crypt', () => {
  const receiver = newReceiver();
  const push = receiver.receive(encryptedPush());
  receiver.free();
  assert.throws(() => push.transferReply(), /freed/);
  // The receiver itself is unusable after free(), as any freed wasm object is.
  assert.throws(() => receiver.receive(encryptedPush()));
});
