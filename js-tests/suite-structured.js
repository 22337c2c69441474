// Runtime-agnostic assertions on structured pushes (issue 10): nested and repeated fields in
// `raw`, lowerCamelCase copies for every field, typed subscribe-message events in XML and JSON,
// in plaintext, compatible and safe mode; prototype names refused; the honest `known` arm;
// hostile structures answered with their codes in bounded time. Standard JS only.
import { makeChecker } from './check.js';
import { FIXTURES, FIXTURE_TIME } from './push-fixtures.js';

const TOKEN = 'structured-token-secret';
const KEY = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const APP = 'wx49f0ab532d5d035a';
const NONCE = '1590219412';

/** JSON text of a value with object keys in their own order (order is part of the contract). */
const text = (v) => JSON.stringify(v);

/** The message kinds this version types: what the exhaustive switch below handles. */
function exhaustive(m) {
  if (!m.known) return `unknown:${m.msgType}`;
  switch (m.msgType) {
    case 'text': return m.content;
    case 'image': return m.picUrl;
    case 'miniprogrampage': return m.pagePath;
    case 'event':
      switch (m.event) {
        case 'user_enter_tempsession': return m.sessionFrom;
        case 'kf_create_session':
        case 'kf_close_session': return m.kfAccount;
        case 'kf_switch_session': return m.toKfAccount;
        case 'subscribe_msg_popup_event':
        case 'subscribe_msg_change_event':
        case 'subscribe_msg_sent_event': return m.list.map((e) => e.templateId).join();
        default: throw new Error(`the never branch was reached by event ${m.event}`);
      }
    default: throw new Error(`the never branch was reached by msgType ${m.msgType}`);
  }
}

/** Every object reachable from `value` (itself included). */
function objects(value, out = []) {
  if (value && typeof value === 'object') {
    out.push(value);
    for (const v of Object.values(value)) objects(v, out);
  }
  return out;
}

