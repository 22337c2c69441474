#!/usr/bin/env bash
# Mutation testing, a standing tool (not part of CI): puts small bugs into the core and the
# security-critical JS one at a time and checks that a test fails for each.
#   1. Rust: one run of cargo-mutants over src/crypto/**, src/xml/**, src/message/**,
#      src/push/**, src/send_window.rs, src/json.rs and src/utf16.rs (the set; `--file GLOB`
#      narrows it), on a copy of the last commit (HEAD, extracted into target/mutants/tree/ with
#      its own warm target/), never on the working tree: people may edit src/ meanwhile, and
#      uncommitted changes are not tested. Tests: `cargo test --tests` (no doctests).
#   2. JS: scripts/js-mutants.mjs over the handler, dedup, store, receiver and host crypto files
#      of the package's unbundled source tree (target/pkg-src/, built by scripts/build.sh: do not
#      build while it runs).
# First, and alone with --check (seconds, no build): every entry of
# scripts/mutants-equivalent.txt must name mutants that exist, as many as it says (a stale entry
# fails the run; see scripts/mutants-equivalents.mjs for the keys).
#
#   bash scripts/mutants.sh [--rust-only | --js-only | --check] [--file GLOB]...
#                           [--timeout SECONDS]  (per mutant; default: cargo-mutants' own,
#                           from the baseline; the JS pass's default 120)
#
# Long (about an hour for the Rust set on 2 cores): on a shared machine run it niced and not
# under the shared lock: nice -n 19 bash scripts/mutants.sh
# Results: target/mutants/out/mutants.out/{caught,missed,timeout,unviable}.txt for Rust, the
# survivors printed by the JS pass; a summary with a row for the README's table last. Exit code
# 0 only when no mutant survived except the documented equivalents and no entry is stale.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$HOME/.cargo/bin:$root/node_modules/.bin:$PATH"

rust=1 js=1 check_only=0 timeout='' files=()
while [ $# -gt 0 ]; do
  case $1 in
    --rust-only) js=0 ;;
    --js-only) rust=0 ;;
    --check) check_only=1 ;;
    --file) files+=("$2"); shift ;;
    --timeout) timeout=$2; shift ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
set_files=('src/crypto/**' 'src/xml/**' 'src/message/**' 'src/push/**' src/send_window.rs src/json.rs src/utf16.rs)
[ ${#files[@]} -eq 0 ] && files=("${set_files[@]}")
file_args=() set_args=()
for f in "${files[@]}"; do file_args+=(-f "$f"); done
for f in "${set_files[@]}"; do set_args+=(-f "$f"); done

started=$(date +%s)
status=0
summary=()
work=target/mutants
tree=$work/tree
mkdir -p "$work"

if [ "$rust" = 1 ] && ! command -v cargo-mutants >/dev/null; then
  echo "installing cargo-mutants (a few minutes, once)"
  cargo install cargo-mutants
fi

# The copy of HEAD: everything but its target/ replaced, so that builds stay incremental.
commit=$(git rev-parse HEAD)
short=$(git rev-parse --short HEAD)
if [ "$rust" = 1 ]; then
  mkdir -p "$tree"
  find "$tree" -mindepth 1 -maxdepth 1 ! -name target -exec rm -rf {} +
  git archive --format=tar HEAD | tar -x -C "$tree"
  # tests/vectors.rs reads ../shared/vectors/ beside the repository.
  [ -d "$root/../shared" ] && ln -sfn "$root/../shared" "$work/shared"
  if [ -n "$(git status --porcelain -- src tests Cargo.toml Cargo.lock)" ]; then
    echo "note: uncommitted changes in src/, tests/ or Cargo.* are not in this run (it tests $short)"
  fi
fi

# Stale entries: checked against fresh lists of every mutant (of the whole set, whatever
# --file says).
check=(node scripts/mutants-equivalents.mjs check)
if [ "$rust" = 1 ]; then
  (cd "$tree" && cargo mutants --list "${set_args[@]}") >"$work/list-rust.txt"
  check+=(--rust "$work/list-rust.txt" --src "$tree")
fi
if [ "$js" = 1 ]; then
  node scripts/js-mutants.mjs --list >"$work/list-js.txt"
  check+=(--js "$work/list-js.txt")
fi
if ! "${check[@]}"; then
  status=1
fi
if [ "$check_only" = 1 ]; then
  exit "$status"
fi

if [ "$rust" = 1 ]; then
  out=$work/out
  rm -rf "$out/mutants.out"
  t0=$(date +%s)
  echo "cargo mutants on $short over ${files[*]} (log: $out/log.txt)"
  # cargo-mutants exits 2 when mutants are missed, 3 on timeouts: read its files instead.
  (cd "$tree" && cargo mutants --in-place --no-shuffle "${file_args[@]}" ${timeout:+--timeout "$timeout"} \
    --output "$root/$out" -- --tests) >"$out.log" 2>&1 || true
  mkdir -p "$out" && mv "$out.log" "$out/log.txt"
  dir=$out/mutants.out
  if [ ! -f "$dir/outcomes.json" ] || [ ! -f "$dir/caught.txt" ]; then
    echo "cargo-mutants did not finish (see $out/log.txt)"
    tail -5 "$out/log.txt"
    status=1
  else
    count() { local n=0; [ -f "$dir/$1.txt" ] && n=$(grep -c . "$dir/$1.txt" || true); echo "${n:-0}"; }
    caught=$(count caught) missed=$(count missed) timeouts=$(count timeout) unviable=$(count unviable)
    total=$(( caught + missed + timeouts + unviable ))
    classified=$(node scripts/mutants-equivalents.mjs classify --rust "$dir/missed.txt" --src "$tree") || status=1
    echo "$classified"
    equivalent=$(echo "$classified" | tail -1 | grep -oE '^[0-9]+')
    secs=$(( $(date +%s) - t0 ))
    when=$(date -u +%Y-%m-%d)
    summary+=("rust: $total mutants on $short: $caught caught, $missed missed ($equivalent documented equivalents, $(( missed - equivalent )) unexplained), $timeouts timed out, $unviable unviable; $(( secs / 60 )) min $(( secs % 60 )) s")
    summary+=("table row (docs/testing.md): | $when | $short | $total | $caught | $missed ($equivalent equivalent) | $timeouts | $unviable | $(( (secs + 30) / 60 )) min |")
  fi
fi

if [ "$js" = 1 ]; then
  [ -f target/pkg-src/loaders/node.js ] || bash scripts/build.sh
  t0=$(date +%s)
  js_out=$(mktemp)
  node scripts/js-mutants.mjs --timeout "${timeout:-120}" | tee "$js_out" || true
  grep '^SURVIVED ' "$js_out" >"$js_out.survived" || true
  node scripts/mutants-equivalents.mjs classify --js "$js_out.survived" || status=1
  summary+=("js: $(tail -1 "$js_out") ($(( $(date +%s) - t0 )) s)")
  rm -f "$js_out" "$js_out.survived"
fi

echo
echo "=== mutants summary ($(date -u +%Y-%m-%d), commit $commit, $(( $(date +%s) - started )) s) ==="
printf '%s\n' "${summary[@]}"
[ "$status" = 0 ] && echo "no surviving mutant except the documented equivalents" || echo "surviving mutants or stale entries: see above"
exit "$status"
