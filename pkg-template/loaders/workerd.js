// Cloudflare Workers (workerd): the bundler hands the .wasm over as a WebAssembly.Module.
import wasmModule from '../wasm/wechat_kf_bg.wasm';
import { initSync } from '../wasm/wechat_kf.js';
import { setup } from './connect.js';

initSync({ module: wasmModule });
setup();

export * from '../index.js';
/** Already initialised in this runtime; kept so code can call `await init()` everywhere. */
export async function init() {}
