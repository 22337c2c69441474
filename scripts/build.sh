#!/usr/bin/env bash
# Builds the npm package into pkg/ and packs it into dist/wechat-kf-<version>.tgz.
# Needs the toolchain of scripts/setup.sh (wasm-pack, wasm-bindgen, npm binaryen).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$HOME/.cargo/bin:$root/node_modules/.bin:$PATH"

rm -rf pkg
wasm-pack build --release --target web --out-dir pkg --out-name wechat_kf --no-pack . >&2
# wasm-opt from the npm package `binaryen` (Debian's corrupts wasm-bindgen output).
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  pkg/wechat_kf_bg.wasm -o pkg/wechat_kf_bg.wasm
rm -f pkg/.gitignore pkg/package.json pkg/wechat_kf_bg.wasm.d.ts
# -R: with the generated/ folder (JS constants and TS unions rendered from the Rust tables).
cp -R pkg-template/. pkg/
# The API emulator ships in the package (`wechat-kf emulator`); emulator/server.mjs stays its source.
cp emulator/server.mjs pkg/emulator.js
# Its own send-window model and dialogue-platform decryption, imported by emulator.js.
cp emulator/emulator-window.js emulator/emulator-dialogue.js pkg/
cp README.md pkg/ 2>/dev/null || true

mkdir -p dist
rm -f dist/wechat-kf-*.tgz
(cd pkg && npm pack --silent --pack-destination ../dist >/dev/null)
ls dist/wechat-kf-*.tgz
