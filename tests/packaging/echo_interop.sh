#!/usr/bin/env bash
# A Windows-style echo server and client (examples/), compiled unmodified against the staged
# install with pkg-config, talk to each other and to socat over 127.0.0.1.
# usage: echo_interop.sh <examples-dir> <stage> <work>
set -u
examples=$1 stage=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
export PKG_CONFIG_PATH="$stage/lib/pkgconfig"
passed=0 failed=0
pass() { echo "PASS  $1"; passed=$((passed + 1)); }
fail() { echo "FAIL  $1"; failed=$((failed + 1)); }

for prog in echo_server echo_client; do
    if cc ${WS2_CONSUMER_FLAGS:-} -Wall -Wextra -o "$work/$prog" "$examples/$prog.c" $(pkg-config --cflags --libs ws2_32) \
        2> "$work/$prog.log"; then
        pass "compile $prog"
    else
        cat "$work/$prog.log"
        fail "compile $prog"
    fi
done

port() { echo $((20000 + RANDOM % 30000)); }
wait_listening() {  # the server prints "listening" once it is ready
    for _ in $(seq 100); do grep -q listening "$1" 2> /dev/null && return 0; sleep 0.05; done
    return 1
}

# 1. ws2 client -> ws2 server
p=$(port)
"$work/echo_server" "$p" 1 > "$work/server1.out" 2>&1 &
server=$!
wait_listening "$work/server1.out"
reply=$(timeout 10 "$work/echo_client" 127.0.0.1 "$p" "hello from ws2")
wait "$server"
[ "$reply" = "hello from ws2" ] && pass "ws2 client <-> ws2 server" || fail "ws2 client <-> ws2 server (got '$reply')"

# 2. socat client -> ws2 server
p=$(port)
"$work/echo_server" "$p" 1 > "$work/server2.out" 2>&1 &
server=$!
wait_listening "$work/server2.out"
reply=$(printf 'hello from socat' | timeout 10 socat -t 5 - "TCP:127.0.0.1:$p")
wait "$server"
[ "$reply" = "hello from socat" ] && pass "socat client <-> ws2 server" || fail "socat client <-> ws2 server (got '$reply')"

# 3. ws2 client -> socat echo server
p=$(port)
timeout 20 socat "TCP-LISTEN:$p,bind=127.0.0.1,reuseaddr" PIPE &
server=$!
for _ in $(seq 100); do reply=$(timeout 10 "$work/echo_client" 127.0.0.1 "$p" "to socat" 2>&1) && [ "$reply" = "to socat" ] && break; sleep 0.05; done
kill "$server" 2> /dev/null
wait "$server" 2> /dev/null
[ "$reply" = "to socat" ] && pass "ws2 client <-> socat server" || fail "ws2 client <-> socat server (got '$reply')"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
