#!/usr/bin/env bash
# examples/iocp_server end to end: many clients at once (echo_client processes, and a large
# transfer through socat when it is installed), every echo checked, then Ctrl+C (SIGINT) and a
# close event (SIGTERM) each shut it down cleanly, and max_clients_then_exit ends it by itself.
# usage: iocp_sample.sh <iocp_server> <echo_client>
set -u
server=$1 client=$2
work=$(mktemp -d /tmp/ws2-iocp-sample-XXXXXX)
trap 'rm -rf "$work"; [ -n "${pid:-}" ] && kill "$pid" 2> /dev/null' EXIT
passed=0 failed=0
pass() { echo "PASS  $1"; passed=$((passed + 1)); }
fail() { echo "FAIL  $1"; failed=$((failed + 1)); }

# Starts the server on a free-looking port; sets pid and port.
start_server() {
    local name=$1; shift
    for _ in 1 2 3 4 5; do
        port=$((20000 + RANDOM % 30000))
        "$server" "$port" "$@" > "$work/$name.out" 2>&1 &
        pid=$!
        for _ in $(seq 100); do
            grep -q listening "$work/$name.out" 2> /dev/null && return 0
            kill -0 $pid 2> /dev/null || break
            sleep 0.05
        done
        kill $pid 2> /dev/null; wait $pid 2> /dev/null
    done
    return 1
}

# Runs n clients at once with distinct messages; counts the echoes that came back intact.
many_clients() {
    local n=$1 tag=$2 ok=0 pids=()
    for i in $(seq "$n"); do
        msg="$tag client $i $(head -c $((i * 37)) /dev/zero | tr '\0' x)"
        echo "$msg" > "$work/$tag.$i.expected"
        "$client" 127.0.0.1 "$port" "$msg" > "$work/$tag.$i.got" 2>&1 &
        pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p"; done
    for i in $(seq "$n"); do cmp -s "$work/$tag.$i.expected" "$work/$tag.$i.got" && ok=$((ok + 1)); done
    echo $ok
}

wait_exit() {  # waits up to 10 s for the server; sets status (in this shell: wait needs the parent)
    for _ in $(seq 200); do kill -0 $pid 2> /dev/null || break; sleep 0.05; done
    if kill -0 $pid 2> /dev/null; then kill -9 $pid; wait $pid 2> /dev/null; status=timeout; pid=; return; fi
    wait $pid; status=$?; pid=
}

# 1. 50 clients at once, a large transfer, then Ctrl+C.
if start_server sigint; then
    ok=$(many_clients 50 first)
    [ "$ok" = 50 ] && pass "50 concurrent clients echoed" || fail "50 concurrent clients echoed ($ok/50)"
    if command -v socat > /dev/null; then
        head -c 2000000 /dev/urandom > "$work/big.sent"
        socat -t 10 - "TCP:127.0.0.1:$port" < "$work/big.sent" > "$work/big.echoed" 2> "$work/big.stderr"
        cmp -s "$work/big.sent" "$work/big.echoed" && pass "2 MB echoed through socat" || fail "2 MB echoed through socat"
    fi
    # Clients left connected while the server shuts down.
    # Clients left connected while the server shuts down (they only read, and end when the
    # server closes them).
    idle=()
    if command -v socat > /dev/null; then
        for i in 1 2 3; do socat -u "TCP:127.0.0.1:$port" /dev/null > /dev/null 2>&1 & idle+=($!); done
    fi
    sleep 0.3
    kill -INT $pid
    wait_exit
    [ "$status" = 0 ] && pass "SIGINT: exit status 0" || fail "SIGINT: exit status $status"
    grep -q "shut down cleanly" "$work/sigint.out" && pass "SIGINT: shut down message" || fail "SIGINT: shut down message"
    closed=0
    for p in "${idle[@]}"; do
        for _ in $(seq 100); do kill -0 "$p" 2> /dev/null || break; sleep 0.05; done
        kill -0 "$p" 2> /dev/null && kill "$p" || closed=$((closed + 1))
    done
    [ "$closed" = "${#idle[@]}" ] && pass "connected clients closed at shutdown" || fail "connected clients closed at shutdown"
else
    fail "server started"
fi

# 2. A close event (SIGTERM) shuts down cleanly too.
if start_server sigterm; then
    ok=$(many_clients 10 second)
    [ "$ok" = 10 ] && pass "10 clients echoed" || fail "10 clients echoed ($ok/10)"
    kill -TERM $pid
    wait_exit
    [ "$status" = 0 ] && pass "SIGTERM: exit status 0" || fail "SIGTERM: exit status $status"
    grep -q "shut down cleanly" "$work/sigterm.out" && pass "SIGTERM: shut down message" || fail "SIGTERM: shut down message"
else
    fail "server started (SIGTERM run)"
fi

# 3. max_clients_then_exit: the server ends by itself after 5 clients.
if start_server limited 5; then
    ok=$(many_clients 5 third)
    [ "$ok" = 5 ] && pass "5 clients echoed" || fail "5 clients echoed ($ok/5)"
    wait_exit
    [ "$status" = 0 ] && pass "max_clients_then_exit: exit status 0" || fail "max_clients_then_exit: exit status $status"
    grep -q "shut down cleanly after 5 clients" "$work/limited.out" && pass "max_clients_then_exit: message" \
        || fail "max_clients_then_exit: message"
else
    fail "server started (limited run)"
fi

echo "$passed passed, $failed failed"
[ $failed -eq 0 ] || { echo "--- server output:"; cat "$work"/*.out; }
[ $failed -eq 0 ]
