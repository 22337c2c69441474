// What every runtime loader does once the module is instantiated: connect it to the JS error
// class and, where the runtime has them, to the host's crypto primitives.
import { __registerErrorClass, __registerHostCrypto } from '../wasm/wechat_kf.js';
import { WxkfError } from '../errors.js';

/** Called once by each loader (node.js, workerd.js, browser.js) after instantiation. */
export function setup(hostCrypto) {
  __registerErrorClass(WxkfError);
  if (hostCrypto) __registerHostCrypto(hostCrypto);
}
