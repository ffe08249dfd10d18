#!/usr/bin/env bash
# The browser tests drive Debian's chromium with Playwright (Playwright's own browser download
# does not work here). Install it when missing; needs root, as in CI.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "[setup] error: /usr/bin/chromium is missing; install it with 'sudo apt-get install -y chromium'" >&2
  exit 1
fi
echo "[setup] installing Debian's chromium for the browser tests (about 30 s)"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q chromium >/tmp/coach-apt.log 2>&1 || {
  apt-get update -q >>/tmp/coach-apt.log 2>&1 && apt-get install -y -q chromium >>/tmp/coach-apt.log 2>&1
} || { tail -20 /tmp/coach-apt.log >&2; echo "[setup] error: could not install chromium (log above)" >&2; exit 1; }
echo "[setup] chromium installed: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
