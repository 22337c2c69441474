// The benchmark measures what users get: the packed tarball (dist/wechat-kf-*.tgz, made by
// scripts/build.sh) installed with npm into a scratch project, bench/.scratch/ (the tests'
// helper, js-tests/runners/scratch.mjs), and imported as 'wechat-kf' by each runtime's own
// resolver. The parts of the benchmark are copied beside it; the peers (@wecom/crypto,
// fast-xml-parser, express, wechat) resolve from the workspace's node_modules two levels up.
import { copyFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareScratch as installTarball } from '../../js-tests/runners/scratch.mjs';

export { newestTarball } from '../../js-tests/runners/scratch.mjs';
export { resolveBin } from '../../js-tests/runners/harness.mjs';

export const PARTS = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(PARTS, '..', '..');
export const SCRATCH = join(ROOT, 'bench', '.scratch');

/** Installs the tarball (default: the newest in dist/) into bench/.scratch and copies the parts there; returns the tarball. */
export function prepareScratch(tarball) {
  const tgz = installTarball(SCRATCH, tarball);
  for (const f of readdirSync(PARTS)) if (f.endsWith('.mjs')) copyFileSync(join(PARTS, f), join(SCRATCH, f));
  return tgz;
}
