#!/usr/bin/env bash
# Print the absolute path of a Python 3.10 interpreter.
# rasa 3.6 supports Python 3.8-3.10 only and requirements.lock is resolved for 3.10,
# while these machines default to 3.11. Search order: $PYTHON, python3.10 on PATH,
# then every 3.10.x that pyenv has installed (newest first).
set -uo pipefail

is_310() {
  # pyenv shims exist even when the version is not active, so run it, don't trust `command -v`.
  "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' >/dev/null 2>&1
}
real_path() { "$1" -c 'import sys; print(sys.executable)'; }

if [ -n "${PYTHON:-}" ]; then
  if is_310 "$PYTHON"; then real_path "$PYTHON"; exit 0; fi
  echo "error: PYTHON=$PYTHON is not a working Python 3.10 interpreter." >&2
  echo "       Unset PYTHON to search automatically, or point it at a python3.10 binary." >&2
  exit 1
fi

if command -v python3.10 >/dev/null 2>&1 && is_310 python3.10; then
  real_path python3.10; exit 0
fi

roots=()
if command -v pyenv >/dev/null 2>&1; then roots+=("$(pyenv root 2>/dev/null)"); fi
roots+=("${PYENV_ROOT:-$HOME/.pyenv}")
for root in "${roots[@]}"; do
  [ -d "$root/versions" ] || continue
  for dir in $(ls -1d "$root"/versions/3.10.* 2>/dev/null | sort -rV); do
    if [ -x "$dir/bin/python3.10" ] && is_310 "$dir/bin/python3.10"; then
      real_path "$dir/bin/python3.10"; exit 0
    fi
  done
done

cat >&2 <<'MSG'
error: no Python 3.10 interpreter found (rasa 3.6.21 needs Python 3.8-3.10; this project pins 3.10).
Looked at: $PYTHON, python3.10 on PATH, and pyenv's installed versions.
Fix one of:
  - pyenv install 3.10.13            (then run make again)
  - install python3.10 from your OS packages so it is on PATH
  - PYTHON=/path/to/python3.10 make run
MSG
exit 1
