"""Finding 2: the action server trusts no caller without the secret the Rasa server sends."""
from __future__ import annotations

import asyncio
import json
import logging
import multiprocessing
from pathlib import Path
from types import SimpleNamespace

import pytest
from rasa.core import agent as rasa_agent
from rasa.utils.endpoints import EndpointConfig
from rasa_sdk.endpoint import create_app
from sanic import Sanic

from coach.server import action_secret
from coach.server.action_secret import HEADER, actions_secret, attach, require_secret
from tests.asgi import asgi
from tests.security.conftest import JSON

SECRET = "a-shared-secret"
# What the finding posted: a made-up tracker asking to stop a drill that "reached the goal".
FORGED = {"next_action": "action_stop_drill", "sender_id": "forger", "version": "3.6.21", "domain": {},
          "tracker": {"sender_id": "forger", "slots": {"drill": {"drill_id": "price_margin", "goal": True}},
                      "latest_message": {}, "events": [], "active_loop": {}}}


@pytest.fixture
def action_server(monkeypatch: pytest.MonkeyPatch, results_db: Path) -> Sanic:
    monkeypatch.setattr(Sanic, "_app_registry", {})
    app = create_app("actions", cors_origins=None)
    require_secret(app, SECRET)
    return app


@pytest.mark.parametrize("headers", [[], [(HEADER, "wrong")], [(HEADER, SECRET[:-1])],
                                     [(HEADER.lower(), "")]])
def test_a_call_without_the_secret_is_refused_and_stores_nothing(action_server: Sanic, results_db: Path,
                                                                 headers, caplog) -> None:
    with caplog.at_level(logging.WARNING):
        answer = asgi(action_server, "POST", "/webhook", json.dumps(FORGED).encode(), [*JSON, *headers])
    assert answer.status == 401 and HEADER in json.loads(answer.body)["error"]
    assert _rows(results_db) == 0
    assert [r.getMessage() for r in caplog.records if "refused" in r.getMessage()][0].count("\n") == 0
    assert asgi(action_server, "GET", "/actions", headers=headers).status == 401


def _rows(db: Path) -> int:
    """Results stored in `db` (0 if it was never created)."""
    import sqlite3

    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return conn.execute("SELECT COUNT(*) FROM results").fetchone()[0] if "results" in tables else 0


def test_health_stays_open_and_the_secret_lets_calls_through(action_server: Sanic) -> None:
    assert asgi(action_server, "GET", "/health").status == 200
    answer = asgi(action_server, "GET", "/actions", headers=[(HEADER, SECRET)])
    assert answer.status == 200 and {"name": "action_stop_drill"} in json.loads(answer.body)


def test_the_secret_is_created_once_owner_only(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("COACH_ACTIONS_SECRET", raising=False)
    path = tmp_path / "state" / "actions_secret"
    first = actions_secret(path)
    assert first == actions_secret(path) and len(first) == 64
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind
    monkeypatch.setenv("COACH_ACTIONS_SECRET", "from-env")
    assert actions_secret(path) == "from-env"


def _make(path: str) -> str:
    return actions_secret(Path(path))


def test_processes_starting_together_agree_on_one_secret(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("COACH_ACTIONS_SECRET", raising=False)
    path = str(tmp_path / "actions_secret")
    with multiprocessing.get_context("fork").Pool(4) as pool:
        assert len(set(pool.map(_make, [path] * 8))) == 1


def test_an_empty_secret_file_stops_with_what_to_do(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("COACH_ACTIONS_SECRET", raising=False)
    (tmp_path / "actions_secret").write_text("")
    with pytest.raises(RuntimeError, match="delete it"):
        actions_secret(tmp_path / "actions_secret")


def test_rasa_sends_the_secret_on_every_action_call(monkeypatch) -> None:
    """Whatever endpoints file: the agent's action endpoint gets the header when it loads."""
    monkeypatch.setenv("COACH_ACTIONS_SECRET", SECRET)
    seen = []

    async def load_agent(**kwargs):
        seen.append(kwargs["endpoints"].action.headers)

    monkeypatch.setattr(rasa_agent, "load_agent", load_agent)
    monkeypatch.setattr(action_secret, "_sender_installed", False)
    action_secret.install_sender()
    endpoints = SimpleNamespace(action=EndpointConfig(url="http://127.0.0.1:1/webhook"))
    asyncio.run(rasa_agent.load_agent(model_path="m", endpoints=endpoints))
    assert seen == [{HEADER: SECRET}]


def test_a_header_set_in_the_endpoints_file_is_kept(monkeypatch) -> None:
    monkeypatch.setenv("COACH_ACTIONS_SECRET", SECRET)
    endpoint = EndpointConfig(url="http://x/webhook", headers={HEADER.lower(): "from-file"})
    attach(endpoint)
    assert endpoint.headers == {HEADER.lower(): "from-file"}
    attach(None)  # no action endpoint: nothing to do
