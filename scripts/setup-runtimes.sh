#!/usr/bin/env bash
# Installs what js-tests/run-all.mjs needs, idempotently (fast and quiet when already there):
#   - Debian's chromium (+ chromium-driver), driven by playwright-core;
#   - the root devDependencies (deno, bun, workerd, esbuild, playwright-core) via `npm install`.
# Runs as root on Debian 12. Runtimes come from npm packages that ship their binaries, so
# nothing is downloaded from outside the package registries.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ ! -x /usr/bin/chromium ]; then
  echo "setup-runtimes: installing chromium (apt)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi
# A CJK font, so pages with Chinese text (the debugger, pkg-template/devtools/debugger/, and its screenshot) render it.
if [ ! -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]; then
  echo "setup-runtimes: installing fonts-wqy-microhei (apt)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq fonts-wqy-microhei >/dev/null
fi

# Binaries the harness runs. Each npm package ships its binary in a platform package; when
# its postinstall ran, the binary may have been moved into the main package instead. Same
# candidates as resolveBin() in js-tests/runners/harness.mjs.
have() { # have CANDIDATE... : true if one is a real binary (not a postinstall placeholder)
  local f
  for f in "$@"; do
    if [ -f "$f" ] && [ "$(stat -c %s "$f")" -gt 1000000 ]; then chmod +x "$f"; return 0; fi
  done
  return 1
}
check() {
  have node_modules/@deno/linux-x64-glibc/deno node_modules/deno/deno &&
  have node_modules/@oven/bun-linux-x64/bin/bun node_modules/@oven/bun-linux-x64-baseline/bin/bun \
       node_modules/bun/bin/bun.exe &&
  have node_modules/@cloudflare/workerd-linux-64/bin/workerd node_modules/workerd/bin/workerd &&
  [ -f node_modules/esbuild/package.json ] && [ -f node_modules/playwright-core/package.json ]
}
if ! check; then
  echo "setup-runtimes: npm install (devDependencies)" >&2
  npm install --no-audit --no-fund --loglevel=error >/dev/null
  if ! check; then echo "setup-runtimes: a runtime is still missing after npm install" >&2; exit 1; fi
fi
