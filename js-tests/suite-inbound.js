// Runtime-agnostic assertions on the inbound API: Receiver (every mode × format × type, from
// the vectors and from the package's own encryption), replay window, hostile bodies, replies,
// dedup claims through a Store and the Web handler in process. Standard JS only (Request/Response,
// TextEncoder, URLSearchParams, setTimeout).
import { makeChecker } from './check.js';

const TOKEN = 'inbound-token-secret';
const KEY = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const APP = 'wx49f0ab532d5d035a';
const NOW = 1715943329;
const NONCE = '1590219412';
const BIG_ID = '23456789012345678901';

const header = (msgType) => [
  ['ToUserName', 'gh_97417a04a28d'],
  ['FromUserName', 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY'],
  ['CreateTime', NOW, 'num'],
  ['MsgType', msgType],
];
const ev = (name, more) => [...header('event'), ['Event', name], ...more];

/** [name, fields, expected typed properties] */
const SAMPLES = [
  ['text', [...header('text'), ['Content', ' 你好 <b>&amp; ]]> "q"\n'], ['MsgId', BIG_ID, 'num']],
    { content: ' 你好 <b>&amp; ]]> "q"\n', msgId: BIG_ID }],
  ['image', [...header('image'), ['PicUrl', 'http://x/?a=1&b=2'], ['MediaId', 'm1'], ['MsgId', '9223372036854775807', 'num']],
    { picUrl: 'http://x/?a=1&b=2', mediaId: 'm1', msgId: '9223372036854775807' }],
  ['miniprogrampage', [...header('miniprogrampage'), ['MsgId', '6054768590064713728', 'num'], ['Title', 'T'], ['AppId', 'wxa'],
    ['PagePath', 'pages/i?x=1'], ['ThumbUrl', 'http://t'], ['ThumbMediaId', 'tm']],
    { title: 'T', appId: 'wxa', pagePath: 'pages/i?x=1', thumbUrl: 'http://t', thumbMediaId: 'tm', msgId: '6054768590064713728' }],
  ['user_enter_tempsession', ev('user_enter_tempsession', [['SessionFrom', 'weapp']]), { event: 'user_enter_tempsession', sessionFrom: 'weapp' }],
  ['kf_create_session', ev('kf_create_session', [['KfAccount', 'k@t']]), { event: 'kf_create_session', kfAccount: 'k@t' }],
  ['kf_close_session', ev('kf_close_session', [['KfAccount', 'k@t'], ['CloseType', '1']]), { kfAccount: 'k@t', closeType: '1' }],
  ['kf_switch_session', ev('kf_switch_session', [['FromKfAccount', 'a@t'], ['ToKfAccount', 'b@t']]), { fromKfAccount: 'a@t', toKfAccount: 'b@t' }],
  ['business', [...header('text'), ['Content', 'hi'], ['MsgId', '1234567890123456', 'num'], ['BusinessId', 1, 'num']],
    { businessId: 1, content: 'hi' }],
  ['unknown type', [...header('voice'), ['MediaId', 'v'], ['Format', 'amr'], ['MsgId', '77', 'num']], { msgId: '77' }],
  ['unknown event', ev('debug_demo', [['debug_str', 'hello world']]), { event: 'debug_demo' }],
];

const cdata = (s) => `<![CDATA[${String(s).split(']]>').join(']]]]><![CDATA[>')}]]>`;
const toXml = (fields) => '<xml>\n' + fields.map(([n, v, num]) => `<${n}>${num ? v : cdata(v)}</${n}>`).join('\n') + '\n</xml>';
const toJson = (fields) => '{' + fields.map(([n, v, num]) => `${JSON.stringify(n)}:${num ? v : JSON.stringify(v)}`).join(',') + '}';
const render = (fields, format) => (format === 'xml' ? toXml(fields) : toJson(fields));

export async function runInboundSuite(lib, { vectors, log = () => {} }) {
  const { Receiver, WXBizMsgCrypt, signature, WxkfError, MemoryStore, createHandler } = lib;
  const c = makeChecker(log);
  const crypt = new WXBizMsgCrypt({ token: TOKEN, encodingAESKey: KEY, appId: APP });
  const nowMs = () => NOW * 1000;
  // Plaintext opted in, so that every mode runs through one receiver (the default refusal is
  // checked below, in "plaintext mode rules").
  const receiver = new Receiver({ token: TOKEN, encodingAESKey: KEY, appId: APP, now: nowMs, allowPlaintext: true });
  const sig = signature(TOKEN, String(NOW), NONCE);

  function request(fields, format, mode, { ts = NOW } = {}) {
    const plain = render(fields, format);
    const query = { signature: signature(TOKEN, String(ts), NONCE), timestamp: String(ts), nonce: NONCE, openid: 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY' };
    if (mode === 'plaintext') return { query, body: plain };
    const encrypt = crypt.encrypt(plain);
    query.encrypt_type = 'aes';
    query.msg_signature = crypt.msgSignature(String(ts), NONCE, encrypt);
    const envelope = mode === 'compatible' ? [...fields, ['Encrypt', encrypt]] : [['ToUserName', 'gh_97417a04a28d'], ['Encrypt', encrypt]];
    return { query, body: render(envelope, format) };
  }

  // Every mode × format × type, query and body in both shapes.
  let i = 0;
  for (const mode of ['plaintext', 'compatible', 'safe']) {
    for (const format of ['xml', 'json']) {
      for (const [name, fields, typed] of SAMPLES) {
        c.check(`receive ${mode} ${format} ${name}`, () => {
          const req = request(fields, format, mode);
          const asParams = i++ % 2 === 0;
          const push = receiver.receive({
            query: asParams ? new URLSearchParams(req.query) : req.query,
            body: asParams ? new TextEncoder().encode(req.body) : req.body,
            contentType: format === 'xml' ? 'text/xml' : 'application/json',
          });
          c.assertEq(push.mode, mode);
          c.assertEq(push.format, format);
          const m = push.message;
          c.assertEq(m.msgType, fields[3][1]);
          c.assertEq(m.toUserName, 'gh_97417a04a28d');
          c.assertEq(m.fromUserName, 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY');
          c.assertEq(m.createTime, NOW);
          for (const [k, v] of Object.entries(typed)) c.assertEq(m[k], v);
          c.assertEq(push.known, !name.startsWith('unknown'));
          for (const [n, v, num] of fields) {
            const raw = m.raw[n];
            c.assertEq(String(raw), String(v));
            if (format === 'xml') c.assertEq(typeof raw, 'string');
            else if (num && String(v).length < 16) c.assertEq(typeof raw, 'number');
          }
          if (m.msgType === 'event') {
            c.assertEq(m.msgId, undefined);
            c.assertEq(push.dedupKey, `event:gh_97417a04a28d:o9AgO5Kd5ggOC-bXrbNODIiE3bGY:${NOW}:${m.event}`);
          } else {
            c.assertEq(typeof m.msgId, 'string');
            c.assertEq(push.dedupKey, `msg:gh_97417a04a28d:${m.msgId}`);
          }
        });
      }
    }
  }

  // A large push (its raw fields more than 1 KB of JSON) crosses without a second copy of its
  // content: `raw` is read on first use. It must look like any other property.
  for (const format of ['xml', 'json']) {
    c.check(`large push ${format}: raw is complete, lasting and an ordinary property`, () => {
      const big = (tag) => `${tag} 客服消息 😀 "q" \\ <b>&amp; ]]>\n`.repeat(200);
      const fields = (tag) => [...header('text'), ['Content', big(tag)], ['MsgId', BIG_ID, 'num'], ['Note', tag]];
      const first = receiver.receive(request(fields('one'), format, 'safe'));
      // A second push before the first one's raw is read.
      const second = receiver.receive(request(fields('two'), format, 'safe'));
      const m = first.message;
      c.assertEq(m.content, big('one'));
      c.assertEq(Object.keys(m).at(-1), 'raw');
      const viaJson = JSON.parse(JSON.stringify(first)).message.raw;
      c.assertEq(viaJson.Content, big('one'));
      c.assertEq(viaJson.Note, 'one');
      c.assertEq({ ...m }.raw.Content, big('one'));
      c.assertEq(m.raw, m.raw);
      c.assertEq(Object.keys(m.raw).join(), 'ToUserName,FromUserName,CreateTime,MsgType,Content,MsgId,Note');
      c.assertEq(String(m.raw.MsgId), BIG_ID);
      c.assertEq(second.message.raw.Content, big('two'));
      c.assertEq(second.message.note, 'two');
      const third = receiver.receive(request(fields('three'), format, 'safe')).message;
      Object.freeze(third);
      c.assertEq(third.raw.Note, 'three');
      c.assertEq(third.raw, third.raw);
      second.message.raw = { replaced: true };
      c.assertEq(second.message.raw.replaced, true);
      c.assertEq(JSON.stringify(second.message).endsWith('"raw":{"replaced":true}}'), true);
    });
  }

  // Every kind of character crosses intact, whichever way the push's JSON crosses (a string
  // when it is ASCII, UTF-16 code units otherwise) and whatever the size: 1- to 4-byte UTF-8
  // (U+0080, U+07FF, U+0800, U+FFFF, surrogate pairs up to U+10FFFF), at the start and the end
  // of the content and of 8-byte runs, in small and large pushes (body bytes and text). U+FFFF
  // is not an XML character (refused: "characters XML 1.0 forbids" below): JSON only.
  const CHARS = ['a', '\u0080', 'ÿ', '\u07ff', '\u0800', '中', '\u2028', '\ufeff', '\ufffd', '\uffff', '😀', '\u{10ffff}'];
  const charsOf = (format) => (format === 'xml' ? CHARS.filter((ch) => ch !== '\uffff') : CHARS);
  for (const format of ['xml', 'json']) {
    c.check(`characters cross intact ${format}`, () => {
      const contents = ['', 'plain ascii only', ...charsOf(format)];
      for (const ch of charsOf(format)) {
        for (const pad of [0, 1, 7, 8, 9]) contents.push('x'.repeat(pad) + ch + 'y'.repeat(8 - (pad % 8)) + ch);
        contents.push(`${ch}${'客服 message 😀 '.repeat(300)}${ch}`);
      }
      contents.push('ascii '.repeat(3000));
      for (const [k, content] of contents.entries()) {
        const req = request([...header('text'), ['Content', content], ['MsgId', '12', 'num'], ['Note', content.slice(0, 40)]], format, 'safe');
        const push = receiver.receive(k % 2 ? req : { ...req, body: new TextEncoder().encode(req.body) });
        c.assertEq(push.message.content, content);
        c.assertEq(push.message.note, content.slice(0, 40));
        c.assertEq(push.message.raw.Content, content);
        c.assertEq(push.dedupKey, 'msg:gh_97417a04a28d:12');
      }
    });
  }

  // The same through the compact form of a text message of exactly the platform's six fields
  // (src/push/compact.rs, inbound/push-json.js textPush): the object of its full JSON, the same
  // members in the same order, whatever the content and its size.
  for (const format of ['xml', 'json']) {
    c.check(`characters cross intact in a six-field text push ${format}`, () => {
      const contents = ['', 'plain ascii only', ...charsOf(format), ...charsOf(format).map((ch) => `${ch}${'客服 message 😀 '.repeat(300)}${ch}`),
        'ascii '.repeat(3000), ...(format === 'json' ? ['\u0000', 'a\u0000b\u0000'] : [])];
      const to = 'gh_97417a04a28d';
      const from = 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY';
      for (const [k, content] of contents.entries()) {
        const fields = [['ToUserName', to], ['FromUserName', from], ['CreateTime', String(NOW)], ['MsgType', 'text'], ['Content', content], ['MsgId', '12']];
        const req = request(fields, format, 'safe');
        const push = receiver.receive(k % 2 ? req : { ...req, body: new TextEncoder().encode(req.body) });
        const raw = { ToUserName: to, FromUserName: from, CreateTime: String(NOW), MsgType: 'text', Content: content, MsgId: '12' };
        const message = { msgType: 'text', toUserName: to, fromUserName: from, createTime: NOW, msgId: '12', known: true, content, raw };
        c.assertEq(JSON.stringify(push), JSON.stringify({ mode: 'safe', format, dedupKey: `msg:${to}:12`, known: true, message }));
      }
    });
  }

  // Long top-level strings cross apart from the push's JSON: several in one push (typed,
  // camel-cased unknown fields, before and after short ones), at and around the length where
  // they start to, with markup and entities in them.
  for (const format of ['xml', 'json']) {
    c.check(`long strings put back in their places ${format}`, () => {
      for (const bytes of [1020, 1023, 1024, 1025, 5000]) {
        // Exactly `bytes` bytes of ASCII around the threshold; markup, entities, Chinese and emoji beyond it.
        const long = (seed) => (bytes < 2000 ? (seed + '_'.repeat(bytes)).slice(0, bytes) : `${seed} <b>&amp; ]]> "q" \\ 客😀\n`.repeat(200));
        const fields = [...header('miniprogrampage'), ['Title', long('t')], ['AppId', 'wxa'], ['PagePath', long('p')],
          ['ThumbUrl', 'u'], ['ThumbMediaId', long('m')], ['MsgId', '7', 'num'], ['Extra_Note', long('e')], ['Tail', 'end']];
        const m = receiver.receive(request(fields, format, 'safe')).message;
        c.assertEq(JSON.stringify([m.title, m.appId, m.pagePath, m.thumbUrl, m.thumbMediaId, m.extraNote, m.tail]),
          JSON.stringify([long('t'), 'wxa', long('p'), 'u', long('m'), long('e'), 'end']));
        c.assertEq(Object.keys(m).join(), 'msgType,toUserName,fromUserName,createTime,msgId,known,title,appId,pagePath,thumbUrl,thumbMediaId,extraNote,tail,raw');
        c.assertEq(JSON.stringify([m.raw.Title, m.raw.Extra_Note, m.raw.Tail]), JSON.stringify([long('t'), long('e'), 'end']));
      }
    });
  }

  // Pushes made from the vectors (real push plaintexts), safe and compatible, XML and JSON.
  const byId = Object.fromEntries(vectors.vectors.map((v) => [v.id, v]));
  for (const [id, check] of [
    ['oa-python-sample-compat', (m) => { c.assertEq(m.content, 'abcdteT'); c.assertEq(m.msgId, '6054768590064713728'); c.assertEq(m.fromUserName, 'oyORnuP8q7ou2gfYjqLzSIWZf0rs'); }],
    ['miniprogram-docs-push', (m) => { c.assertEq(m.event, 'debug_demo'); c.assertEq(m.raw.debug_str, 'hello world'); }],
    ['easywechat-pad21', (m) => { c.assertEq(m.content, 'hello'); c.assertEq(m.msgId, '12345'); c.assertEq(m.raw.URL, 'http://wechat.laravel.so/server'); }],
  ]) {
    const v = byId[id];
    for (const format of ['xml', 'json']) {
      for (const compat of [false, true]) {
        c.check(`vector ${id} ${format} ${compat ? 'compatible' : 'safe'}`, () => {
          // easywechat-pad21's CreateTime is years before its query timestamp: window off for it.
          const window = id === 'easywechat-pad21' ? { maxSkewSeconds: 0 } : {};
          const r = new Receiver({ token: v.token, encodingAESKey: v.encodingAESKey, appId: v.appId, now: () => Number(v.timestamp) * 1000 + 5000, ...window });
          const fields = [['ToUserName', 'gh_x'], ...(compat ? [['MsgType', 'text'], ['Content', 'TAMPERED'], ['FromUserName', 'attacker']] : []), ['Encrypt', v.encrypt]];
          const push = r.receive({ query: { timestamp: v.timestamp, nonce: v.nonce, encrypt_type: 'aes', msg_signature: v.msgSignature }, body: render(fields, format) });
          c.assertEq(push.mode, compat ? 'compatible' : 'safe');
          check(push.message);
          r.free();
        });
      }
    }
  }
  c.check('vector easywechat-pad21: its signed CreateTime is outside the window', () => {
    const v = byId['easywechat-pad21'];
    const r = new Receiver({ token: v.token, encodingAESKey: v.encodingAESKey, appId: v.appId, now: () => Number(v.timestamp) * 1000 + 5000 });
    let error;
    try {
      r.receive({ query: { timestamp: v.timestamp, nonce: v.nonce, encrypt_type: 'aes', msg_signature: v.msgSignature }, body: toXml([['ToUserName', 'gh_x'], ['Encrypt', v.encrypt]]) });
    } catch (e) { error = e; }
    c.assertEq(error?.code, -41001);
    c.assertTrue(/CreateTime/.test(error.message), 'the message names CreateTime');
    r.free();
  });
  c.check('vector plaintext push (signature only), plaintext-mode account without a key', () => {
    const v = byId['oa-python-sample-plain-signature'];
    const r = new Receiver({ token: v.token, now: () => Number(v.timestamp) * 1000 });
    const push = r.receive({ query: { signature: v.signature, timestamp: v.timestamp, nonce: v.nonce }, body: byId['oa-python-sample-compat'].plaintext });
    c.assertEq(push.mode, 'plaintext');
    c.assertEq(push.message.content, 'abcdteT');
  });
  c.check('verifyUrl (vector)', () => {
    const v = byId['miniprogram-docs-url'];
    const r = new Receiver({ token: v.token, encodingAESKey: KEY, appId: APP, now: () => Number(v.timestamp) * 1000 });
    c.assertEq(r.verifyUrl(new URLSearchParams({ signature: v.signature, timestamp: v.timestamp, nonce: v.nonce, echostr: '4375120948345356249' })), '4375120948345356249');
    c.assertEq(r.verifyUrl({ signature: v.signature, timestamp: v.timestamp, nonce: v.nonce, echostr: 'e' }), 'e');
  });

  // Hostile requests: each its code, the instance still working afterwards.
  const good = () => {
    const push = receiver.receive(request(SAMPLES[0][1], 'json', 'safe'));
    c.assertEq(push.message.msgId, BIG_ID);
  };
  const safeXml = request(SAMPLES[0][1], 'xml', 'safe');
  const hostile = [
    ['missing Encrypt (XML)', { ...safeXml, body: '<xml><ToUserName>gh</ToUserName></xml>' }, -40002, 'ParseXml'],
    ['missing Encrypt (JSON)', { ...safeXml, body: '{"ToUserName":"gh"}' }, -40012, 'ParseJson'],
    ['wrong msg_signature', { ...safeXml, query: { ...safeXml.query, msg_signature: '0'.repeat(40) } }, -40001, 'ValidateSignature'],
    ['wrong signature (plaintext)', { query: { signature: 'f'.repeat(40), timestamp: String(NOW), nonce: NONCE }, body: toXml(SAMPLES[0][1]) }, -40001, 'ValidateSignature'],
    ['stale timestamp', request(SAMPLES[0][1], 'xml', 'safe', { ts: NOW - 301 }), -41001, 'TimestampOutOfWindow'],
    ['future timestamp', request(SAMPLES[0][1], 'json', 'plaintext', { ts: NOW + 301 }), -41001, 'TimestampOutOfWindow'],
    ['oversized body', { query: { signature: sig, timestamp: String(NOW), nonce: NONCE }, body: '<xml>' + ' '.repeat(1 << 20) + '</xml>' }, -41002, 'BodyTooLarge'],
    ['DTD', { query: { signature: sig, timestamp: String(NOW), nonce: NONCE }, body: '<!DOCTYPE xml [<!ENTITY a "b">]><xml><Content>&a;</Content></xml>' }, -40002, 'ParseXml'],
    ['deep JSON', { query: { signature: sig, timestamp: String(NOW), nonce: NONCE }, body: '{"a":'.repeat(5000) }, -41003, 'JsonTooDeep'],
    ['invalid UTF-8', { query: { signature: sig, timestamp: String(NOW), nonce: NONCE }, body: new Uint8Array([60, 120, 109, 108, 62, 0xff, 0xfe, 60, 47, 120, 109, 108, 62]) }, -40002, 'ParseXml'],
    ['truncated XML', { query: { signature: sig, timestamp: String(NOW), nonce: NONCE }, body: toXml(SAMPLES[0][1]).slice(0, 80) }, -40002, 'ParseXml'],
    ['missing timestamp', { query: { signature: sig, nonce: NONCE }, body: toXml(SAMPLES[0][1]) }, -41004, 'InvalidQuery'],
    ['empty body', { query: { signature: sig, timestamp: String(NOW), nonce: NONCE }, body: '' }, -40002, 'ParseXml'],
  ];
  for (const [name, req, code, kind] of hostile) {
    c.check(`hostile: ${name}`, () => {
      let error;
      try { receiver.receive(req); } catch (e) { error = e; }
      c.assertTrue(error instanceof WxkfError, `a WxkfError, got ${error}`);
      c.assertEq(error.code, code);
      c.assertEq(error.kind, kind);
      c.assertTrue(!String(error.message).includes(TOKEN) && !String(error.message).includes(KEY), 'no secret in the message');
      good();
    });
  }
  // Issue 22: what a hostile push cannot get past, the same in every runtime.
  const codeOf = (fn) => { try { fn(); } catch (e) { return e instanceof WxkfError ? e.code : String(e); } return undefined; };
  const plainQuery = { signature: sig, timestamp: String(NOW), nonce: NONCE };
  c.check('hostile: more than 10,000 JSON values (-40012), refused before parsing; 10,000 are read', () => {
    // The top-level object, its six members and L: 8 values, then L's items.
    const body = (items) => toJson([...header('text'), ['Content', 'hi'], ['MsgId', '1', 'num'], ['L', `[${Array(items).fill('1').join(',')}]`, 'num']]);
    c.assertEq(receiver.receive({ query: plainQuery, body: body(9992) }).message.raw.L.length, 9992);
    c.assertEq(codeOf(() => receiver.receive({ query: plainQuery, body: body(9993) })), -40012);
    const started = Date.now();
    c.assertEq(codeOf(() => receiver.receive({ query: plainQuery, body: body(400000) })), -40012);
    c.assertEq(codeOf(() => receiver.receive({ query: plainQuery, body: toJson([...header('x'), ['L', `[${'{},'.repeat(300000)}{}]`, 'num']]) })), -40012);
    c.assertTrue(Date.now() - started < 2000, `refused in ${Date.now() - started} ms`);
    // Encrypted: the decrypted message is counted too.
    const req = request([...header('text'), ['L', `[${'[],'.repeat(20000)}[]]`, 'num']], 'json', 'safe');
    c.assertEq(codeOf(() => receiver.receive(req)), -40012);
    good();
  });
  c.check('hostile: characters XML 1.0 forbids are refused (-40002); JSON keeps them escaped', () => {
    for (const content of ['a\u0000b', '\u0001', '&#x1;', '&#31;', '\ufffe', '&#xFFFF;', '<![CDATA[\u001b[31m]]>']) {
      // Written as is (not wrapped in CDATA), so that references stay references.
      const fields = [...header('text'), ['Content', content, 'num'], ['MsgId', '1', 'num']];
      c.assertEq(codeOf(() => receiver.receive({ query: plainQuery, body: toXml(fields) })), -40002);
      c.assertEq(codeOf(() => receiver.receive(request(fields, 'xml', 'safe'))), -40002);
    }
    const fields = [...header('text'), ['Content', 'tab\t, C1 \u0085 and DEL \u007f'], ['MsgId', '1', 'num']];
    c.assertEq(receiver.receive(request(fields, 'xml', 'safe')).message.content, 'tab\t, C1 \u0085 and DEL \u007f');
    const controls = 'a\u0000b\u0001\u001f\ufffe\uffff';
    const json = [...header('text'), ['Content', controls], ['MsgId', '1', 'num'], ['Note', controls]];
    const m = receiver.receive(request(json, 'json', 'safe')).message;
    c.assertEq(m.content, controls);
    c.assertEq(m.raw.Note, controls);
    good();
  });
  c.check('dedup keys stay short whatever the fields hold; the platform\'s are unchanged', () => {
    const huge = '9'.repeat(300000);
    for (const format of ['xml', 'json']) {
      const msg = receiver.receive(request([['ToUserName', huge], ['FromUserName', 'o'], ['CreateTime', NOW, 'num'], ['MsgType', 'text'], ['MsgId', huge, 'num']], format, 'safe'));
      c.assertTrue(msg.dedupKey.length <= 221 && /^msg:#[0-9a-f]{40}:#[0-9a-f]{40}$/.test(msg.dedupKey), `a short key: ${msg.dedupKey.slice(0, 100)}`);
      const event = receiver.receive(request([...header('event'), ['Event', huge]], format, 'safe'));
      c.assertEq(event.dedupKey, `event:gh_97417a04a28d:o9AgO5Kd5ggOC-bXrbNODIiE3bGY:${NOW}:${msg.dedupKey.slice(-41)}`);
      c.assertEq(receiver.receive(request(SAMPLES[0][1], format, 'safe')).dedupKey, `msg:gh_97417a04a28d:${BIG_ID}`);
    }
  });
  // Field names of Object.prototype (src/message/raw.rs PROTOTYPE_NAMES): a field whose
  // lowerCamelCase form is one (ToString, HasOwnProperty, ValueOf, ...) stays in raw only; one
  // named so as sent is refused. The message, raw and nested objects keep their methods.
  const SHADOWING = ['ToString', 'HasOwnProperty', 'ValueOf', 'Constructor', 'ToLocaleString', 'IsPrototypeOf', 'PropertyIsEnumerable', 'to_string'];
  for (const format of ['xml', 'json']) {
    for (const size of ['small', 'large']) {
      c.check(`field names of Object.prototype: the message keeps its methods ${format} ${size}`, () => {
        const nested = format === 'xml' ? '<ToString>n</ToString><B>1</B>' : '{"ToString":"n","B":"1"}';
        const list = format === 'xml' ? '<Item><ValueOf>1</ValueOf></Item><Item><ValueOf>2</ValueOf></Item>' : '[{"ValueOf":"1"},{"ValueOf":"2"}]';
        const content = size === 'large' ? '客服 '.repeat(800) : 'hi';
        const fields = [...header('text'), ['Content', content], ['MsgId', '5', 'num'], ...SHADOWING.map((n) => [n, `v-${n}`]),
          ['A', nested, 'num'], [format === 'xml' ? 'L' : 'Item', list, 'num']];
        for (const mode of ['plaintext', 'safe']) {
          const push = receiver.receive(request(fields, format, mode));
          const m = push.message;
          c.assertEq(m.content, content);
          c.assertEq(m.hasOwnProperty('content'), true);
          c.assertEq(m.hasOwnProperty('toString'), false);
          c.assertEq(String(m), '[object Object]');
          c.assertEq(`${m}`, '[object Object]');
          c.assertEq(m.valueOf(), m);
          c.assertEq(m.toLocaleString(), '[object Object]');
          c.assertEq(m.propertyIsEnumerable('raw'), true);
          c.assertEq(Object.prototype.isPrototypeOf(m), true);
          for (const name of Object.getOwnPropertyNames(Object.prototype)) {
            c.assertEq(Object.hasOwn(m, name), false);
            c.assertEq(Object.hasOwn(m.a, name), false);
          }
          const back = JSON.parse(JSON.stringify(m));
          for (const n of SHADOWING) c.assertEq(back.raw[n], `v-${n}`);
          for (const n of SHADOWING) c.assertEq(m.raw[n], `v-${n}`);
          c.assertEq(m.raw.hasOwnProperty('ToString'), true);
          c.assertEq(String(m.raw), '[object Object]');
          c.assertEq(m.raw.A.ToString, 'n');
          c.assertEq(m.a.hasOwnProperty('b'), true);
          c.assertEq(String(m.a), '[object Object]');
          c.assertEq(JSON.stringify(m.a), '{"b":"1"}');
          const items = format === 'xml' ? m.l.item : m.item;
          c.assertEq(JSON.stringify(items), '[{},{}]');
          c.assertEq(String(items[0]), '[object Object]');
          c.assertEq(JSON.stringify({ ...m }.raw.A), '{"ToString":"n","B":"1"}');
          c.assertEq(String(push), '[object Object]');
        }
      });
    }
  }
  c.check('field names of Object.prototype as sent are refused at any depth (-40002 / -40012)', () => {
    for (const name of [...Object.getOwnPropertyNames(Object.prototype), 'prototype']) {
      for (const [format, code] of [['xml', -40002], ['json', -40012]]) {
        const inner = format === 'xml' ? `<${name}>1</${name}>` : `{${JSON.stringify(name)}:"1"}`;
        for (const fields of [[...header('x'), [name, '1']], [...header('x'), ['A', inner, 'num']]]) {
          c.assertEq(codeOf(() => receiver.receive(request(fields, format, 'safe'))), code);
        }
      }
    }
    good();
  });

  c.check('compatible mode with tampered plaintext fields uses the decrypted ones', () => {
    const req = request(SAMPLES[0][1], 'xml', 'compatible');
    req.body = req.body.replace('o9AgO5Kd5ggOC-bXrbNODIiE3bGY', 'attacker').replace('你好', 'pay me');
    const push = receiver.receive(req);
    c.assertEq(push.mode, 'compatible');
    c.assertEq(push.message.fromUserName, 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY');
    c.assertEq(push.message.content, SAMPLES[0][2].content);
  });
  c.check('replay window: configurable, 0 disables', () => {
    const late = request(SAMPLES[0][1], 'xml', 'safe', { ts: NOW - 3600 });
    const off = new Receiver({ token: TOKEN, encodingAESKey: KEY, appId: APP, maxSkewSeconds: 0, now: nowMs });
    c.assertEq(off.receive(late).message.msgId, BIG_ID);
    const tight = new Receiver({ token: TOKEN, encodingAESKey: KEY, appId: APP, maxSkewSeconds: 10, now: () => (NOW + 11) * 1000 });
    let code;
    try { tight.receive(request(SAMPLES[0][1], 'xml', 'safe')); } catch (e) { code = e.code; }
    c.assertEq(code, -41001);
  });

  // Replies.
  for (const mode of ['plaintext', 'safe']) {
    for (const format of ['xml', 'json']) {
      c.check(`transferReply ${mode} ${format}`, () => {
        const fields = SAMPLES[0][1].map((f) => (f[0] === 'FromUserName' ? [f[0], 'o]]>"<x>\\'] : f));
        const push = receiver.receive(request(fields, format, mode));
        const reply = push.transferReply();
        c.assertEq(reply.contentType.includes(format), true);
        let plain = reply.body;
        if (mode !== 'plaintext') {
          const env = format === 'json' ? JSON.parse(reply.body) : Object.fromEntries([...reply.body.matchAll(/<(\w+)>(?:<!\[CDATA\[(.*?)\]\]>|(\d+))<\/\1>/g)].map((m) => [m[1], m[2] ?? m[3]]));
          c.assertEq(String(env.TimeStamp), String(NOW));
          plain = crypt.decryptMessage({ msgSignature: env.MsgSignature, timestamp: env.TimeStamp, nonce: env.Nonce, body: reply.body });
        }
        // Parse the plaintext reply back with the package's own reader: a plaintext push.
        const back = receiver.receive({ query: { signature: sig, timestamp: String(NOW), nonce: NONCE }, body: plain });
        c.assertEq(back.message.msgType, 'transfer_customer_service');
        c.assertEq(back.message.toUserName, 'o]]>"<x>\\');
        c.assertEq(back.message.fromUserName, 'gh_97417a04a28d');
      });
    }
  }
  c.check('transferReply refuses events', () => {
    const push = receiver.receive(request(SAMPLES[3][1], 'xml', 'safe'));
    let code;
    try { push.transferReply(); } catch (e) { code = e.code; }
    c.assertEq(code, -40011);
  });

  // The Web handler, in process.
  await c.checkAsync('createHandler: GET, push, retries handled once, slow callback, errors', async () => {
    let handled = 0;
    let slowDone = false;
    const pending = [];
    // The slow callback waits for a gate the test opens only after the answer arrived: no
    // timing assumption beyond the handler's own budget.
    let openGate;
    const gate = new Promise((r) => { openGate = r; });
    const handler = createHandler({
      token: TOKEN, encodingAESKey: KEY, appId: APP, now: nowMs, replyTimeoutMs: 150,
      onMessage: async (m) => {
        handled++;
        if (m.msgType === 'image') { await gate; slowDone = true; }
        return m.msgType === 'text' ? 'transfer' : undefined;
      },
    });
    const ctx = { waitUntil: (p) => pending.push(p) };
    const url = (q) => 'http://127.0.0.1/wx?' + new URLSearchParams(q);
    const get = await handler(new Request(url({ signature: sig, timestamp: String(NOW), nonce: NONCE, echostr: 'abc' })));
    c.assertEq(get.status, 200);
    c.assertEq(await get.text(), 'abc');
    const req = request(SAMPLES[0][1], 'xml', 'safe');
    for (let n = 0; n < 3; n++) {
      const res = await handler(new Request(url(req.query), { method: 'POST', body: req.body }), ctx);
      c.assertEq(res.status, 200);
      const text = await res.text();
      if (n === 0) c.assertTrue(text.includes('<Encrypt>'), 'encrypted transfer reply');
      else c.assertEq(text, 'success');
    }
    c.assertEq(handled, 1);
    const slow = request(SAMPLES[1][1], 'json', 'safe');
    const res = await handler(new Request(url(slow.query), { method: 'POST', body: slow.body, headers: { 'content-type': 'application/json' } }), ctx);
    c.assertEq(await res.text(), 'success');
    c.assertEq(slowDone, false, 'answered before the slow callback finished');
    c.assertEq(pending.length, 1);
    openGate();
    await Promise.all(pending);
    c.assertEq(slowDone, true);
    const statuses = [];
    for (const [q, body] of [
      [{ ...req.query, msg_signature: '0'.repeat(40) }, req.body],
      [req.query, '<xml><ToUserName>x</ToUserName></xml>'],
      [req.query, 'x'.repeat((1 << 20) + 1)],
    ]) {
      const r = await handler(new Request(url(q), { method: 'POST', body }));
      const text = await r.text();
      c.assertTrue(!text.includes(TOKEN) && !text.includes(KEY), 'no secret in the response');
      statuses.push(r.status);
    }
    c.assertEq(statuses.join(), '401,400,413');
    c.assertEq((await handler(new Request('http://127.0.0.1/wx', { method: 'PUT', body: 'x' }))).status, 405);
  });

  await c.checkAsync('createHandler: a callback failing after the acknowledgement is reported; the push counts as handled', async () => {
    let calls = 0;
    const pending = [];
    const errors = [];
    // The first call fails only after the test has its answer (a gate, not a sleep), so it
    // fails after the reply budget whatever the machine's load.
    let openGate;
    const gate = new Promise((r) => { openGate = r; });
    const handler = createHandler({
      token: TOKEN, encodingAESKey: KEY, appId: APP, now: nowMs, replyTimeoutMs: 20,
      onError: (e, info) => errors.push(info.phase),
      onMessage: async () => {
        calls++;
        if (calls === 1) { await gate; throw new Error('the database is down'); }
      },
    });
    const ctx = { waitUntil: (p) => pending.push(p) };
    const req = request(SAMPLES[0][1], 'xml', 'safe');
    const post = () => handler(new Request('http://127.0.0.1/wx?' + new URLSearchParams(req.query), { method: 'POST', body: req.body }), ctx);
    c.assertEq(await (await post()).text(), 'success');
    c.assertEq(errors.length, 0, 'answered before the callback failed');
    openGate();
    await Promise.all(pending);
    c.assertEq(errors.join(), 'onMessage', 'the late failure is reported');
    // Acknowledged: the platform sends no copy after a 200, and one that comes anyway is a
    // duplicate (the queue mode is what runs a failed slow handler again).
    c.assertEq(await (await post()).text(), 'success');
    await Promise.all(pending);
    c.assertEq(calls, 1);
  });

  // Dedup claims through a Store (issue 9).
  const post = (handler, req, ctx, headers) => handler(new Request('http://127.0.0.1/wx?' + new URLSearchParams(req.query), { method: 'POST', body: req.body, headers }), ctx);

  await c.checkAsync('store: two handlers sharing a store handle a push once; a retry during onMessage waits for it, never success before', async () => {
    const store = new MemoryStore();
    let calls = 0;
    let finish;
    const gate = new Promise((resolve) => { finish = resolve; });
    const make = (replyTimeoutMs) => createHandler({
      token: TOKEN, encodingAESKey: KEY, appId: APP, now: nowMs, store, replyTimeoutMs,
      onMessage: async () => { calls++; await gate; },
    });
    const [a, b, quick] = [make(4500), make(4500), make(1)];
    const req = request(SAMPLES[0][1], 'xml', 'safe');
    const first = post(a, req); // still inside onMessage, holding the lease
    await new Promise((r) => setTimeout(r, 20));
    // A copy whose budget ends while the lease is held: 503, so that the platform tries again.
    const busy = await post(quick, req);
    c.assertEq(busy.status, 503);
    c.assertEq(calls, 1);
    // A copy with budget left waits for the first to finish, then answers success.
    const retry = post(b, req);
    await new Promise((r) => setTimeout(r, 20));
    finish();
    c.assertEq((await first).status, 200);
    const waited = await retry;
    c.assertEq(waited.status, 200);
    c.assertEq(await waited.text(), 'success');
    c.assertEq(calls, 1);
    c.assertEq((await post(b, req)).status, 200);
    c.assertEq(calls, 1);
    c.assertTrue(String(store.get(`dedup:${receiver.receive(req).dedupKey}`)).startsWith('done:'), 'the push is marked done under dedup:<dedupKey>');
  });

  await c.checkAsync('store: a failed callback releases only its own claim; dedup: false turns it off', async () => {
    const store = new MemoryStore();
    let calls = 0;
    const handler = createHandler({
      token: TOKEN, encodingAESKey: KEY, appId: APP, now: nowMs, store,
      onMessage: () => { calls++; if (calls === 1) throw new Error('db down'); },
    });
    const req = request(SAMPLES[0][1], 'xml', 'safe');
    c.assertEq((await post(handler, req)).status, 500);
    c.assertEq((await post(handler, req)).status, 200);
    c.assertEq(calls, 2);
    await post(handler, req);
    c.assertEq(calls, 2);
    let off = 0;
    const noDedup = createHandler({ token: TOKEN, encodingAESKey: KEY, appId: APP, now: nowMs, dedup: false, onMessage: () => { off++; } });
    await post(noDedup, req);
    await post(noDedup, req);
    c.assertEq(off, 2);
    // The former { claim, release } objects still work as `dedup`.
    const seen = new Set();
    const log = [];
    let legacyCalls = 0;
    const legacy = createHandler({
      token: TOKEN, encodingAESKey: KEY, appId: APP, now: nowMs,
      dedup: { claim: (k, ttl) => { log.push(ttl > 0 ? 'claim' : `claim with ttl ${ttl}`); return seen.has(k) ? false : (seen.add(k), true); }, release: (k) => { log.push('release'); seen.delete(k); } },
      onMessage: () => { legacyCalls++; if (legacyCalls === 1) throw new Error('once'); },
    });
    c.assertEq((await post(legacy, req)).status, 500);
    c.assertEq((await post(legacy, req)).status, 200);
    c.assertEq((await post(legacy, req)).status, 200);
    c.assertEq(legacyCalls, 2);
    c.assertEq(log.join(), 'claim,release,claim,claim');
  });

  await c.checkAsync('store: failing or hanging stores fail open, reported with phase dedup', async () => {
    const failing = {
      get: async () => null, set: async () => {}, compareAndSet: async () => false,
      setIfAbsent: async () => { throw new Error('ECONNREFUSED'); },
      delete: async () => { throw new Error('ECONNREFUSED'); },
    };
    const hanging = { ...failing, setIfAbsent: () => new Promise(() => {}) };
    for (const [name, store] of [['failing', failing], ['hanging', hanging]]) {
      const errors = [];
      let calls = 0;
      const handler = createHandler({
        token: TOKEN, encodingAESKey: KEY, appId: APP, now: nowMs, store, storeTimeoutMs: 100,
        onError: (e, info) => errors.push(`${info.phase}:${e.code}`),
        onMessage: () => { calls++; },
      });
      const req = request(SAMPLES[0][1], 'xml', 'safe');
      const t0 = Date.now();
      const res = await post(handler, req);
      c.assertEq(res.status, 200);
      c.assertTrue(Date.now() - t0 < 4000, `${name}: answered within the platform's 5 s`);
      c.assertEq(calls, 1);
      c.assertEq(errors.join(), 'dedup:-43002');
    }
  });

  // allowPlaintext: false refuses plaintext pushes (a replayed query cannot carry a forged body)
  // and still takes encrypted ones.
  c.check('allowPlaintext: false refuses plaintext with -41005, accepts encrypted', () => {
    const strict = new Receiver({ token: TOKEN, encodingAESKey: KEY, appId: APP, now: nowMs, allowPlaintext: false });
    let error;
    try { strict.receive(request(SAMPLES[0][1], 'xml', 'plaintext')); } catch (e) { error = e; }
    c.assertTrue(error instanceof WxkfError, 'a WxkfError');
    c.assertEq(error.code, -41005);
    c.assertEq(error.kind, 'PlaintextRefused');
    c.assertEq(strict.receive(request(SAMPLES[0][1], 'json', 'safe')).message.msgId, BIG_ID);
  });

  // Options of the wrong type are WxkfErrors too, and the handler passes allowPlaintext on.
  for (const [name, make] of [
    ['Receiver now: 1', () => new Receiver({ token: TOKEN, encodingAESKey: KEY, appId: APP, now: 1 })],
    ['createHandler without onMessage', () => createHandler({ token: TOKEN, encodingAESKey: KEY, appId: APP })],
  ]) {
    c.check(`option error: ${name} -> -41006`, () => {
      let error;
      try { make(); } catch (e) { error = e; }
      c.assertTrue(error instanceof WxkfError, 'a WxkfError');
      c.assertEq(error.code, -41006);
      c.assertEq(error.kind, 'InvalidOption');
    });
  }
  await c.checkAsync('createHandler({ allowPlaintext: false }) answers a plaintext push with 401', async () => {
    const handler = createHandler({ token: TOKEN, encodingAESKey: KEY, appId: APP, now: nowMs, allowPlaintext: false, onMessage() {} });
    const req = request(SAMPLES[0][1], 'xml', 'plaintext');
    const res = await handler(new Request('http://127.0.0.1/wx?' + new URLSearchParams(req.query), { method: 'POST', body: req.body }));
    c.assertEq(res.status, 401);
    c.assertEq(await res.text(), 'error: PlaintextRefused');
  });


  // ---- Secure by default (issue 8) and the handler's semantics pinned (issue 14, item 4) ----
  const errorOf = (fn) => { try { fn(); } catch (e) { return e; } return undefined; };
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  c.check('plaintext mode rules: refused by default with a key; the only mode without one', () => {
    const keyed = new Receiver({ token: TOKEN, encodingAESKey: KEY, appId: APP, now: nowMs });
    const plain = request(SAMPLES[0][1], 'xml', 'plaintext');
    const error = errorOf(() => keyed.receive(plain));
    c.assertTrue(error instanceof WxkfError, `a WxkfError, got ${error}`);
    c.assertEq(error.code, -41005);
    c.assertEq(error.kind, 'PlaintextRefused');
    c.assertTrue(error.message.includes('安全模式') && error.message.includes('allowPlaintext'), `says what to do: ${error.message}`);
    c.assertEq(keyed.hasKey, true);
    c.assertEq(keyed.receive(request(SAMPLES[0][1], 'json', 'safe')).message.msgId, BIG_ID);
    const keyless = new Receiver({ token: TOKEN, now: nowMs });
    c.assertEq(keyless.hasKey, false);
    c.assertEq(keyless.receive(plain).mode, 'plaintext');
    c.assertEq(errorOf(() => keyless.receive(request(SAMPLES[0][1], 'xml', 'safe')))?.code, -40004);
    // URL verification is not a push: its plain form works for every account.
    for (const r of [keyed, keyless, receiver]) {
      c.assertEq(r.verifyUrl({ signature: sig, timestamp: String(NOW), nonce: NONCE, echostr: '5927782489442352469' }), '5927782489442352469');
    }
    keyed.free();
    keyless.free();
  });

  await c.checkAsync('createHandler: a plaintext push is refused by default (401) and accepted without a key', async () => {
    let calls = 0;
    const plain = request(SAMPLES[0][1], 'xml', 'plaintext');
    const keyed = createHandler({ token: TOKEN, encodingAESKey: KEY, appId: APP, now: nowMs, onMessage() { calls++; } });
    const res = await post(keyed, plain);
    c.assertEq(res.status, 401);
    c.assertEq(await res.text(), 'error: PlaintextRefused');
    const keyless = createHandler({ token: TOKEN, now: nowMs, onMessage() { calls++; } });
    const ok = await post(keyless, plain);
    c.assertEq(ok.status, 200);
    c.assertEq(await ok.text(), 'success');
    c.assertEq(calls, 1);
  });

  c.check('timestamps must be canonical decimal seconds (-41004), even with the window off', () => {
    const off = new Receiver({ token: TOKEN, encodingAESKey: KEY, appId: APP, now: nowMs, maxSkewSeconds: 0, allowPlaintext: true });
    for (const ts of ['0171594332', '+171594332', '-171594332', ' 17159433', '1.7159e+09', '0']) {
      const req = { query: { signature: signature(TOKEN, ts, NONCE), timestamp: ts, nonce: NONCE }, body: toXml(SAMPLES[0][1]) };
      const error = errorOf(() => off.receive(req));
      c.assertEq(error?.code, -41004);
    }
    c.assertEq(off.receive(request(SAMPLES[0][1], 'xml', 'plaintext')).message.msgId, BIG_ID);
    off.free();
  });

  c.check('swapping timestamp and nonce does not reopen the window: the signed CreateTime counts', () => {
    const later = String(NOW + 1000);
    const encrypt = crypt.encrypt(toXml(SAMPLES[0][1]));
    const body = toXml([['ToUserName', 'gh_97417a04a28d'], ['Encrypt', encrypt]]);
    const msgSignature = crypt.msgSignature(String(NOW), later, encrypt);
    const at = (ms) => new Receiver({ token: TOKEN, encodingAESKey: KEY, appId: APP, now: () => ms });
    c.assertEq(at(NOW * 1000).receive({ query: { timestamp: String(NOW), nonce: later, encrypt_type: 'aes', msg_signature: msgSignature }, body }).message.msgId, BIG_ID);
    const error = errorOf(() => at((NOW + 1000) * 1000).receive({ query: { timestamp: later, nonce: String(NOW), encrypt_type: 'aes', msg_signature: msgSignature }, body }));
    c.assertEq(error?.code, -41001);
    c.assertTrue(/CreateTime/.test(error.message), `names CreateTime: ${error.message}`);
  });

  await c.checkAsync('createHandler: dedup outlives the acceptance window; now drives the default store', async () => {
    let t = (NOW - 200) * 1000; // the push's time reads 200 s in the future
    let calls = 0;
    const handler = createHandler({ token: TOKEN, encodingAESKey: KEY, appId: APP, now: () => t, onMessage() { calls++; } });
    const req = request(SAMPLES[0][1], 'xml', 'safe');
    c.assertEq(await (await post(handler, req)).text(), 'success');
    t = (NOW + 101) * 1000; // 301 s later: the same push is still inside the window
    c.assertEq(await (await post(handler, req)).text(), 'success');
    t = (NOW + 300) * 1000; // the last second it is accepted
    await post(handler, req);
    c.assertEq(calls, 1);
    // After 2 × 300 + 60 s of the fake clock the key is gone: the same MsgId, pushed afresh,
    // is handled again (so the store runs on `now`, not on the wall clock).
    t = (NOW - 200 + 661) * 1000;
    const fields = SAMPLES[0][1].map((f) => (f[0] === 'CreateTime' ? [f[0], NOW + 461, 'num'] : f));
    const fresh = request(fields, 'xml', 'safe', { ts: NOW + 461 });
    c.assertEq((await post(handler, fresh)).status, 200);
    c.assertEq(calls, 2);
    // The TTL handed to a store: 2 × window + 60 s; shorter explicit TTLs are refused.
    const ttls = [];
    const store = { claim: (key, ttl) => { ttls.push(ttl); return true; } };
    const tight = createHandler({ token: TOKEN, encodingAESKey: KEY, appId: APP, now: nowMs, maxSkewSeconds: 10, dedup: store, onMessage() {} });
    await post(tight, request(SAMPLES[0][1], 'json', 'safe'));
    const byDefault = createHandler({ token: TOKEN, encodingAESKey: KEY, appId: APP, now: nowMs, dedup: store, onMessage() {} });
    await post(byDefault, request(SAMPLES[0][1], 'json', 'safe'));
    c.assertEq(ttls.join(), '80,660');
    const error = errorOf(() => createHandler({ token: TOKEN, encodingAESKey: KEY, appId: APP, dedupTtlSeconds: 300, onMessage() {} }));
    c.assertEq(error?.code, -41006);
  });

  await c.checkAsync('URL verification: echostr must look like the platform\'s; text answers are nosniff text/plain', async () => {
    const handler = createHandler({ token: TOKEN, encodingAESKey: KEY, appId: APP, now: nowMs, onMessage() {} });
    const get = (echostr) => handler(new Request('http://127.0.0.1/wx?' + new URLSearchParams({ signature: sig, timestamp: String(NOW), nonce: NONCE, echostr })));
    const textAnswer = (res) => {
      c.assertEq(res.headers.get('content-type'), 'text/plain; charset=utf-8');
      c.assertEq(res.headers.get('x-content-type-options'), 'nosniff');
    };
    for (const good of ['5927782489442352469', 'x'.repeat(512), 'AbC+/=_-.~ 09']) {
      const res = await get(good);
      c.assertEq(res.status, 200);
      textAnswer(res);
      c.assertEq(await res.text(), good);
    }
    for (const bad of ['<script>alert(1)</script>', 'a&b', '"x"', "it's", 'tab\there', 'caf\u00e9', 'x'.repeat(513), '']) {
      const res = await get(bad);
      c.assertEq(res.status, 400);
      textAnswer(res);
      c.assertTrue(!(await res.text()).includes('<'), 'the echostr is not reflected');
    }
    const error = errorOf(() => receiver.verifyUrl({ signature: sig, timestamp: String(NOW), nonce: NONCE, echostr: '<b>hi</b>' }));
    c.assertEq(error?.code, -41004);
    c.assertEq(error.field, 'echostr');
    // Every other answer too: success, and errors.
    const ok = await post(handler, request(SAMPLES[2][1], 'xml', 'safe'));
    c.assertEq(await ok.text(), 'success');
    textAnswer(ok);
    const bad = await post(handler, { ...request(SAMPLES[0][1], 'xml', 'safe'), body: '<xml/>' });
    c.assertEq(bad.status, 400);
    textAnswer(bad);
  });

  await c.checkAsync('URL verification never decrypts a captured push (msg_signature GET refused; verifyUrl refuses a non-echostr)', async () => {
    // A captured safe-mode push: its query and its Encrypt value, sent back as a verification GET.
    const secret = '<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Content><![CDATA[my bank PIN is 4321]]></Content></xml>';
    const encrypt = crypt.encrypt(secret);
    const msgSignature = crypt.msgSignature(String(NOW), NONCE, encrypt);
    const query = { timestamp: String(NOW), nonce: NONCE, msg_signature: msgSignature, echostr: encrypt };
    for (const maxSkewSeconds of [undefined, 0]) {
      const errors = [];
      const handler = createHandler({ token: TOKEN, encodingAESKey: KEY, appId: APP, now: nowMs, maxSkewSeconds, onError: (e) => errors.push(e), onMessage() {} });
      const res = await handler(new Request('http://127.0.0.1/wx?' + new URLSearchParams(query)));
      c.assertEq(res.status, 400);
      const text = await res.text();
      c.assertTrue(!text.includes('4321') && !text.includes('<'), `no plaintext in the answer: ${text}`);
      c.assertEq(errors[0]?.code, -41004);
      c.assertTrue(!String(errors[0]?.message).includes('4321'), 'no plaintext in the error');
    }
    const viaReceiver = errorOf(() => receiver.verifyUrl(query));
    c.assertEq(viaReceiver?.code, -41004);
    // The crypto-level verifyUrl still answers WeCom's encrypted form, but only with an echostr.
    const viaCrypt = errorOf(() => crypt.verifyUrl({ msgSignature, timestamp: NOW, nonce: NONCE, echostr: encrypt }));
    c.assertEq(viaCrypt?.code, -41004);
    c.assertTrue(!String(viaCrypt?.message).includes('4321'), 'no plaintext in the error');
    const echo = crypt.encrypt('5927782489442352469');
    const echoQuery = { msgSignature: crypt.msgSignature(String(NOW), NONCE, echo), timestamp: NOW, nonce: NONCE, echostr: echo };
    c.assertEq(crypt.verifyUrl(echoQuery), '5927782489442352469');
    // With a clock, the replay window applies; without one (as before) it does not.
    c.assertEq(crypt.verifyUrl(echoQuery, { now: nowMs }), '5927782489442352469');
    c.assertEq(errorOf(() => crypt.verifyUrl(echoQuery, { now: () => (NOW + 3600) * 1000 }))?.code, -41001);
    c.assertEq(crypt.verifyUrl(echoQuery, { now: () => (NOW + 3600) * 1000, maxSkewSeconds: 0 }), '5927782489442352469');
    c.assertEq(errorOf(() => crypt.verifyUrl(echoQuery, { now: 5 }))?.code, -41006);
    c.assertEq(errorOf(() => crypt.verifyUrl(echoQuery, { maxSkewSeconds: -1 }))?.code, -41006);
  });

  c.check('query parameters are capped before reaching wasm (-41004 naming the parameter)', () => {
    const base = request(SAMPLES[0][1], 'xml', 'safe');
    for (const [name, value] of [
      ['nonce', 'n'.repeat(65)], ['nonce', '1'.repeat(1 << 20)], ['timestamp', '1'.repeat(11)],
      ['signature', 'a'.repeat(41)], ['msg_signature', 'a'.repeat(41)], ['encrypt_type', 'aesaesaes'],
    ]) {
      const error = errorOf(() => receiver.receive({ ...base, query: { ...base.query, [name]: value } }));
      c.assertTrue(error instanceof WxkfError, `${name}: a WxkfError, got ${error}`);
      c.assertEq(error.code, -41004);
      c.assertEq(error.kind, 'InvalidQuery');
      c.assertEq(error.field, name);
      c.assertTrue(error.message.includes(name), `names ${name}: ${error.message}`);
    }
    // At the cap a parameter is read (and this one fails later, on the signature).
    c.assertEq(errorOf(() => receiver.receive({ ...base, query: { ...base.query, nonce: 'n'.repeat(64) } }))?.code, -40001);
    const error = errorOf(() => receiver.verifyUrl({ signature: sig, timestamp: String(NOW), nonce: NONCE, echostr: 'e'.repeat(513) }));
    c.assertEq(error?.field, 'echostr');
    good();
  });

  await c.checkAsync('createHandler: a reply returned after the acknowledgement is reported (late-reply)', async () => {
    const errors = [];
    const pending = [];
    const handler = createHandler({
      token: TOKEN, encodingAESKey: KEY, appId: APP, now: nowMs, replyTimeoutMs: 20,
      onError: (e, info) => errors.push([info.phase, info.dedupKey, e.code, e.kind]),
      onMessage: async (m) => {
        await sleep(100);
        return m.msgType === 'text' ? 'transfer' : undefined;
      },
    });
    const ctx = { waitUntil: (p) => pending.push(p) };
    c.assertEq(await (await post(handler, request(SAMPLES[0][1], 'xml', 'safe'), ctx)).text(), 'success');
    c.assertEq(await (await post(handler, request(SAMPLES[1][1], 'xml', 'safe'), ctx)).text(), 'success');
    await Promise.all(pending);
    c.assertEq(JSON.stringify(errors), JSON.stringify([['late-reply', `msg:gh_97417a04a28d:${BIG_ID}`, -41007, 'LateReply']]));
  });

  await c.checkAsync('createHandler: a stale push that is correctly signed is refused by the window (401, the kind named)', async () => {
    let calls = 0;
    const handler = createHandler({ token: TOKEN, encodingAESKey: KEY, appId: APP, now: nowMs, onMessage() { calls++; } });
    for (const ts of [NOW - 301, NOW + 301]) {
      const res = await post(handler, request(SAMPLES[0][1], 'xml', 'safe', { ts }));
      c.assertEq(res.status, 401);
      c.assertEq(await res.text(), 'error: TimestampOutOfWindow');
    }
    c.assertEq(calls, 0);
    // The same push at the window's edge is accepted: the refusal is the window's doing.
    c.assertEq((await post(handler, request(SAMPLES[0][1], 'xml', 'safe', { ts: NOW - 300 }))).status, 200);
    c.assertEq(calls, 1);
  });

  await c.checkAsync('createHandler: a callback that throws inside the budget answers 500; the retry is handled', async () => {
    let calls = 0;
    const errors = [];
    const handler = createHandler({
      token: TOKEN, encodingAESKey: KEY, appId: APP, now: nowMs,
      onError: (e, info) => errors.push(info.phase),
      onMessage: async () => {
        calls++;
        if (calls === 1) throw new Error('the database is down');
      },
    });
    const req = request(SAMPLES[0][1], 'json', 'safe');
    const first = await post(handler, req);
    c.assertEq(first.status, 500);
    c.assertEq(await first.text(), 'internal error');
    c.assertEq(errors.join(), 'onMessage');
    const retry = await post(handler, req);
    c.assertEq(retry.status, 200);
    c.assertEq(await retry.text(), 'success');
    c.assertEq(calls, 2);
    await post(handler, req); // handled now: a further retry is a duplicate
    c.assertEq(calls, 2);
  });

  return c.result();
}
