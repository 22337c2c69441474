// Plain-words explanations of every error kind of wechat-kf (src/error.rs, generated/tables.d.ts), in
// Chinese and English: what the check is, what the official code means, the likely causes.
// A cause may name the checks that rule it out (a third element): once the plain `signature`
// passed, the Token, timestamp and nonce are right; once `msg_signature` passed, the body
// (Encrypt) is also as signed. likelyCauses() lists only what the passed checks leave open.

/** kind -> { zh, en, causes: [[zh, en, ruledOutBy?: string[]], ...] } */
export const EXPLAIN = {
  ValidateSignature: {
    zh: '签名校验失败 (-40001)：用 Token、timestamp、nonce（加密模式还有 Encrypt）算出的 SHA-1 与请求里的 signature / msg_signature 不一致。',
    en: 'Signature check failed (-40001): the SHA-1 of Token, timestamp, nonce (and, when encrypted, Encrypt) does not equal the signature / msg_signature of the request.',
    causes: [
      ['Token 填错（与公众平台“消息推送”配置不一致）', 'the Token differs from the one in the console\'s message push settings', ['signature', 'msg_signature']],
      ['body 被截断、重新格式化，或 Encrypt 里的 “+” 被 URL 解码成了空格', 'the body was trimmed or re-formatted, or a "+" in Encrypt was URL-decoded into a space', ['msg_signature']],
      ['timestamp / nonce / msg_signature 复制不完整或来自另一个请求', 'timestamp, nonce or msg_signature copied incompletely or from another request'],
    ],
  },
  ParseXml: {
    zh: 'XML 解析失败 (-40002)：body 不是平台格式的 XML，或缺少必需字段（如 Encrypt、MsgType）。',
    en: 'XML could not be parsed (-40002): the body is not XML in the platform\'s form, or a required field (Encrypt, MsgType...) is missing.',
    causes: [
      ['只粘贴了一部分 body', 'only part of the body was pasted'],
      ['数据格式其实是 JSON（控制台“数据格式”）', 'the console\'s data format is JSON, not XML'],
      ['包含 DTD 或未知实体（为安全起见会被拒绝）', 'it contains a DTD or unknown entities (refused for safety)'],
    ],
  },
  ComputeSignature: {
    zh: '无法计算签名 (-40003)：timestamp / nonce 等输入不合法。',
    en: 'Signature could not be computed (-40003): an input (timestamp, nonce) is not valid.',
    causes: [['Token 没有填写', 'the Token field is empty']],
  },
  IllegalAesKey: {
    zh: 'EncodingAESKey 非法 (-40004)：它必须正好 43 个字符（base64，解码后 32 字节）。',
    en: 'Illegal EncodingAESKey (-40004): it must be exactly 43 base64 characters (32 bytes decoded).',
    causes: [
      ['复制时多了或少了字符、首尾带空格', 'a character too many or too few, or spaces around it'],
      ['粘贴的是 AppSecret 或 Token，而不是 EncodingAESKey', 'the AppSecret or Token was pasted instead of the EncodingAESKey'],
    ],
  },
  ValidateAppId: {
    zh: 'AppID 不匹配 (-40005)：解密成功，但消息末尾的 appId（receiveid）与填写的 appId 不同。',
    en: 'AppId mismatch (-40005): decryption worked, but the appId (receiveid) at the end of the message is not the one given.',
    causes: [
      ['填写了另一个小程序 / 公众号的 appId', 'the appId of another mini program or account was given'],
      ['对话开放平台的消息要用机器人的 APPID（短 id），不是 wx 开头的 appId', 'dialogue platform messages use the bot\'s short APPID, not a wx… appId'],
    ],
  },
  EncryptAes: {
    zh: 'AES 加密失败 (-40006)。',
    en: 'AES encryption failed (-40006).',
    causes: [['随机数来源不可用或输入过大', 'no random source, or the input is too large']],
  },
  DecryptAes: {
    zh: 'AES 解密失败 (-40007)：密文长度不对，或解密后的填充（PKCS#7，按 32 字节）不合法。',
    en: 'AES decryption failed (-40007): the ciphertext length is wrong, or the padding after decryption (PKCS#7 to 32 bytes) is invalid.',
    causes: [
      ['EncodingAESKey 填错（解出来的是乱码）', 'the EncodingAESKey is wrong (decryption gives garbage)'],
      ['Encrypt 被截断', 'the Encrypt value was cut short', ['msg_signature']],
    ],
  },
  IllegalBuffer: {
    zh: '解密后的数据结构不对 (-40008)：长度字段与内容不符。',
    en: 'Illegal buffer after decryption (-40008): the length field does not fit the content.',
    causes: [
      ['EncodingAESKey 填错', 'the EncodingAESKey is wrong'],
      ['密文不是用 WXBizMsgCrypt 生成的', 'the ciphertext was not made by WXBizMsgCrypt'],
    ],
  },
  EncodeBase64: {
    zh: 'Base64 编码失败 (-40009)。',
    en: 'Base64 encoding failed (-40009).',
    causes: [],
  },
  DecodeBase64: {
    zh: 'Base64 解码失败 (-40010)：Encrypt 不是合法的 base64。',
    en: 'Base64 decoding failed (-40010): Encrypt is not valid base64.',
    causes: [
      ['body 被截断', 'the body was trimmed', ['msg_signature']],
      ['“+” 被 URL 解码成了空格，或混入了换行', 'a "+" became a space through URL decoding, or line breaks got in', ['msg_signature']],
    ],
  },
  GenReturnXml: {
    zh: '无法生成回复 (-40011)：例如对事件使用了 transfer_customer_service（只有用户消息可以转人工）。',
    en: 'The reply could not be generated (-40011): e.g. transfer_customer_service for an event (only user messages can be transferred).',
    causes: [],
  },
  ParseJson: {
    zh: 'JSON 解析失败 (-40012)：body 不是合法的 JSON，或缺少 Encrypt 等字段。',
    en: 'JSON could not be parsed (-40012): the body is not valid JSON, or Encrypt or another field is missing.',
    causes: [
      ['只粘贴了一部分 body', 'only part of the body was pasted'],
      ['数据格式其实是 XML', 'the data format is XML, not JSON'],
    ],
  },
  TimestampOutOfWindow: {
    zh: '时间戳超出允许范围 (-41001)：timestamp 与当前时间相差太多（防重放）。',
    en: 'Timestamp out of the window (-41001): the timestamp is too far from now (replay protection).',
    causes: [
      ['这是旧请求或文档示例：调试时可以关闭“检查时间戳”', 'an old request or a documentation sample: turn the timestamp check off for debugging'],
      ['服务器时钟不准', 'the server\'s clock is off'],
    ],
  },
  BodyTooLarge: {
    zh: 'body 太大 (-41002)。',
    en: 'The body is too large (-41002).',
    causes: [['粘贴了多余的内容', 'more than the body was pasted']],
  },
  JsonTooDeep: {
    zh: 'JSON 嵌套太深 (-41003)。',
    en: 'JSON nested too deeply (-41003).',
    causes: [['这不是平台发来的推送', 'this is not a push from the platform']],
  },
  InvalidQuery: {
    zh: '查询参数有误 (-41004)：缺少 timestamp / nonce，格式不对，或 encrypt_type 不认识。',
    en: 'Bad query (-41004): timestamp or nonce missing or malformed, or an unknown encrypt_type.',
    causes: [['粘贴查询字符串时漏了参数', 'a parameter was lost when pasting the query string']],
  },
  PlaintextRefused: {
    zh: '拒绝明文推送 (-41005)：接收方设置了 allowPlaintext: false，而这条推送没有 encrypt_type=aes。',
    en: 'Plaintext refused (-41005): the receiver has allowPlaintext: false and this push has no encrypt_type=aes.',
    causes: [['明文模式下 signature 不覆盖消息体：加密账号应拒绝明文推送', 'in plaintext mode the signature does not cover the body, so an encrypted account refuses plaintext pushes']],
  },
  UntrustedSource: {
    zh: '来源不可信 (-41008)：请求没有 x-wx-source 头（服务开启了公网访问），或请求表明它来自小程序客户端（x-wx-source 为空或为 wx_client 等客户端来源，或 x-wx-openid 与推送的 FromUserName 不同）。',
    en: 'Untrusted source (-41008): the request has no x-wx-source header (the service has public access), or it says a mini program client sent it (an empty or client x-wx-source such as wx_client, or an x-wx-openid other than the push\'s FromUserName).',
    causes: [['请求来自公网而不是平台内网链路', 'the request came from the internet, not over the platform\'s internal link']],
  },
  InvalidOption: {
    zh: '选项有误 (-41006)：Token、EncodingAESKey 或 AppID 为空或类型不对（error.field 指出是哪一个）。',
    en: 'Bad option (-41006): the Token, EncodingAESKey or AppID is empty or not a string (error.field names it).',
    causes: [['有一个输入框是空的', 'one of the fields is empty']],
  },
  MissingField: {
    zh: '缺少必填字段 (-42001)。',
    en: 'A required field is missing (-42001).',
    causes: [],
  },
  InvalidField: {
    zh: '字段取值不合法 (-42002)。',
    en: 'A field has an invalid value (-42002).',
    causes: [],
  },
  InvalidInput: {
    zh: '输入不合法 (-42003)。',
    en: 'Invalid input (-42003).',
    causes: [],
  },
};

/** The explanation of an error (a WxkfError or anything thrown). */
export function explain(error) {
  return EXPLAIN[error?.kind] ?? {
    zh: '未预期的错误。',
    en: 'An unexpected error.',
    causes: [],
  };
}

/**
 * The likely causes of an error as [zh, en] pairs, leaving out those a passed check rules out
 * (passed: the names of the checks that passed, e.g. ['signature']).
 */
export function likelyCauses(error, passed = []) {
  const ok = new Set(passed);
  return explain(error).causes.filter(([, , ruledOutBy = []]) => !ruledOutBy.some((c) => ok.has(c))).map(([zh, en]) => [zh, en]);
}
