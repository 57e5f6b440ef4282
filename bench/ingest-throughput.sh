#!/usr/bin/env bash
# Benchmark 4: 10,000 files dropped at once until all are on Kafka (against a bare producer), and
# feed-service start-to-ready with 10,000 posts (against an empty topic), timed by hyperfine.
# usage: bench/ingest-throughput.sh [--smoke] [--files N] [--runs R]
source "$(dirname "$0")/lib/common.sh"
java_check
need_tools hyperfine curl
ensure_built
run_driver ingest "$@"
