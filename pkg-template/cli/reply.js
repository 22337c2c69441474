import { ERR } from '../wechat-kf.js';
// Reading and judging a developer server's answer to a push, as the platform does: `success`,
// an empty body, or a passive reply (transfer_customer_service) that, for an encrypted push,
// is a correctly signed envelope decrypting for the appId.
import { CheckFailed } from './options.js';

/**
 * The fields of an XML or JSON body, read by the core (character data split around `]]>` and entities
 * decoded exactly): { format, fields }, or undefined when the text is neither.
 */
export function flatFields(lib, text) {
  try {
    return lib.readFields(text);
  } catch {
    return undefined;
  }
}

/** One field of an XML or JSON envelope (e.g. Encrypt), or undefined. */
export function envelopeField(lib, text, name) {
  const v = flatFields(lib, text)?.fields[name];
  return v === undefined || v === null ? undefined : String(v);
}

const shorten = (s, n = 120) => (s.length > n ? `${s.slice(0, n)}… (${s.length} characters)` : s);
const USER_SEES = 'the user would see "该小程序客服暂时无法提供服务"';

/**
 * Judges an answer (HTTP 200 body). push: { encrypted, format, fields (the pushed fields) };
 * keys: { token, encodingAESKey, appId } (for encrypted pushes). Returns a description of the
 * valid answer; throws CheckFailed saying what is wrong.
 */
export function judgeAnswer(lib, body, push, keys) {
  const text = body.trim();
  if (text === '') return 'empty body (acknowledged)';
  if (text === 'success') return "'success' (acknowledged)";
  const parsed = flatFields(lib, text);
  if (!parsed) {
    throw new CheckFailed(`the answer is not 'success', empty, or a reply in XML/JSON: got '${shorten(text)}'; ${USER_SEES}`);
  }
  if (parsed.format !== push.format) {
    throw new CheckFailed(`the push was ${push.format.toUpperCase()} but the reply is ${parsed.format.toUpperCase()}: answer in the push's format`);
  }
  let fields = parsed.fields;
  let how = 'plaintext reply';
  if (push.encrypted) {
    const f = parsed.fields;
    if (f.Encrypt === undefined) {
      throw new CheckFailed(`the push was encrypted but the reply is not (no Encrypt field): in safe mode replies must be encrypted; ${USER_SEES}`);
    }
    for (const name of ['MsgSignature', 'TimeStamp', 'Nonce']) {
      if (f[name] === undefined || f[name] === '') throw new CheckFailed(`the encrypted reply has no ${name} field`);
    }
    const crypt = new lib.WXBizMsgCrypt(keys);
    let plaintext;
    try {
      plaintext = crypt.decryptMessage({ msgSignature: String(f.MsgSignature), timestamp: String(f.TimeStamp), nonce: String(f.Nonce), body: text });
    } catch (e) {
      if (e.code === ERR.ValidateSignature) {
        throw new CheckFailed('the reply\'s MsgSignature is wrong (-40001): it must be the sha1 of the sorted token, TimeStamp, Nonce and Encrypt; is the server using another token?');
      }
      throw new CheckFailed(`the reply does not decrypt for appId ${keys.appId}: ${e.kind ?? 'Error'} ${e.code ?? ''} ${e.message}`);
    } finally {
      crypt.free();
    }
    const inner = flatFields(lib, plaintext);
    if (!inner) throw new CheckFailed(`the reply decrypts to neither XML nor JSON: '${shorten(plaintext)}'`);
    fields = inner.fields;
    how = 'encrypted reply, signature and appId checked';
  }
  const type = fields.MsgType;
  if (type !== 'transfer_customer_service') {
    throw new CheckFailed(`the reply's MsgType is '${type ?? '(none)'}': the only passive reply of customer-service messages is transfer_customer_service (other messages go through the send API); ${USER_SEES}`);
  }
  if (push.fields.MsgType === 'event') {
    throw new CheckFailed('transfer_customer_service answers an event: only user messages can be transferred to the agents');
  }
  if (fields.ToUserName !== push.fields.FromUserName) {
    throw new CheckFailed(`the reply's ToUserName is '${fields.ToUserName}', not the user's openid '${push.fields.FromUserName}' (To/From must be swapped)`);
  }
  if (fields.FromUserName !== push.fields.ToUserName) {
    throw new CheckFailed(`the reply's FromUserName is '${fields.FromUserName}', not the account '${push.fields.ToUserName}' (To/From must be swapped)`);
  }
  return `transfer_customer_service (${how})`;
}
