// Node (ESM and require), Deno and Bun: the inbound module is compiled synchronously at import,
// the outbound one synchronously on first use (loaders/outbound.js). The package's code is in
// ../wechat-kf.js (one file, shared with the stores). node:fs and node:crypto come through
// process.getBuiltinModule, which skips building their ES module facades at start.
import internal from '../wechat-kf.js';

// Every Node the package supports has it (since 20.16), Deno since 2.1, and current Bun; an
// older runtime gets this message rather than "process.getBuiltinModule is not a function".
if (typeof globalThis.process?.getBuiltinModule !== 'function') {
  throw new Error(
    'wechat-kf: this runtime has no process.getBuiltinModule, which the package needs to read its .wasm: use Node >= 20.19, Deno >= 2.1 or a current Bun',
  );
}
const { readFileSync } = process.getBuiltinModule('node:fs');
// The host crypto's node:crypto, loaded now rather than by its first call: a first push of 256
// bytes or more then pays more for it (measured: import 3 ms faster, import + first push of 1 KB
// 1 to 2 ms slower).
process.getBuiltinModule('node:crypto');
internal.initSync({ module: readFileSync(new URL('../wasm/wechat_kf_bg.wasm', import.meta.url)) });
internal.setup(internal.nodeHostCrypto);
internal.provideOutbound(() => readFileSync(new URL('../wasm/wechat_kf_outbound_bg.wasm', import.meta.url)), internal.nodeHostCrypto);

export * from '../wechat-kf.js';
/** Already initialised in this runtime; kept so code can call `await init()` everywhere. */
export async function init() {}
