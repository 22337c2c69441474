#!/usr/bin/env bash
# All the tests, from a fresh clone: installs the toolchain (scripts/setup.sh), then runs the
# Rust checks and tests, builds and packs the npm package, and runs the JS suites against the
# packed tarball in every runtime the README claims. Exits non-zero on any failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$HOME/.cargo/bin:$root/node_modules/.bin:$PATH"

step() { printf '\n== %s ==\n' "$*"; }

# `node --test DIR` that fails on an empty directory, a run of zero tests and a skipped test (node
# exits 0 for all three), as well as on any failure.
node_tests() {
  local dir=${*: -1}
  if [ -z "$(find "$dir" -maxdepth 1 -name '*.test.mjs' -print -quit)" ]; then
    echo "no *.test.mjs in $dir" >&2
    return 1
  fi
  local log
  log=$(mktemp)
  local rc=0
  node --test "$@" 2>&1 | tee "$log" || rc=$?
  if [ "$rc" -eq 0 ] && ! grep -Eq '^(# |ℹ )tests [1-9]' "$log"; then
    echo "node --test ran no test in $dir" >&2
    rc=1
  fi
  if grep -Eq '^(# |ℹ )(skipped|todo) [1-9]' "$log"; then
    echo "node --test skipped tests in $dir: a skip is a failure here" >&2
    rc=1
  fi
  rm -f "$log"
  return "$rc"
}

step "setup"
bash scripts/setup.sh

step "rust: fmt, clippy"
cargo fmt --check
cargo clippy --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown -- -D warnings
# each module of the package alone (scripts/build.sh builds them with these features)
for side in inbound outbound; do
  cargo clippy --target wasm32-unknown-unknown --lib --no-default-features --features "$side" -- -D warnings
done

step "rust: native tests"
cargo test

step "rust: wasm-bindgen-test in Node"
# Shown as it runs; the first failure fails the step, and so does a run of zero tests.
wasm_log=$(mktemp)
wasm-pack test --node 2>&1 | tee "$wasm_log"
grep -Eq 'test result: ok\. [1-9][0-9]* passed' "$wasm_log" || { echo "wasm-pack test ran no test" >&2; exit 1; }
rm -f "$wasm_log"

step "build and pack"
bash scripts/build.sh

step "typescript declarations"
tsc -p js-tests/types/tsconfig.json
# every example as a TypeScript user would copy it: tsc --strict --checkJs against pkg/'s types
tsc -p js-tests/types/examples/tsconfig.json

step "js: the suite in every runtime, against the packed tarball"
node js-tests/run-all.mjs

step "js: Client against the WeChat API emulator (Node)"
node_tests --test-timeout=60000 js-tests/node/

step "js: many instances on one truth: redis-server, the emulator, 4 Node instances"
node js-tests/multi/run-redis.mjs

step "js: the queue mode across processes: redis-server, 4 handler instances in queue mode, 2 consumer processes each, one SIGKILLed midway"
node js-tests/queue/run-redis.mjs

step "js: the queue mode on Deno KV (a consumer process SIGKILLed mid-onMessage, retries, a dead letter, the contract) and on workerd's Durable Object queue (workerd SIGKILLed and restarted mid-onMessage, retries, a dead letter)"
node js-tests/queue/run-engines.mjs

step "js: the Durable Object store in workerd and the Deno KV store in Deno (conformance)"
node js-tests/stores/engines.mjs

step "js: many instances on one truth: workerd (4 isolates, one Durable Object namespace), Deno (4 processes, one KV file)"
node js-tests/multi/engines.mjs

step "js: examples/workers bundles with wrangler deploy --dry-run (workerd entry, .wasm, Durable Object)"
node --test --test-timeout=300000 js-tests/examples/

step "js: the push handlers over HTTP (koa, Express, Deno, Bun, workerd examples)"
node js-tests/handlers/run.mjs

step "bench: node bench/run.mjs --smoke (every part with a few iterations: checks the answers, not the time)"
node bench/run.mjs --smoke

step "js: the browser debugger in headless Chromium"
node_tests --test-timeout=120000 js-tests/debugger/

step "js: the wechat-kf command line from the packed tarball (simulate against the examples)"
node_tests --test-timeout=120000 js-tests/cli/
