// Bun: `bun run` with auto-install off (the package comes from the scratch node_modules).
import { resolveBin, runEntryProcess } from './harness.mjs';

export const expectedEntry = 'loaders/node.js';

export function run(ctx) {
  const bun = resolveBin('bun');
  return runEntryProcess(ctx, bun, ['run', '--no-install', 'bun.entry.mjs'], {
    env: { DO_NOT_TRACK: '1', BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0' },
  });
}
