// Node (ESM and require), Deno and Bun: the inbound module is compiled synchronously at import,
// the outbound one synchronously on first use (loaders/outbound.js). The package's code is in
// ../wechat-kf.js (one file, shared with the stores); node:fs comes through
// process.getBuiltinModule, which skips building the ES module facade of node:fs at start.
import internal from '../wechat-kf.js';

const { readFileSync } = process.getBuiltinModule('node:fs');
internal.initSync({ module: readFileSync(new URL('../wasm/wechat_kf_bg.wasm', import.meta.url)) });
internal.setup(internal.nodeHostCrypto);
internal.provideOutbound(() => readFileSync(new URL('../wasm/wechat_kf_outbound_bg.wasm', import.meta.url)));

export * from '../wechat-kf.js';
/** Already initialised in this runtime; kept so code can call `await init()` everywhere. */
export async function init() {}
