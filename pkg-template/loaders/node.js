// Node (ESM and require), Deno and Bun: the inbound module is compiled synchronously at import,
// the outbound one synchronously on first use (loaders/outbound.js).
import { readFileSync } from 'node:fs';
import { initSync } from '../wasm/wechat_kf.js';
import { setup } from './connect.js';
import { nodeHostCrypto } from './node-host-crypto.js';
import { provideOutbound } from './outbound.js';

initSync({ module: readFileSync(new URL('../wasm/wechat_kf_bg.wasm', import.meta.url)) });
setup(nodeHostCrypto);
provideOutbound(() => readFileSync(new URL('../wasm/wechat_kf_outbound_bg.wasm', import.meta.url)), nodeHostCrypto);

export * from '../index.js';
/** Already initialised in this runtime; kept so code can call `await init()` everywhere. */
export async function init() {}
