// The declarations match the runtime exactly: for the main entry and each subpath export, the
// values the .d.ts declares (`keyof typeof import(...)`: classes, functions, constants; not
// types) are the names the module exports at runtime, no more and no fewer. Renders one
// TypeScript file per entry from the runtime's names and runs `tsc --strict` on it against the
// built package (pkg/, from scripts/build.sh). node --test js-tests/node/.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PKG = join(ROOT, 'pkg');
const TSC = join(ROOT, 'node_modules', '.bin', 'tsc');
const pkgJson = JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'wechat-kf-types-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** tsc --strict on `source`, with `wechat-kf/*` mapped to the built package's declarations. */
function typeCheck(name, source) {
  const paths = {};
  for (const [subpath, spec] of Object.entries(pkgJson.exports)) {
    if (spec.types) paths[`wechat-kf${subpath.slice(1)}`] = [join(PKG, spec.types)];
  }
  writeFileSync(join(dir, `${name}.ts`), source);
  writeFileSync(join(dir, `${name}.json`), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], types: [], paths },
    files: [`${name}.ts`],
  }));
  try {
    execFileSync(TSC, ['-p', join(dir, `${name}.json`)], { encoding: 'utf8', stdio: 'pipe' });
    return '';
  } catch (e) {
    return `${e.stdout}${e.stderr}`;
  }
}

const entries = Object.entries(pkgJson.exports).filter(([, spec]) => typeof spec === 'object' && spec.types);
for (const [subpath, spec] of entries) {
  const specifier = `wechat-kf${subpath.slice(1)}`;
  test(`${specifier}: the declared values are the runtime exports`, async () => {
    const runtime = Object.keys(await import(join(PKG, spec.node ?? spec.default))).sort();
    assert.ok(runtime.length > 0, 'the module exports something');
    const name = specifier.replace(/\W/g, '_');
    const union = runtime.map((n) => JSON.stringify(n)).join(' | ');
    const errors = typeCheck(name, `import * as lib from '${specifier}';
type Declared = keyof typeof lib;
type Runtime = ${union};
// Each line fails to compile with the names at fault.
const declaredButNotExported: [Exclude<Declared, Runtime>] extends [never] ? true : Exclude<Declared, Runtime> = true;
const exportedButNotDeclared: [Exclude<Runtime, Declared>] extends [never] ? true : Exclude<Runtime, Declared> = true;
export { declaredButNotExported, exportedButNotDeclared };
`);
    assert.equal(errors, '', `${specifier}: declarations and runtime differ:\n${errors}`);
  });
}

test('the check fails when a declaration is missing (it can fail)', () => {
  const errors = typeCheck('negative', `import * as lib from 'wechat-kf';
type Declared = keyof typeof lib;
type Runtime = Declared | 'notDeclaredAnywhere';
const exportedButNotDeclared: [Exclude<Runtime, Declared>] extends [never] ? true : Exclude<Runtime, Declared> = true;
export { exportedButNotDeclared };
`);
  assert.match(errors, /notDeclaredAnywhere/);
});
