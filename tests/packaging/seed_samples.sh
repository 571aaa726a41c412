#!/usr/bin/env bash
# seed_samples: compile the unmodified sample programs of the seed documents against the staged
# install (pkg-config ws2_32-unicode), run them with a table of arguments and compare stdout and
# the exit code with what a Windows build prints (tests/packaging/expected-output.md).
#
# usage: seed_samples.sh SEEDS_DIR STAGE_PREFIX WORK_DIR [LIBDIR]
#   SEEDS_DIR     the seed documents (001_*.txt is `socket`, 002_*.txt is `WSASocket`)
#   STAGE_PREFIX  where `cmake --install` put the package
#   WORK_DIR      scratch directory (recreated)
#   LIBDIR        library directory below the prefix (default: lib)
set -u

if [ $# -lt 3 ] || [ $# -gt 4 ]; then
    echo "usage: $0 SEEDS_DIR STAGE_PREFIX WORK_DIR [LIBDIR]" >&2
    exit 2
fi
seeds_dir=$1
stage=$2
work=$3
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
libdir_name=${4:-lib}
expected_doc=$(cd "$(dirname "$0")" && pwd)/expected-output.md

die() {
    echo "seed_samples: FATAL: $*" >&2
    exit 2
}

[ -d "$seeds_dir" ] || die "seeds directory '$seeds_dir' does not exist (set WS2_SEEDS_DIR)"
[ -d "$stage" ] || die "stage prefix '$stage' does not exist (run the install_stage test first)"
[ -f "$expected_doc" ] || die "expected-output document '$expected_doc' is missing"
stage=$(cd "$stage" && pwd)
rm -rf "$work"
mkdir -p "$work/out" || die "cannot create '$work'"
work=$(cd "$work" && pwd)

# One file per case, from the "## case" sections of the document.
expected_dir=$work/expected
rm -rf "$expected_dir" && mkdir -p "$expected_dir"
awk -v dir="$expected_dir" '
    /^## /                 { name = substr($0, 4); next }
    /^```text$/            { file = dir "/" name ".txt"; printf "" > file; inside = 1; next }
    inside && /^```$/      { inside = 0; close(file); next }
    inside                 { print >> file }
' "$expected_doc" || die "cannot read $expected_doc"

# --- 1. Extract the sample programs ---------------------------------------------------------
# The program is the text between the line "```cpp" and the next line "```" that follow the
# "Example Code" heading (a Markdown heading in one seed, an HTML <h3> in the other).
extract_sample() {
    local seed=$1 out=$2
    "$repo_root/scripts/extract-seed-sample.sh" "$seed" > "$out" || die "cannot extract the sample from $seed"
    echo "extracted $(wc -l < "$out") lines from $(basename "$seed") -> $(basename "$out")"
}

socket_seed=$seeds_dir/001_e1b4481955d00720.txt
wsasocket_seed=$seeds_dir/002_e70b3d13e6b12e5d.txt
extract_sample "$socket_seed" "$work/socket_sample.cpp"
extract_sample "$wsasocket_seed" "$work/wsasocket_sample.cpp"
grep -q 'sock = socket(' "$work/socket_sample.cpp" || die "001 sample does not call socket()"
grep -q 'sock = WSASocket(' "$work/wsasocket_sample.cpp" || die "002 sample does not call WSASocket()"

# --- 2. Compile them, unmodified, as a user of the installed package would ------------------
export PKG_CONFIG_PATH="$stage/$libdir_name/pkgconfig"
pc_flags=$(pkg-config --cflags --libs ws2_32-unicode) \
    || die "pkg-config --cflags --libs ws2_32-unicode failed with PKG_CONFIG_PATH=$PKG_CONFIG_PATH"
echo "pkg-config ws2_32-unicode: $pc_flags"

for prog in socket_sample wsasocket_sample; do
    # Word splitting of $pc_flags is intended (it is what $(pkg-config ...) on a command line does).
    # shellcheck disable=SC2086
    if ! (cd "$work" && g++ ${WS2_CONSUMER_FLAGS:-} -o "$prog" "$prog.cpp" $pc_flags) > "$work/$prog.compile.log" 2>&1; then
        cat "$work/$prog.compile.log"
        die "g++ could not compile the unmodified $prog.cpp"
    fi
    if [ -s "$work/$prog.compile.log" ]; then
        echo "note: g++ warnings for $prog.cpp (allowed):"
        sed 's/^/    /' "$work/$prog.compile.log"
    fi
done

# --- 3. Raw sockets need CAP_NET_RAW on Linux (administrator rights on Windows) ------------
# Ask the kernel directly, without ws2, whether this process may open raw sockets.
cat > "$work/raw_probe.c" <<'PROBE'
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Exit 0: raw IPv4 and IPv6 sockets can be opened; 1: both refused for lack of privilege;
 * 2: anything else (the test cannot decide). */
static int try_raw(int family, int protocol) {
    int fd = socket(family, SOCK_RAW, protocol);
    if (fd >= 0) {
        close(fd);
        return 0;
    }
    if (errno == EPERM || errno == EACCES) return 1;
    fprintf(stderr, "raw_probe: socket(%d, SOCK_RAW, %d): %s\n", family, protocol, strerror(errno));
    return 2;
}

int main(void) {
    int v4 = try_raw(AF_INET, IPPROTO_ICMP);
    int v6 = try_raw(AF_INET6, IPPROTO_ICMPV6);
    if (v4 == v6) return v4;
    fprintf(stderr, "raw_probe: IPv4 and IPv6 raw sockets disagree (%d, %d)\n", v4, v6);
    return 2;
}
PROBE
cc ${WS2_CONSUMER_FLAGS:-} -Wall -Wextra -o "$work/raw_probe" "$work/raw_probe.c" || die "cannot compile the raw-socket probe"
"$work/raw_probe"
case $? in
    0) raw=raw_allowed; echo "raw sockets: allowed (uid $(id -u)); raw cases must succeed" ;;
    1) raw=raw_denied; echo "raw sockets: denied (uid $(id -u)); raw cases must fail with WSAEACCES" ;;
    *) die "cannot tell whether this process may open raw sockets" ;;
