// Browsers (and any runtime without file access): call `await init()` once before use. It loads
// both modules: the inbound one and the outbound one (WXBizMsgCrypt, signatures, fields, an
// encrypted push's transferReply(), requests, Client, chatbot, SendWindow).
// With no argument the package's wasm/wechat_kf_bg.wasm and wasm/wechat_kf_outbound_bg.wasm are
// fetched; a URL, Response, BufferSource or WebAssembly.Module may be passed for each instead.
// init() fails only when the inbound module fails to load; an outbound module that failed to
// load is reported, with its cause, by the first outbound call, and the next init() retries it.
// The package's code is in ../wechat-kf.js; the outbound module's glue is its own file.
import initOutbound, * as outboundGlue from '../wasm/wechat_kf_outbound.js';
import internal from '../wechat-kf.js';

const { initInbound, setup, outboundLoaded, outboundFailed } = internal;

let ready;

const arg = (input) => (input === undefined ? undefined : { module_or_path: input });

/** Loads the modules once; later calls return the same promise. */
export function init(input, outboundInput) {
  if (!ready) {
    const outbound = initOutbound(arg(outboundInput)).then(() => outboundLoaded(outboundGlue), (e) => {
      outboundFailed(e);
      ready = undefined;
    });
    ready = Promise.all([initInbound(arg(input)).then(() => setup()), outbound]).then(() => {});
    ready.catch(() => {
      ready = undefined;
    });
  }
  return ready;
}

export * from '../wechat-kf.js';
