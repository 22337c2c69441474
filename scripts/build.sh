#!/usr/bin/env bash
# Builds the npm package into pkg/ and packs it into dist/wechat-kf-<version>.tgz.
# Needs the toolchain of scripts/setup.sh (wasm-pack, wasm-bindgen, npm binaryen).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$HOME/.cargo/bin:$root/node_modules/.bin:$PATH"

rm -rf pkg
# The wasm-bindgen output (the .wasm and its glue) goes to pkg/wasm/; pkg-template/ has the rest.
wasm-pack build --release --target web --out-dir pkg/wasm --out-name wechat_kf --no-pack . >&2
# wasm-opt from the npm package `binaryen` (Debian's corrupts wasm-bindgen output).
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  pkg/wasm/wechat_kf_bg.wasm -o pkg/wasm/wechat_kf_bg.wasm
rm -f pkg/wasm/.gitignore pkg/wasm/package.json pkg/wasm/wechat_kf_bg.wasm.d.ts pkg/wasm/README.md
# Every other file ships from where its source is: pkg-template/ has the loaders, the inbound and
# outbound layers, the stores, the CLI, the dev tools (emulator, simulator, debugger) and the
# generated tables; -R keeps the folders.
cp -R pkg-template/. pkg/
cp README.md pkg/ 2>/dev/null || true

mkdir -p dist
rm -f dist/wechat-kf-*.tgz
(cd pkg && npm pack --silent --pack-destination ../dist >/dev/null)
ls dist/wechat-kf-*.tgz
