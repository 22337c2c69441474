// The public API, shared by every runtime entry. The entries load the .wasm and call setup().
import { __registerErrorClass } from './wechat_kf.js';
import { WxkfError } from './errors.js';

export { WXBizMsgCrypt, signature } from './wechat_kf.js';
export { WxkfError } from './errors.js';

/** Connects the instantiated module to the JS error class. Called once by each entry. */
export function setup() {
  __registerErrorClass(WxkfError);
}
