// Node (ESM and require), Deno and Bun: the inbound module is compiled synchronously at import,
// the outbound one and its glue (an ES module, loaded with require(), which Node >= 20.19, Deno
// and Bun do synchronously) on first use (loaders/outbound.js). The package's code is in
// ../wechat-kf.js (one file, shared with the stores). node:fs, node:module and node:crypto come
// through process.getBuiltinModule, which skips building their ES module facades at start.
import internal from '../wechat-kf.js';

// Every Node the package supports has it (since 20.16), Deno since 2.1, and current Bun; an
// older runtime gets this message rather than "process.getBuiltinModule is not a function".
if (typeof globalThis.process?.getBuiltinModule !== 'function') {
  throw new Error(
    'wechat-kf: this runtime has no process.getBuiltinModule, which the package needs to read its .wasm: use Node >= 20.19, Deno >= 2.1 or a current Bun',
  );
}
const { readFileSync } = process.getBuiltinModule('node:fs');
internal.initSync({ module: readFileSync(new URL('../wasm/wechat_kf_bg.wasm', import.meta.url)) });
internal.setup(internal.nodeHostCrypto);
internal.provideOutbound(
  () => process.getBuiltinModule('node:module').createRequire(import.meta.url)('../wasm/wechat_kf_outbound.js'),
  () => readFileSync(new URL('../wasm/wechat_kf_outbound_bg.wasm', import.meta.url)),
  internal.nodeHostCrypto,
);
// The host crypto's node:crypto (about 5 ms to load) is loaded once the import is over, off the
// path of a first push received right after it (the core's own AES and SHA-1 serve until then:
// loaders/node-host-crypto.js). The timer does not keep the process alive.
const loadCrypto = setTimeout(internal.loadNodeCrypto, 0);
if (typeof loadCrypto?.unref === 'function') loadCrypto.unref();
else globalThis.Deno?.unrefTimer?.(loadCrypto);

export * from '../wechat-kf.js';
/** Already initialised in this runtime; kept so code can call `await init()` everywhere. */
export async function init() {}
