#!/usr/bin/env bash
# Benchmark 1: one post to 100,000 subscribers into smtp-sink, against smtp-source and nodemailer
# at the same concurrency, plus the publisher's peak heap for 1,000,000 subscribers.
# usage: bench/mail-throughput.sh [--smoke] [--subscribers N] [--concurrency C] [--runs R]
#        [--nodemailer-messages M] [--heap-subscribers N] [--heap-limit 512m] [--profile]
source "$(dirname "$0")/lib/common.sh"
java_check
need_tools smtp node
ensure_built
run_driver mail "$@"
