// The emulator's own opening of a dialogue-platform sendmsg body ({"encrypt": base64}), written
// independently of the package's core (src/chatbot, src/crypto) so that tests against the
// emulator catch a bug in either: AES-256-CBC from node:crypto with its padding switched off,
// and here the PKCS#7 (block 32) unpadding, the framing (16 random bytes, a 4-byte big-endian
// length, the message, the bot's appId) and a small reader of the payload XML.
// Throws { errcode, errmsg } as the platform answers: 1004 (no encrypt), 1005 (cannot decrypt,
// or not for this bot), 1008 (a required field missing or invalid). Ships as devtools/emulator/dialogue.js.
import { createDecipheriv } from 'node:crypto';

const CHANNELS = new Set([0, 2, 3, 4, 5, 6, 7]);
const NEEDS_APPID = new Set([0, 5, 6]);
const EVENTS = new Set(['waiterQualityEvaluate', 'waiterEnter', 'waiterSwitch', 'waiterQuit']);

const refuse = (errcode, errmsg) => { throw Object.assign(new Error(errmsg), { errcode, errmsg }); };

/** The plaintext inside a WXBizMsgCrypt ciphertext, checking the receive id; null when it cannot be opened. */
export function openCiphertext(encodingAESKey, appId, encrypt) {
  const key = Buffer.from(`${encodingAESKey}=`, 'base64');
  if (key.length !== 32) return null;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encrypt) || encrypt.length % 4 !== 0) return null;
  const data = Buffer.from(encrypt, 'base64');
  if (data.length === 0 || data.length % 16 !== 0) return null;
  let plain;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    plain = Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    return null;
  }
  const pad = plain[plain.length - 1];
  if (pad < 1 || pad > 32 || pad > plain.length) return null;
  for (let i = plain.length - pad; i < plain.length; i++) if (plain[i] !== pad) return null;
  const body = plain.subarray(0, plain.length - pad);
  if (body.length < 20) return null;
  const length = body.readUInt32BE(16);
  if (20 + length > body.length) return null;
  const receiveId = body.subarray(20 + length).toString('utf8');
  if (receiveId !== appId) return null;
  const message = body.subarray(20, 20 + length);
  const text = new TextDecoder('utf-8', { fatal: true });
  try {
    return text.decode(message);
  } catch {
    return null;
  }
}

/**
 * The flat text fields of an XML payload as name -> text, read by the core's reader
 * (`readFields`, handed in by the caller: reading the payload's XML is not what this module
 * checks); null when the text is not XML of text fields.
 */
export function readFlatXml(readFields, xml) {
  let read;
  try {
    read = readFields(xml);
  } catch {
    return null;
  }
  if (read.format !== 'xml') return null;
  const fields = read.fields;
  return Object.values(fields).every((value) => typeof value === 'string') ? fields : null;
}

/** The platform's side of POST /openapi/sendmsg/{TOKEN} for one bot: body -> payload (as the package's JSON form). */
export function openSendmsg(bot, text, readFields) {
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  if (!json || typeof json !== 'object' || Array.isArray(json)) refuse(1004, 'body is not JSON {"encrypt": ...}');
  if (typeof json.encrypt !== 'string' || json.encrypt === '') refuse(1004, 'encrypt field is empty');
  const plaintext = openCiphertext(bot.encodingAESKey, bot.appId, json.encrypt);
  if (plaintext === null) refuse(1005, "encrypt cannot be decrypted with this bot's key");
  const f = readFlatXml(readFields, plaintext);
  if (f === null) refuse(1005, 'the decrypted payload is not XML');
  const incomplete = () => refuse(1008, 'appid, openid, msg field cannot be empty');
  if (!f.openid || !f.msg || f.channel === undefined || !/^\s*\d+\s*$/.test(f.channel)) incomplete();
  const channel = Number(f.channel);
  if (!CHANNELS.has(channel)) incomplete();
  if (NEEDS_APPID.has(channel) && !f.appid) incomplete();
  if (f.event && !EVENTS.has(f.event)) incomplete();
  const payload = {};
  if (f.appid !== undefined) payload.appId = f.appid;
  payload.openid = f.openid;
  payload.msg = f.msg;
  payload.channel = channel;
  for (const [from, to] of [['event', 'event'], ['kefuname', 'kefuname'], ['kefuavatar', 'kefuavatar'], ['ans_node_name', 'ansNodeName']]) {
    if (f[from] !== undefined) payload[to] = f[from];
  }
  return payload;
}
