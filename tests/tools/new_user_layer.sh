#!/usr/bin/env bash
# A new user's first layered provider, end to end: install the shipped pass-through layer with
# ws2ctl from its description file, run unmodified Windows programs (examples/echo_server and
# echo_client), see their sockets go through the layer (WS2_PASSTHROUGH_TRACE), `ws2ctl reset`,
# and see them go straight to the base provider again. Also installs the shipped user-space
# datagram transport from its description.
# usage: new_user_layer.sh <ws2ctl> <echo_server> <echo_client> <providers-dir>
set -u
ws2ctl=$1 server=$2 client=$3 providers=$4
work=$(mktemp -d /tmp/ws2-new-user-XXXXXX)
trap 'rm -rf "$work"' EXIT
export WS2_CATALOG="$work/catalog.json"
passed=0 failed=0
pass() { echo "PASS  $1"; passed=$((passed + 1)); }
fail() { echo "FAIL  $1"; failed=$((failed + 1)); }

wait_listening() {
    for _ in $(seq 100); do grep -q listening "$1" 2> /dev/null && return 0; sleep 0.05; done
    return 1
}
# Runs one echo exchange with tracing on; the trace goes to $work/<name>.trace.
exchange() {
    local name=$1 port=$((20000 + RANDOM % 30000))
    : > "$work/$name.trace"  # both programs append: neither overwrites the other's lines
    WS2_PASSTHROUGH_TRACE=1 "$server" "$port" 1 > "$work/$name.server" 2>> "$work/$name.trace" &
    local pid=$!
    wait_listening "$work/$name.server" || { kill $pid 2> /dev/null; return 1; }
    WS2_PASSTHROUGH_TRACE=1 "$client" 127.0.0.1 "$port" "hello through $name" > "$work/$name.client" 2>> "$work/$name.trace"
    local rc=$?
    wait $pid
    [ $rc -eq 0 ] && grep -q "hello through $name" "$work/$name.client"
}

if "$ws2ctl" install "$providers/passthrough.provider.json" > "$work/install.out" 2>&1; then
    pass "ws2ctl install passthrough.provider.json"
else
    cat "$work/install.out"; fail "ws2ctl install passthrough.provider.json"
fi
"$ws2ctl" show catalog > "$work/catalog.txt" 2>&1
if grep -q "ws2 pass-through layer over" "$work/catalog.txt"; then pass "show catalog lists the layer's chains"; else fail "show catalog lists the layer's chains"; fi

if exchange layered; then pass "echo through the layer"; else fail "echo through the layer"; fi
# Server: listener + accepted socket; client: one socket. All three are the layer's.
created=$(grep -c "ws2-passthrough: socket .* through" "$work/layered.trace")
if [ "$created" -ge 3 ]; then pass "the programs' sockets went through the layer ($created)"; else cat "$work/layered.trace"; fail "sockets through the layer ($created)"; fi

if "$ws2ctl" reset > /dev/null 2>&1; then pass "ws2ctl reset"; else fail "ws2ctl reset"; fi
if exchange plain; then pass "echo after reset"; else fail "echo after reset"; fi
if ! grep -q "ws2-passthrough" "$work/plain.trace"; then pass "after reset the layer is not used"; else fail "after reset the layer is still used"; fi

if "$ws2ctl" install "$providers/user_datagram.provider.json" > "$work/udgram.out" 2>&1 &&
    "$ws2ctl" show catalog | grep -q "ws2 user-space datagram"; then
    pass "ws2ctl install user_datagram.provider.json"
else
    cat "$work/udgram.out"; fail "ws2ctl install user_datagram.provider.json"
fi

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
