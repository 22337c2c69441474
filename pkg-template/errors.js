/**
 * Every failure of the package is a WxkfError: `code` is the official WXBizMsgCrypt code
 * (-40001 .. -40012) or the platform's errcode, `kind` a stable string such as
 * 'ValidateSignature'. Messages never contain the token or the EncodingAESKey.
 */
export class WxkfError extends Error {
  constructor(message, code, kind, details) {
    super(message);
    this.name = 'WxkfError';
    this.code = code;
    this.kind = kind;
    if (details && typeof details === 'object') Object.assign(this, details);
  }
}