export async function runStructuredSuite(lib) {
  const { Receiver, WXBizMsgCrypt, signature, WxkfError } = lib;
  const c = makeChecker();
  const crypt = new WXBizMsgCrypt({ token: TOKEN, encodingAESKey: KEY, appId: APP });
  const receiver = new Receiver({ token: TOKEN, encodingAESKey: KEY, appId: APP, now: () => FIXTURE_TIME * 1000, allowPlaintext: true });

  // Room for the encrypted form of the largest hostile bodies (base64 grows them by a third):
  // the structures, not the body limit, must refuse them.
  const roomy = new Receiver({ token: TOKEN, encodingAESKey: KEY, appId: APP, now: () => FIXTURE_TIME * 1000, maxBodyBytes: 4 << 20, allowPlaintext: true });

  function request(plain, format, mode) {
    const ts = String(FIXTURE_TIME);
    const query = { signature: signature(TOKEN, ts, NONCE), timestamp: ts, nonce: NONCE };
    if (mode === 'plaintext') return { query, body: plain };
    const encrypt = crypt.encrypt(plain);
    query.encrypt_type = 'aes';
    query.msg_signature = crypt.msgSignature(ts, NONCE, encrypt);
    let body;
    if (format === 'xml') {
      body = mode === 'compatible'
        ? plain.replace(/<\/xml>\s*$/, `<Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`)
        : `<xml><ToUserName><![CDATA[gh_123456789abc]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
    } else {
      body = mode === 'compatible'
        ? plain.replace(/\}\s*$/, `,"Encrypt":${JSON.stringify(encrypt)}}`)
        : JSON.stringify({ ToUserName: 'gh_123456789abc', Encrypt: encrypt });
    }
    return { query, body, contentType: format === 'xml' ? 'text/xml' : 'application/json' };
  }

  // Every fixture, in every mode: typed fields, raw (whole, in order), camelCase copies,
  // dedup key, and copies that cannot reach a prototype.
  for (const mode of ['plaintext', 'compatible', 'safe']) {
    for (const [name, format, plain, want] of FIXTURES) {
      c.check(`structured ${mode} ${format}: ${name}`, () => {
        const push = receiver.receive(request(plain, format, mode));
        const m = push.message;
        c.assertEq(push.mode, mode);
        c.assertEq(push.format, format);
        c.assertEq(push.known, want.known);
        c.assertEq(m.known, want.known);
        c.assertEq(m.createTime, FIXTURE_TIME);
        c.assertEq(m.toUserName, 'gh_123456789abc');
        c.assertEq(m.fromUserName, 'otFpruAK8D-E6EfStSYonYSBZ8_4');
        for (const [k, v] of Object.entries(want.typed)) c.assertEq(text(m[k]), text(v));
        c.assertEq(text(m.raw), text(want.raw));
        for (const [k, v] of Object.entries(want.camel)) c.assertEq(text(m[k]), text(v));
        if (want.event) {
          c.assertEq(m.event, want.event);
          c.assertEq(push.dedupKey, `event:gh_123456789abc:otFpruAK8D-E6EfStSYonYSBZ8_4:${FIXTURE_TIME}:${want.event}`);
        } else {
          c.assertEq(m.msgId, want.msgId);
          c.assertEq(push.dedupKey, `msg:gh_123456789abc:${want.msgId}`);
        }
        // The honest arm: the exhaustive switch never reaches its `never` branch.
        exhaustive(m);
        for (const o of objects(m)) {
          c.assertEq(Object.getPrototypeOf(Object.assign({}, o)), Object.prototype);
          c.assertEq(Object.getPrototypeOf({ ...o }), Object.prototype);
        }
      });
    }
  }

  // Field names of Object.prototype's members (and prototype), as sent, are refused at any
  // depth, in both formats and encrypted too; nothing is polluted and the instance keeps
  // working. (Names whose camelCase form is one, such as Constructor, stay in raw only:
  // suite-inbound.js.)
  const head = '<ToUserName>gh_123456789abc</ToUserName><FromUserName>o</FromUserName><CreateTime>' + FIXTURE_TIME + '</CreateTime><MsgType>text</MsgType>';
  const jsonHead = `"ToUserName":"gh_123456789abc","FromUserName":"o","CreateTime":${FIXTURE_TIME},"MsgType":"text"`;
  const proto = [
    ['xml', `<xml>${head}<__proto__><polluted>yes</polluted></__proto__></xml>`],
    ['xml', `<xml>${head}<A><B><constructor><prototype><polluted>yes</polluted></prototype></constructor></B></A></xml>`],
    ['xml', `<xml>${head}<toString>1</toString></xml>`],
    ['json', `{${jsonHead},"__proto__":{"polluted":"yes"}}`],
    ['json', `{${jsonHead},"\\u005f_proto__":{"polluted":"yes"}}`],
    ['json', `{${jsonHead},"List":[{"constructor":{"prototype":{"polluted":"yes"}}}]}`],
    ['json', `{${jsonHead},"hasOwnProperty":1}`],
  ];
  for (const mode of ['plaintext', 'safe']) {
    proto.forEach(([format, body], i) => {
      c.check(`prototype name refused (${mode} ${format} #${i})`, () => {
        let error;
        try { receiver.receive(request(body, format, mode)); } catch (e) { error = e; }
        c.assertTrue(error instanceof WxkfError, `a WxkfError, got ${error}`);
        c.assertEq(error.code, format === 'xml' ? -40002 : -40012);
        c.assertEq({}.polluted, undefined);
        c.assertEq(Object.prototype.polluted, undefined);
        c.assertEq(receiver.receive(request(FIXTURES[0][2], 'xml', 'safe')).message.list.length, 2);
      });
    });
  }

  // Hostile structures: each its code, within a generous time, the instance alive afterwards.
  const wrap = (inner) => `<xml>${head}<Content>x</Content><MsgId>1</MsgId>${inner}</xml>`;
  let attributes = '';
  for (let i = 0; i < 80_000; i++) attributes += ` a${i}=""`;
  const hostile = [
    ['deep nesting (33 levels)', wrap('<a>'.repeat(32) + '1' + '</a>'.repeat(32)), -40002],
    ['deep nesting (100,000 levels)', wrap('<a>'.repeat(100_000)), -40002],
    ['100,000 siblings', wrap('<a/>'.repeat(100_000)), -40002],
    ['100,000 nested siblings', wrap(`<A>${'<b>1</b>'.repeat(100_000)}</A>`), -40002],
    ['80,000 attributes', wrap(`<A${attributes}>1</A>`), -40002],
    ['billion laughs', '<!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' + wrap('<A>&b;</A>'), -40002],
    ['undeclared entity in a nested field', wrap('<A><B>&xxe;</B></A>'), -40002],
    ['character reference beyond Unicode', wrap('<A><B>&#x110000;</B></A>'), -40002],
    ['character reference to NUL', wrap('<A>&#0;</A>'), -40002],
    [']]> closing CDATA early in a nested field', wrap('<A><B><![CDATA[x]]>y]]></B></A>'), -40002],
    ['text beside nested fields', wrap('<A><B>1</B>stray</A>'), -40002],
  ];
  const alive = (r) => c.assertEq(r.receive(request(FIXTURES[0][2], 'xml', 'safe')).message.list[1].subscribeStatusString, 'reject');
  for (const [name, body, code] of hostile) {
    for (const mode of ['plaintext', 'safe']) {
      c.check(`hostile structure (${mode}): ${name}`, () => {
        const started = Date.now();
        let error;
        try { roomy.receive(request(body, 'xml', mode)); } catch (e) { error = e; }
        c.assertTrue(error instanceof WxkfError, `a WxkfError, got ${error}`);
        c.assertEq(error.code, code);
        c.assertTrue(Date.now() - started < 20_000, 'answered in bounded time');
        alive(roomy);
        alive(receiver);
      });
    }
  }
  c.check('entities that look like markup stay text; ]]> split across CDATA in nested fields', () => {
    const push = receiver.receive(request(wrap('<A><B>&amp;lt;&#60;C&#62;</B><B><![CDATA[x]]]]><![CDATA[>y]]></B></A>'), 'xml', 'safe'));
    c.assertEq(text(push.message.raw.A), text({ B: ['&lt;<C>', 'x]]>y'] }));
    c.assertEq(text(push.message.a), text({ b: ['&lt;<C>', 'x]]>y'] }));
    c.assertEq(push.message.content, 'x');
  });

  // Issue 25, every field on the message: a push's Event whatever its MsgType (wechatpy's
  // device_event with Event bind; text pushes with an Event in SDK fixtures), MsgID as a
  // message's id (an event's MsgID names the message it reports on), a typed user message's
  // msgId always a string; in both formats and every mode.
  const who = `<ToUserName>gh_123456789abc</ToUserName><FromUserName>otFpruAK8D-E6EfStSYonYSBZ8_4</FromUserName><CreateTime>${FIXTURE_TIME}</CreateTime>`;
  const whoJson = `"ToUserName":"gh_123456789abc","FromUserName":"otFpruAK8D-E6EfStSYonYSBZ8_4","CreateTime":${FIXTURE_TIME}`;
  const shapes = [
    ['device_event with Event bind and MsgID',
      `<MsgType>device_event</MsgType><Event>bind</Event><DeviceType>gh_1</DeviceType><DeviceID>dev1</DeviceID><MsgID>1234567890123456789</MsgID>`,
      `"MsgType":"device_event","Event":"bind","DeviceType":"gh_1","DeviceID":"dev1","MsgID":"1234567890123456789"`,
      { known: false, event: 'bind', msgId: '1234567890123456789', key: 'msg:gh_123456789abc:1234567890123456789', copies: { deviceID: 'dev1', msgID: '1234567890123456789' } }],
    ['text with an Event',
      `<MsgType>text</MsgType><Content>hi</Content><MsgId>42</MsgId><Event>user_enter_tempsession</Event>`,
      `"MsgType":"text","Content":"hi","MsgId":"42","Event":"user_enter_tempsession"`,
      { known: true, event: 'user_enter_tempsession', msgId: '42', key: 'msg:gh_123456789abc:42', typed: { content: 'hi' } }],
    ['text spelling its id MsgID',
      `<MsgType>text</MsgType><Content>hi</Content><MsgID>23456789012345678901</MsgID>`,
      `"MsgType":"text","Content":"hi","MsgID":"23456789012345678901"`,
      { known: true, event: undefined, msgId: '23456789012345678901', key: 'msg:gh_123456789abc:23456789012345678901', copies: { msgID: '23456789012345678901' } }],
    ['image without an id',
      `<MsgType>image</MsgType><PicUrl>p</PicUrl><MediaId>m</MediaId>`,
      `"MsgType":"image","PicUrl":"p","MediaId":"m"`,
      { known: true, event: undefined, msgId: '', key: `event:gh_123456789abc:otFpruAK8D-E6EfStSYonYSBZ8_4:${FIXTURE_TIME}:image`, typed: { mediaId: 'm' } }],
    ['event with a MsgID (a template message sent)',
      `<MsgType>event</MsgType><Event>TEMPLATESENDJOBFINISH</Event><MsgID>200163836</MsgID><Status>success</Status>`,
      `"MsgType":"event","Event":"TEMPLATESENDJOBFINISH","MsgID":"200163836","Status":"success"`,
      { known: false, event: 'TEMPLATESENDJOBFINISH', msgId: undefined, key: `event:gh_123456789abc:otFpruAK8D-E6EfStSYonYSBZ8_4:${FIXTURE_TIME}:TEMPLATESENDJOBFINISH`, copies: { msgID: '200163836', status: 'success' } }],
    ['user_enter_tempsession with more fields',
      `<MsgType>event</MsgType><Event>user_enter_tempsession</Event><SessionFrom>s</SessionFrom><Extra_Note>n</Extra_Note>`,
      `"MsgType":"event","Event":"user_enter_tempsession","SessionFrom":"s","Extra_Note":"n"`,
      { known: true, event: 'user_enter_tempsession', msgId: undefined, key: `event:gh_123456789abc:otFpruAK8D-E6EfStSYonYSBZ8_4:${FIXTURE_TIME}:user_enter_tempsession`, typed: { sessionFrom: 's' }, copies: { extraNote: 'n' } }],
  ];
  for (const mode of ['plaintext', 'safe']) {
    for (const [name, xmlFields, jsonFields, want] of shapes) {
      for (const format of ['xml', 'json']) {
        c.check(`every field on the message (${mode} ${format}): ${name}`, () => {
          const plain = format === 'xml' ? `<xml>${who}${xmlFields}</xml>` : `{${whoJson},${jsonFields}}`;
          const push = receiver.receive(request(plain, format, mode));
          const m = push.message;
          c.assertEq(m.known, want.known);
          c.assertEq(m.event, want.event);
          c.assertEq('event' in m, want.event !== undefined);
          c.assertEq(m.msgId, want.msgId);
          c.assertEq(push.dedupKey, want.key);
          for (const [k, v] of Object.entries(want.typed ?? {})) c.assertEq(m[k], v);
          for (const [k, v] of Object.entries(want.copies ?? {})) c.assertEq(m[k], v);
          // Every field of the push is in raw by its name, and on the message by its camelCase name.
          for (const [k, v] of Object.entries(m.raw)) {
            const camel = k.replace(/[_-]+(.)/g, (_, ch) => ch.toUpperCase()).replace(/^[A-Z]+(?=[A-Z][a-z])|^[A-Z]+/, (run) => run.toLowerCase());
            c.assertTrue(camel in m, `${k} is on the message as ${camel}`);
            if (!['msgId', 'event', 'createTime', 'known', 'raw'].includes(camel) && typeof v === 'string' && !(want.typed && camel in want.typed)) c.assertEq(m[camel], v);
          }
          exhaustive(m);
        });
      }
    }
  }

  return c.result();
}
