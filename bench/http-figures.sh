#!/usr/bin/env bash
# HTTP figures: the static-website unikernel against nginx and com.sun.net.httpserver, loaded by
# wrk, in one run (see bench/README.md). Installs wrk and nginx from Debian when missing and root.
# Usage, from anywhere: bench/http-figures.sh [seconds=10] [--direct]
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing+=(nginx-light)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${missing[*]} from Debian" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "http-figures: ${missing[*]} missing; install them (apt-get install ${missing[*]}) or run as root" >&2
    exit 2
  fi
fi
if [ ! -f bench/target/benchmarks.jar ] || [ ! -f samples/static-website/target/static_website.jar ]; then
  echo "http-figures: build first: ./mvnw -q install -DskipTests" >&2
  exit 2
fi
exec java -cp bench/target/benchmarks.jar org.mirage4j.bench.HttpFigures "$@"
