#!/usr/bin/env bash
# Builds the npm package into pkg/ and packs it into dist/wechat-kf-<version>.tgz.
# Needs the toolchain of scripts/setup.sh (wasm-pack, wasm-bindgen, npm binaryen).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$HOME/.cargo/bin:$root/node_modules/.bin:$PATH"

rm -rf pkg
# Two modules from one crate (Cargo features choose the JS-facing items of src/binding/): the
# inbound one (the receivers), compiled at import, and the outbound one (WXBizMsgCrypt,
# signatures, fields, requests, catalog, responses, send window, dialogue platform, media),
# compiled on first use (loaders/outbound.js). Each has its own wasm-bindgen glue in pkg/wasm/.
mkdir -p pkg/wasm
for side in inbound outbound; do
  name=wechat_kf
  [ "$side" = outbound ] && name=wechat_kf_outbound
  wasm-pack build --release --target web --out-dir "pkg/wasm-$side" --out-name "$name" --no-pack . \
    -- --no-default-features --features "$side" >&2
  # wasm-opt from the npm package `binaryen` (Debian's corrupts wasm-bindgen output). The
  # producers and target_features sections are for tools (wasm-bindgen has read them already).
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    --strip-producers --strip-target-features \
    "pkg/wasm-$side/${name}_bg.wasm" -o "pkg/wasm/${name}_bg.wasm"
  cp "pkg/wasm-$side/$name.js" pkg/wasm/
  rm -rf "pkg/wasm-$side"
done
# Every other file ships from where its source is: pkg-template/ has the loaders, the inbound and
# outbound layers, the stores, the CLI, the dev tools (emulator, simulator, debugger) and the
# generated tables; -R keeps the folders.
cp -R pkg-template/. pkg/
cp README.md pkg/ 2>/dev/null || true

mkdir -p dist
rm -f dist/wechat-kf-*.tgz
(cd pkg && npm pack --silent --pack-destination ../dist >/dev/null)
ls dist/wechat-kf-*.tgz
