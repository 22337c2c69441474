// Cloudflare Workers (workerd): the bundler hands each .wasm over as a WebAssembly.Module. Both
// are imported here so that the bundler ships them; the outbound one is instantiated on first
// use (loaders/outbound.js).
import wasmModule from '../wasm/wechat_kf_bg.wasm';
import outboundModule from '../wasm/wechat_kf_outbound_bg.wasm';
import { initSync } from '../wasm/wechat_kf.js';
import { setup } from './connect.js';
import { provideOutbound } from './outbound.js';

initSync({ module: wasmModule });
setup();
provideOutbound(() => outboundModule);

export * from '../index.js';
/** Already initialised in this runtime; kept so code can call `await init()` everywhere. */
export async function init() {}
