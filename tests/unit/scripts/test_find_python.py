"""scripts/find_python.sh finds a 3.10 interpreter or says how to get one."""
from __future__ import annotations

import os
import subprocess
import sys

from coach.settings import PROJECT_ROOT

SCRIPT = str(PROJECT_ROOT / "scripts" / "find_python.sh")


def _run(env_extra: dict) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", **env_extra}
    return subprocess.run(["bash", SCRIPT], env=env, capture_output=True, text=True)


def test_explicit_python_is_used():
    result = _run({"PYTHON": sys.executable})  # the venv's own 3.10
    assert result.returncode == 0
    assert result.stdout.strip().endswith(("python", "python3", "python3.10"))


def test_wrong_python_is_refused_with_a_reason():
    result = _run({"PYTHON": "/bin/false"})
    assert result.returncode == 1
    assert "is not a working Python 3.10" in result.stderr


def test_nothing_found_explains_how_to_install():
    result = _run({"PYENV_ROOT": "/nonexistent"})
    if result.returncode == 0:  # this machine has python3.10 in /usr/bin: nothing to test here
        version = subprocess.run([result.stdout.strip(), "--version"], capture_output=True, text=True)
        assert "3.10" in version.stdout
        return
    assert "pyenv install 3.10" in result.stderr and "PYTHON=" in result.stderr


def test_pyenv_versions_are_searched(tmp_path):
    fake = tmp_path / "versions" / "3.10.99" / "bin"
    fake.mkdir(parents=True)
    (fake / "python3.10").symlink_to(os.path.realpath(sys.executable))
    result = _run({"PYENV_ROOT": str(tmp_path)})
    assert result.returncode == 0 and result.stdout.strip()
