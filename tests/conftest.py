"""Shared fixtures and helpers: tracker states from JSON (no Rasa server), a scratch playbook copy,
the real servers over REST, hostile names, threads released together, and the scripts/ modules."""
from __future__ import annotations

import copy
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Dict, Iterator, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from coach import settings
from coach.settings import PROJECT_ROOT

FIXTURES = Path(__file__).parent / "fixtures" / "trackers"
_MARKERS = {"integration": "servers", "browser": "browser", "scale": "scale"}  # folder -> marker


def pytest_collection_modifyitems(items: List[pytest.Item]) -> None:
    """The marker follows the folder, so `-m` selects what `make unit` and `make scale-test` run."""
    for item in items:
        parts = Path(str(item.fspath)).relative_to(Path(__file__).parent).parts
        if parts and parts[0] in _MARKERS:
            item.add_marker(_MARKERS[parts[0]])


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    """Settings are read once per process; a test that sets COACH_* variables must see them."""
    settings.reset()
    yield
    settings.reset()


class _SettingsAwareMonkeyPatch:
    """pytest's monkeypatch, except that setting or unsetting a variable re-reads the settings."""

    def __init__(self, inner: pytest.MonkeyPatch) -> None:
        self._inner = inner

    def setenv(self, name: str, value: str, prepend: Optional[str] = None) -> None:
        self._inner.setenv(name, value, prepend)
        settings.reset()

    def delenv(self, name: str, raising: bool = True) -> None:
        self._inner.delenv(name, raising)
        settings.reset()

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._inner, attribute)


@pytest.fixture
def monkeypatch(monkeypatch: pytest.MonkeyPatch) -> Any:
    return _SettingsAwareMonkeyPatch(monkeypatch)
MODEL = PROJECT_ROOT / "models" / "coach.tar.gz"


def make_tracker(fixture: str, text: str = "", intent: Optional[str] = None,
                 entities: Optional[List[Dict[str, Any]]] = None, text_original: Optional[str] = None,
                 slots: Optional[Dict[str, Any]] = None, moves: Optional[List[str]] = None,
                 sender_id: Optional[str] = None) -> Tracker:
    """A Tracker from tests/fixtures/trackers/<fixture>.json with the rep's latest message set.

    `slots` override the fixture's slots; `moves` is what the NLU's MoveClassifier would add.
    """
    state = json.loads((FIXTURES / f"{fixture}.json").read_text(encoding="utf-8"))
    state["slots"].update(slots or {})
    if sender_id:
        state["sender_id"] = sender_id
    state["latest_message"] = {"text": text, "intent": {"name": intent, "confidence": 0.95},
                               "entities": entities or []}
    if moves is not None:
        state["latest_message"]["moves"] = moves
    if text_original is not None:
        state["latest_message"]["text_original"] = text_original
    state["events"].append({"event": "user", "text": text_original or text,
                            "parse_data": copy.deepcopy(state["latest_message"])})
    return Tracker.from_dict(state)


def line_of_text(text: str, needle: str) -> int:
    """1-based number of the first line containing `needle` (to check reported file:line)."""
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in file")


def run_action(action: Any, tracker: Tracker) -> tuple:
    """Run an action like the SDK does; return (messages, events)."""
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker, {})
    return dispatcher.messages, events


def slot_events(events: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.fixture
def results_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh results store for this test (coach.results.store.default_store follows the env var)."""
    path = tmp_path / "results.db"
    monkeypatch.setenv("COACH_RESULTS_DB", str(path))
    return path


@pytest.fixture
def playbook_copy(tmp_path: Path) -> Path:
    """A writable copy of data/playbook for tests that break it on purpose."""
    target = tmp_path / "playbook"
    shutil.copytree(PROJECT_ROOT / "data" / "playbook", target)
    return target


@pytest.fixture
def edit(playbook_copy: Path) -> Callable[[str, str, str], Path]:
    """edit('price', old, new): replace text in one playbook file of the copy (must match once)."""

    def _edit(name: str, old: str, new: str) -> Path:
        path = playbook_copy / f"{name}.yml"
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"test setup: {old!r} must occur exactly once in {path.name}"
        path.write_text(text.replace(old, new), encoding="utf-8")
        return path

    return _edit


# --- the real servers, over REST -------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(port: int, sender: str, message: str) -> list:
    """Send one message through Rasa's REST channel; return the bot's replies."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def payload(replies: list, kind: str) -> dict:
    found = [r["custom"] for r in replies if (r.get("custom") or {}).get("type") == kind]
    assert found, f"no {kind} payload in {replies}"
    return found[0]


@dataclass
class Servers:
    port: int
    results_db: Path
    drills_dir: Path
    log: Path


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory):
    """Rasa + action server started by scripts/run.sh on free ports, with their own stores and drills."""
    assert MODEL.is_file(), "no trained model: run `make test` (it trains first)"
    tmp = tmp_path_factory.mktemp("coach")
    rasa_port, action_port = _free_port(), _free_port()
    drills = tmp / "drills"
    shutil.copytree(PROJECT_ROOT / "data" / "drills", drills)
    log_path = tmp / "servers.log"
    # The project's own endpoints.yml on non-default ports: the action port must reach Rasa through it.
    env = {**os.environ, "COACH_TRACKER_DB": str(tmp / "tracker.db"),
           "COACH_RESULTS_DB": str(tmp / "results.db"), "COACH_DRILLS_DIR": str(drills)}
    with log_path.open("w") as log:
        process = subprocess.Popen(["bash", "scripts/run.sh", str(rasa_port), str(action_port)],
                                   cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        deadline = time.time() + 240
        while "Objection Coach is up" not in log_path.read_text():
            if process.poll() is not None:
                pytest.fail(f"scripts/run.sh exited early:\n{log_path.read_text()[-3000:]}")
            if time.time() > deadline:
                os.killpg(process.pid, signal.SIGTERM)
                pytest.fail(f"servers did not start in time:\n{log_path.read_text()[-3000:]}")
            time.sleep(1)
        yield Servers(rasa_port, tmp / "results.db", drills, log_path)
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


@pytest.fixture
def coach(servers: Servers) -> int:
    """The REST port of the running coach."""
    return servers.port


# --- hostile input, threads, scripts -----------------------------------------------------------------

SQL_NAMES = ["'; DROP TABLE results; --", '" OR 1=1 --']  # rep names that look like SQL
HTML_NAME = "<img src=x onerror=alert(1)>"  # a rep name that looks like HTML


def in_threads(worker: Callable[[int], Any], count: int) -> List[BaseException]:
    """Run worker(n) in `count` threads released together; return the exceptions they raised."""
    errors: List[BaseException] = []
    start = threading.Barrier(count)

    def run(n: int) -> None:
        try:
            start.wait()
            worker(n)
        except BaseException as exc:  # collected: an assert inside a thread would be lost
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def load_script(name: str) -> ModuleType:
    """scripts/<name>.py as a module (scripts/ is not a package), loaded once per test session."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, PROJECT_ROOT / "scripts" / f"{name}.py")
        assert spec is not None and spec.loader is not None, f"no scripts/{name}.py"
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
    return sys.modules[name]
