#!/usr/bin/env bash
# Benchmark 2: 200 posts dropped one by one; inbox -> /feed.xml and inbox -> first email accepted.
# usage: bench/latency.sh [--smoke] [--posts N] [--subscribers N] [--settle 50ms --ingest-poll 20ms]
source "$(dirname "$0")/lib/common.sh"
java_check
need_tools smtp
ensure_built
run_driver latency "$@"
