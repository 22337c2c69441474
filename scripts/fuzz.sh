#!/usr/bin/env bash
# Runs every fuzz target (fuzz/fuzz_targets/) for a budget, one after another, and prints each
# one's executions, speed and coverage from libFuzzer's final lines, then a table of them.
#
#   bash scripts/fuzz.sh --runs 10000000          # each target until 10^7 executions
#   bash scripts/fuzz.sh --time 600               # each target for 10 minutes
#   bash scripts/fuzz.sh --time 60 --target push --target cloud
#   options: --max-len N (default 4096), --sanitizer none|address (cargo fuzz -s; default none:
#            the fuzzed core has no unsafe code on these paths, the only `unsafe` being a host's
#            UTF-8 answer, which no target hands in, so ASan would find nothing a panic does not
#            show, at several times the cost), --jobs N (libFuzzer -fork=N; default 1)
#
# Needs nightly Rust (rustup's `nightly` toolchain) and cargo-fuzz (`cargo install cargo-fuzz`,
# done here when missing). Long: on a shared machine run it niced (nice -n 19 bash ...).
# Each target grows its corpus in fuzz/corpus/<target>/ (not committed) and replays
# fuzz/regressions/<target>/ (committed: inputs that once found a bug) first. A crash stops
# that target, lands in fuzz/artifacts/<target>/, and makes the script exit 1 after the others
# ran: copy the input to fuzz/regressions/<target>/ once the bug is fixed.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export PATH="$HOME/.cargo/bin:$PATH"

runs='' seconds='' max_len=4096 sanitizer=none jobs=1 targets=()
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift ;;
    --time) seconds=$2; shift ;;
    --target) targets+=("$2"); shift ;;
    --max-len) max_len=$2; shift ;;
    --sanitizer) sanitizer=$2; shift ;;
    --jobs) jobs=$2; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "fuzz.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$runs$seconds" ]; then
  echo "fuzz.sh: give a budget: --runs N or --time SECONDS (per target)" >&2
  exit 2
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz || { echo "fuzz.sh: cargo-fuzz did not install" >&2; exit 1; }
cd "$root/fuzz"
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi

budget=()
[ -n "$runs" ] && budget+=("-runs=$runs")
[ -n "$seconds" ] && budget+=("-max_total_time=$seconds")
[ "$jobs" -gt 1 ] && budget+=("-fork=$jobs")
commit=$(git -C "$root" rev-parse --short HEAD)
dirty=$(git -C "$root" status --porcelain -- src fuzz Cargo.toml Cargo.lock | head -1)
started=$(date +%s)
rows=()
status=0
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "artifacts/$target"
  dirs=("corpus/$target")
  [ -d "regressions/$target" ] && dirs+=("regressions/$target")
  log="artifacts/$target/last-run.log"
  echo "== $target (${budget[*]}, -max_len=$max_len, sanitizer $sanitizer)"
  t0=$(date +%s)
  cargo +nightly fuzz build -s "$sanitizer" "$target" >"$log" 2>&1 || { tail -20 "$log"; status=1; rows+=("| $target | build failed | | | | | |"); continue; }
  t1=$(date +%s)
  cargo +nightly fuzz run -s "$sanitizer" "$target" "${dirs[@]}" -- \
    "${budget[@]}" -max_len="$max_len" -print_final_stats=1 >>"$log" 2>&1
  rc=$?
  t2=$(date +%s)
  # libFuzzer's last status line (`#N DONE cov: C ft: F corp: U/S ... exec/s: E`) and its
  # final stats (stat::number_of_executed_units, stat::average_exec_per_sec).
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(echo "$last" | grep -oE 'cov: [0-9]+' | grep -oE '[0-9]+')
  ft=$(echo "$last" | grep -oE 'ft: [0-9]+' | grep -oE '[0-9]+')
  corp=$(echo "$last" | grep -oE 'corp: [0-9]+/[0-9a-zA-Z]+' | cut -d' ' -f2)
  if [ -z "$execs" ]; then
    # -fork mode prints no final stats: the last status line's count.
    execs=$(echo "$last" | grep -oE '^#[0-9]+' | tr -d '#')
    [ -n "$execs" ] && rate=$(( execs / ( t2 - t1 > 0 ? t2 - t1 : 1 ) ))
  fi
  verdict=ok
  if [ "$rc" != 0 ]; then
    verdict="CRASH (exit $rc; see fuzz/$log and fuzz/artifacts/$target/)"
    grep -E 'panicked|ERROR: libFuzzer|SUMMARY|Test unit written' "$log" | head -5
    status=1
  fi
  echo "$target: ${execs:-?} executions in $(( t2 - t1 )) s (${rate:-?}/s), cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?}; build $(( t1 - t0 )) s; $verdict"
  rows+=("| $target | ${execs:-?} | $(( t2 - t1 )) s | ${rate:-?} | ${cov:-?} | ${ft:-?} | ${corp:-?} | $verdict |")
done

echo
echo "=== fuzz summary: $(date -u +%Y-%m-%d), commit $commit${dirty:+ (with uncommitted changes)}, ${budget[*]} -max_len=$max_len, sanitizer $sanitizer, $(( $(date +%s) - started )) s in all ==="
echo "| target | executions | time | exec/s | cov | ft | corpus (units/bytes) | result |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
exit "$status"
