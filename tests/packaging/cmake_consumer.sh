#!/usr/bin/env bash
# cmake_consumer: configure tests/packaging/consumer as a separate CMake project that finds the
# staged install with find_package(ws2_32 CONFIG REQUIRED), build it and run its programs.
#
# usage: cmake_consumer.sh CMAKE CONSUMER_DIR STAGE_PREFIX WORK_DIR
set -u

if [ $# -ne 4 ]; then
    echo "usage: $0 CMAKE CONSUMER_DIR STAGE_PREFIX WORK_DIR" >&2
    exit 2
fi
cmake=$1
src=$2
stage=$3
work=$4

die() {
    echo "cmake_consumer: FATAL: $*" >&2
    exit 2
}

[ -f "$src/CMakeLists.txt" ] || die "'$src' holds no CMakeLists.txt"
[ -d "$stage" ] || die "stage prefix '$stage' does not exist (run the install_stage test first)"
stage=$(cd "$stage" && pwd)
rm -rf "$work"
mkdir -p "$work" || die "cannot create '$work'"
work=$(cd "$work" && pwd)
build_dir=$work/build

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS  $*"; }
fail() { failed=$((failed + 1)); echo "FAIL  $*"; }
finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
    exit
}

# Configure. CMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY keeps a user's package registry out of it.
if "$cmake" -S "$src" -B "$build_dir" -DCMAKE_PREFIX_PATH="$stage" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_C_FLAGS="${WS2_CONSUMER_FLAGS:-}" -DCMAKE_CXX_FLAGS="${WS2_CONSUMER_FLAGS:-}" \
        -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON > "$work/configure.log" 2>&1; then
    pass "configure with -DCMAKE_PREFIX_PATH=$stage"
else
    fail "configure with -DCMAKE_PREFIX_PATH=$stage"
    sed 's/^/      /' "$work/configure.log"
    finish
fi

# find_package must have found the staged package, not another install.
found=$(sed -n 's/^ws2_32_DIR:[A-Z]*=//p' "$build_dir/CMakeCache.txt")
case "$(readlink -f "$found")/" in
    "$(readlink -f "$stage")"/*) pass "find_package(ws2_32) found $found" ;;
    *) fail "find_package(ws2_32) found '$found', outside the stage $stage" ;;
esac

if "$cmake" --build "$build_dir" > "$work/build.log" 2>&1; then
    pass "build"
else
    fail "build"
    sed 's/^/      /' "$work/build.log"
    finish
fi

# run EXPECTED_OUTPUT PROGRAM [ARGS...]: the program must print exactly EXPECTED_OUTPUT and exit 0.
run() {
    local expected=$1 name=$2
    shift 2
    local out rc
    out=$(cd "$build_dir" && timeout 30 "./$name" "$@" 2>&1 < /dev/null)
    rc=$?
    if [ $rc -eq 0 ] && [ "$out" = "$expected" ]; then
        pass "run $name $*"
    else
        fail "run $name $*: exit code $rc, output:"
        printf '%s\n' "$out" | sed 's/^/      | /'
        echo "      expected:"
        printf '%s\n' "$expected" | sed 's/^/      | /'
    fi
}

run "OK" consumer
run "OK" consumer_std_first
run "OK" consumer_std_last
run "argv[1]=42 argv[3]=abc
_wtoi: 42 -7 0
OK" consumer_wmain 42 -7 abc

finish
