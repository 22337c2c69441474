// Browsers (and any runtime without file access): call `await init()` once before use.
// With no argument the package's wasm/wechat_kf_bg.wasm is fetched; a URL, Response, BufferSource or
// WebAssembly.Module may be passed instead.
import initWasm from '../wasm/wechat_kf.js';
import { setup } from './connect.js';

let ready;

/** Loads the module once; later calls return the same promise. */
export function init(input) {
  if (!ready) {
    ready = initWasm(input === undefined ? undefined : { module_or_path: input }).then(() => {
      setup();
    });
    ready.catch(() => {
      ready = undefined;
    });
  }
  return ready;
}

export * from '../index.js';