esac

# --- 4. The cases --------------------------------------------------------------------------
# expected-file | exit code | program | arguments
# @RAW@ in the file name becomes raw_allowed or raw_denied.
cases=$(cat <<'TABLE'
socket_usage.txt          | 1 | socket_sample |
socket_usage.txt          | 1 | socket_sample | 2 1
socket_0_2_17.txt         | 0 | socket_sample | 0 2 17
socket_2_1_6.txt          | 0 | socket_sample | 2 1 6
socket_2_2_17.txt         | 0 | socket_sample | 2 2 17
socket_23_1_6.txt         | 0 | socket_sample | 23 1 6
socket_23_2_17.txt        | 0 | socket_sample | 23 2 17
socket_2_1_0.txt          | 0 | socket_sample | 2 1 0
socket_2_0_0.txt          | 0 | socket_sample | 2 0 0
socket_0_0_6.txt          | 0 | socket_sample | 0 0 6
socket_0_0_17.txt         | 0 | socket_sample | 0 0 17
socket_1_1_0.txt          | 0 | socket_sample | 1 1 0
socket_0_0_0.txt          | 0 | socket_sample | 0 0 0
socket_0_1_0.txt          | 0 | socket_sample | 0 1 0
socket_6_2_1000.txt       | 0 | socket_sample | 6 2 1000
socket_16_1_0.txt         | 0 | socket_sample | 16 1 0
socket_17_2_0.txt         | 0 | socket_sample | 17 2 0
socket_26_1_0.txt         | 0 | socket_sample | 26 1 0
socket_2_1_17.txt         | 0 | socket_sample | 2 1 17
socket_2_2_6.txt          | 0 | socket_sample | 2 2 6
socket_2_5_0.txt          | 0 | socket_sample | 2 5 0
socket_57005_1_6.txt      | 0 | socket_sample | 57005 1 6
socket_2_57005_6.txt      | 0 | socket_sample | 2 57005 6
socket_2_1_57005.txt      | 0 | socket_sample | 2 1 57005
socket_57005_57005_6.txt  | 0 | socket_sample | 57005 57005 6
socket_-1_1_6.txt         | 0 | socket_sample | -1 1 6
socket_abc_1_6.txt        | 0 | socket_sample | abc 1 6
socket_2_3_1.@RAW@.txt    | 0 | socket_sample | 2 3 1
socket_2_3_0.@RAW@.txt    | 0 | socket_sample | 2 3 0
socket_23_3_58.@RAW@.txt  | 0 | socket_sample | 23 3 58
wsasocket_usage.txt       | 1 | wsasocket_sample |
wsasocket_usage.txt       | 1 | wsasocket_sample | 2 1 6
wsasocket_0_2_17_1.txt    | 0 | wsasocket_sample | 0 2 17 1
wsasocket_2_1_6_0.txt     | 0 | wsasocket_sample | 2 1 6 0
wsasocket_2_1_6_1.txt     | 0 | wsasocket_sample | 2 1 6 1
wsasocket_2_1_6_128.txt   | 0 | wsasocket_sample | 2 1 6 128
wsasocket_2_2_17_4.txt    | 0 | wsasocket_sample | 2 2 17 4
wsasocket_2_2_17_16.txt   | 0 | wsasocket_sample | 2 2 17 16
wsasocket_2_2_17_20.txt   | 0 | wsasocket_sample | 2 2 17 20
wsasocket_2_2_17_2.txt    | 0 | wsasocket_sample | 2 2 17 2
wsasocket_2_2_17_8.txt    | 0 | wsasocket_sample | 2 2 17 8
wsasocket_2_2_17_6.txt    | 0 | wsasocket_sample | 2 2 17 6
wsasocket_2_1_6_4.txt     | 0 | wsasocket_sample | 2 1 6 4
wsasocket_0_0_0_0.txt     | 0 | wsasocket_sample | 0 0 0 0
wsasocket_23_1_6_129.txt  | 0 | wsasocket_sample | 23 1 6 129
TABLE
)

