// Cloudflare Workers (workerd): the bundler hands the .wasm over as a WebAssembly.Module.
import wasmModule from './wechat_kf_bg.wasm';
import { initSync } from './wechat_kf.js';
import { setup } from './api.js';

initSync({ module: wasmModule });
setup();

export * from './public.js';
/** Already initialised in this runtime; kept so code can call `await init()` everywhere. */
export async function init() {}
