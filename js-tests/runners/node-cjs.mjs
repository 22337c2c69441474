// Node, CommonJS: `require('wechat-kf')` of the ES package (require(esm), Node >= 20.19).
import { runEntryProcess } from './harness.mjs';

export const expectedEntry = 'loaders/node.js';

export function run(ctx) {
  return runEntryProcess(ctx, process.execPath, ['node-cjs.entry.cjs']);
}
