// The outbound module (everything an inbound handler does not need to receive and answer:
// WXBizMsgCrypt, signatures, fields, request builders, catalog, responses, send window, dialogue
// platform, media checks) is a second .wasm with its own wasm-bindgen glue,
// wasm/wechat_kf_outbound.js, which ships beside it rather than in wechat-kf.js: an inbound handler
// neither compiles the one nor parses the other (62 KB of JavaScript) at start. Each runtime loader
// says where both come from (`provideOutbound`: a function returning the glue's module, loaded
// synchronously, one returning the .wasm's bytes or a WebAssembly.Module, both called once, on
// first use, and the host's crypto primitives if the runtime has them); the browser loader
// instantiates it in `init()` instead (`outboundLoaded`).
import { WxkfError } from '../errors.js';

let loadGlue;
let source;
let hostCrypto;
let glue;
let failure;

/** Called by a synchronous loader (node.js, workerd.js) at import; nothing is loaded yet. */
export function provideOutbound(getGlue, get, host) {
  loadGlue = getGlue;
  source = get;
  hostCrypto = host;
}

/** Called once the outbound module is instantiated (here, or by the browser loader) with its glue. */
export function outboundLoaded(loaded) {
  loaded.__registerErrorClass(WxkfError);
  if (hostCrypto) loaded.__registerHostCrypto(hostCrypto);
  glue = loaded;
  failure = undefined;
}

/** Called by the browser loader when the outbound module could not be loaded. */
export function outboundFailed(cause) {
  failure = cause;
}

/** The outbound module's exports, loaded, compiled and instantiated on the first call. */
export function outbound() {
  if (glue === undefined) {
    if (failure) {
      throw new Error(`wechat-kf: the outbound module (wasm/wechat_kf_outbound_bg.wasm) failed to load in init(): ${failure?.message ?? failure}`, { cause: failure });
    }
    if (!source) {
      throw new Error('wechat-kf: call `await init()` before using the outbound API (WXBizMsgCrypt, signature, readFields, requests, Client, chatbot, SendWindow, parseResponse) in this runtime');
    }
    const loaded = loadGlue();
    loaded.initSync({ module: source() });
    outboundLoaded(loaded);
  }
  return glue;
}
