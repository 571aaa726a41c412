#!/usr/bin/env bash
# Drives the built ws2ctl against a private catalog file, as a user would: show, install a layer
# and a base transport from description files, order, remove, reset, bad input and exit codes.
set -u
ws2ctl="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export WS2_CATALOG="$work/catalog.json"
failures=0

# expect <exit code> <text the output must contain, or ""> -- command...
expect() {
    local want=$1 text=$2
    shift 3
    local out rc
    out=$("$@" 2>&1)
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        echo "FAIL: $* exited $rc, expected $want"; echo "$out" | head -5; failures=$((failures + 1))
    elif [ -n "$text" ] && ! grep -qF -- "$text" <<<"$out"; then
        echo "FAIL: $*: output lacks \"$text\""; echo "$out" | head -5; failures=$((failures + 1))
    fi
}
entries() { "$ws2ctl" show catalog | grep -c '^Winsock Catalog Provider Entry$'; }
first_id() { "$ws2ctl" show catalog | grep -m1 '^Catalog Entry ID:' | awk '{print $4}'; }

cat >"$work/layer.json" <<'JSON'
{
  "provider_id": "{6C7D2E4A-1B3F-4E5A-9C8D-7E6F5A4B3C2D}",
  "library": "%WS2_PROVIDERS%/libws2_passthrough.so",
  "layer": {
    "name": "Pass-through layer",
    "over": ["AF_INET/SOCK_STREAM/IPPROTO_TCP", "AF_INET6/SOCK_STREAM/IPPROTO_TCP",
             "AF_INET/SOCK_DGRAM/IPPROTO_UDP", "AF_INET6/SOCK_DGRAM/IPPROTO_UDP"]
  }
}
JSON
cat >"$work/base.json" <<'JSON'
{
  "provider_id": "{0B1C2D3E-4F50-6172-8394-A5B6C7D8E9F0}",
  "library": "/opt/example/libudt.so",
  "entries": [
    { "name": "Example [UDT/IP]", "address_family": "AF_INET", "socket_type": "SOCK_STREAM",
      "protocol": 250, "service_flags": ["XP1_GUARANTEED_DELIVERY", "XP1_GUARANTEED_ORDER"] }
  ]
}
JSON

# The built-in catalog, as netsh shows it.
expect 0 "MSAFD Tcpip [TCP/IPv6]" -- "$ws2ctl" show catalog
expect 0 "Service Flags:                      0x20066" -- "$ws2ctl" show catalog
[ "$(entries)" = 7 ] || { echo "FAIL: built-in catalog has $(entries) entries"; failures=$((failures + 1)); }

# The layer and its four chains go in at the front.
expect 0 "as catalog entry 1008" -- "$ws2ctl" install "$work/layer.json"
[ "$(entries)" = 12 ] || { echo "FAIL: $(entries) entries after the layer"; failures=$((failures + 1)); }
expect 0 "Protocol Chain:                     1008 : 1004" -- "$ws2ctl" show catalog
[ "$(first_id)" = 1008 ] || { echo "FAIL: the layer is not first"; failures=$((failures + 1)); }
expect 0 "%WS2_PROVIDERS%/libws2_passthrough.so" -- "$ws2ctl" show catalog
expect 3 "already installed" -- "$ws2ctl" install "$work/layer.json"

# A base transport is appended.
expect 0 "1 entries" -- "$ws2ctl" install "$work/base.json"
expect 0 "Example [UDT/IP]" -- "$ws2ctl" show catalog

# Order: a full permutation, or refused with the ids listed.
ids=$("$ws2ctl" show catalog | awk '/^Catalog Entry ID:/ {print $4}' | tac | tr '\n' ' ')
expect 0 "order written" -- "$ws2ctl" order $ids
[ "$(first_id)" = 1013 ] || { echo "FAIL: order not applied (first $(first_id))"; failures=$((failures + 1)); }
expect 3 "exactly once" -- "$ws2ctl" order 1001 1002
expect 1 "" -- "$ws2ctl" order
expect 1 "" -- "$ws2ctl" order abc

# Remove.
expect 0 "Removed provider" -- "$ws2ctl" remove "{6C7D2E4A-1B3F-4E5A-9C8D-7E6F5A4B3C2D}"
expect 3 "no provider" -- "$ws2ctl" remove "{6C7D2E4A-1B3F-4E5A-9C8D-7E6F5A4B3C2D}"
expect 1 "not a GUID" -- "$ws2ctl" remove "not-a-guid"

# Reset; ids are not used again.
expect 0 "reset" -- "$ws2ctl" reset
[ "$(entries)" = 7 ] || { echo "FAIL: $(entries) entries after reset"; failures=$((failures + 1)); }
expect 0 "as catalog entry 1014" -- "$ws2ctl" install "$work/layer.json"

# Bad descriptions say what and where.
printf '{ "provider_id": "{6C7D2E4A-1B3F-4E5A-9C8D-7E6F5A4B3C2E}",\n  "library": 5,, }' >"$work/syntax.json"
expect 2 "line 2" -- "$ws2ctl" install "$work/syntax.json"
sed 's/"over"/"ovr"/' "$work/layer.json" >"$work/typo.json"
expect 2 'unknown key "ovr"' -- "$ws2ctl" install "$work/typo.json"
sed 's/SOCK_STREAM/SOCK_STREEM/; s/{0B1C/{0B1D/' "$work/base.json" >"$work/name.json"
expect 2 'entries[0].socket_type: unknown name "SOCK_STREEM"' -- "$ws2ctl" install "$work/name.json"
sed 's/IPPROTO_TCP"/IPPROTO_UDP"/; s/IPPROTO_UDP"]/99"]/; s/{6C7D/{6C7E/; s/Pass-through/Other/' \
    "$work/layer.json" >"$work/nomatch.json"
expect 3 "no catalog entry matches" -- "$ws2ctl" install "$work/nomatch.json"
expect 2 "cannot open description file" -- "$ws2ctl" install "$work/missing.json"

# Usage errors and help.
expect 1 "" -- "$ws2ctl"
expect 1 "" -- "$ws2ctl" frobnicate
expect 1 "" -- "$ws2ctl" install
expect 0 "Exit codes:" -- "$ws2ctl" --help
expect 0 "description" -- "$ws2ctl" install --help

# No permission to write: exit 4 (as root, run as nobody in a directory only root may write).
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    chmod 755 "$work"
    expect 4 "cannot be read or written" -- setpriv --reuid=65534 --regid=65534 --clear-groups \
        "$ws2ctl" remove "{6C7D2E4A-1B3F-4E5A-9C8D-7E6F5A4B3C2D}"
elif [ "$(id -u)" != 0 ]; then
    chmod 555 "$work"
    expect 4 "cannot be read or written" -- "$ws2ctl" reset
    chmod 755 "$work"
fi

# A damaged catalog file: reported with its name, exit 4; reset repairs it.
echo 'garbage' >"$WS2_CATALOG"
expect 4 "catalog file $WS2_CATALOG is unusable" -- "$ws2ctl" show catalog
expect 0 "reset" -- "$ws2ctl" reset
expect 0 "MSAFD Tcpip" -- "$ws2ctl" show catalog

echo "ws2ctl: $failures failure(s)"
[ "$failures" -eq 0 ]
