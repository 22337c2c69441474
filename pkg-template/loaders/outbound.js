// The outbound module (everything an inbound handler does not need to receive and answer:
// WXBizMsgCrypt, signatures, fields, request builders, catalog, responses, send window, dialogue
// platform, media checks) is a second .wasm, compiled on first use: an inbound handler compiles
// only the inbound one at start. Each runtime loader says where the outbound module comes from
// (`provideOutbound`: a function returning its bytes or a WebAssembly.Module, called once, on
// first use, and the host's crypto primitives if the runtime has them); the browser loader
// instantiates it in `init()` instead (`outboundLoaded`).
import * as glue from '../wasm/wechat_kf_outbound.js';
import { WxkfError } from '../errors.js';

let source;
let hostCrypto;
let ready = false;
let failure;

/** Called by a synchronous loader (node.js, workerd.js) at import; nothing is compiled yet. */
export function provideOutbound(get, host) {
  source = get;
  hostCrypto = host;
}

/** Called once the outbound module is instantiated (here, or by the browser loader). */
export function outboundLoaded() {
  glue.__registerErrorClass(WxkfError);
  if (hostCrypto) glue.__registerHostCrypto(hostCrypto);
  ready = true;
  failure = undefined;
}

/** Called by the browser loader when the outbound module could not be loaded. */
export function outboundFailed(cause) {
  failure = cause;
}

/** The outbound module's exports, compiled and instantiated on the first call. */
export function outbound() {
  if (!ready) {
    if (failure) {
      throw new Error(`wechat-kf: the outbound module (wasm/wechat_kf_outbound_bg.wasm) failed to load in init(): ${failure?.message ?? failure}`, { cause: failure });
    }
    if (!source) {
      throw new Error('wechat-kf: call `await init()` before using the outbound API (WXBizMsgCrypt, signature, readFields, requests, Client, chatbot, SendWindow, parseResponse) in this runtime');
    }
    glue.initSync({ module: source() });
    outboundLoaded();
  }
  return glue;
}

/** The glue's async initialiser, for the browser loader. */
export const initOutboundAsync = glue.default;
