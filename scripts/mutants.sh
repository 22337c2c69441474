#!/usr/bin/env bash
# Mutation testing, a standing tool (not part of CI): puts small bugs into the security-critical
# code one at a time and checks that a test fails for each.
#   1. Rust: cargo-mutants over the core's crypto, push pipeline, message model and send-window
#      rules (src/crypto, src/push, src/message, src/send_window.rs), one file at a time, one mutant at a time
#      in place (the worktree's warm target/ is reused; every file is restored afterwards: do
#      not edit src/ while it runs). Tests: `cargo test --tests` (no doctests).
#   2. JS: scripts/js-mutants.mjs over the handler, dedup, store, receiver and host crypto files
#      of the package's unbundled source tree (target/pkg-src/inbound/push-handler.js,
#      inbound/dedup.js, stores/memory.js, loaders/node-host-crypto.js, inbound/receiver.js).
#
#   bash scripts/mutants.sh [--rust-only | --js-only] [--file src/crypto/cipher.rs]...
#                           [--timeout SECONDS]  (per mutant; default 300)
#
# Long (tens of minutes): on a shared machine run it niced and WITHOUT the shared lock, which is
# for short heavy commands: nice -n 10 bash scripts/mutants.sh
# Results: target/mutants/<file>/mutants.out/{caught,missed,timeout,unviable}.txt for Rust and the
# survivors printed by the JS pass. Exit code 0 only when no mutant survived except the
# documented equivalents (scripts/mutants-equivalent.txt, one `file:line: reason` a line).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$HOME/.cargo/bin:$root/node_modules/.bin:$PATH"

rust=1 js=1 timeout=300 files=()
while [ $# -gt 0 ]; do
  case $1 in
    --rust-only) js=0 ;;
    --js-only) rust=0 ;;
    --file) files+=("$2"); shift ;;
    --timeout) timeout=$2; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
if [ ${#files[@]} -eq 0 ]; then
  mapfile -t files < <(ls src/crypto/*.rs src/push/*.rs src/message/*.rs src/send_window.rs)
fi

started=$(date +%s)
status=0
summary=()
equivalent=scripts/mutants-equivalent.txt

if [ "$rust" = 1 ]; then
  if ! command -v cargo-mutants >/dev/null; then
    echo "installing cargo-mutants (a few minutes, once)"
    cargo install --locked cargo-mutants
  fi
  for file in "${files[@]}"; do
    out="target/mutants/${file//\//_}"
    mkdir -p "$out"
    t0=$(date +%s)
    # cargo-mutants exits 2 when mutants are missed, 3 on timeouts: read its files instead.
    cargo mutants --in-place --timeout "$timeout" --file "$file" --output "$out" \
      -- --tests >"$out/log.txt" 2>&1 || true
    dir="$out/mutants.out"
    if [ ! -f "$dir/outcomes.json" ]; then
      echo "$file: cargo-mutants did not finish (see $out/log.txt)"
      tail -5 "$out/log.txt"
      status=1
      continue
    fi
    count() { local n=0; [ -f "$dir/$1.txt" ] && n=$(grep -c . "$dir/$1.txt" || true); echo "${n:-0}"; }
    caught=$(count caught) missed=$(count missed) timeouts=$(count timeout) unviable=$(count unviable)
    line="$file: $caught caught, $missed missed, $timeouts timed out, $unviable unviable ($(( $(date +%s) - t0 )) s)"
    echo "$line"
    summary+=("$line")
    if [ "$missed" != 0 ]; then
      while IFS= read -r m; do
        # A missed mutant is `file:line:col: description`; equivalents are listed by file:line.
        key=$(echo "$m" | cut -d: -f1,2)
        if grep -q "^$key:" "$equivalent" 2>/dev/null; then
          echo "  equivalent: $m"
        else
          echo "  MISSED: $m"
          status=1
        fi
      done <"$dir/missed.txt"
    fi
  done
fi

if [ "$js" = 1 ]; then
  [ -f target/pkg-src/loaders/node.js ] || bash scripts/build.sh
  t0=$(date +%s)
  js_out=$(mktemp)
  node scripts/js-mutants.mjs --timeout "$timeout" | tee "$js_out" || true
  while IFS= read -r m; do
    key=$(echo "$m" | sed -E 's/^SURVIVED ([^ ]+).*/pkg-template\/\1/')
    if grep -q "^$key:" "$equivalent" 2>/dev/null; then echo "  equivalent: $m"; else status=1; fi
  done < <(grep '^SURVIVED ' "$js_out" || true)
  summary+=("js: $(tail -1 "$js_out") ($(( $(date +%s) - t0 )) s)")
  rm -f "$js_out"
fi

echo
echo "=== mutants summary ($(( $(date +%s) - started )) s) ==="
printf '%s\n' "${summary[@]}"
[ "$status" = 0 ] && echo "no surviving mutant except the documented equivalents" || echo "surviving mutants: see above"
exit "$status"
