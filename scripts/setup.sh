#!/usr/bin/env bash
# Installs everything the build, the tests and the demo need on a fresh Debian 12 machine of
# this kind (run as root; only the package registries are reachable). Idempotent: on a warm
# machine it only checks. Safe to run repeatedly.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"

WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)

say() { echo "setup: $*" >&2; }

if ! rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown >&2
fi
# wasm-bindgen-cli must match the version pinned in Cargo.toml exactly (no --locked: the
# registry mirror lacks one locked transitive version).
if ! wasm-bindgen --version 2>/dev/null | grep -q " ${WASM_BINDGEN_VERSION}\$"; then
  say "installing wasm-bindgen-cli ${WASM_BINDGEN_VERSION} (about 2.5 min)"
  cargo install wasm-bindgen-cli --version "${WASM_BINDGEN_VERSION}" --force >&2
fi
if ! command -v wasm-pack >/dev/null; then
  say "installing wasm-pack (about 2.5 min)"
  cargo install wasm-pack >&2
fi
# Redis for the multi-instance tests (js-tests/multi/run-redis.mjs): Debian's redis-server.
if ! command -v redis-server >/dev/null; then
  say "installing redis-server (apt)"
  apt-get update -qq >&2 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >&2
fi
# npm devDependencies: binaryen (wasm-opt), typescript, runtimes, benchmark peers.
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -x node_modules/.bin/tsc ] || [ ! -x node_modules/.bin/wrangler ] \
   || [ package.json -nt node_modules/.package-lock.json ]; then
  say "npm install (devDependencies)"
  npm install --no-audit --no-fund --loglevel=error >&2
fi
bash scripts/setup-runtimes.sh
