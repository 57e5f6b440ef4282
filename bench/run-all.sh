#!/usr/bin/env bash
# Every benchmark, one after the other; figures and charts land in bench/results/.
# Stops at the first benchmark that fails (a driver exits non-zero when a measurement was
# degenerate: nothing measured, errors counted, mails missing, a baseline without a figure).
# usage: bench/run-all.sh [--smoke]
set -euo pipefail
here=$(dirname "$0")
for bench in mail-throughput latency feed-serving ingest-throughput jmh; do
  echo
  echo "### $bench"
  status=0
  "$here/$bench.sh" "$@" || status=$?
  if [ "$status" -ne 0 ]; then
    echo "run-all: $bench FAILED (exit status $status); the benchmarks after it did not run" >&2
    exit "$status"
  fi
done
