#!/usr/bin/env bash
# One start of feed-service, timed by hyperfine: starts the jar, waits until /health answers 200
# (the posts topic is read and the site is built), then stops it.
# usage: feed-ready.sh JAR BOOTSTRAP TOPIC_PREFIX PORT MEDIA_DIR [LOG_FILE]
set -euo pipefail
jar=$1 bootstrap=$2 prefix=$3 port=$4 media=$5 logfile=${6:-/dev/null}
PRESSLINE_KAFKA_BOOTSTRAP_SERVERS=$bootstrap PRESSLINE_TOPIC_PREFIX=$prefix PRESSLINE_FEED_PORT=$port \
  PRESSLINE_PUBLIC_BASE_URL=http://127.0.0.1:$port PRESSLINE_MEDIA_DIR=$media \
  java -jar "$jar" >>"$logfile" 2>&1 &
pid=$!
echo "started $(date +%T.%3N)" >>"$logfile"
# SIGKILL: the stop is not part of the measured start
trap "kill -KILL $pid 2>/dev/null || true; wait $pid 2>/dev/null || true" EXIT
for _ in $(seq 1 6000); do
  if curl -fs -o /dev/null "http://127.0.0.1:$port/health"; then
    exit 0
  fi
  if ! kill -0 $pid 2>/dev/null; then
    echo "feed-service stopped before it was ready" >&2
    exit 1
  fi
  sleep 0.02
done
echo "feed-service not ready within 120 s" >&2
exit 1
