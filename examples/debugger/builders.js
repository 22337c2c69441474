// What the debugger builds, all in the page: a push as the platform sends it (to test one's own
// server), an encrypted passive reply, and a dialogue-platform sendmsg payload.
import { WXBizMsgCrypt, chatbot, signature } from './lib.js';

/** The fields each message type or event adds. */
export const TYPES = {
  text: (o) => ({ MsgType: 'text', Content: o.content || '你好' }),
  image: () => ({ MsgType: 'image', PicUrl: 'https://example.invalid/a.jpg', MediaId: 'media_id_example' }),
  miniprogrampage: () => ({
    MsgType: 'miniprogrampage', Title: '卡片标题', AppId: 'wx0000000000000000', PagePath: 'pages/index/index',
    ThumbUrl: 'https://example.invalid/thumb.jpg', ThumbMediaId: 'thumb_media_id_example',
  }),
  user_enter_tempsession: () => ({ MsgType: 'event', Event: 'user_enter_tempsession', SessionFrom: 'debugger' }),
  kf_create_session: () => ({ MsgType: 'event', Event: 'kf_create_session', KfAccount: 'test1@account' }),
  kf_close_session: () => ({ MsgType: 'event', Event: 'kf_close_session', KfAccount: 'test1@account', CloseType: 'KF' }),
  kf_switch_session: () => ({ MsgType: 'event', Event: 'kf_switch_session', FromKfAccount: 'test1@account', ToKfAccount: 'test2@account' }),
};

const NUMERIC = new Set(['CreateTime', 'MsgId', 'BusinessId']);
const cdata = (s) => `<![CDATA[${String(s).split(']]>').join(']]]]><![CDATA[>')}]]>`;

/** XML or JSON text of flat fields (ids and times as bare digits). */
export function serialize(fields, format) {
  const entries = Object.entries(fields);
  if (format === 'json') {
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${NUMERIC.has(k) ? v : JSON.stringify(String(v))}`).join(',')}}`;
  }
  return `<xml>${entries.map(([k, v]) => `<${k}>${NUMERIC.has(k) ? v : cdata(v)}</${k}>`).join('')}</xml>`;
}

function randomDigits() {
  const b = crypto.getRandomValues(new Uint32Array(2));
  return { nonce: String(100000000 + (b[0] % 900000000)), msgId: ((BigInt(b[0] | 1) << 32n) | BigInt(b[1])).toString() };
}

/**
 * A push as the platform sends it. o: { token, encodingAESKey, appId, type, format, encrypt,
 * from, to, content, url }. Returns { query, body, plaintext, curl }.
 */
export function buildPush(o) {
  const now = Math.floor(Date.now() / 1000);
  const { nonce, msgId } = randomDigits();
  const fields = { ToUserName: o.to, FromUserName: o.from, CreateTime: now, ...TYPES[o.type](o) };
  if (fields.MsgType !== 'event') fields.MsgId = msgId;
  const plaintext = serialize(fields, o.format);
  const timestamp = String(now);
  const query = new URLSearchParams({ signature: signature(o.token, timestamp, nonce), timestamp, nonce, openid: o.from });
  let body = plaintext;
  if (o.encrypt) {
    const crypt = new WXBizMsgCrypt(o);
    try {
      const encrypt = crypt.encrypt(plaintext);
      body = o.format === 'json'
        ? JSON.stringify({ ToUserName: o.to, Encrypt: encrypt })
        : `<xml><ToUserName>${cdata(o.to)}</ToUserName><Encrypt>${cdata(encrypt)}</Encrypt></xml>`;
      query.set('encrypt_type', 'aes');
      query.set('msg_signature', crypt.msgSignature(timestamp, nonce, encrypt));
    } finally {
      crypt.free();
    }
  }
  const type = o.format === 'json' ? 'application/json' : 'text/xml';
  const target = `${o.url || 'http://127.0.0.1:8080/wechat'}?${query}`;
  const curl = `curl -X POST -H 'content-type: ${type}' --data-binary '${body.replace(/'/g, "'\\''")}' '${target}'`;
  return { query: query.toString(), body, plaintext, curl };
}

/** A passive transfer_customer_service reply, encrypted unless o.encrypt is false. */
export function buildReply(o) {
  const fields = { ToUserName: o.openid, FromUserName: o.account, CreateTime: Math.floor(Date.now() / 1000), MsgType: 'transfer_customer_service' };
  const plaintext = serialize(fields, o.format);
  if (!o.encrypt) return { plaintext, body: plaintext };
  const crypt = new WXBizMsgCrypt(o);
  try {
    return { plaintext, body: crypt.encryptMessage(plaintext, { format: o.format }) };
  } finally {
    crypt.free();
  }
}

/** A dialogue-platform sendmsg request for a bot. o: { token, encodingAESKey, appId, openid, text, channel, userAppId }. */
export function buildChatbot(o) {
  const payload = { openid: o.openid, msg: o.text, channel: Number(o.channel) };
  if (o.userAppId) payload.appId = o.userAppId;
  const bot = new chatbot.Bot({ token: o.token, encodingAESKey: o.encodingAESKey, appId: o.appId });
  const request = bot.sendmsg(payload);
  return { xml: chatbot.payloadXml(payload), request };
}
