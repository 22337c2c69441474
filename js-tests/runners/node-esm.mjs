// Node, ES module: `import * as lib from 'wechat-kf'` (the "node" condition).
import { runEntryProcess } from './harness.mjs';

export const expectedEntry = 'loaders/node.js';

export function run(ctx) {
  return runEntryProcess(ctx, process.execPath, ['node-esm.entry.mjs']);
}
