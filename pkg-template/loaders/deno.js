// @ts-self-types="../index.d.ts"
// Deno from JSR (`import { createHandler } from 'jsr:@wechat-kf/wechat-kf'`): JSR serves the
// package's files over HTTPS, which the npm entry's readFileSync and require() of the .wasm and
// the outbound glue cannot reach, and reading them with fetch would need --allow-net. So the
// JSR package carries each .wasm as a module of its own (wasm/*.wasm.js, base64, written by
// scripts/package.mjs; not in the npm package): no permission is needed. The inbound module is
// compiled at import, the outbound one on first use (loaders/outbound.js), as in Node; node:crypto
// (process.getBuiltinModule, Deno >= 2.1) serves as the host's crypto for large messages.
// `npm:wechat-kf` keeps working too (the npm entry, loaders/node.js, with --allow-read).
import inboundBase64 from '../wasm/wechat_kf_bg.wasm.js';
import outboundBase64 from '../wasm/wechat_kf_outbound_bg.wasm.js';
import * as outboundGlue from '../wasm/wechat_kf_outbound.js';
import internal from '../wechat-kf.js';

/** The bytes of a base64 string. */
function bytes(base64) {
  const text = atob(base64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

internal.initSync({ module: bytes(inboundBase64) });
const host = typeof globalThis.process?.getBuiltinModule === 'function' ? internal.nodeHostCrypto : undefined;
internal.setup(host);
internal.provideOutbound(() => outboundGlue, () => bytes(outboundBase64), host);
if (host) {
  const loadCrypto = setTimeout(internal.loadNodeCrypto, 0);
  globalThis.Deno?.unrefTimer?.(loadCrypto);
}

export * from '../wechat-kf.js';
/** Already initialised in this runtime; kept so code can call `await init()` everywhere. */
export async function init() {}
