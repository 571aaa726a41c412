#!/usr/bin/env bash
# The main job: install what is missing, build, install ws2 into build/stage, compile the
# Windows sample programs of the seed documents unmodified against it, run them, and list the
# protocol catalog.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
scripts/install-deps.sh
cmake -S . -B build > /dev/null
cmake --build build -j2
cmake --install build --prefix build/stage > /dev/null
export PKG_CONFIG_PATH="$root/build/stage/lib/pkgconfig"
seeds="${WS2_SEEDS_DIR:-$root/../shared/seeds}"
work="$root/build/demo"
mkdir -p "$work"

for sample in socket:001_e1b4481955d00720.txt wsasocket:002_e70b3d13e6b12e5d.txt; do
  name=${sample%%:*}
  scripts/extract-seed-sample.sh "$seeds/${sample#*:}" > "$work/$name.cpp"
  g++ -Wno-unknown-pragmas -o "$work/$name" "$work/$name.cpp" $(pkg-config --cflags --libs ws2_32-unicode)
done

cd "$work"
run() { echo "\$ $*"; "$@" || true; echo; }
run ./socket 0 2 17
run ./socket 23 1 6
run ./socket 0 0 0
run ./socket 6 2 1000
run ./wsasocket 2 2 17 20
run ./wsasocket 2 1 6 4
echo "\$ enum_protocols"
"$root/build/examples/enum_protocols"
