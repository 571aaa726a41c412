#!/usr/bin/env bash
# exported_symbols_do_not_collide_with_glibc: libws2_32.so must never export a name that glibc
# exports (a program linked with ws2 would silently get ws2's version of a libc function), must
# export the Winsock names that only Windows has, and must keep the POSIX-named Winsock functions
# (socket, getsockopt, htons, ...) behind ws2_-prefixed symbols.
#
# usage: check_exported_symbols.sh LIBWS2_32_SO
set -u

if [ $# -ne 1 ]; then
    echo "usage: $0 LIBWS2_32_SO" >&2
    exit 2
fi
lib=$1

die() {
    echo "exported_symbols: FATAL: $*" >&2
    exit 2
}

[ -f "$lib" ] || die "'$lib' does not exist (build the ws2_32 target first)"
command -v nm > /dev/null || die "nm (binutils) is not installed"

# Where the system's glibc libraries are: ask the compiler, fall back to the loader cache.
find_system_lib() {
    local soname=$1 path
    path=$(cc -print-file-name="$soname" 2> /dev/null)
    if [ -n "$path" ] && [ "$path" != "$soname" ] && [ -f "$path" ]; then
        readlink -f "$path"
        return 0
    fi
    path=$(ldconfig -p 2> /dev/null | awk -v so="$soname" '$1 == so && /x86-64|AArch64|64bit/ { print $NF; exit }')
    [ -n "$path" ] || path=$(ldconfig -p 2> /dev/null | awk -v so="$soname" '$1 == so { print $NF; exit }')
    if [ -n "$path" ] && [ -f "$path" ]; then
        readlink -f "$path"
        return 0
    fi
    return 1
}

# Defined dynamic symbols, one name a line, without version suffixes (name@VER, name@@VER).
exported_names() {
    nm -D --defined-only "$1" | awk 'NF >= 3 { print $3 }' | sed 's/@.*//' | LC_ALL=C sort -u
}

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS  $*"; }
fail() { failed=$((failed + 1)); echo "FAIL  $*"; }

ws2_names=$(exported_names "$lib") || die "nm -D failed on $lib"
[ -n "$ws2_names" ] || die "$lib exports nothing"
echo "$lib exports $(printf '%s\n' "$ws2_names" | wc -l) names"

# 1. No name in common with glibc. libc.so.6 must be found; the other glibc libraries are
#    checked where installed.
libc=$(find_system_lib libc.so.6) || die "cannot find libc.so.6 (cc -print-file-name, ldconfig -p)"
for soname in libc.so.6 libm.so.6 libresolv.so.2 libpthread.so.0 libdl.so.2 librt.so.1 libanl.so.1; do
    if [ "$soname" = libc.so.6 ]; then
        path=$libc
    else
        path=$(find_system_lib "$soname") || { echo "skip  $soname (not installed)"; continue; }
    fi
    glibc_names=$(exported_names "$path") || die "nm -D failed on $path"
    [ -n "$glibc_names" ] || die "$path exports nothing?"
    common=$(LC_ALL=C comm -12 <(printf '%s\n' "$ws2_names") <(printf '%s\n' "$glibc_names"))
    if [ -z "$common" ]; then
        pass "no exported name in common with $soname ($path)"
    else
        fail "names exported by both $(basename "$lib") and $soname ($path):"
        printf '%s\n' "$common" | sed 's/^/      /'
    fi
done

# 2. Names a Windows program links against must be there.
for name in WSAStartup WSACleanup WSASocketW WSASocketA closesocket WSAEnumProtocolsA \
        WSAEnumProtocolsW ws2_socket ws2_getsockopt ws2_setsockopt WSAGetLastError GetLastError; do
    if printf '%s\n' "$ws2_names" | grep -qxF "$name"; then
        pass "exports $name"
    else
        fail "does not export $name"
    fi
done

# 3. POSIX-named Winsock functions must go through their ws2_ symbols, never their own names.
for name in socket getsockopt htons; do
    if printf '%s\n' "$ws2_names" | grep -qxF "$name"; then
        fail "exports $name (it must be ws2_$name)"
    else
        pass "does not export $name"
    fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
