#!/usr/bin/env node
// node scripts/wasm-no-multivalue.mjs <in.wasm> <out.wasm>
//
// Copies the linker's output with `multivalue` removed from its `target_features` section, before
// wasm-bindgen reads it. wasm-bindgen turns on its multi-value transform whenever that section
// lists the feature, which it always does since Rust 1.82 (the standard library is built with it),
// and then every export returning a Result or a String returns several values. V8 11 (Node 20)
// has no generic JS-to-wasm wrapper for a function with more than one result: it compiles one
// with TurboFan per such signature when the module is compiled, synchronously for
// `new WebAssembly.Module`. The inbound module had 8 of them: `new WebAssembly.Module` took
// 5.4-5.9 ms, 2.2 ms without (measured in fresh Node 20.20 processes on the 2-core build machine).
// Without the feature listed, wasm-bindgen returns through its stack return area instead, as it
// did before. Nothing else changes: Rust's C ABI on wasm32 never returns several values, and
// every runtime the package supports accepts multi-value code anyway.
import { readFileSync, writeFileSync } from 'node:fs';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node scripts/wasm-no-multivalue.mjs <in.wasm> <out.wasm>');
  process.exit(2);
}

function readLeb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    if (b === undefined) throw new Error('truncated LEB128');
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
}

function leb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

const bytes = readFileSync(input);
if (bytes.readUInt32LE(0) !== 0x6d736100) throw new Error(`${input} is not a wasm module`);
const parts = [bytes.subarray(0, 8)];
let removed = 0;
for (let at = 8; at < bytes.length;) {
  const start = at;
  const id = bytes[at++];
  let size;
  [size, at] = readLeb(bytes, at);
  const end = at + size;
  if (end > bytes.length) throw new Error('truncated section');
  if (id === 0) {
    const [nameLen, nameAt] = readLeb(bytes, at);
    const name = bytes.subarray(nameAt, nameAt + nameLen).toString('utf8');
    if (name === 'target_features') {
      // A vector of (prefix byte '+', '-' or '=', name).
      let p = nameAt + nameLen;
      let count;
      [count, p] = readLeb(bytes, p);
      const kept = [];
      for (let i = 0; i < count; i++) {
        const entryStart = p;
        p++; // prefix
        let len;
        [len, p] = readLeb(bytes, p);
        const feature = bytes.subarray(p, p + len).toString('utf8');
        p += len;
        if (feature === 'multivalue') removed++;
        else kept.push(bytes.subarray(entryStart, p));
      }
      const payload = Buffer.concat([
        Buffer.from(leb(nameLen)), bytes.subarray(nameAt, nameAt + nameLen),
        Buffer.from(leb(kept.length)), ...kept,
      ]);
      parts.push(Buffer.from([0, ...leb(payload.length)]), payload);
      at = end;
      continue;
    }
  }
  parts.push(bytes.subarray(start, end));
  at = end;
}
writeFileSync(output, Buffer.concat(parts));
console.error(`wasm-no-multivalue: ${removed ? 'removed multivalue from' : 'no multivalue in'} target_features of ${input}`);
