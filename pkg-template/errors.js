import { ERR } from './generated/tables.js';

export { ERR };

/**
 * Every failure of the package is a WxkfError: `code` is the official WXBizMsgCrypt code
 * (-40001 .. -40012), one of the package's own codes (generated/tables.js, rendered from
 * src/error.rs) or the platform's errcode, `kind` a stable string such as 'ValidateSignature'.
 * Messages never contain the token or the EncodingAESKey.
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

const KIND_OF = new Map(Object.entries(ERR).map(([kind, code]) => [code, kind]));

/** The WxkfError of one of the package's own codes (`ERR.X`): its kind comes from the table. */
export function wxkfError(code, message, details) {
  const kind = KIND_OF.get(code);
  if (kind === undefined) throw new TypeError(`wxkfError: ${code} is not a code of generated/tables.js`);
  return new WxkfError(message, code, kind, details);
}

/** -41006 InvalidOption for the option `name` (its `field`); the message names it too. */
export const invalidOption = (name, message) => wxkfError(ERR.InvalidOption, message, { field: name });
