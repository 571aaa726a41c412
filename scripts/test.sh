#!/usr/bin/env bash
# Builds ws2 and runs the whole test suite (GoogleTest suites, packaging and seed-sample tests).
#   scripts/test.sh                      # normal build in build/
#   scripts/test.sh address,undefined    # sanitizer build in build-address-undefined/
#   scripts/test.sh thread               # ThreadSanitizer build in build-thread/
set -euo pipefail
cd "$(dirname "$0")/.."
sanitize="${1:-}"
dir=build
args=()
if [ -n "$sanitize" ]; then
  dir="build-${sanitize//,/-}"
  args+=(-DWS2_SANITIZE="$sanitize" -DWS2_BUILD_BENCHMARKS=OFF -DCMAKE_BUILD_TYPE=Debug)
fi
cmake -S . -B "$dir" "${args[@]}" > /dev/null
cmake --build "$dir" -j2
ctest --test-dir "$dir" --output-on-failure -j2
