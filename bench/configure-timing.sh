#!/bin/sh
# Times `mirage configure` end to end in a fresh JVM (start-up, parse, check, lower, generate),
# for a sample and for synthetic configurations of 100, 1,000 and 10,000 devices.
# Usage: bench/configure-timing.sh [runs=5]    (after ./mvnw install -DskipTests -pl cli,bench,samples/slides -am)
set -e
cd "$(dirname "$0")/.."
runs=${1:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -f bench/target/benchmarks.jar ] || { echo "build first: ./mvnw -q install -DskipTests -pl cli,bench,samples/slides -am" >&2; exit 2; }
# the slides config embeds target/deck, which the sample's build assembles (npm)
[ -d samples/slides/target/deck ] || { echo "build the slides deck first: ./mvnw -q install -DskipTests -pl cli,bench,samples/slides -am" >&2; exit 2; }

for n in 100 1000 10000; do
  mkdir -p "$work/synthetic-$n"
  java -cp bench/target/benchmarks.jar org.mirage4j.bench.WriteSyntheticConfig "$n" "$work/synthetic-$n/config.mirage"
done

time_ms() { # command... -> prints the median wall time in ms over $runs runs
  i=0; times=""
  while [ $i -lt "$runs" ]; do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
    end=$(date +%s%N)
    times="$times $(( (end - start) / 1000000 ))"
    i=$((i + 1))
  done
  echo $times | tr ' ' '\n' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

echo "mirage configure -t unix, fresh JVM each run, median of $runs runs:"
printf '  %-28s %6s ms\n' "samples/slides" "$(time_ms bin/mirage configure -t unix -f samples/slides/config.mirage -o "$work/out-slides")"
for n in 100 1000 10000; do
  printf '  %-28s %6s ms\n' "synthetic, $n devices" "$(time_ms bin/mirage configure -t unix -f "$work/synthetic-$n/config.mirage" -o "$work/out-$n")"
done
