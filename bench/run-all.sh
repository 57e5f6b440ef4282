#!/usr/bin/env bash
# Every benchmark, one after the other; figures and charts land in bench/results/.
# usage: bench/run-all.sh [--smoke]
set -euo pipefail
here=$(dirname "$0")
for bench in mail-throughput latency feed-serving ingest-throughput jmh; do
  echo
  echo "### $bench"
  "$here/$bench.sh" "$@"
done
