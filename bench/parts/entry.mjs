// The Node entry of a built package directory, for the benchmarks that import pkg/ directly
// (bench/options.mjs, bench/multi.mjs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * file: URL of the package's Node entry in a package directory (pkg/ by default), read from its
 * package.json "exports" (the "node" condition of "."), so it follows the package's layout.
 */
export function nodeEntry(dir = join(ROOT, 'pkg')) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const dot = manifest.exports?.['.'] ?? manifest.exports;
  const rel = (typeof dot === 'string' ? dot : dot?.node ?? dot?.import ?? dot?.default) ?? manifest.main;
  if (typeof rel !== 'string') throw new Error(`${dir}/package.json names no Node entry`);
  return pathToFileURL(join(dir, rel)).href;
}
