// Node (ESM and require), Deno and Bun: the module is compiled synchronously at import.
import { readFileSync } from 'node:fs';
import { initSync } from '../wasm/wechat_kf.js';
import { setup } from './connect.js';
import { nodeHostCrypto } from './node-host-crypto.js';

initSync({ module: readFileSync(new URL('../wasm/wechat_kf_bg.wasm', import.meta.url)) });
setup(nodeHostCrypto);

export * from '../index.js';
/** Already initialised in this runtime; kept so code can call `await init()` everywhere. */
export async function init() {}
