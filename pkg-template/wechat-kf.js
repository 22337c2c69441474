// The one module that every entry of the package imports (loaders/*.js, stores/*.js, the CLI):
// the public API as named exports, and the package's internals (what the loaders, the stores and
// the tests need beyond it) as the default export, which `export * from './wechat-kf.js'` leaves out.
// scripts/build.sh bundles this module and everything it imports into one file, wechat-kf.js, and
// ships none of those modules separately, so each class and each module's state (WxkfError, the
// wasm glue with its registered error class and host crypto, the outbound loader) exists once,
// whichever entries a program imports, and the Node entry loads two files instead of 25 modules.
import * as internal from './internal.js';

export * from './index.js';
export default internal;
