#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks to build and test ws2. Idempotent: does nothing
# when every package is present; otherwise needs root (or sudo).
set -euo pipefail
packages=(cmake make g++ pkg-config binutils libgtest-dev libgmock-dev libbenchmark-dev socat
  nlohmann-json3-dev liburing-dev libcli11-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
$sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}"
