// Every function the shipped .wasm modules export returns at most one value. V8 11 (Node 20)
// compiles a TurboFan JS-to-wasm wrapper, when the module is compiled, for each export signature
// with several results (its generic wrapper takes one at most), which cost the inbound module
// about 3.5 ms of `new WebAssembly.Module` with wasm-bindgen's multi-value returns.
// scripts/build.sh removes `multivalue` from the linked module's target_features so that
// wasm-bindgen returns through memory instead (scripts/wasm-no-multivalue.mjs). The modules are
// read and decoded here (type, import, function and export sections); nothing depends on time.
// Uses the built package (pkg/; WECHAT_KF_PKG overrides the entry).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const entry = process.env.WECHAT_KF_PKG ?? new URL('../../pkg/loaders/node.js', import.meta.url).href;
const modules = ['wechat_kf_bg.wasm', 'wechat_kf_outbound_bg.wasm'];

/** { name, params, results } of every exported function of a module. */
function exportedFunctions(bytes) {
  let at = 8;
  const u = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[at++];
      value += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (b < 0x80) return value;
    }
  };
  const name = () => {
    const n = u();
    const s = Buffer.from(bytes.subarray(at, at + n)).toString('utf8');
    at += n;
    return s;
  };
  const valueType = () => {
    const t = bytes[at++];
    if (t === 0x63 || t === 0x64) u(); // (ref null? ht): skip the heap type
    return t;
  };
  const types = [];
  const funcTypes = []; // type index of every function, imports first
  const exports = [];
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = u();
    const end = at + size;
    if (id === 1) {
      for (let n = u(); n > 0; n--) {
        assert.equal(bytes[at++], 0x60, 'only function types are expected');
        const params = [];
        for (let k = u(); k > 0; k--) params.push(valueType());
        const results = [];
        for (let k = u(); k > 0; k--) results.push(valueType());
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let n = u(); n > 0; n--) {
        name();
        name();
        const kind = bytes[at++];
        if (kind === 0) funcTypes.push(u());
        else if (kind === 1) { valueType(); const flags = u(); u(); if (flags & 1) u(); }
        else if (kind === 2) { const flags = u(); u(); if (flags & 1) u(); }
        else if (kind === 3) { valueType(); at++; }
        else throw new Error(`import kind ${kind}`);
      }
    } else if (id === 3) {
      for (let n = u(); n > 0; n--) funcTypes.push(u());
    } else if (id === 7) {
      for (let n = u(); n > 0; n--) {
        const exportName = name();
        const kind = bytes[at++];
        const index = u();
        if (kind === 0) exports.push({ name: exportName, ...types[funcTypes[index]] });
      }
    }
    at = end;
  }
  return exports;
}

for (const file of modules) {
  test(`${file}: no exported function returns more than one value`, () => {
    const bytes = new Uint8Array(readFileSync(new URL(`../wasm/${file}`, entry)));
    const fns = exportedFunctions(bytes);
    assert.ok(fns.length >= 10, `expected the glue's exports, found ${fns.length}`);
    assert.ok(fns.some((f) => f.params.length > 0), 'export signatures were decoded');
    const multi = fns.filter((f) => f.results.length > 1).map((f) => `${f.name} (${f.results.length} results)`);
    assert.deepEqual(multi, [], `exports with several results: ${multi.join(', ')}`);
  });
}
