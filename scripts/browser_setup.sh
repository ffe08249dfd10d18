#!/usr/bin/env bash
# The browser tests drive Debian's chromium with Playwright (Playwright's own browser download
# does not work here). Install it when missing, with a CJK font so that the screenshots the
# tests save show Chinese instead of empty boxes. Needs root, as in CI.
set -euo pipefail
packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
# dpkg -s succeeds for a removed package whose config is left; ask for the installed state.
dpkg-query -W -f='${Status}' fonts-wqy-microhei 2>/dev/null | grep -q "install ok installed" || packages+=(fonts-wqy-microhei)
[ ${#packages[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "[setup] error: missing ${packages[*]}; install with 'sudo apt-get install -y ${packages[*]}'" >&2
  exit 1
fi
echo "[setup] installing ${packages[*]} from Debian for the browser tests (about 30 s)"
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
apt-get install -y -q "${packages[@]}" >"$log" 2>&1 || {
  apt-get update -q >>"$log" 2>&1 && apt-get install -y -q "${packages[@]}" >>"$log" 2>&1
} || { tail -20 "$log" >&2; echo "[setup] error: could not install ${packages[*]} (log above)" >&2; exit 1; }
echo "[setup] installed: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
