#!/usr/bin/env bash
# Benchmark 5: JMH micro-benchmarks of the hot paths (one personalised email; the feed bytes).
# usage: bench/jmh.sh [--smoke] [extra JMH options, e.g. EmailRendering]
source "$(dirname "$0")/lib/common.sh"
java_check
ensure_built
smoke=no
args=()
for a in "$@"; do
  if [ "$a" = --smoke ]; then smoke=yes; else args+=("$a"); fi
done
if [ "$smoke" = yes ]; then
  results="$BENCH/results/smoke"
  timing=(-f 1 -wi 0 -i 1 -r 200ms -p posts=100)
else
  results="$BENCH/results"
  timing=(-f 1 -wi 3 -w 2s -i 5 -r 2s)
fi
mkdir -p "$results"
seeds="$ROOT/../shared/seeds"
# -foe true: a benchmark that throws fails the run (by default JMH only leaves it out of the results)
if ! java -cp "$(bench_classpath)" -Dpressline.seeds="$seeds" org.openjdk.jmh.Main "${timing[@]}" -foe true \
  -rf json -rff "$results/jmh.json" "${args[@]}" 'dev.pressline.bench.jmh.*' | tee "$results/jmh.txt"; then
  echo "jmh FAILED: JMH exited with an error (a benchmark threw or did not run); see $results/jmh.txt" >&2
  exit 1
fi
run_driver jmh-report --json "$results/jmh.json" $([ "$smoke" = yes ] && echo --smoke)
