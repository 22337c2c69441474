// The package's internals that its entries (loaders/, stores/) and its tests use: the default
// export of wechat-kf.js, never a public entry of the package.
export { initSync, default as initInbound, __registerHostCrypto } from './wasm/wechat_kf.js';
export { setup } from './loaders/connect.js';
export { provideOutbound, outboundLoaded, outboundFailed, outbound } from './loaders/outbound.js';
export { nodeHostCrypto, loadNodeCrypto } from './loaders/node-host-crypto.js';
export { wxkfError, invalidOption } from './errors.js';
export { checkKey, checkValue, checkTtl, withDeadline, unavailable } from './stores/memory.js';
export { checkedStore, reporter, missingMethods } from './stores/guarded.js';
export * as contract from './stores/contract.js';
export { createProcessor, statusFor, readLimited } from './inbound/push-handler.js';
export { dedupClaims } from './inbound/dedup.js';
export { jobText, packJob, consumeOptions, delayOf, deadLetterLimit, pause } from './queues/memory.js';
export { queueError } from './queues/consumer.js';
export { commandSender, sha1Hex, text, scriptRunner } from './stores/redis-commands.js';
export { numberOption, checkOptionNames } from './options.js';
