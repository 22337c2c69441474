// Fixtures shared by every part of the benchmark (Node, Deno and Bun): the account, realistic
// text pushes of a given size, and their encryption. Encryption uses node:crypto directly (not
// the package under test, not a peer), so every contender decrypts pushes made independently.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { Buffer } from 'node:buffer';

export const ACCOUNT = Object.freeze({
  token: 'benchToken',
  encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  appId: 'wxb11529c136998cb6',
});

export const SIZES = [256, 1024, 2048, 16 * 1024, 64 * 1024];
export const sizeLabel = (size) => (size >= 1024 ? `${size / 1024} KB` : `${size} B`);

// What users write to customer service: Chinese with ASCII order numbers, words and punctuation.
const PHRASES = [
  '您好，我想查询一下订单 ', 'A2023-0915 ', '的物流状态。', 'Hello, is it shipped? ', '谢谢！',
  '商品颜色选的是蓝色 (blue, size M)，', '能否改成 L 码？', '地址：上海市浦东新区 88 号 ', 'OK 👍 ',
];

/** Text content of exactly `bytes` bytes of UTF-8 (the characters never straddle the limit). */
export function contentOfBytes(bytes, tail = '') {
  const tailBytes = Buffer.byteLength(tail);
  let out = '';
  let used = 0;
  for (let i = 0; used < bytes - tailBytes; i++) {
    for (const ch of PHRASES[i % PHRASES.length]) {
      const n = Buffer.byteLength(ch);
      if (used + n > bytes - tailBytes) {
        // Pad with ASCII to the exact size (no trailing space: node-webot trims text).
        const pad = bytes - tailBytes - used;
        return out + 'x'.repeat(pad) + tail;
      }
      out += ch;
      used += n;
    }
  }
  return out + tail;
}

const xmlHead = (createTime) => '<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>'
  + '<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>'
  + `<CreateTime>${createTime}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[`;
const xmlTail = (msgId) => `]]></Content><MsgId>${msgId}</MsgId></xml>`;

/**
 * A text push whose decrypted XML is `size` bytes of UTF-8 (or a little more when the frame alone
 * is larger): { xml, content, msgId }. With `tagged`, the content ends with `#<msgId>` so that a
 * server can check it decrypted the right push.
 */
export function textPush(size, { createTime = 1700000000, msgId = '6054768590064713728', tagged = false } = {}) {
  const frame = Buffer.byteLength(xmlHead(createTime) + xmlTail(msgId));
  const tail = tagged ? ` #${msgId}` : '';
  const content = contentOfBytes(Math.max(size - frame, Buffer.byteLength(tail) + 8), tail);
  return { xml: xmlHead(createTime) + content + xmlTail(msgId), content, msgId };
}

function aesKey(encodingAESKey) {
  return Buffer.from(encodingAESKey + '=', 'base64');
}

/** WXBizMsgCrypt encryption: base64(AES-256-CBC(random16 | len32be | msg | appId), PKCS#7 to 32). */
export function encrypt(message, { encodingAESKey, appId } = ACCOUNT) {
  const key = aesKey(encodingAESKey);
  const msg = Buffer.from(message);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length, 0);
  const plain = Buffer.concat([randomBytes(16), len, msg, Buffer.from(appId)]);
  const pad = 32 - (plain.length % 32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
}

export function msgSignature(token, timestamp, nonce, encrypted) {
  return createHash('sha1').update([token, timestamp, nonce, encrypted].sort().join('')).digest('hex');
}

/**
 * An encrypted (安全模式) push as the platform sends it: { query, body, path } where path is the
 * request target with the query string.
 */
export function encryptedPush(xml, { timestamp = '1700000000', nonce = '1320562132', account = ACCOUNT } = {}) {
  const enc = encrypt(xml, account);
  const sig = msgSignature(account.token, timestamp, nonce, enc);
  const body = '<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>'
    + `<Encrypt><![CDATA[${enc}]]></Encrypt></xml>`;
  // `signature` (over token, timestamp, nonce) is sent too in safe mode; it is not checked.
  const signature = createHash('sha1').update([account.token, timestamp, nonce].sort().join('')).digest('hex');
  const query = { signature, timestamp, nonce, openid: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs', encrypt_type: 'aes', msg_signature: sig };
  const path = '/wechat?' + new URLSearchParams(query).toString();
  return { query, body, path, encrypted: enc, msgSignature: sig };
}

/** The runtime running this code, for the printed figures. */
export function runtimeName() {
  if (typeof globalThis.Deno !== 'undefined') return `Deno ${globalThis.Deno.version.deno}`;
  if (typeof globalThis.Bun !== 'undefined') return `Bun ${globalThis.Bun.version}`;
  return `Node ${globalThis.process.version}`;
}

export const RESULT_MARKER = '@@BENCH@@';
