#!/usr/bin/env bash
# Benchmark 3: wrk against /feed.xml (200, 304, gzip) on feed-service and on nginx with the same bytes.
# usage: bench/feed-serving.sh [--smoke] [--posts N] [--connections C] [--seconds S] [--runs R]
source "$(dirname "$0")/lib/common.sh"
java_check
need_tools wrk nginx
ensure_built
run_driver feed "$@"
