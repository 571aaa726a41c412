#!/usr/bin/env bash
# pkgconfig_consumer: build the consumer programs against the staged install with
# `$(pkg-config --cflags --libs ws2_32)`, as a user's Makefile would, and run them.
#
# usage: pkgconfig_consumer.sh CONSUMER_DIR STAGE_PREFIX WORK_DIR [LIBDIR]
set -u

if [ $# -lt 3 ] || [ $# -gt 4 ]; then
    echo "usage: $0 CONSUMER_DIR STAGE_PREFIX WORK_DIR [LIBDIR]" >&2
    exit 2
fi
src=$1
stage=$2
work=$3
libdir_name=${4:-lib}

die() {
    echo "pkgconfig_consumer: FATAL: $*" >&2
    exit 2
}

[ -f "$src/consumer.c" ] || die "'$src' does not hold consumer.c"
[ -d "$stage" ] || die "stage prefix '$stage' does not exist (run the install_stage test first)"
stage=$(cd "$stage" && pwd)
src=$(cd "$src" && pwd)
rm -rf "$work"
mkdir -p "$work" || die "cannot create '$work'"
work=$(cd "$work" && pwd)

export PKG_CONFIG_PATH="$stage/$libdir_name/pkgconfig"
version=$(pkg-config --modversion ws2_32) || die "pkg-config finds no ws2_32 in $PKG_CONFIG_PATH"
flags=$(pkg-config --cflags --libs ws2_32) || die "pkg-config --cflags --libs ws2_32 failed"
echo "ws2_32 $version: $flags"

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS  $*"; }
fail() { failed=$((failed + 1)); echo "FAIL  $*"; }

# build NAME COMPILER [OPTIONS...] SOURCE: compile and link into $work/NAME with the pkg-config flags.
build() {
    local name=$1
    shift
    local log=$work/$name.build.log
    # shellcheck disable=SC2086  # $flags is split into words, as $(pkg-config ...) would be
    if (cd "$work" && "$@" -o "$name" $flags) > "$log" 2>&1; then
        pass "build $name: $*"
        return 0
    fi
    fail "build $name: $*"
    sed 's/^/      /' "$log"
    return 1
}

# run NAME: runs $work/NAME, which must print exactly "OK" and exit 0, using the staged library.
run() {
    local name=$1
    local resolved
    resolved=$(ldd "$work/$name" | awk '$1 ~ /^libws2_32\.so/ { print $3 }')
    if [ "$(dirname "$(readlink -f "${resolved:-/nonexistent}")")" != "$(readlink -f "$stage/$libdir_name")" ]; then
        fail "$name loads '${resolved:-no libws2_32}', not the staged library"
        return
    fi
    local out rc
    out=$(cd "$work" && timeout 30 "./$name" 2>&1 < /dev/null)
    rc=$?
    if [ $rc -eq 0 ] && [ "$out" = "OK" ]; then
        pass "run $name"
    else
        fail "run $name: exit code $rc, output:"
        printf '%s\n' "$out" | sed 's/^/      | /'
    fi
}

warn=(-Wall -Wextra -Werror)
build consumer cc ${WS2_CONSUMER_FLAGS:-} "${warn[@]}" "$src/consumer.c" && run consumer
# The C++ variants: the standard library's headers before and after the Winsock headers.
build consumer_std_first c++ ${WS2_CONSUMER_FLAGS:-} -std=c++17 -pthread "${warn[@]}" -I"$src" "$src/consumer_std_first.cpp" \
    && run consumer_std_first
build consumer_std_last c++ ${WS2_CONSUMER_FLAGS:-} -std=c++17 -pthread "${warn[@]}" -I"$src" "$src/consumer_std_last.cpp" \
    && run consumer_std_last

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
