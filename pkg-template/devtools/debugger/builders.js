// What the debugger builds, all in the page: a push as the platform sends it (to test one's own
// server), an encrypted passive reply, and a dialogue-platform sendmsg payload.
import * as lib from './lib.js';

const { WXBizMsgCrypt, chatbot, serialize, pushFields, pushRequest } = lib;
export const { TYPES } = lib;

/**
 * A push as the platform sends it. o: { token, encodingAESKey, appId, type, format, encrypt,
 * from, to, content, url }. Returns { query, body, plaintext, curl }.
 */
export function buildPush(o) {
  const now = Math.floor(Date.now() / 1000);
  const fields = pushFields({ type: o.type, from: o.from, to: o.to, content: o.content || undefined, now, format: o.format });
  const keys = { token: o.token, encodingAESKey: o.encodingAESKey, appId: o.appId };
  const { query, body, plaintext, contentType } = pushRequest(lib, fields, { format: o.format, encrypted: o.encrypt, keys, now });
  const target = `${o.url || 'http://127.0.0.1:8080/wechat'}?${query}`;
  const curl = `curl -X POST -H 'content-type: ${contentType}' --data-binary '${body.replace(/'/g, "'\\''")}' '${target}'`;
  return { query: query.toString(), body, plaintext, curl };
}

/** A passive transfer_customer_service reply, encrypted unless o.encrypt is false. */
export function buildReply(o) {
  const fields = { ToUserName: o.openid, FromUserName: o.account, CreateTime: Math.floor(Date.now() / 1000), MsgType: 'transfer_customer_service' };
  const plaintext = serialize(lib, fields, o.format);
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
