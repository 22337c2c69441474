// The benchmark measures what users get: the packed tarball (dist/wechat-kf-*.tgz, made by
// scripts/build.sh) installed with npm into a scratch project, bench/.scratch/, and imported as
// 'wechat-kf' by each runtime's own resolver. The parts of the benchmark are copied beside it;
// the peers (@wecom/crypto, fast-xml-parser, express, wechat) resolve from the workspace's
// node_modules two levels up.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const PARTS = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(PARTS, '..', '..');
export const SCRATCH = join(ROOT, 'bench', '.scratch');

export function newestTarball() {
  const dist = join(ROOT, 'dist');
  const tgz = existsSync(dist) ? readdirSync(dist).filter((f) => /^wechat-kf-.*\.tgz$/.test(f)) : [];
  if (!tgz.length) throw new Error('no dist/wechat-kf-*.tgz: run `bash scripts/build.sh` first (or pass --tarball FILE)');
  return join(dist, tgz.sort((a, b) => statSync(join(dist, b)).mtimeMs - statSync(join(dist, a)).mtimeMs)[0]);
}

/** Installs the tarball into bench/.scratch and copies the parts there; returns the scratch dir. */
export function prepareScratch(tarball = newestTarball()) {
  rmSync(SCRATCH, { recursive: true, force: true });
  mkdirSync(SCRATCH, { recursive: true });
  writeFileSync(join(SCRATCH, 'package.json'), JSON.stringify({ name: 'wechat-kf-bench', private: true, type: 'module' }, null, 2) + '\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--no-save', resolve(tarball)], {
    cwd: SCRATCH, stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (const f of readdirSync(PARTS)) if (f.endsWith('.mjs')) copyFileSync(join(PARTS, f), join(SCRATCH, f));
  return SCRATCH;
}

// Runtime binaries: npm platform packages (same candidates as js-tests/runners/harness.mjs).
const BIN_CANDIDATES = {
  deno: ['node_modules/@deno/linux-x64-glibc/deno', 'node_modules/deno/deno'],
  bun: ['node_modules/@oven/bun-linux-x64/bin/bun', 'node_modules/@oven/bun-linux-x64-baseline/bin/bun', 'node_modules/bun/bin/bun.exe'],
};

/** Absolute path of the deno or bun binary, or null. */
export function runtimeBin(name) {
  for (const rel of BIN_CANDIDATES[name]) {
    const p = join(ROOT, rel);
    // npm placeholders are tiny scripts; the real binaries are tens of MB.
    if (existsSync(p) && statSync(p).size > 1_000_000) return p;
  }
  return null;
}

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
