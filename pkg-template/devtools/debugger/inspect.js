// Inspecting a pasted push: each check the platform's request must pass, one by one, then the
// package's own verification, decryption and parsing (Receiver); on failure, which check
// failed and the likely cause, worked out from the checks that did pass.
import { Receiver, WXBizMsgCrypt, checkSignature, readFields } from './lib.js';

/** The query from `a=1&b=2`, `?a=1...` or a whole URL. */
export function parseQuery(text) {
  const t = text.trim();
  return new URLSearchParams(t.includes('?') ? t.slice(t.indexOf('?') + 1) : t);
}

/** The Encrypt field of an XML or JSON envelope (read by the core), or undefined. */
function encryptOf(body) {
  try {
    const value = readFields(body).fields.Encrypt;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * o: { token, encodingAESKey, appId, query (text), body (text), checkWindow (bool) }.
 * Returns { steps: [{ ok, zh, en }], passed: ['signature' | 'msg_signature'], push?, plaintext?,
 * error?, hints: [[zh, en]] }.
 */
export function inspectPush(o) {
  const steps = [];
  const hints = [];
  const step = (ok, zh, en) => steps.push({ ok, zh, en });
  const q = parseQuery(o.query);
  const body = o.body;
  const encrypted = q.get('encrypt_type') === 'aes';
  const format = body.trim().startsWith('{') ? 'json' : 'xml';
  step(true, `模式：${encrypted ? '加密（encrypt_type=aes）' : '明文（查询中没有 encrypt_type=aes）'}；格式：${format.toUpperCase()}`,
    `Mode: ${encrypted ? 'encrypted (encrypt_type=aes)' : 'plaintext (no encrypt_type=aes in the query)'}; format: ${format.toUpperCase()}`);
  const encrypt = encryptOf(body);
  if (!encrypted && encrypt !== undefined) {
    hints.push(['body 里有 Encrypt，但查询里没有 encrypt_type=aes：查询字符串可能没有粘贴完整。',
      'The body carries Encrypt but the query has no encrypt_type=aes: the query string may be incomplete.']);
  }
  if (encrypt && /\s/.test(encrypt)) {
    hints.push(['Encrypt 中有空格或换行：多半是 “+” 被 URL 解码成了空格，或复制时折行了。',
      'Encrypt contains spaces or line breaks: a "+" was probably URL-decoded into a space, or the copy wrapped lines.']);
  }

  let sigOk;
  let msgSigOk;
  const ts = q.get('timestamp');
  const nonce = q.get('nonce');
  if (o.token && ts && nonce) {
    if (q.get('signature')) {
      sigOk = checkSignature(o.token, ts, nonce, q.get('signature'));
      step(sigOk, `signature（Token + timestamp + nonce）${sigOk ? '正确' : '不正确'}`, `signature (Token + timestamp + nonce) ${sigOk ? 'is valid' : 'is NOT valid'}`);
    }
    if (encrypted && q.get('msg_signature') && encrypt !== undefined) {
      msgSigOk = checkSignature(o.token, ts, nonce, q.get('msg_signature'), String(encrypt));
      step(msgSigOk, `msg_signature（Token + timestamp + nonce + Encrypt）${msgSigOk ? '正确' : '不正确'}`,
        `msg_signature (Token + timestamp + nonce + Encrypt) ${msgSigOk ? 'is valid' : 'is NOT valid'}`);
    }
  }

  let receiver;
  try {
    // An inspection tool: plaintext pushes are checked too (a server refuses them by default
    // when a key is configured), and without a key only they can be.
    receiver = new Receiver({
      token: o.token, encodingAESKey: o.encodingAESKey || undefined, appId: o.appId || undefined,
      maxSkewSeconds: o.checkWindow ? 300 : 0, allowPlaintext: true,
    });
    const push = receiver.receive({ query: q, body });
    let plaintext = body;
    if (push.mode !== 'plaintext') {
      const crypt = new WXBizMsgCrypt({ token: o.token, encodingAESKey: o.encodingAESKey, appId: o.appId });
      try {
        plaintext = crypt.decryptMessage({ msgSignature: q.get('msg_signature'), timestamp: ts, nonce, body });
      } finally {
        crypt.free();
      }
    }
    step(true, `${push.mode === 'plaintext' ? '已验证并解析' : '已验证、解密（appId 一致）并解析'}：${push.known ? '已知类型' : '本版本未建模的类型（字段见 raw）'}`,
      `${push.mode === 'plaintext' ? 'Verified and parsed' : 'Verified, decrypted (appId matches) and parsed'}: ${push.known ? 'a typed message' : 'a type this version does not model (its fields are in raw)'}`);
    return { steps, hints, passed: passedChecks(sigOk, msgSigOk), push, plaintext };
  } catch (error) {
    step(false, `失败：${error.kind ?? error.name} (${error.code ?? '?'})`, `Failed: ${error.kind ?? error.name} (${error.code ?? '?'})`);
    hints.push(...diagnose(error, { sigOk, msgSigOk, encrypted }));
    return { steps, hints, passed: passedChecks(sigOk, msgSigOk), error };
  } finally {
    receiver?.free();
  }
}

/** The names of the signature checks that passed. */
function passedChecks(sigOk, msgSigOk) {
  return [...(sigOk ? ['signature'] : []), ...(msgSigOk ? ['msg_signature'] : [])];
}

/** Likely causes, from which of the checks passed. */
function diagnose(error, { sigOk, msgSigOk, encrypted }) {
  const out = [];
  if (error.kind === 'ValidateSignature') {
    if (sigOk && msgSigOk === false) {
      out.push(['signature 正确，说明 Token、timestamp、nonce 都对；只有 msg_signature 不对，所以是 body（Encrypt）与签名时不同：被截断、改动，或粘贴了另一个请求的 body。',
        'signature is valid, so Token, timestamp and nonce are right; only msg_signature fails, so the body (Encrypt) differs from what was signed: trimmed, altered, or the body of another request.']);
    } else if (sigOk === false) {
      out.push(['signature 也不正确：最可能是 Token 填错（也可能 timestamp / nonce 被改动）。',
        'signature fails as well: most likely the Token is wrong (or timestamp / nonce were altered).']);
    } else if (encrypted && msgSigOk === false) {
      out.push(['没有 signature 可对照：要么 Token 填错，要么 msg_signature / timestamp / nonce / body 不是同一个请求的。',
        'No signature to compare with: either the Token is wrong, or msg_signature, timestamp, nonce and body are not from the same request.']);
    }
  }
  if ((error.kind === 'DecryptAes' || error.kind === 'IllegalBuffer') && msgSigOk) {
    out.push(['msg_signature 正确，说明 body 没有被改动：最可能是 EncodingAESKey 填错。',
      'msg_signature is valid, so the body is intact: the EncodingAESKey is most likely wrong.']);
  }
  if (error.kind === 'ValidateAppId') {
    out.push(['签名和密钥都对，只是 appId 不同：把 appId 改成上面消息里提到的那个。',
      'Signature and key are right, only the appId differs: use the appId named in the message above.']);
  }
  return out;
}
