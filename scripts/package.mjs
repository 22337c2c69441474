#!/usr/bin/env node
// The packaging step of scripts/build.sh: turns the package's source tree (pkg-template/ plus the
// wasm-bindgen glue and the .wasm files, as a working but unbundled package) into what ships.
//
//   node scripts/package.mjs <source tree> <output dir>
//
// wechat-kf.js and every module it imports (the public API, the internals, the inbound wasm glue)
// become one file, wechat-kf.js, bundled by esbuild; those modules are not shipped on their own.
// Every other file (the entries in loaders/ and stores/, the outbound module's glue
// wasm/wechat_kf_outbound.js, which the runtime loaders load on first use, the CLI, the dev tools,
// the .d.ts and .wasm files, package.json) is copied as it is. Each entry imports only
// ../wechat-kf.js (and the loaders the outbound glue), so a program that imports several entries
// (`wechat-kf` and `wechat-kf/redis`, say) loads one copy of every class and every module state,
// and the Node entry loads two files of JavaScript at import.
//
// Checks, failing the build: the bundle imports nothing and does not hold the outbound glue; no
// shipped file imports or require()s a module that was bundled (it would be a second copy) or one
// that does not ship.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const [srcArg, outArg] = process.argv.slice(2);
if (!srcArg || !outArg) {
  console.error('usage: node scripts/package.mjs <source tree> <output dir>');
  process.exit(2);
}
const src = resolve(srcArg);
const out = resolve(outArg);
const posix = (p) => p.split(sep).join('/');

// The wasm-bindgen glues find their .wasm beside themselves by default (`new URL('x_bg.wasm',
// import.meta.url)`, also what bundlers such as webpack and Vite see as an asset to ship); in the
// bundle, at the package's root, that URL must name wasm/x_bg.wasm.
const wasmBeside = {
  name: 'wasm-url-from-bundle',
  setup(b) {
    b.onLoad({ filter: /[\\/]wasm[\\/][\w-]+\.js$/ }, (args) => {
      let count = 0;
      const contents = readFileSync(args.path, 'utf8').replace(/new URL\('([\w-]+\.wasm)', import\.meta\.url\)/g, (_, file) => {
        count++;
        return `new URL('./wasm/${file}', import.meta.url)`;
      });
      if (count !== 1) throw new Error(`package: ${args.path} names its .wasm ${count} times (expected once)`);
      return { contents, loader: 'js' };
    });
  },
};

const result = await build({
  entryPoints: [join(src, 'wechat-kf.js')],
  outfile: join(out, 'wechat-kf.js'),
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  // Readable output: not minified, and without keepNames (its __name call per function costs
  // about 1 ms at import, as much as minifying saves); the public names it would keep are
  // restored below. ASCII (esbuild writes other characters of strings as \u escapes): one
  // character outside Latin-1 (the Chinese in three error messages) made V8 hold all of the
  // source as two bytes a character, which cost about 0.4 ms of reading and compiling at import.
  charset: 'ascii',
  legalComments: 'none',
  metafile: true,
  plugins: [wasmBeside],
  logLevel: 'warning',
  write: false,
});

const bundled = new Set(Object.keys(result.metafile.inputs).map((p) => posix(relative(src, resolve(p)))));
const [output] = Object.values(result.metafile.outputs);
if (output.imports.length) {
  throw new Error(`wechat-kf.js must import nothing once bundled; it imports ${output.imports.map((i) => i.path).join(', ')}`);
}
// The outbound glue is loaded on first use (loaders/outbound.js), not parsed at import.
const OUTBOUND_GLUE = 'wasm/wechat_kf_outbound.js';
if (bundled.has(OUTBOUND_GLUE)) throw new Error(`package: ${OUTBOUND_GLUE} was bundled into wechat-kf.js (a module of the bundle imports it)`);
if (!existsSync(join(src, OUTBOUND_GLUE))) throw new Error(`package: ${OUTBOUND_GLUE} is missing from ${src}`);

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const shipped = [];
(function copy(dir) {
  for (const name of readdirSync(join(src, dir))) {
    const rel = dir ? `${dir}/${name}` : name;
    if (statSync(join(src, rel)).isDirectory()) {
      copy(rel);
    } else if (!bundled.has(rel)) {
      mkdirSync(join(out, dir), { recursive: true });
      cpSync(join(src, rel), join(out, rel));
      shipped.push(rel);
    }
  }
})('');
const bundleFile = join(out, 'wechat-kf.js');
writeFileSync(bundleFile, result.outputFiles[0].text);
shipped.push('wechat-kf.js');

