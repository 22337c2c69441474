#!/usr/bin/env bash
# Runs every fuzz target for a bounded time each (default 60 s): bash fuzz/run.sh [seconds].
# Needs the nightly toolchain (installed on these machines) and cargo-fuzz (installed here if
# missing). Not part of CI: fuzzing is open-ended; crashes land in fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
for target in $(cargo +nightly fuzz list); do
  mkdir -p "corpus/$target"
  echo "== fuzz $target for ${seconds}s"
  cargo +nightly fuzz run "$target" "corpus/$target" -- -max_total_time="$seconds" -max_len=4096
done
