#!/usr/bin/env bash
# Builds the npm package into pkg/ and packs it into dist/wechat-kf-<version>.tgz.
# Needs the toolchain of scripts/setup.sh (the wasm32 target, wasm-bindgen, npm binaryen).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$HOME/.cargo/bin:$root/node_modules/.bin:$PATH"

# The package's source tree, a working but unbundled package (target/pkg-src: the glue and .wasm
# built here, pkg-template/ copied beside them), then what ships (pkg/, packed into dist/).
src=target/pkg-src
rm -rf pkg "$src"
# Two modules from one crate (Cargo features choose the JS-facing items of src/binding/): the
# inbound one (the receivers), compiled at import, and the outbound one (WXBizMsgCrypt,
# signatures, fields, requests, catalog, responses, send window, dialogue platform, media),
# compiled on first use (loaders/outbound.js). Each has its own wasm-bindgen glue: the inbound one is
# bundled into wechat-kf.js, the outbound one ships beside its .wasm and is loaded with it.
mkdir -p "$src/wasm"
for side in inbound outbound; do
  name=wechat_kf
  [ "$side" = outbound ] && name=wechat_kf_outbound
  # wasm SIMD (simd128: every runtime the package supports has it) lets LLVM use 128-bit
  # vector instructions where it can. Measured in bench/run.mjs, the same tarball with
  # and without, two interleaved pairs: Bun 1.95-1.97x -> 2.04-2.16x the peer at 2 KB and
  # 1.32-1.33x -> 1.51-1.56x at 16 KB, Node 1.14-1.16x -> 1.25-1.31x at 64 KB, Deno unchanged;
  # inbound +4 KB raw / +0.8 KB gzip, and start no different within its noise.
  RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+simd128" \
    cargo build --lib --release --target wasm32-unknown-unknown --no-default-features --features "$side" >&2
  # wasm-bindgen without its multi-value returns (they cost Node 20 a TurboFan wrapper per
  # signature at compile: scripts/wasm-no-multivalue.mjs), then its --target web glue.
  mkdir -p "$src/wasm-$side"
  node scripts/wasm-no-multivalue.mjs target/wasm32-unknown-unknown/release/wechat_kf.wasm "$src/wasm-$side/linked.wasm"
  wasm-bindgen "$src/wasm-$side/linked.wasm" --out-dir "$src/wasm-$side" --out-name "$name" --target web --typescript
  # wasm-opt from the npm package `binaryen` (Debian's corrupts wasm-bindgen output). The
  # producers and target_features sections are for tools (wasm-bindgen has read them already).
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue --enable-simd \
    --strip-producers --strip-target-features \
    "$src/wasm-$side/${name}_bg.wasm" -o "$src/wasm/${name}_bg.wasm"
  cp "$src/wasm-$side/$name.js" "$src/wasm/"
  # The outbound glue's declarations, for the JSR package's type check (deno.json; not in npm's files).
  if [ "$side" = outbound ]; then cp "$src/wasm-$side/$name.d.ts" "$src/wasm/"; fi
  rm -rf "$src/wasm-$side"
done
# pkg-template/ has the loaders, the inbound and outbound layers, the stores, the CLI, the dev
# tools (emulator, simulator, debugger) and the generated tables; -R keeps the folders.
cp -R pkg-template/. "$src/"
# What ships: wechat-kf.js and everything it imports (the JS layer and the inbound glue) bundled into
# one file by esbuild; the entries (loaders/, stores/), the outbound glue, the CLI, the dev tools,
# the .d.ts and .wasm files as they are (scripts/package.mjs).
node scripts/package.mjs "$src" pkg
# README, LICENSE and CHANGELOG ship with the package (npm's `files`, deno.json's `publish`).
cp README.md LICENSE CHANGELOG.md pkg/

mkdir -p dist
rm -f dist/wechat-kf-*.tgz
(cd pkg && npm pack --silent --pack-destination ../dist >/dev/null)
# The clone's own `wechat-kf` (package.json: "wechat-kf": "file:pkg", linked by npm install):
# node_modules/wechat-kf is pkg/, so the examples (node examples/koa/server.mjs, wrangler dev in
# examples/workers) import this build, and `npx wechat-kf` runs its CLI once the bin is linked,
# which npm does only for a package.json it has seen (pkg/ did not exist at the first install).
if [ -L node_modules/wechat-kf ]; then
  npm rebuild wechat-kf --ignore-scripts --no-audit --no-fund --loglevel=error >&2
fi
ls dist/wechat-kf-*.tgz
