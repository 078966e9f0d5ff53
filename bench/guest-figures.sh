#!/bin/sh
# Guest image sizes and boot times under QEMU per architecture (issue: guests that boot): builds the
# slides and hello samples for xen (x86_64), arm (aarch64) and arm (armv7), then boots each RUNS
# times: slides to its first HTTP 200, hello (the baseline, same kernel and JVM) to power-off.
# Usage: bench/guest-figures.sh [runs=3]     (after ./mvnw install -DskipTests -pl bench -am)
set -e
cd "$(dirname "$0")/.."
runs=${1:-3}
[ -f bench/target/benchmarks.jar ] || { echo "build first: ./mvnw -q install -DskipTests -pl bench -am" >&2; exit 2; }
build() { # target arch: each sample's guest image for it
  for s in slides hello; do
    (cd "samples/$s" && ../../mvnw -q -B package -DskipTests -Dmirage.target="$1" -Dmirage.arch="$2") >/dev/null
  done
}
for ta in xen:x86_64 arm:aarch64 arm:armv7; do
  build "${ta%%:*}" "${ta##*:}"
  java -cp bench/target/benchmarks.jar org.mirage4j.bench.GuestFigures "$runs" samples "$ta" | \
    if [ "$ta" = xen:x86_64 ]; then cat; else tail -n +2 | grep -v '^(times'; fi
done
