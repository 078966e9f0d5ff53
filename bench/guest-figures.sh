#!/bin/sh
# Guest image sizes and boot times per architecture (issues: guests that boot, Xen in a box).
#   bench/guest-figures.sh [runs=3]          under plain QEMU: slides to its first HTTP 200, and hello (the
#                                            baseline: the same kernel and JVM) to power-off
#   bench/guest-figures.sh --xen [runs=1]    on Xen in a box: QEMU start to dom0 ready, xl create to the
#                                            first HTTP 200, against the same guest under plain QEMU
# It builds the slides and hello samples for xen (x86_64), arm (aarch64) and arm (armv7) first.
# (after ./mvnw install -DskipTests -pl bench -am)
set -e
cd "$(dirname "$0")/.."
xen=no
if [ "${1:-}" = --xen ]; then xen=yes; shift; fi
runs=${1:-$([ $xen = yes ] && echo 1 || echo 3)}
[ -f bench/target/benchmarks.jar ] || { echo "build first: ./mvnw -q install -DskipTests -pl bench -am" >&2; exit 2; }
build() { # target arch: each sample's guest image for it
  for s in $3; do
    (cd "samples/$s" && ../../mvnw -q -B package -DskipTests -Dmirage.target="$1" -Dmirage.arch="$2") >/dev/null
  done
}
if [ $xen = yes ]; then
  first=yes
  for ta in arm:aarch64 xen:x86_64; do
    build "${ta%%:*}" "${ta##*:}" slides
    java -cp bench/target/benchmarks.jar org.mirage4j.bench.XenFigures "$runs" samples "$ta" | \
      if [ $first = yes ]; then cat; else tail -n +2; fi
    first=no
  done
  exit 0
fi
first=yes
for ta in xen:x86_64 arm:aarch64 arm:armv7; do
  build "${ta%%:*}" "${ta##*:}" "slides hello"
  java -cp bench/target/benchmarks.jar org.mirage4j.bench.GuestFigures "$runs" samples "$ta" | \
    if [ $first = yes ]; then cat; else tail -n +2 | grep -v '^(times'; fi
  first=no
done
