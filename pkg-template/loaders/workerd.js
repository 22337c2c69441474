// Cloudflare Workers (workerd): the bundler hands each .wasm over as a WebAssembly.Module. Both,
// and the outbound module's glue, are imported here so that the bundler ships them; the outbound
// one is instantiated on first use (loaders/outbound.js). The package's code is in ../wechat-kf.js.
import wasmModule from '../wasm/wechat_kf_bg.wasm';
import outboundModule from '../wasm/wechat_kf_outbound_bg.wasm';
import * as outboundGlue from '../wasm/wechat_kf_outbound.js';
import internal from '../wechat-kf.js';

internal.initSync({ module: wasmModule });
internal.setup();
internal.provideOutbound(() => outboundGlue, () => outboundModule);

export * from '../wechat-kf.js';
/** Already initialised in this runtime; kept so code can call `await init()` everywhere. */
export async function init() {}
