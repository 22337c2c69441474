// A text message of the platform's six fields crosses from the core as its values only and is
// built by an object literal (inbound/push-json.js textPush; src/push/compact.rs); any other push
// as JSON. Both must give the same object: the same members, values and order, whatever the
// content (short, long enough to cross apart, escapes, Chinese, emoji). Uses the built package
// (pkg/loaders/node.js; WECHAT_KF_PKG overrides).
import { test } from 'node:test';
import assert from 'node:assert/strict';

const entry = process.env.WECHAT_KF_PKG ?? new URL('../../pkg/loaders/node.js', import.meta.url).href;
const { Receiver, WXBizMsgCrypt } = await import(entry);

const options = { token: 't0ken', encodingAESKey: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR', appId: 'wx49f0ab532d5d035a' };
const timestamp = '1700000000';
const crypt = new WXBizMsgCrypt(options);
const receiver = new Receiver({ ...options, now: () => Number(timestamp) * 1000 });

const cdata = (text) => `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

function receive(xml) {
  const body = crypt.encryptMessage(xml, { timestamp, nonce: '42' });
  const encrypt = /<Encrypt><!\[CDATA\[(.*?)\]\]><\/Encrypt>/.exec(body)[1];
  const query = { timestamp, nonce: '42', encrypt_type: 'aes', msg_signature: crypt.msgSignature(timestamp, '42', encrypt) };
  return receiver.receive({ query, body });
}

// The members in the order of the core's full JSON (src/push/compact.rs checks the same list).
function expected(content, extra) {
  const message = {
    msgType: 'text',
    toUserName: 'gh_1',
    fromUserName: 'o_user"1',
    createTime: 1700000000,
    msgId: '6054768590064713728',
    known: true,
    content,
    ...(extra === undefined ? {} : { extra }),
    raw: {
      ToUserName: 'gh_1',
      FromUserName: 'o_user"1',
      CreateTime: '1700000000',
      MsgType: 'text',
      Content: content,
      MsgId: '6054768590064713728',
      ...(extra === undefined ? {} : { Extra: extra }),
    },
  };
  return { mode: 'compatible', format: 'xml', dedupKey: 'msg:gh_1:6054768590064713728', known: true, message };
}

const xml = (content, extra) => `<xml><ToUserName>${cdata('gh_1')}</ToUserName><FromUserName>${cdata('o_user"1')}</FromUserName>`
  + `<CreateTime>1700000000</CreateTime><MsgType>${cdata('text')}</MsgType><Content>${cdata(content)}</Content>`
  + `<MsgId>6054768590064713728</MsgId>${extra === undefined ? '' : `<Extra>${cdata(extra)}</Extra>`}</xml>`;

const contents = [
  '',
  'hi',
  'a "quoted" \\ back\nslash\t]]> 客服消息 😀',
  '客服消息 hello 123 '.repeat(40),
  // Around the core's 4 KB limit of the compact form, and beyond (content crosses apart).
  'x'.repeat(3900),
  '客'.repeat(1400),
  'y'.repeat(5000),
  '客服消息 😀 '.repeat(2000),
];

test('a text push of the six fields gives the object of its JSON, members in order', () => {
  for (const content of contents) {
    const push = receive(xml(content));
    assert.equal(JSON.stringify(push), JSON.stringify(expected(content)), `content of ${content.length}`);
    assert.deepEqual(Object.keys(push.message.raw), Object.keys(expected(content).message.raw));
    assert.equal(typeof push.transferReply, 'function');
  }
});

test('a JSON text push with string fields and a NUL in its content takes the same shape', () => {
  for (const content of ['', 'a\u0000b "q" \\ 客服 😀', '\u0000'.repeat(3)]) {
    const json = JSON.stringify({
      ToUserName: 'gh_1', FromUserName: 'o_user"1', CreateTime: '1700000000', MsgType: 'text', Content: content, MsgId: '6054768590064713728',
    });
    assert.equal(JSON.stringify(receive(json)), JSON.stringify(expected(content)));
  }
});

test('a text push with another field is read in full, in the same order', () => {
  for (const content of contents.slice(0, 4)) {
    const push = receive(xml(content, 'more'));
    assert.equal(JSON.stringify(push), JSON.stringify(expected(content, 'more')));
  }
});

test('the values of one push are its own: a second push does not change the first', () => {
  const first = receive(xml('one'));
  const second = receive(xml('two'));
  assert.equal(first.message.content, 'one');
  assert.equal(first.message.raw.Content, 'one');
  assert.equal(second.message.content, 'two');
  first.message.raw.Content = 'changed';
  assert.equal(second.message.raw.Content, 'two');
});
