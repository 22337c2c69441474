// The public API, shared by every runtime entry. The entries load the .wasm and call setup().
import { __registerErrorClass, __registerHostCrypto } from './wechat_kf.js';
import { WxkfError } from './errors.js';

export { WXBizMsgCrypt, signature, checkSignature, readFields, writeFields } from './wechat_kf.js';
export { WxkfError } from './errors.js';

/**
 * Connects the instantiated module to the JS error class and, where the runtime has them,
 * the host's crypto primitives. Called once by each entry.
 */
export function setup(hostCrypto) {
  __registerErrorClass(WxkfError);
  if (hostCrypto) __registerHostCrypto(hostCrypto);
}
