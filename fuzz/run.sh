#!/usr/bin/env bash
# Runs every fuzz target for a bounded time each (default 60 s): bash fuzz/run.sh [seconds].
# A shorthand for scripts/fuzz.sh --time SECONDS (which also takes --runs N, --target NAME and
# prints executions and coverage per target).
exec bash "$(dirname "$0")/../scripts/fuzz.sh" --time "${1:-60}"
