// Deno 2: resolves 'wechat-kf' through the scratch project's package.json and node_modules.
import { join } from 'node:path';
import { resolveBin, runEntryProcess } from './harness.mjs';

export const expectedEntry = 'loaders/node.js';

export function run(ctx) {
  const deno = resolveBin('deno');
  return runEntryProcess(ctx, deno, ['run', '--allow-read', '--node-modules-dir=manual', '--no-lock', 'deno.entry.mjs'], {
    env: { DENO_DIR: join(ctx.scratch, '.deno'), DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' },
  });
}
