#!/usr/bin/env bash
# The README's main demo, from a fresh clone: installs the toolchain, builds the package, then
# runs examples/demo.mjs (emulator of the WeChat API + example server + a simulated, signed and
# encrypted user message + the reply recorded by the emulator). Exits non-zero on failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
bash scripts/build.sh >/dev/null
node examples/demo.mjs
