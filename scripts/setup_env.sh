#!/usr/bin/env bash
# Create .venv with Python 3.10 and install requirements.lock into it.
# Idempotent: does nothing when .venv already matches the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
PIP_VERSION=24.0
STAMP="$VENV/.lock-sha256"
want=$(sha256sum requirements.lock | cut -d' ' -f1)

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] && "$VENV/bin/python" -W ignore -c 'import rasa.version' 2>/dev/null; then
  echo "[setup] .venv is up to date with requirements.lock"
  exit 0
fi

py=$(scripts/find_python.sh)
if [ -x "$VENV/bin/python" ] && ! "$VENV/bin/python" -c 'import sys; sys.exit(0 if sys.version_info[:2]==(3,10) else 1)'; then
  echo "[setup] .venv uses another Python version; recreating it"
  rm -rf "$VENV"
fi
if [ ! -x "$VENV/bin/python" ]; then
  echo "[setup] creating $VENV with $py"
  "$py" -m venv "$VENV"
fi

echo "[setup] installing pip==$PIP_VERSION"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "pip==$PIP_VERSION"
echo "[setup] installing requirements.lock (first run takes a few minutes: TensorFlow is large)"
start=$(date +%s)
# Show one line per package as progress; pip's own summary line lists all ~190 and is dropped.
"$VENV/bin/python" -m pip install --disable-pip-version-check --progress-bar off \
  -r requirements.lock 2>&1 | grep -E '^(Collecting|ERROR|error)' | sed 's/^/[setup]   /' || true
# grep swallows pip's exit code, so check the result explicitly.
"$VENV/bin/python" -m pip check >/dev/null || { "$VENV/bin/python" -m pip check; echo "[setup] error: dependency check failed" >&2; exit 1; }
if ! err=$("$VENV/bin/python" -W ignore -c 'import rasa.version, rasa_sdk, spacy, jieba, opencc, yaml' 2>&1); then
  echo "$err" >&2; echo "[setup] error: install incomplete: an import failed (above)" >&2; exit 1
fi
echo "$want" > "$STAMP"
echo "[setup] dependencies installed in $(( $(date +%s) - start ))s"