trim() {
    local s=$1
    s=${s#"${s%%[![:space:]]*}"}
    s=${s%"${s##*[![:space:]]}"}
    printf '%s' "$s"
}

passed=0
failed=0

# The samples must run against the staged library (the rpath from ws2_32.pc), not the build tree's.
for prog in socket_sample wsasocket_sample; do
    resolved=$(ldd "$work/$prog" | awk '$1 ~ /^libws2_32\.so/ { print $3 }')
    if [ "$(dirname "$(readlink -f "${resolved:-/nonexistent}")")" = "$(readlink -f "$stage/$libdir_name")" ]; then
        passed=$((passed + 1))
        echo "PASS  $prog loads $resolved"
    else
        failed=$((failed + 1))
        echo "FAIL  $prog loads '${resolved:-no libws2_32}', not the staged $stage/$libdir_name"
    fi
done

n=0
while IFS='|' read -r f_expected f_rc f_prog f_args; do
    expected_name=$(trim "$f_expected")
    [ -n "$expected_name" ] || continue
    expected_name=${expected_name//@RAW@/$raw}
    expected_rc=$(trim "$f_rc")
    prog=$(trim "$f_prog")
    read -r -a args <<< "$f_args"
    n=$((n + 1))
    label="$prog${args[*]:+ ${args[*]}}"
    expected_file=$expected_dir/$expected_name
    actual_file=$work/out/$n.stdout
    errors_file=$work/out/$n.stderr

    # A fixed relative name, so argv[0] (printed by the usage text) is ./socket_sample.
    (cd "$work" && timeout 30 "./$prog" "${args[@]}") > "$actual_file" 2> "$errors_file" < /dev/null
    rc=$?

    problems=()
    if [ ! -f "$expected_file" ]; then
        problems+=("expected file $expected_name is missing")
    elif ! cmp -s "$expected_file" "$actual_file"; then
        problems+=("stdout differs from $expected_name")
    fi
    [ "$rc" = "$expected_rc" ] || problems+=("exit code $rc, expected $expected_rc")
    [ -s "$errors_file" ] && problems+=("unexpected output on stderr")

    if [ ${#problems[@]} -eq 0 ]; then
        passed=$((passed + 1))
        echo "PASS  $label"
    else
        failed=$((failed + 1))
        echo "FAIL  $label"
        for p in "${problems[@]}"; do echo "      - $p"; done
        if [ -f "$expected_file" ]; then
            diff -u --label "expected/$expected_name" --label "actual stdout" \
                "$expected_file" "$actual_file" | sed 's/^/      /'
        else
            sed 's/^/      | /' "$actual_file"
        fi
        if [ -s "$errors_file" ]; then
            echo "      stderr:"
            sed 's/^/      ! /' "$errors_file"
        fi
    fi
done <<< "$cases"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