// Bundling renames a top-level binding that another module also declares (the glue's
// `CloudReceiver`, `cloudPushBody` and `cloudProbeBody` against the public wrappers of the same
// names), and a class or function takes its `.name` (shown in logs and stack traces) from it.
// Each public export whose name changed gets it back; then every exported class and function
// must carry its export name.
const publicNames = async (tag) => {
  const lib = await import(`${pathToFileURL(bundleFile).href}?${tag}`);
  return Object.entries(lib).filter(([k, v]) => k !== 'default' && typeof v === 'function' && v.name !== k).map(([k]) => k);
};
const renamed = await publicNames('names');
if (renamed.length) {
  const text = result.outputFiles[0].text;
  const clause = /[\n;]export\s*\{([^}]*)\};?\s*$/.exec(text);
  if (!clause) throw new Error('package: no export clause at the end of the bundle');
  const localOf = new Map(clause[1].split(',').map((e) => e.trim()).filter(Boolean).map((e) => {
    const [local, exported = local] = e.split(/\s+as\s+/);
    return [exported, local];
  }));
  const restore = renamed.map((k) => `Object.defineProperty(${localOf.get(k)}, "name", { value: ${JSON.stringify(k)} });\n`).join('');
  writeFileSync(bundleFile, `${text.slice(0, clause.index + 1)}${restore}${text.slice(clause.index + 1)}`);
  const still = await publicNames('checked');
  if (still.length) throw new Error(`package: exports whose .name is not their name: ${still.join(', ')}`);
}

// The JSR package (deno.json, for Deno) carries each .wasm as a module of base64 text, which
// loaders/deno.js imports: reading it then needs no file or network permission. Not in the npm
// package (package.json's `files` leave them and loaders/deno.js out).
for (const name of ['wechat_kf_bg.wasm', 'wechat_kf_outbound_bg.wasm']) {
  const base64 = readFileSync(join(out, 'wasm', name)).toString('base64');
  writeFileSync(join(out, 'wasm', `${name}.js`), `// ${name} as base64, for loaders/deno.js (the JSR package).\nexport default '${base64}';\n`);
  shipped.push(`wasm/${name}.js`);
}

// Every relative import (or require) of a shipped module names a shipped file other than a bundled module.
const IMPORT = /(?:^|[\n;])\s*(?:import|export)\s[^'"`;]*?['"](\.{1,2}\/[^'"]+)['"]|\b(?:import|require|createRequire\([^)]*\))\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;
const problems = [];
for (const rel of shipped.filter((f) => f.endsWith('.js') && f !== 'wechat-kf.js')) {
  const source = readFileSync(join(out, rel), 'utf8');
  for (const m of source.matchAll(IMPORT)) {
    const target = posix(join(dirname(rel), m[1] ?? m[2]));
    if (target !== 'wechat-kf.js' && bundled.has(target)) problems.push(`${rel} imports ${target}, which is bundled into wechat-kf.js (import ../wechat-kf.js instead)`);
    else if (!existsSync(join(out, target))) problems.push(`${rel} imports ${target}, which does not ship`);
  }
}
if (problems.length) throw new Error(`package: ${problems.join('\n  ')}`);

const nonAscii = /[^\x00-\x7f]/.exec(readFileSync(bundleFile, 'utf8'));
if (nonAscii) throw new Error(`package: wechat-kf.js holds the non-ASCII character ${JSON.stringify(nonAscii[0])} (it must be ASCII)`);

const size = statSync(join(out, 'wechat-kf.js')).size;
console.error(`package: wechat-kf.js ${size} bytes from ${bundled.size} modules; ${shipped.length} files ship`);
